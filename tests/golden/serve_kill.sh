#!/bin/bash
# lobgen serve killed where it cannot clean up (SIGKILL, the OOM killer, a
# crash) leaves its preview folder, a whole site and its spare, in $TMPDIR.
# The next serve removes such folders (nobody holds their lock any more)
# and leaves a running serve's folder alone.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
export TMPDIR=$TMPROOT/tmp
mkdir -p "$TMPDIR"
pids=()
trap 'for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done; rm -rf "$TMPROOT"' EXIT
start() { # OUTFILE: starts serve, waits for its URL; sets $spid
  as_typed "$LOBGEN" serve --source "$P" --port 0 >"$1" 2>&1 &
  spid=$!
  pids+=("$spid")
  for _ in $(seq 1 300); do grep -q '^lobgen: serving' "$1" && return 0; kill -0 "$spid" 2>/dev/null || return 1; sleep 0.1; done
  return 1
}
start "$TMPROOT/a" || fail "the first serve starts" "$(cat "$TMPROOT/a")"
a=$(ls -d "$TMPDIR"/lobgen-serve-* 2>/dev/null)
[ -n "$a" ] && pass "serve makes its preview folder" || fail "serve makes its preview folder" "none in $TMPDIR"
kill -KILL "$spid"; wait "$spid" 2>/dev/null
exists "SIGKILL leaves the folder" "$a"
start "$TMPROOT/b" || fail "a second serve starts" "$(cat "$TMPROOT/b")"
b=$spid
absent "the next serve removed the folder of the killed one" "$a"
n=$(ls -d "$TMPDIR"/lobgen-serve-* 2>/dev/null | wc -l)
equal "one preview folder: its own" "$n" 1
own=$(ls -d "$TMPDIR"/lobgen-serve-* | head -n 1)
start "$TMPROOT/c" || fail "a third serve starts beside it" "$(cat "$TMPROOT/c")"
exists "a running serve's folder is left alone" "$own"
equal "two preview folders while two run" "$(ls -d "$TMPDIR"/lobgen-serve-* | wc -l)" 2
# a folder of that name that is not a preview folder is not touched
mkdir "$TMPDIR/lobgen-serve-eigen"; echo x >"$TMPDIR/lobgen-serve-eigen/notities.txt"
kill -INT "$spid"; wait "$spid" 2>/dev/null
start "$TMPROOT/d" || fail "a fourth serve starts" "$(cat "$TMPROOT/d")"
exists "a folder without serve's lock file is not removed" "$TMPDIR/lobgen-serve-eigen/notities.txt"
kill -INT "$spid" "$b"; wait "$spid" "$b" 2>/dev/null
equal "after Ctrl-C only the foreign folder is left" "$(ls "$TMPDIR")" "lobgen-serve-eigen"
