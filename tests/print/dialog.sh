#!/bin/bash
# Handouts printed as a teacher prints them: Ctrl+P in Chrome or Edge, whose
# print dialog has "Headers and footers" on by default. The browser then
# prints its own header (date and time, the page's title) and footer (the
# file's address, "8/9") on every page edge where the document has no
# margin box of its own: the first page of a handout (which has no running
# head), a pack's cover, a sheet of compliment cards. Each printout here is
# made twice with Debian's Chromium, as `chromium --headless
# --print-to-pdf` makes it (headers and footers on) and with
# --no-pdf-header-footer, and every page must read the same both ways: the
# handout's own heads and page numbers, nothing of the browser's.
# (print.sh prints through DevTools with displayHeaderFooter off, the
# setting of the PDF tools, and cannot see this.)
source "$(dirname "$0")/../golden/lib.sh"
SUITE=print-dialog
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
CHROMIUM=${CHROMIUM:-chromium}

need_tools "print tools installed" "$CHROMIUM" pdftotext pdfinfo

S=$TMPROOT/site
# HOME and TMPDIR: Chromium leaves the user's own profile and caches alone
mkdir -p "$TMPROOT/home"
build_example "$S"

# print FILE OUT [FLAG]: one printout, as the command line makes it
print() {
  HOME=$TMPROOT/home TMPDIR=$TMPROOT timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu ${3:-} \
    --user-data-dir="$TMPROOT/profile" --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
}

# extra_lines FILE: per page, the lines printed with headers and footers on
# that the same page lacks with them off; nothing when the pages agree
extra_lines() {
  local f=$1 a=$TMPROOT/on.pdf b=$TMPROOT/off.pdf n i
  rm -f "$a" "$b"
  print "$f" "$a"
  print "$f" "$b" --no-pdf-header-footer
  if [ ! -s "$a" ] || [ ! -s "$b" ]; then echo "no PDF printed"; return; fi
  n=$(pdfinfo "$b" | awk '/^Pages:/ {print $2}')
  [ "$(pdfinfo "$a" | awk '/^Pages:/ {print $2}')" = "$n" ] || echo "page count differs"
  for i in $(seq 1 "$n"); do
    diff <(pdftotext -f "$i" -l "$i" -raw "$b" -) <(pdftotext -f "$i" -l "$i" -raw "$a" -) |
      sed -n "s/^> /page $i: /p"
  done
}

# the premise: this Chromium does print its header and footer on a page
# without margin boxes (else nothing below could fail)
printf '%s\n' '<!doctype html><title>PROBE-TITLE</title><style>@page { size: A4; margin: 16mm }</style><p>Tekst</p>' \
  >"$S/probe.html"
probe=$(extra_lines "$S/probe.html")
case "$probe" in
  *PROBE-TITLE*) pass "Chromium prints its own header on a page edge without margin boxes" ;;
  *) fail "Chromium prints its own header on a page edge without margin boxes" "got [${probe:-nothing}]" ;;
esac

# one of each: a thuisopdracht (running heads with a name line), right to
# left, Ethiopic, a gesprek (no name line), bilingual handouts, an
# ouderavond with compliment cards, packs (cover, named pages, cards)
for p in nl/thuisopdrachten/wat-kan-ik/handout.html \
  ar/thuisopdrachten/wat-kan-ik/handout.html \
  ti/thuisopdrachten/wat-kan-ik/handout.html \
  nl/gesprekken/gesprek-mbo-keuze/handout.html \
  ar/thuisopdrachten/wat-kan-ik/handout-nl.html \
  ar/ouderavonden/ouderavond-leerjaar-1/handout-nl.html \
  nl/ouderavonden/ouderavond-leerjaar-1/handout.html \
  nl/leerjaar-1/handouts.html \
  ar/leerjaar-1/handouts.html; do
  extra=$(extra_lines "$S/$p")
  if [ -z "$extra" ]; then
    pass "$p prints no browser header or footer"
  else
    fail "$p prints no browser header or footer" "$(printf '%s' "$extra" | head -n 4 | tr '\n' '|')"
  fi
done
