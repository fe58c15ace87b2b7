#!/bin/bash
# The parse cache (generator/parsecache.h): a build takes the front matter
# of files whose bytes did not change from <cache>/parse/materials. The
# site and every message must be what a build without it gives: a file
# that gave a warning says it again; an edit, a damaged cache file or no
# cache at all change nothing in the output; lobgen check writes no cache.
source "$(dirname "$0")/lib.sh"
M=content/thuisopdrachten/opdracht-een
P=$(project basic)
C="$P/.lobgen-cache/parse/materials"
# a key only the original may set: a warning from the front matter's parse
sed -i '0,/^title:/s//week: 3\ntitle:/' "$P/$M.tr.md"
warnings() { grep -E 'warning' "$1" | sort; }

"$LOBGEN" build --source "$P" --output "$P/out" 2>"$TMPROOT/pc1.err"
equal "a first build succeeds" "$?" 0
exists "... and keeps the parses in .lobgen-cache/parse/materials" "$C"
contains "the translation's front matter gives its warning" "$TMPROOT/pc1.err" "is taken from the original"
"$LOBGEN" build --source "$P" --output "$P/out" 2>"$TMPROOT/pc2.err"
equal "the next build (from the cache) succeeds" "$?" 0
equal "... and gives the same warnings, in the same order" "$(warnings "$TMPROOT/pc2.err")" \
  "$(warnings "$TMPROOT/pc1.err")"

# the same site with the cache, without it, and with a damaged one
"$LOBGEN" build --full --source "$P" --output "$P/warm" --quiet 2>/dev/null
rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" build --full --source "$P" --output "$P/cold" --quiet 2>/dev/null
equal "a full build from the cache is byte-identical to one without it" "$(tree_sum "$P/warm")" \
  "$(tree_sum "$P/cold")"
printf 'lobgen-parse-1\nnot a cache' >"$C"
"$LOBGEN" build --full --source "$P" --output "$P/damaged" --quiet 2>"$TMPROOT/pc3.err"
equal "a damaged cache file is ignored: the build succeeds" "$?" 0
equal "... with the same warnings" "$(warnings "$TMPROOT/pc3.err")" "$(warnings "$TMPROOT/pc1.err")"
equal "... with the same site" "$(tree_sum "$P/damaged")" "$(tree_sum "$P/cold")"

# an edit after the cache was written: the file's new text, not the cached one
sed -i 's/^title: .*/title: "Een nieuwe titel"/' "$P/$M.nl.md"
"$LOBGEN" build --source "$P" --output "$P/out" --quiet 2>/dev/null
contains "an edited title reaches the page" "$P/out/nl/thuisopdrachten/opdracht-een/index.html" "Een nieuwe titel"
rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" build --full --source "$P" --output "$P/cold2" --quiet 2>/dev/null
"$LOBGEN" build --full --source "$P" --output "$P/warm2" --quiet 2>/dev/null
equal "... and the site is the one a build without the cache makes" "$(tree_sum "$P/warm2")" "$(tree_sum "$P/cold2")"

rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" check --source "$P" >/dev/null 2>&1
absent "lobgen check writes no parse cache" "$C"
