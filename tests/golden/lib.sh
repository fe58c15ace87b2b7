# Shared helpers for the whole-site tests. Each check prints one PASS or
# FAIL line; tests/run counts them.
set -u
ROOT=${LOBGEN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOBGEN=${LOBGEN:-$ROOT/build/asan/lobgen}
SUITE=${SUITE:-$(basename "$0" .sh)}
TMPROOT=$(mktemp -d /tmp/lobgen-test.XXXXXX)
trap 'rm -rf "$TMPROOT"' EXIT

pass() { echo "PASS $SUITE: $1"; }
fail() { echo "FAIL $SUITE: $1: $2"; }
# check NAME COMMAND...: passes when the command succeeds
check() { local n=$1; shift; if "$@" >/dev/null 2>&1; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
# contains NAME FILE TEXT: the file contains the fixed text
contains() {
  if [ -f "$2" ] && grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "$2 does not contain [$3]"; fi
}
lacks() {
  if [ -f "$2" ] && ! grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "$2 contains [$3] (or is missing)"; fi
}
exists() { if [ -e "$2" ]; then pass "$1"; else fail "$1" "$2 does not exist"; fi; }
absent() { if [ ! -e "$2" ]; then pass "$1"; else fail "$1" "$2 exists"; fi; }
equal() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got [$2] want [$3]"; fi; }

# project FIXTURE: a fresh copy of tests/fixtures/FIXTURE with the repo's
# templates and locales (unless the fixture has its own); prints its path.
project() {
  local d
  d=$(mktemp -d "$TMPROOT/p.XXXXXX")
  cp -r "$ROOT/tests/fixtures/$1/." "$d/"
  [ -d "$d/templates" ] || cp -r "$ROOT/templates" "$d/templates"
  [ -d "$d/locales" ] || cp -r "$ROOT/locales" "$d/locales"
  echo "$d"
}

# tree_sum DIR: one checksum over every file's path and bytes
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64); }

# Debian's python3 has python3-icalendar; a python3 earlier in PATH may not
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# as_typed [IGNORED-SIGNAL] CMD...: CMD as a terminal starts it in the
# foreground, with SIGINT, SIGTERM and SIGHUP at their defaults (a script's
# background job has SIGINT ignored, and lobgen keeps an ignored signal
# ignored, stop.h), except IGNORED-SIGNAL when given (nohup). Run with &:
# exec makes the background subshell CMD itself, so $! is CMD's pid.
as_typed() {
  local ign=none
  case "$1" in SIG*) ign=$1; shift ;; esac
  exec "$PY" -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_DFL)
if sys.argv[1] != "none": signal.signal(getattr(signal, sys.argv[1]), signal.SIG_IGN)
os.execv(sys.argv[2], sys.argv[2:])' "$ign" "$@"
}

# serve_url OUT PID: the URL that lobgen serve (PID, its stdout in OUT)
# prints once it serves, "" when it ended or 30 s passed first
serve_url() {
  local url= _
  for _ in $(seq 1 300); do
    url=$(sed -n 's|^lobgen: serving \(http://[^ ]*\)/ .*|\1|p' "$1")
    [ -n "$url" ] && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  printf '%s' "$url"
}

# need_tools NAME TOOL...: each TOOL is on the PATH, else a failure named
# NAME that lists what is missing, and the script ends (without the tools
# nothing can be checked, which is a failure, not a skip)
need_tools() {
  local name=$1 tool missing=""
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  if [ -n "$missing" ]; then
    fail "$name" "missing:$missing (run: scripts/ensure-deps test)"
    exit 1
  fi
}

# build_example DIR: the example site built into DIR with the release
# binary ($REL), as one check; the script ends when it does not build
build_example() {
  "$REL" build --source "$ROOT" --output "$1" --quiet 2>"$TMPROOT/build.err"
  local rc=$?
  equal "example site builds" "$rc" 0
  if [ $rc -ne 0 ]; then cat "$TMPROOT/build.err"; exit 1; fi
}

# pychecks ARGS... <script: runs python on stdin; every line it prints is
# "OK name" or "NO name: why" and becomes one PASS or FAIL line
pychecks() {
  local out rc line
  out=$("$PY" - "$@" 2>&1); rc=$?
  while IFS= read -r line; do
    case "$line" in
      "OK "*) pass "${line#OK }" ;;
      "NO "*) local r=${line#NO }; fail "${r%%: *}" "${r#*: }" ;;
    esac
  done <<<"$out"
  if [ $rc -ne 0 ]; then fail "python checks ran to the end" "status $rc: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"; fi
}

# library_1000x4 DIR: a library of 1,000 materials in nl, en, tr, ar
# (250 a leerjaar, each with a deadline), with the default templates and
# locales: home.sh and yearpages.sh build it to see homes and year pages
# at a size where choosing and paging matter.
library_1000x4() {
  local c=$1
  mkdir -p "$c"
  cp -r "$ROOT/templates" "$ROOT/locales" "$c/"
  "$PY" - "$c" <<'PY'
import os, sys
c = sys.argv[1]
langs = ["nl", "en", "tr", "ar"]
open(os.path.join(c, "lobgen.yaml"), "w").write(
    "title: Bench\nschool: Benchschool\nbase_url: https://bench.example.org\nlanguages: [%s]\n" % ", ".join(langs))
kinds = ["thuisopdrachten", "gesprekken", "ouderavonden"]
for k in kinds:
    os.makedirs(os.path.join(c, "content", k))
for i in range(1000):
    k = kinds[i % 3]
    for l in langs:
        f = os.path.join(c, "content", k, "materiaal-%d.%s.md" % (i, l))
        if l == "nl":
            s = ('---\ntitle: "Materiaal %d"\nsummary: "Samenvatting %d."\nleerjaar: %d\nweek: %d\ndeadline: 2027-0%d-1%d\n'
                 '---\n\nTekst.\n' % (i, i, i % 4 + 1, i % 52 + 1, i % 9 + 1, i % 9))
        else:
            s = '---\ntitle: "Material %d (%s)"\ntranslation:\n  reviewed: false\n---\n\nText.\n' % (i, l)
        open(f, "w").write(s)
PY
}
