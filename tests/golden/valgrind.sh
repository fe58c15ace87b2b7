#!/bin/bash
# The release binary under valgrind: no invalid reads or writes, no leaks,
# for a whole build, a check, a status report and a template render.
source "$(dirname "$0")/lib.sh"
BIN=${LOBGEN_REL:-$ROOT/build/lobgen}
P=$(project basic)
vg() { valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=9 -q "$@"; }
vg "$BIN" build --source "$P" --quiet 2>"$TMPROOT/vg1"; rc=$?
if [ $rc -eq 0 ]; then pass "build is clean under valgrind"; else fail "build is clean under valgrind" "exit $rc: $(head -c 600 "$TMPROOT/vg1")"; fi
vg "$BIN" check --source "$P" 2>"$TMPROOT/vg2"; rc=$?
if [ $rc -eq 0 ]; then pass "check is clean under valgrind"; else fail "check is clean under valgrind" "exit $rc: $(head -c 600 "$TMPROOT/vg2")"; fi
vg "$BIN" status --source "$P" --json >/dev/null 2>"$TMPROOT/vg3"; rc=$?
if [ $rc -eq 0 ]; then pass "status is clean under valgrind"; else fail "status is clean under valgrind" "exit $rc: $(head -c 600 "$TMPROOT/vg3")"; fi
printf '{{#a}}{{b}}{{/a}}' > "$TMPROOT/t.mustache"; printf 'a: {b: "<x>"}\n' > "$TMPROOT/d.yaml"
out=$(vg "$BIN" template "$TMPROOT/t.mustache" --data "$TMPROOT/d.yaml" 2>"$TMPROOT/vg4"); rc=$?
if [ $rc -eq 0 ] && [ "$out" = "&lt;x&gt;" ]; then pass "template is clean under valgrind"; else fail "template is clean under valgrind" "exit $rc out [$out]: $(head -c 600 "$TMPROOT/vg4")"; fi
# audio: a build that takes speech from the cache and copies a recording
A=$(project audio)
"$BIN" build --source "$A" --quiet 2>/dev/null
cp "$A/site/en/gesprekken/kort/voorlezen.opus" "$A/content/gesprekken/kort.en.opus"
vg "$BIN" build --source "$A" --quiet 2>"$TMPROOT/vg5"; rc=$?
if [ $rc -eq 0 ]; then pass "an audio build (cache, recording) is clean under valgrind"; else fail "an audio build (cache, recording) is clean under valgrind" "exit $rc: $(head -c 600 "$TMPROOT/vg5")"; fi
