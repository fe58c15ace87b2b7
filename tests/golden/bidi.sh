#!/bin/bash
# Issue 11, text: plain-text outputs in a right-to-left language (the
# announcement, the calendar entry) show every left-to-right run in its
# own order. The reader's view is the visual order an independent
# implementation of the Unicode Bidirectional Algorithm (GNU FriBidi,
# UAX #9 with isolates) makes of each line, with the paragraph direction
# found as a messaging app finds it (the first strong letter, P2-P3): a URL,
# a Latin phrase, a number in Latin digits must read as written.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600
if ! command -v fribidi >/dev/null 2>&1; then
  fail "fribidi is installed (scripts/ensure-deps test installs libfribidi-bin)" "not found in PATH"
  exit 0
fi
P=$(project basic)
AR="$P/content/thuisopdrachten/opdracht-een.ar.md"
sed -i 's|^summary: .*|summary: "اقرأوا المزيد على www.voorbeeld.nl/stage/ وخصصوا 3 dagen للتدريب (snuffelstage)."|' "$AR"
sed -i 's|^title: .*|title: "ماذا أستطيع أن أفعل في mbo 2؟"|' "$AR"
# a second assignment without an Arabic translation: its Dutch title in the Arabic message
sed -e 's/^title: .*/title: "Wat kan ik? Deel 2"/' -e '/^prepares:/d' \
  "$P/content/thuisopdrachten/opdracht-een.nl.md" >"$P/content/thuisopdrachten/opdracht-twee.nl.md"
"$LOBGEN" build --source "$P" --output "$P/out" --quiet 2>"$TMPROOT/err"
equal "the project builds" "$?" 0
A1="$P/out/ar/thuisopdrachten/opdracht-een/aankondiging.txt"
A2="$P/out/ar/thuisopdrachten/opdracht-twee/aankondiging.txt"

# visual FILE: each line as the bidi algorithm lays it out (format marks removed)
visual() { sed '1s/^\xEF\xBB\xBF//' "$1" | fribidi --nopad --nobreak --clean; }
visual "$A1" >"$TMPROOT/v1"
visual "$A2" >"$TMPROOT/v2"
basedir=$(sed '1s/^\xEF\xBB\xBF//' "$A1" | fribidi --basedir --novisual | head -n 1)
equal "the announcement is a right-to-left paragraph (FriBidi's base direction)" "$(echo "$basedir" | tr -dc 'LR')" R
for run in "www.voorbeeld.nl/stage/" "3 dagen" "snuffelstage" "mbo 2" \
           "https://test.example.org/lob/ar/thuisopdrachten/opdracht-een/"; do
  contains "the reader sees [$run] as written in the translated text" "$TMPROOT/v1" "$run"
done
for run in "Wat kan ik? Deel 2" "https://test.example.org/lob/ar/thuisopdrachten/opdracht-twee/"; do
  contains "the reader sees [$run] as written (a Dutch title in an Arabic message)" "$TMPROOT/v2" "$run"
done
# never a run wrapped twice: no FSI right after an FSI
if grep -q $'\u2068\u2068' "$A1" "$A2"; then fail "no run is wrapped twice" "FSI FSI in an announcement"; else pass "no run is wrapped twice"; fi
# a language written left to right gets no isolates at all
lacks "a left-to-right announcement has no isolates" "$P/out/tr/thuisopdrachten/opdracht-een/aankondiging.txt" $'\u2068'

# --- the calendar entry (RFC 5545 text: unfold, unescape), the same reader
ics_text() { # FILE PROPERTY
  "$PY" - "$1" "$2" <<'EOF'
import sys, re
t = open(sys.argv[1], encoding='utf-8', newline='').read().replace('\r\n ', '').replace('\r\n', '\n')
for line in t.split('\n'):
    if line.split(':', 1)[0].split(';')[0] == sys.argv[2]:
        v = line.split(':', 1)[1]
        print(re.sub(r'\\(.)', lambda m: '\n' if m.group(1) in 'nN' else m.group(1), v))
EOF
}
ICS="$P/out/ar/thuisopdrachten/opdracht-een/agenda.ics"
ics_text "$ICS" DESCRIPTION | fribidi --nopad --nobreak --clean >"$TMPROOT/vd"
for run in "www.voorbeeld.nl/stage/" "3 dagen"; do
  contains "the calendar's description shows [$run] as written" "$TMPROOT/vd" "$run"
done
ics_text "$ICS" SUMMARY | fribidi --nopad --nobreak --clean >"$TMPROOT/vs"
contains "the calendar's summary shows [mbo 2] as written" "$TMPROOT/vs" "mbo 2"
