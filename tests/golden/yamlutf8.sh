#!/bin/bash
# A YAML file (lobgen.yaml, a locale, a glossary) or a template with a byte that is not
# UTF-8 (saved as Windows-1252 by an old editor): the error is at the line
# and column of that byte and says to save the file as UTF-8, as for a
# material, not "check the indentation, colons and quotes" at 1:1; the
# site is as it was.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
for f in lobgen.yaml locales/tr.yaml content/woordenlijst.nl.yaml; do
  cp "$P/$f" "$TMPROOT/keep"
  # the last line gets a key whose value holds 0xEB (Windows-1252 "ë")
  n=$(( $(wc -l <"$P/$f") + 1 ))
  case "$f" in
    lobgen.yaml) printf 'school: "Co\xebrdinatie"\n' >>"$P/$f"; sed -i '/^school: "Testschool"$/d' "$P/$f"; n=$((n - 1)) ;;
    *) "$PY" - "$P/$f" <<'PY'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
lines = b.split(b'\n')
# the first line with a quoted value: its first quote gets 0xEB after it
for i, l in enumerate(lines):
    if b': "' in l:
        k = l.index(b': "') + 3
        lines[i] = l[:k] + b'\xeb' + l[k:]
        print(i + 1, k + 1)
        break
open(p, 'wb').write(b'\n'.join(lines))
PY
    ;;
  esac
  out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
  equal "$f with a Windows-1252 byte: the build fails" "$rc" 1
  grep -qE "$f:[0-9]+:[0-9]+: error: .*not valid UTF-8 \(byte 0xEB.*save it as UTF-8" <<<"$out" \
    && pass "$f: the error says the file is not UTF-8 and to save it so" || fail "$f: the error says the file is not UTF-8 and to save it so" "$(head -n 2 <<<"$out")"
  grep -q "$f:1:1:" <<<"$out" && fail "$f: the error is not at 1:1" "$(head -n 1 <<<"$out")" || pass "$f: the error is not at 1:1"
  equal "$f: the site is as it was" "$(tree_sum "$P/site")" "$before"
  cp "$TMPROOT/keep" "$P/$f"
done
# the position is that of the byte
printf '# a comment\ntitle: "Testsite"\nschool: "Co\xebrdinatie"\nbase_url: "https://test.example.org/lob"\nlanguages: [nl, tr, ar, pl]\n' >"$P/lobgen.yaml"
out=$("$LOBGEN" build --source "$P" 2>&1)
grep -q "lobgen.yaml:3:12: error: " <<<"$out" && pass "the error is at line 3, column 12 (the byte)" || fail "the error is at line 3, column 12 (the byte)" "$(head -n 1 <<<"$out")"
# a template: the same, and no page with that byte is published
P=$(project basic)
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
"$PY" -c '
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b.replace(b"</footer>", b"<p>Co\xebrdinatie</p></footer>", 1))
' "$P/templates/layout.mustache"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a template with a Windows-1252 byte: the build fails" "$rc" 1
grep -qE "templates/layout\.mustache:[0-9]+:[0-9]+: error: .*not valid UTF-8" <<<"$out" \
  && pass "the template's error is at the byte, saying UTF-8" || fail "the template's error is at the byte, saying UTF-8" "$(head -n 2 <<<"$out")"
equal "the template: the site is as it was" "$(tree_sum "$P/site")" "$before"
# lobgen template (for template authors): the same for the template, its
# partials and the data
printf 'Co\xebrdinatie {{x}}\n' >"$TMPROOT/t.mustache"
printf 'x: 1\n' >"$TMPROOT/d.yaml"
out=$("$LOBGEN" template "$TMPROOT/t.mustache" --data "$TMPROOT/d.yaml" 2>&1); rc=$?
equal "lobgen template of a Windows-1252 template fails" "$rc" 1
grep -q "t.mustache:1:3: error: .*not valid UTF-8" <<<"$out" && pass "lobgen template: the error is at the byte" || fail "lobgen template: the error is at the byte" "$out"
mkdir -p "$TMPROOT/parts"
printf 'Co\xebrdinatie\n' >"$TMPROOT/parts/voet.mustache"
printf '{{>voet}}\n' >"$TMPROOT/t2.mustache"
out=$("$LOBGEN" template "$TMPROOT/t2.mustache" --data "$TMPROOT/d.yaml" --partials "$TMPROOT/parts" 2>&1); rc=$?
equal "lobgen template with a Windows-1252 partial fails" "$rc" 1
grep -q "voet.mustache:1:3: error: .*not valid UTF-8" <<<"$out" && pass "lobgen template: the partial's error is at the byte" || fail "lobgen template: the partial's error is at the byte" "$out"
