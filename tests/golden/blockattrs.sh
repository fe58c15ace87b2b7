#!/bin/bash
# regels= is the number of lines to write on (docs/content.md): a value
# that is not a whole number (regels=vier, regels=4.5) is an error at the
# fence, not a handout without room to write; regels=0 gives none, as
# asked; left out, three.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
F=$P/content/thuisopdrachten/opdracht-een.nl.md
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
cp "$F" "$TMPROOT/keep"
line=$(grep -n '^```antwoord regels=4' "$F" | cut -d: -f1)
for v in vier 4.5 -1x "" ; do
  sed -i "s/^\`\`\`antwoord regels=4\$/\`\`\`antwoord regels=$v/" "$F"
  [ -z "$v" ] && sed -i 's/^```antwoord regels=$/```antwoord regels=""/' "$F"
  out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
  equal "regels=${v:-\"\"}: the build fails" "$rc" 1
  grep -qE "opdracht-een\.nl\.md:$line:[0-9]+: error: .*regels" <<<"$out" && pass "regels=${v:-\"\"}: an error at the fence names regels" \
    || fail "regels=${v:-\"\"}: an error at the fence names regels" "$(head -c 300 <<<"$out")"
  grep -q "whole number" <<<"$out" && pass "regels=${v:-\"\"}: says a whole number is needed" || fail "regels=${v:-\"\"}: says a whole number is needed" "$(head -c 300 <<<"$out")"
  equal "regels=${v:-\"\"}: the site is as it was" "$(tree_sum "$P/site")" "$before"
  cp "$TMPROOT/keep" "$F"
done
page=$P/site/nl/thuisopdrachten/opdracht-een/index.html
for v in 0 2; do
  sed -i "s/^\`\`\`antwoord regels=[0-9]*\$/\`\`\`antwoord regels=$v/" "$F"
  "$LOBGEN" build --source "$P" --quiet 2>/dev/null
  equal "regels=$v: $v lines to write on" "$(grep -o 'class="write-line"' "$page" | wc -l)" "$v"
done
sed -i 's/^```antwoord regels=[0-9]*$/```antwoord/' "$F"
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
equal "no regels: three lines" "$(grep -o 'class="write-line"' "$page" | wc -l)" 3
