#!/bin/bash
# A build stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP stops as a user
# expects of a real tool (stop.h, lobgen(1) SIGNALS): it exits 128 + the
# signal's number (the shell's convention) with exactly one line,
#   lobgen: stopped (SIGINT); nothing was published, the site is as it was
# publishes nothing (the site keeps its bytes and its very folder), leaves
# no folder of its own beside the output and writes nothing outside it (the
# project, caches included, is as it was), and the next build works and
# gives what a build never interrupted gives, incremental or --full.
# The signals are swept over the build's stages (loading, rendering,
# writing, just before the swap) as fractions of a whole build's time,
# measured here, on the 1,000 x 4 bench corpus (bench/make-corpus). A build
# killed with SIGKILL cannot clean up; the next build recovers from it.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600
P=$TMPROOT/corpus
"$ROOT/bench/make-corpus" 1000 4 "$P" >/dev/null
OUT=$TMPROOT/out
mkdir -p "$OUT"
SITE=$OUT/site

# run.py DELAY SIGNAL|none|ign-SIGNAL CMD...: start CMD with the three
# signals at their default action (a shell's background job would have
# SIGINT ignored), send SIGNAL after DELAY seconds unless it ended first;
# prints the exit status as Python gives it (negative: killed by that
# signal) and whether the signal was sent; CMD's stderr goes to $TMPROOT/err.
# ign-SIGNAL: start CMD with SIGNAL ignored (nohup) and send it.
cat >"$TMPROOT/run.py" <<'EOF'
import signal, subprocess, sys
delay, what, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
ign = what.startswith("ign-")
name = what[4:] if ign else what
def prepare():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    if ign:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
with open(sys.argv[0].rsplit("/", 1)[0] + "/err", "wb") as err:
    p = subprocess.Popen(cmd, preexec_fn=prepare, stderr=err, stdout=subprocess.DEVNULL)
    sent = "not-sent"
    try:
        p.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        if name != "none":
            p.send_signal(getattr(signal, name))
            sent = "sent"
        p.wait()
print(p.returncode, sent)
EOF
run() { "$PY" "$TMPROOT/run.py" "$@"; }
build() { "$LOBGEN" build --source "$P" --output "$SITE" --quiet "$@"; }
# what is beside the output: the site and lobgen's own files only (no
# build folder new-*, no old-*), one name a line
beside() { (cd "$OUT" && ls -A | grep -vxE 'site|\.site\.lobgen-(lock|spare|folders|manifest)' | tr '\n' ' '); }

# the reference: a build never interrupted, into a place of its own
mkdir -p "$TMPROOT/ref"
"$LOBGEN" build --source "$P" --output "$TMPROOT/ref/site" --quiet --full 2>/dev/null
REF=$(tree_sum "$TMPROOT/ref/site")
# the site the stopped builds must leave alone, with a spare beside it (the
# second build makes it); how long a whole build takes, full and
# incremental, decides the sweep
build --full 2>/dev/null
timed() { local t0; t0=$(date +%s.%N); build "$@" 2>/dev/null; echo "$(date +%s.%N) $t0" | awk '{print $1 - $2}'; }
T_full=$(timed --full)
build 2>/dev/null # the first after a full build links every file again
T_inc=$(timed)
equal "the site built three times is the reference site" "$(tree_sum "$SITE")" "$REF"

