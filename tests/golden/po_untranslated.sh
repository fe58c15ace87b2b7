#!/bin/bash
# A PO translation with no unit translated (exported, imported before the
# translator did anything) is what a Markdown file still all in Dutch is
# (docs/status.md): a missing translation. The site is the site without
# it, status counts it missing, not translated, and build warns once.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
M=thuisopdrachten/opdracht-een
rm -f "$P/content/$M.pl.md"
"$LOBGEN" build --source "$P" --quiet --output "$TMPROOT/without" 2>/dev/null
"$LOBGEN" translate export --source "$P" --lang pl --output "$TMPROOT/po" >/dev/null 2>&1
exists "export wrote the PO file" "$TMPROOT/po/$M.pl.po"
"$LOBGEN" translate import --source "$P" "$TMPROOT/po/$M.pl.po" >/dev/null 2>&1
exists "import installed it" "$P/content/$M.pl.po"
out=$("$LOBGEN" build --source "$P" --output "$TMPROOT/with" 2>&1); rc=$?
equal "the build succeeds" "$rc" 0
equal "the site is the site without the file" "$(tree_sum "$TMPROOT/with")" "$(tree_sum "$TMPROOT/without")"
n=$(grep -c "$M.pl.po:.*warning: .*not published" <<<"$out")
equal "build warns once that it is not published" "$n" 1
st=$("$LOBGEN" status --source "$P" 2>&1)
pl=$(sed -n '/^pl /,/^$/p' <<<"$st")
grep -q "translated 0, stale 0, missing 3" <<<"$pl" && pass "status counts it missing" || fail "status counts it missing" "$(head -n 2 <<<"$pl" | tr '\n' '|')"
grep -qE "^  missing +content/$M.pl.po" <<<"$pl" && pass "status names the PO file as missing" || fail "status names the PO file as missing" "$(tr '\n' '|' <<<"$pl")"
"$LOBGEN" status --source "$P" --json >"$TMPROOT/st.json" 2>/dev/null
"$PY" - "$TMPROOT/st.json" "$M" <<'PY' && pass "status --json: state missing, with the file" || fail "status --json: state missing, with the file" "$(head -c 300 "$TMPROOT/st.json")"
import json, sys
d = json.load(open(sys.argv[1]))
for l in d["languages"]:
    if l["code"] != "pl":
        continue
    for m in l["materials"]:
        if m["material"] == sys.argv[2]:
            sys.exit(0 if m["state"] == "missing" and m["file"] == "content/%s.pl.po" % sys.argv[2] else 1)
sys.exit(1)
PY
# one unit translated: published, partly translated
"$PY" - "$P/content/$M.pl.po" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
# the first entry after the header gets a translation
parts = s.split('\n\n')
for i, e in enumerate(parts[1:], 1):
    if 'msgstr ""' in e and 'msgid ""' not in e.split('\n')[-2:][0]:
        parts[i] = e.replace('msgstr ""', 'msgstr "Przetłumaczone"', 1)
        break
open(p, 'w', encoding='utf-8').write('\n\n'.join(parts))
PY
"$LOBGEN" build --source "$P" --quiet --output "$TMPROOT/one" 2>/dev/null
exists "one unit translated: the Polish page is published" "$TMPROOT/one/pl/$M/index.html"
grep -q "Przetłumaczone" "$TMPROOT/one/pl/$M/index.html" && pass "one unit translated: it shows" || fail "one unit translated: it shows" "not on the page"
