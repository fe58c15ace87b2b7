#!/bin/bash
# A text input far bigger than any material (a pasted picture, a log file
# saved under a material's name): the error names that file, with its size
# and what to do, at once, instead of seconds and gigabytes later as "the
# rendered page grew beyond 64 MB" at a template; nothing is published.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
big() { # FILE: the file with 20 MB of text after its own
  "$PY" - "$1" <<'PY'
import sys
p = sys.argv[1]
with open(p, 'a', encoding='utf-8') as f:
    f.write('\n' + 'Een heel lange alinea met woorden. ' * 600000 + '\n')
PY
}
for f in content/thuisopdrachten/opdracht-een.nl.md content/thuisopdrachten/opdracht-een.tr.md \
         locales/tr.yaml content/woordenlijst.nl.yaml templates/layout.mustache; do
  cp "$P/$f" "$TMPROOT/keep"
  big "$P/$f"
  out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
  equal "$f at 20 MB: the build fails (exit 1)" "$rc" 1
  line=$(grep -F "$f: error:" <<<"$out" | head -n 1)
  [ -n "$line" ] && pass "$f at 20 MB: the error names the file" || fail "$f at 20 MB: the error names the file" "$(head -c 400 <<<"$out")"
  grep -qE "[0-9.]+ MB" <<<"$line" && pass "$f at 20 MB: the error gives its size" || fail "$f at 20 MB: the error gives its size" "$line"
  lacks_out=$(grep -c "grew beyond" <<<"$out")
  equal "$f at 20 MB: no error about a page grown too big" "$lacks_out" 0
  equal "$f at 20 MB: the site is as it was" "$(tree_sum "$P/site")" "$before"
  cp "$TMPROOT/keep" "$P/$f"
done
# a PO translation too
cp "$P/content/thuisopdrachten/opdracht-een.tr.md" "$TMPROOT/tr.md"
rm "$P/content/thuisopdrachten/opdracht-een.tr.md"
{ printf 'msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
  for i in $(seq 1 200000); do printf 'msgid "x%d een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien twintig"\nmsgstr ""\n\n' "$i"; done; } \
  >"$P/content/thuisopdrachten/opdracht-een.tr.po"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a PO file of 30 MB: the build fails (exit 1)" "$rc" 1
grep -qE "opdracht-een\.tr\.po: error: .*[0-9.]+ MB" <<<"$out" && pass "a PO file of 30 MB: the error names it and its size" \
  || fail "a PO file of 30 MB: the error names it and its size" "$(head -c 400 <<<"$out")"
rm "$P/content/thuisopdrachten/opdracht-een.tr.po"
cp "$TMPROOT/tr.md" "$P/content/thuisopdrachten/opdracht-een.tr.md"
# a material of 3 MB is still read
"$PY" - "$P/content/thuisopdrachten/opdracht-een.nl.md" <<'PY'
import sys
with open(sys.argv[1], 'a', encoding='utf-8') as f:
    f.write('\n' + 'Een zin.\n\n' * 300000)
PY
"$LOBGEN" build --source "$P" --quiet >/dev/null 2>&1
equal "a material of 3 MB builds" "$?" 0