stopped=0
declare -A per_sig=()
# stop_at CASE FRACTION SIGNAL [--full]: a build stopped at FRACTION of T
stop_at() {
  local name=$1 frac=$2 sig=$3; shift 3
  local num delay before ino proj out rc sent
  num=$("$PY" -c "import signal; print(int(signal.$sig))")
  local T=$T_inc
  [ "${1:-}" = --full ] && T=$T_full
  delay=$(echo "$T $frac" | awk '{printf "%.3f", $1 * $2}')
  before=$(tree_sum "$SITE")
  ino=$(stat -c %i "$SITE")
  proj=$(tree_sum "$P")
  # a build that ended before the signal (the machine got faster) is tried
  # again with the signal sooner, twice at most
  local try
  for try in 1 2 3; do
    out=$(run "$delay" "$sig" "$LOBGEN" build --source "$P" --output "$SITE" --quiet "$@")
    rc=${out% *}
    sent=${out#* }
    [ "$sent" = sent ] && break
    ino=$(stat -c %i "$SITE") # published: the site is a new folder now
    delay=$(echo "$delay" | awk '{printf "%.3f", $1 * 0.8}')
  done
  local what="$name ($sig after $delay s, $*)"
  if [ "$sent" = sent ] && [ "$rc" != 0 ]; then
    stopped=$((stopped + 1))
    per_sig[$sig]=$(( ${per_sig[$sig]:-0} + 1 ))
    # killed by the signal itself (Python's -N), not an exit status: what a
    # shell needs to stop a script or loop on the same Ctrl-C
    equal "$what: ends by $sig itself (the shell sees $((128 + num)))" "$rc" "-$num"
    equal "$what: stderr is the one line" "$(cat "$TMPROOT/err")" \
      "lobgen: stopped ($sig); nothing was published, the site is as it was"
    equal "$what: the site is byte-identical to before" "$(tree_sum "$SITE")" "$before"
    equal "$what: the site is the very folder it was (nothing was swapped in)" "$(stat -c %i "$SITE")" "$ino"
  else
    # the build was done before the signal came (or the signal came after
    # the swap): it finished as usual
    equal "$what: finished before the signal: exits 0" "$rc" 0
    equal "$what: finished before the signal: says nothing (--quiet)" "$(cat "$TMPROOT/err")" ""
    equal "$what: finished before the signal: the site is the same bytes" "$(tree_sum "$SITE")" "$before"
    pass "$what: finished before the signal: the site was published"
  fi
  equal "$what: no build folder or other file is left beside the output" "$(beside)" ""
  equal "$what: nothing outside the output was changed (project and caches as they were)" "$(tree_sum "$P")" "$proj"
}

# next NAME [--full]: the build after a stopped one works and gives the
# reference bytes, with nothing left beside the output
next() {
  local name=$1; shift
  build "$@" 2>"$TMPROOT/nexterr"
  local rc=$?
  equal "$name: the next build ${*:-(incremental)} exits 0" "$rc" 0
  equal "$name: ... with nothing on stderr" "$(cat "$TMPROOT/nexterr")" ""
  equal "$name: ... and gives the bytes of a build never interrupted" "$(tree_sum "$SITE")" "$REF"
  equal "$name: ... and leaves nothing else beside the output" "$(beside)" ""
}

# the sweep: nine points through the build, the three signals in turn,
# alternately full and incremental builds stopped; the next build after
# each, incremental but for two --full
fracs=(0.03 0.15 0.3 0.45 0.6 0.72 0.84 0.92 0.97)
sigs=(SIGINT SIGTERM SIGHUP)
for k in "${!fracs[@]}"; do
  sig=${sigs[$((k % 3))]}
  mode=--full
  [ $((k % 2)) = 1 ] && mode=
  stop_at "stop $k" "${fracs[$k]}" "$sig" $mode
  if [ $((k % 4)) = 3 ]; then next "stop $k" --full; else next "stop $k"; fi
done
check "most of the signals landed while the build ran (at least 6 of 9)" test "$stopped" -ge 6
for sig in "${sigs[@]}"; do
  check "$sig stopped a build at least twice" test "${per_sig[$sig]:-0}" -ge 2
done

# two builds stopped in a row (the first one's spare given back, taken and
# given back again), then the next one
stop_at "stopped twice, first" 0.3 SIGINT --full
stop_at "stopped twice, second" 0.6 SIGTERM

# nohup: a signal ignored when lobgen started stays ignored, and this
# build is the next one after the two stopped ones
out=$(run "$(echo "$T_full" | awk '{printf "%.3f", $1 * 0.2}')" ign-SIGHUP "$LOBGEN" build --source "$P" --output "$SITE" --quiet --full)
equal "SIGHUP ignored from the start (nohup): the build goes on and exits 0" "$out" "0 sent"
equal "... and publishes the site of a build never interrupted" "$(tree_sum "$SITE")" "$REF"
equal "... and leaves nothing else beside the output" "$(beside)" ""

# A script or loop a coordinator runs lobgen in stops on the same Ctrl-C:
# the terminal sends SIGINT to the whole foreground group, and bash (like
# dash) goes on with the next command when a child exited, even with 130,
# and stops only when the child died of SIGINT (wait and cooperative exit,
# https://www.cons.org/cracauer/sigint.html). The group gets the signal
# once lobgen is at work, as a terminal would send it.
cat >"$TMPROOT/loop.py" <<'EOF'
import os, signal, subprocess, sys, time
delay, script = float(sys.argv[1]), sys.argv[2]
def prepare():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
    os.setpgid(0, 0)
p = subprocess.Popen(["bash", "-c", script], preexec_fn=prepare, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
time.sleep(delay)
os.killpg(p.pid, signal.SIGINT)
out = p.communicate()[0].decode()
print(p.returncode, " ".join(out.split()))
EOF
loop="for i in 1 2 3; do '$LOBGEN' build --source '$P' --output '$SITE' --quiet --full; echo after-\$i; done; echo end"
out=$("$PY" "$TMPROOT/loop.py" "$(echo "$T_full" | awk '{printf "%.3f", $1 * 0.4}')" "$loop")
equal "Ctrl-C in a shell loop running lobgen build ends the loop too (no next build, no 'end')" "$out" "-2 "
equal "... and leaves nothing beside the output" "$(beside)" ""

# SIGKILL: nothing can clean up (its build folder stays); the next build
# clears up after it and gives the same site, incremental and --full
run "$(echo "$T_full" | awk '{printf "%.3f", $1 * 0.5}')" SIGKILL "$LOBGEN" build --source "$P" --output "$SITE" --quiet --full >/dev/null
next "killed (SIGKILL half way through a build)"
next "killed, then built again" --full
