#!/bin/bash
# Page breaks as a reader meets them on paper: pages of the example site
# printed with Debian's Chromium as `chromium --headless --print-to-pdf`
# prints them (the paper a browser chooses, Letter here; the browser's own
# headers and footers off, dialog.sh checks those) and read back with
# poppler (breaks.py): no sheet ends with a heading whose section starts
# overleaf, and every question of a thuisopdracht has all its writing lines
# under it on its own sheet. The web pages (a parent who prints the page
# itself with Ctrl+P, style.css @media print) and the handouts (print.css)
# both; right-to-left pages are left out because pdftotext gives Arabic
# words in visual order, and the rules are the same for them.
source "$(dirname "$0")/../golden/lib.sh"
SUITE=print-breaks
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
CHROMIUM=${CHROMIUM:-chromium}
HERE=$(cd "$(dirname "$0")" && pwd)

need_tools "print tools installed" "$CHROMIUM" pdftotext pdftoppm python3

S=$TMPROOT/site
# HOME and TMPDIR: Chromium leaves the user's own profile and caches alone
mkdir -p "$TMPROOT/home"
build_example "$S"

# FOOTER_PT: a handout's bottom margin (print.css @page, 18 mm) holds its
# "page k of n", which is not content; a web page prints nothing there
FOOTER_PT=51
n=0
for p in nl/thuisopdrachten/wat-kan-ik/index.html nl/thuisopdrachten/beroepen-in-de-familie/index.html \
  nl/gesprekken/gesprek-mbo-keuze/index.html nl/ouderavonden/ouderavond-leerjaar-1/index.html \
  ti/thuisopdrachten/wat-kan-ik/index.html en/thuisopdrachten/stage-zoeken/index.html \
  uk/gesprekken/gesprek-kwaliteiten-en-motieven/index.html nl/woordenlijst/index.html nl/index.html \
  nl/thuisopdrachten/wat-kan-ik/handout.html ti/thuisopdrachten/wat-kan-ik/handout.html \
  nl/gesprekken/gesprek-mbo-keuze/handout.html nl/ouderavonden/ouderavond-leerjaar-1/handout.html \
  nl/leerjaar-1/handouts.html; do
  n=$((n + 1))
  pdf=$TMPROOT/p$n.pdf
  HOME=$TMPROOT/home TMPDIR=$TMPROOT timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$TMPROOT/profile" --print-to-pdf="$pdf" "file://$S/$p" >/dev/null 2>&1
  if [ ! -s "$pdf" ]; then
    fail "$p prints" "no PDF"
    continue
  fi
  case "$p" in *handout*) foot=$FOOTER_PT ;; *) foot=0 ;; esac
  pychecks "$S/$p" "$pdf" "$foot" "$p" <"$HERE/breaks.py"
done
