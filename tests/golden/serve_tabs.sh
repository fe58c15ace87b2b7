#!/bin/bash
# lobgen serve with many tabs and windows open, as a coordinator works:
# a browser opens at most 6 HTTP/1.1 connections to one server (MDN,
# EventSource: "per browser and ... set to a very low number (6)"), and
# every open page holds one for its reload stream. So a hidden tab gives
# its stream back and, shown again, reloads only when a build finished
# meanwhile (the page says which build it was served from); a stream whose
# reader went away frees its place within seconds, not at the next
# rebuild; and the terminal names the file with the error, not the file
# that was saved.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
M=thuisopdrachten/opdracht-een
export TMPDIR=$TMPROOT/tmp
mkdir -p "$TMPDIR"
as_typed "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/out" 2>"$TMPROOT/err" &
pid=$!
bg=()
stop() { kill -INT "$pid" 2>/dev/null; for b in "${bg[@]}"; do kill "$b" 2>/dev/null; done; }
trap 'stop; rm -rf "$TMPROOT"' EXIT
URL=$(serve_url "$TMPROOT/out" "$pid")
case "$URL" in
  http://127.0.0.1:[0-9]*) pass "serve prints its loopback URL" ;;
  *) fail "serve prints its loopback URL" "got [$URL]; stderr: $(tail -n 5 "$TMPROOT/err" | tr '\n' '|')"; exit 1 ;;
esac
get() { curl -s --max-time "${2:-5}" -o "$TMPROOT/body" -w '%{http_code}' "$URL$1"; }

# the page names the build it shows; a stream opened with an older one
# reloads at once, one opened with the current one waits
[ "$(get "/nl/$M/")" = 200 ] || fail "the page is served" "$(head -c 200 "$TMPROOT/body")"
gen=$(grep -o '/__lobgen/events?since=[0-9]*' "$TMPROOT/body" | head -n 1 | sed 's/.*=//')
[ -n "$gen" ] && pass "a served page's stream names the build it was served from" \
  || fail "a served page's stream names the build it was served from" "$(grep -o '<script>.*lobgen.*' "$TMPROOT/body" | head -c 300)"
grep -q 'visibilitychange' "$TMPROOT/body" && grep -qF '.close()' "$TMPROOT/body" \
  && pass "a hidden page closes its stream" || fail "a hidden page closes its stream" "no visibilitychange/close in the script"
curl -s -N --max-time 2 "$URL/__lobgen/events?since=${gen:-0}" >"$TMPROOT/cur"
lacks "a stream from the current build does not reload" "$TMPROOT/cur" "data: reload"
curl -s -N --max-time 2 "$URL/__lobgen/events?since=$(( ${gen:-0} + 1000 ))" >"$TMPROOT/old"
contains "a stream from another build reloads at once" "$TMPROOT/old" "data: reload"
curl -s -N --max-time 2 "$URL/__lobgen/events?since=x" >"$TMPROOT/bad"
lacks "a stream with a 'since' that is no number waits" "$TMPROOT/bad" "data: reload"

# 64 readers (the server's limit) go away without a word: within a few
# seconds a page is served again
for i in $(seq 1 64); do
  curl -s -N --max-time 60 "$URL/__lobgen/events" >/dev/null &
  bg+=($!)
done
sleep 2
for b in "${bg[@]}"; do kill "$b" 2>/dev/null; done
wait "${bg[@]}" 2>/dev/null
bg=()
t0=$(date +%s)
code=000
for _ in $(seq 1 12); do
  code=$(get "/nl/$M/" 1)
  [ "$code" = 200 ] && break
done
t=$(( $(date +%s) - t0 ))
[ "$code" = 200 ] && [ "$t" -le 8 ] && pass "64 readers gone: a page is served again within 8 s (${t} s)" \
  || fail "64 readers gone: a page is served again within 8 s" "status $code after ${t} s"

# an error in another file than the one saved: the terminal names the
# saved file as the change, not as the file with errors
: >"$TMPROOT/out"
mv "$P/content/$M.nl.md" "$P/content/thuisopdrachten/opdracht-twee.nl.md"
for _ in $(seq 1 50); do grep -aq "errors" "$TMPROOT/out" && break; sleep 0.1; done
line=$(grep -a "errors" "$TMPROOT/out" | tail -n 1)
grep -q "opdracht-twee.nl.md has errors" <<<"$line" && fail "serve does not say the renamed file has errors" "$line" \
  || pass "serve does not say the renamed file has errors"
grep -qE "after a change to content/thuisopdrachten/opdracht-(een|twee).nl.md" <<<"$line" \
  && pass "serve says which change gave errors" || fail "serve says which change gave errors" "[$line]"
grep -qE "^[^ ]+\.nl\.md:[0-9]+:[0-9]+: error: " "$TMPROOT/err" && pass "the terminal names the file with the error" \
  || fail "the terminal names the file with the error" "$(tail -n 3 "$TMPROOT/err" | tr '\n' '|')"

# in Chromium: 8 tabs load (more than its 6 connections to one server),
# the tab in front reloads after a save, a tab behind it when shown again
mv "$P/content/thuisopdrachten/opdracht-twee.nl.md" "$P/content/$M.nl.md"
for _ in $(seq 1 50); do grep -aq "^lobgen: rebuilt" <(tail -n 1 "$TMPROOT/out") && break; sleep 0.1; done
if command -v chromium >/dev/null; then
  out=$(timeout 240 "$PY" "$ROOT/tests/browser/serve_tabs.py" "$URL/nl/$M/" "$P/content/$M.nl.md" 8 2>&1)
  while IFS= read -r l; do
    case "$l" in "OK "*) pass "Chromium: ${l#OK }" ;; "NO "*) r=${l#NO }; fail "Chromium: ${r%%: *}" "${r#*: }" ;; esac
  done <<<"$out"
  grep -q "^OK it shows the saved text" <<<"$out" || fail "Chromium checks ran to the end" "$(tail -n 3 <<<"$out" | tr '\n' '|')"
else
  fail "Chromium drives the tabs" "chromium is not installed (scripts/ensure-deps test installs it)"
fi

# SIGTERM with readers connected: out within 3 s, its folder gone
for i in 1 2 3; do curl -s -N --max-time 30 "$URL/__lobgen/events" >/dev/null & bg+=($!); done
sleep 0.5
kill -TERM "$pid"
t0=$(date +%s%N)
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill -0 "$pid" 2>/dev/null && fail "SIGTERM with readers connected stops serve within 3 s" "still running" \
  || pass "SIGTERM with readers connected stops serve within 3 s (${ms} ms)"
wait "$pid"; rc=$?
equal "serve exits 0 after SIGTERM" "$rc" 0
equal "no preview folder is left" "$(ls -A "$TMPDIR")" ""
