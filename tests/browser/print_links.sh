#!/bin/bash
# Handouts, bilingual handouts and year packs on a screen (print_links.py):
# their links look like links, and a large year's pack in parts (a
# library of 1,000 materials, 250 a year: parts of 100) offers its other
# parts as 44 x 44 px buttons with the current one marked. print.css made
# every link look like its text, on paper and on a screen alike.
source "$(dirname "$0")/../golden/lib.sh"
SUITE=print-links
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
HERE=$(cd "$(dirname "$0")" && pwd)

need_tools "chromium installed" "${CHROMIUM:-chromium}"

S=$TMPROOT/site
# HOME and TMPDIR: Chromium leaves the user's own profile and caches alone
mkdir -p "$TMPROOT/home"
build_example "$S"
L=$TMPROOT/library
library_1000x4 "$L"
"$REL" build --source "$L" --output "$S/library" --quiet 2>"$TMPROOT/build-lib.err"
rc=$?
equal "a library of 1,000 materials builds" "$rc" 0
[ $rc -eq 0 ] || cat "$TMPROOT/build-lib.err"
check "its year packs come in parts" test -f "$S/library/nl/leerjaar-1/handouts-3.html"

HOME=$TMPROOT/home TMPDIR=$TMPROOT PYTHONPATH=$HERE:$ROOT/tests/print pychecks "$S" nl/thuisopdrachten/wat-kan-ik/handout.html ar/thuisopdrachten/wat-kan-ik/handout-nl.html \
  ti/leerjaar-1/handouts.html nl/leerjaar-1/handouts.html \
  library/nl/leerjaar-1/handouts.html library/nl/leerjaar-1/handouts-2.html library/ar/leerjaar-2/handouts-3.html \
  <"$HERE/print_links.py"
