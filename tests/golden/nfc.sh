#!/bin/bash
# Issue 11, text: every input is read in Unicode Normalization Form C
# (UAX #15), so a project saved in decomposed form (NFD, as macOS file
# names and some editors write) builds the same site, byte for byte: the
# same fingerprints, heading ids, glossary links, PO matches. And
# `lobgen template` reads its template, partials and data in NFC as a build does.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600 # earlier than any file: the copies' times do not show

# --- the example site, composed and decomposed
C="$TMPROOT/composed"; D="$TMPROOT/decomposed"
mkdir -p "$C" "$D"
for x in content templates locales lobgen.yaml; do cp -r "$ROOT/$x" "$C/"; cp -r "$ROOT/$x" "$D/"; done
# every UTF-8 text the build decodes (not assets: they are copied byte for byte)
changed=$("$PY" - "$D" <<'EOF'
import os, sys, unicodedata
n = 0
for d, _, fs in os.walk(sys.argv[1]):
    if os.sep + 'assets' in d:
        continue
    for f in fs:
        if not f.endswith(('.md', '.yaml', '.po', '.mustache', '.html')):
            continue
        p = os.path.join(d, f)
        b = open(p, 'rb').read()
        try:
            t = b.decode('utf-8')
        except UnicodeDecodeError:
            continue  # a legacy encoding (encoding: key): left as it is
        nfd = unicodedata.normalize('NFD', t)
        if nfd != t:
            open(p, 'wb').write(nfd.encode('utf-8'))
            n += 1
print(n)
EOF
)
check "the decomposed copy differs in many files ($changed)" test "$changed" -ge 20
npo=0; for f in "$C"/content/*/*.po; do cmp -s "$f" "$D/${f#"$C/"}" || npo=$((npo + 1)); done
check "decomposed PO files are among them ($npo)" test "$npo" -ge 1
"$LOBGEN" build --source "$C" --output "$TMPROOT/site-c" --quiet 2>"$TMPROOT/c.err"
equal "the composed project builds" "$?" 0
"$LOBGEN" build --source "$D" --output "$TMPROOT/site-d" --quiet 2>"$TMPROOT/d.err"
equal "the decomposed project builds" "$?" 0
equal "the decomposed project builds the same warnings" "$(sed "s|$D|P|g" "$TMPROOT/d.err")" "$(sed "s|$C|P|g" "$TMPROOT/c.err")"
if diff -r "$TMPROOT/site-c" "$TMPROOT/site-d" >"$TMPROOT/diff" 2>&1; then
  pass "the decomposed project builds a byte-identical site ($(find "$TMPROOT/site-c" -type f | wc -l) files)"
else
  fail "the decomposed project builds a byte-identical site" "$(grep -c '^diff\|^Binary\|^Only' "$TMPROOT/diff") files differ: $(head -c 400 "$TMPROOT/diff" | tr '\n' '|')"
fi
# the same fingerprints, as `lobgen status` reports them
"$LOBGEN" status --json --source "$C" >"$TMPROOT/c.json" 2>/dev/null
"$LOBGEN" status --json --source "$D" >"$TMPROOT/d.json" 2>/dev/null
if [ -s "$TMPROOT/c.json" ] && cmp -s "$TMPROOT/c.json" "$TMPROOT/d.json"; then
  pass "lobgen status sees the same translation states, unit counts and fingerprints"
else
  fail "lobgen status sees the same translation states, unit counts and fingerprints" "$(diff "$TMPROOT/c.json" "$TMPROOT/d.json" | head -n 6 | tr '\n' '|')"
fi
for f in "$C"/content/thuisopdrachten/*.nl.md; do
  n=${f#"$C/"}
  equal "lobgen fingerprint $n is the same decomposed" "$("$LOBGEN" fingerprint "$D/$n" 2>&1)" "$("$LOBGEN" fingerprint "$C/$n" 2>&1)"
  break
done

# --- lobgen template: the template, its partials and the data in NFC
T="$TMPROOT/tpl"; mkdir -p "$T/partials"
e_nfd=$(printf 'e\xcc\x81'); e_nfc=$(printf '\xc3\xa9')
printf '{{#caf%s}}[{{caf%s}}]{{/caf%s}} {{> caf%s}}\n' "$e_nfd" "$e_nfc" "$e_nfc" "$e_nfd" >"$T/t.mustache"
printf 'caf%s: "th%s"\n' "$e_nfc" "$e_nfd" >"$T/data.yaml"
printf 'partial caf%s\n' "$e_nfd" >"$T/partials/caf$e_nfc.mustache"
"$LOBGEN" template "$T/t.mustache" --data "$T/data.yaml" --partials "$T/partials" >"$T/out" 2>"$T/err"
equal "lobgen template with decomposed names exits 0" "$?" 0
equal "a decomposed key in the template finds the composed key of the data, and the output is NFC" \
  "$(cat "$T/out")" "[th$e_nfc] partial caf$e_nfc"
