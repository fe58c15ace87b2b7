#!/bin/bash
# The man pages: mandoc finds nothing to complain about, and lobgen.1
# names every command and option that 'lobgen --help' lists.
source "$(dirname "$0")/lib.sh"
for page in lobgen.1 lobgen.5; do
  if ! command -v mandoc >/dev/null; then
    fail "man/$page passes mandoc -T lint" "mandoc is not installed (scripts/ensure-deps test installs it)"
    continue
  fi
  out=$(mandoc -T lint -W warning "$ROOT/man/$page" 2>&1)
  if [ $? -eq 0 ] && [ -z "$out" ]; then pass "man/$page passes mandoc -T lint"; else fail "man/$page passes mandoc -T lint" "$(printf '%s' "$out" | head -n 5 | tr '\n' '|')"; fi
done
help=$("$LOBGEN" --help)
cmds=$(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort -u)
[ -n "$cmds" ] || fail "the help lists commands" "none found in lobgen --help"
for c in $cmds; do
  grep -qE "^\.(Cm|It Cm) $c( |$)" "$ROOT/man/lobgen.1" && pass "lobgen.1 describes the command $c" \
    || fail "lobgen.1 describes the command $c" "no '.It Cm $c' or '.Cm $c'"
done
# mdoc writes --mark-current as Fl \-mark\-current
plain=$(sed 's/\\-/-/g' "$ROOT/man/lobgen.1")
for o in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
  grep -qF -- "Fl ${o#-}" <<<"$plain" && pass "lobgen.1 describes $o" || fail "lobgen.1 describes $o" "no 'Fl \\${o#-}'"
done
for s in "EXIT STATUS" ENVIRONMENT EXAMPLES; do
  contains "lobgen.1 has the section $s" "$ROOT/man/lobgen.1" ".Sh $s"
done
# every environment variable the program reads is described: a new one
# without a line here would be a setting no user can find
for e in $(grep -ohE 'getenv\("[A-Z_]+"\)' "$ROOT"/generator/*.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
  grep -qE "^\.It Ev $e( |$)" "$ROOT/man/lobgen.1" && pass "lobgen.1 describes the environment variable $e" \
    || fail "lobgen.1 describes the environment variable $e" "no '.It Ev $e'"
done
for k in title summary leerjaar niveau competenties week duration date deadline prepares follows draft translation encoding recording; do
  grep -qE "^\.It (.* )?Cm $k( |$)" "$ROOT/man/lobgen.5" && pass "lobgen.5 describes the front matter key $k" \
    || fail "lobgen.5 describes the front matter key $k" "no '.It Cm $k'"
done
for b in "$ROOT"/templates/blocks/*.mustache; do
  b=$(basename "$b" .mustache)
  grep -qE "^\.It Cm $b( |$)" "$ROOT/man/lobgen.5" && pass "lobgen.5 describes the block $b" \
    || fail "lobgen.5 describes the block $b" "no '.It Cm $b'"
done
# every key config.c accepts (config_keys)
for k in $(sed -n 's/^static const char \*const config_keys\[\] = {\(.*\)};/\1/p' "$ROOT/generator/config.c" | tr -d '",'); do
  grep -qE "^\.It Cm $k( |$)" "$ROOT/man/lobgen.5" && pass "lobgen.5 describes the lobgen.yaml key $k" \
    || fail "lobgen.5 describes the lobgen.yaml key $k" "no '.It Cm $k'"
done
