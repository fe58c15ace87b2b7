#!/bin/bash
# Threads: the example site is byte-identical whatever the number of
# threads (LOBGEN_JOBS=1, 2, 8), and the build shows no data race to
# ThreadSanitizer (build/tsan/lobgen, clang -fsanitize=thread). cmark-gfm's
# inline parser kept the extensions' trigger characters in one table per
# process; vendor/cmark-gfm/lobgen-thread-safety.patch gives each parser its
# own, and the vendored tree must be exactly upstream plus that patch
# (and lobgen-speed.patch, its two scanning loops eight bytes at a time).
source "$(dirname "$0")/lib.sh"
BIN=${LOBGEN_REL:-$ROOT/build/lobgen}
TSAN=${LOBGEN_TSAN:-$ROOT/build/tsan/lobgen}
unset SOURCE_DATE_EPOCH

for n in 1 2 8; do
  mkdir -p "$TMPROOT/j$n"
  LOBGEN_JOBS=$n "$BIN" build --source "$ROOT" --output "$TMPROOT/j$n/site" --quiet 2>"$TMPROOT/j$n.err"
  equal "the example builds with $n threads" "$?" 0
done
one=$(tree_sum "$TMPROOT/j1/site" 2>/dev/null)
[ -f "$TMPROOT/j1/site/index.html" ] || one="(no site)" # never equal to a sum
equal "2 threads give the same bytes as 1" "$(tree_sum "$TMPROOT/j2/site" 2>/dev/null)" "$one"
equal "8 threads give the same bytes as 1" "$(tree_sum "$TMPROOT/j8/site" 2>/dev/null)" "$one"

# ThreadSanitizer: the example with 4 threads, Markdown included
if [ -x "$TSAN" ]; then
  mkdir -p "$TMPROOT/tsan"
  TSAN_OPTIONS="halt_on_error=0 exitcode=66" LOBGEN_JOBS=4 "$TSAN" build --source "$ROOT" \
    --output "$TMPROOT/tsan/site" --quiet 2>"$TMPROOT/tsan.err"
  equal "the ThreadSanitizer build of the example exits 0" "$?" 0
  races=$(grep -c 'WARNING: ThreadSanitizer' "$TMPROOT/tsan.err")
  if [ "$races" = 0 ]; then pass "ThreadSanitizer reports no data race"
  else fail "ThreadSanitizer reports no data race" "$races reports: $(grep -A8 -m1 'WARNING: ThreadSanitizer' "$TMPROOT/tsan.err")"; fi
  equal "the ThreadSanitizer build gives the same bytes" "$(tree_sum "$TMPROOT/tsan/site" 2>/dev/null)" "$one"
else
  fail "the ThreadSanitizer build is there" "$TSAN missing (make build/tsan/lobgen; make test builds it)"
fi

# the vendored cmark-gfm is upstream plus the documented patch, which
# still applies (reversed) to it
if (cd "$ROOT" && git apply -R --check --directory=vendor/cmark-gfm vendor/cmark-gfm/lobgen-thread-safety.patch) 2>"$TMPROOT/patch.err"
then pass "vendor/cmark-gfm holds lobgen-thread-safety.patch"
else fail "vendor/cmark-gfm holds lobgen-thread-safety.patch" "$(head -c 300 "$TMPROOT/patch.err")"; fi
if (cd "$ROOT" && git apply -R --check --directory=vendor/cmark-gfm vendor/cmark-gfm/lobgen-speed.patch) 2>"$TMPROOT/patch2.err"
then pass "vendor/cmark-gfm holds lobgen-speed.patch"
else fail "vendor/cmark-gfm holds lobgen-speed.patch" "$(head -c 300 "$TMPROOT/patch2.err")"; fi
