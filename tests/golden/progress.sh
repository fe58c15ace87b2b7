#!/bin/bash
# The progress line: on a terminal, a build that takes more than a second
# shows one line that updates in place (stage, done / total) and is erased
# at the end; never when stderr is a file or a pipe, never with --quiet.
source "$(dirname "$0")/lib.sh"
# a project big enough to take well over a second on one thread under the
# sanitizers: 300 materials in two languages
G=$TMPROOT/g
mkdir -p "$G/content/thuisopdrachten"
cp -r "$ROOT/templates" "$ROOT/locales" "$G/"
printf 'title: "Voortgang"\nschool: "School"\nbase_url: "https://x.example.org"\nlanguages: [nl, en]\n' >"$G/lobgen.yaml"
body=$(sed '1,/^---$/{/^---$/!d};1,/^---$/d' "$ROOT/content/thuisopdrachten/wat-kan-ik.nl.md" | sed '1,/^---$/d')
for i in $(seq 1 300); do
  printf -- '---\ntitle: "Materiaal %d"\nleerjaar: %d\nweek: %d\n---\n%s\n' "$i" $((i % 4 + 1)) $((i % 52 + 1)) "$body" \
    >"$G/content/thuisopdrachten/m-$i.nl.md"
done
export LOBGEN_JOBS=1
# on a terminal: script(1) gives the build a pseudo-terminal. The delay
# before the line shows is set to 0 (LOBGEN_PROGRESS_DELAY), so the test
# does not depend on how fast this machine builds.
LOBGEN_PROGRESS_DELAY=0 script -qec "'$LOBGEN' build --source '$G' 2>&1 >/dev/null" /dev/null >"$TMPROOT/tty.out"
# a build that ends within the delay shows nothing
LOBGEN_PROGRESS_DELAY=3600000 script -qec "'$LOBGEN' build --source '$G' 2>&1 >/dev/null" /dev/null >"$TMPROOT/late.out"
if grep -q 'lobgen: pages' "$TMPROOT/late.out"; then
  fail "a build shorter than the delay shows no progress line" "$(head -c 200 "$TMPROOT/late.out" | tr '\r\n' '||')"
else
  pass "a build shorter than the delay shows no progress line"
fi
tr '\r' '\n' <"$TMPROOT/tty.out" | sed 's/\x1b\[K//g' >"$TMPROOT/tty.lines"
grep -qE '^lobgen: pages [0-9]+/[0-9]+$' "$TMPROOT/tty.lines" && pass "a terminal shows pages done / total" \
  || fail "a terminal shows pages done / total" "$(head -c 300 "$TMPROOT/tty.lines" | tr '\n' '|')"
grep -q $'\r\x1b\\[K' "$TMPROOT/tty.out" && pass "the line is redrawn in place" || fail "the line is redrawn in place" "no CR + erase"
grep -qE '^lobgen: (reading the content|materials [0-9]+/[0-9]+|pages [0-9]+/[0-9]+)$' "$TMPROOT/tty.lines" \
  && pass "the line names the stage" || fail "the line names the stage" "$(head -c 300 "$TMPROOT/tty.lines")"
bad=$(grep -E '^lobgen: (pages|materials) ' "$TMPROOT/tty.lines" | awk -F'[ /]' '$3 > $4 {print}' | head -n 1)
equal "done never exceeds the total" "$bad" ""
# the last thing on the terminal is the summary, on a clean line
# (what a terminal shows of the last line: the text after its last CR)
last=$(sed 's/\x1b\[K//g' "$TMPROOT/tty.out" | tr -d '\n' | tr '\r' '\n' | grep -v '^$' | tail -n 1)
case "$last" in "lobgen: built "*) pass "the summary follows on a clean line" ;; *) fail "the summary follows on a clean line" "[$last]" ;; esac
[ "$(tail -c 200 "$TMPROOT/tty.out" | grep -c $'\x1b\\[K')" -ge 1 ] && pass "the line is erased at the end" || fail "the line is erased at the end" "no erase"

# not on a terminal, not with --quiet
"$LOBGEN" build --source "$G" 2>"$TMPROOT/log" >/dev/null
lacks "a log gets no progress line" "$TMPROOT/log" "lobgen: pages"
grep -q $'\r' "$TMPROOT/log" && fail "a log gets no carriage returns" "found one" || pass "a log gets no carriage returns"
script -qec "'$LOBGEN' build --quiet --source '$G' 2>&1 >/dev/null" /dev/null >"$TMPROOT/quiet.out"
equal "--quiet on a terminal prints nothing" "$(tr -d '\r\n' <"$TMPROOT/quiet.out")" ""
