#!/bin/bash
# lobgen serve as a coordinator uses it: pages over HTTP with the right
# types, a rebuild and a reload event after saving a material or a
# template, an error page over the last good site, no way out of the site,
# and nothing left behind after Ctrl-C.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
M=thuisopdrachten/opdracht-een
SRC=$P/content/$M.nl.md
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
site_before=$(tree_sum "$P/site")
export TMPDIR=$TMPROOT/tmp
mkdir -p "$TMPDIR"

# --port 0: the kernel picks a free loopback port; the server prints it
as_typed "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/out" 2>"$TMPROOT/err" &
pid=$!
stop() { kill -INT "$pid" 2>/dev/null; }
trap 'stop; rm -rf "$TMPROOT"' EXIT
URL=$(serve_url "$TMPROOT/out" "$pid")
case "$URL" in
  http://127.0.0.1:[0-9]*) pass "serve prints its loopback URL" ;;
  *) fail "serve prints its loopback URL" "got [$URL]; stderr: $(tail -n 5 "$TMPROOT/err" | tr '\n' '|')"; exit 1 ;;
esac
contains "the URL is the language chooser's" "$TMPROOT/out" "$URL/ (the language chooser)"

get() { curl -s --path-as-is --max-time 5 -o "$TMPROOT/body" -D "$TMPROOT/head" "$URL$1"; }
status() { sed -n '1s|^HTTP/[0-9.]* \([0-9]*\).*|\1|p' "$TMPROOT/head"; }
ctype() { sed -n 's|^[Cc]ontent-[Tt]ype: \(.*\)\r$|\1|p' "$TMPROOT/head"; }

# every kind of file with its type and charset=utf-8
for pair in "/|text/html; charset=utf-8" "/nl/$M/|text/html; charset=utf-8" \
            "/assets/style.css|text/css; charset=utf-8" "/sitemap.xml|application/xml; charset=utf-8" \
            "/nl/$M/agenda.ics|text/calendar; charset=utf-8" "/nl/$M/aankondiging.txt|text/plain; charset=utf-8"; do
  path=${pair%%|*}; want=${pair#*|}
  get "$path"
  equal "GET $path is 200" "$(status)" 200
  equal "GET $path is $want" "$(ctype)" "$want"
done
get "/nl/$M"
equal "a folder without / redirects" "$(status)" 301
grep -qi "^location: /nl/$M/" "$TMPROOT/head" && pass "the redirect adds the slash" || fail "the redirect adds the slash" "$(cat "$TMPROOT/head")"
get "/nl/$M/"
contains "served pages carry the reload script" "$TMPROOT/body" "/__lobgen/events"
contains "served page shows the material" "$TMPROOT/body" "Praat samen met de"
lacks "the built site on disk has no reload script" "$P/site/nl/$M/index.html" "__lobgen"
served=$(ls -d "$TMPDIR"/lobgen-serve-*/site 2>/dev/null | head -n 1)
lacks "the served files themselves have no reload script" "$served/nl/$M/index.html" "__lobgen"
get /nl/bestaat-niet/
equal "a missing page is 404" "$(status)" 404
grep -qF "$(grep -o '<title>[^<]*</title>' "$served/404.html" | head -n 1)" "$TMPROOT/body" \
  && pass "a missing page shows 404.html" || fail "a missing page shows 404.html" "$(head -c 300 "$TMPROOT/body")"

# no path outside the served site: a secret beside it, and the system's files
echo "languages: geheim" >"$served/../geheim.txt"
up=$(printf '/..%.0s' $(seq 1 20))
for bad in "/../geheim.txt" "/nl/../../geheim.txt" "/%2e%2e/geheim.txt" "/nl/%2e%2e/%2e%2e/geheim.txt" \
           "/%2E%2E/geheim.txt" "/..%2fgeheim.txt" "/nl/..%5c..%5cgeheim.txt" "$up/etc/passwd" \
           "${up//../%2e%2e}/etc/passwd" "/.lobgen-site"; do
  get "$bad"
  equal "GET $bad is 404" "$(status)" 404
  lacks "GET $bad shows nothing outside the site" "$TMPROOT/body" "languages: geheim"
  lacks "GET $bad shows no system file" "$TMPROOT/body" "root:x:0"
done
rm -f "$served/../geheim.txt"
ln -s "$P" "$served/nl/uitweg"
get /nl/uitweg/lobgen.yaml
equal "a symlink out of the site is 404" "$(status)" 404
rm -f "$served/nl/uitweg"
curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST "$URL/" >"$TMPROOT/code"
equal "POST is refused" "$(cat "$TMPROOT/code")" 405

# the reload stream, read in the background for a bounded time
curl -s -N --max-time 30 "$URL/__lobgen/events" >"$TMPROOT/events" &
sse=$!
sleep 0.5
# wait_for PATH TEXT: the served page shows TEXT within 2 s
wait_for() {
  for _ in $(seq 1 20); do
    get "$1"; grep -qF -- "$2" "$TMPROOT/body" && return 0
    sleep 0.1
  done
  return 1
}
rebuilds() { grep -c '^lobgen: rebuilt' "$TMPROOT/out"; }

sed -i 's/Praat samen met de/Praat thuis samen met de/' "$SRC"
wait_for "/nl/$M/" "Praat thuis samen met de" && pass "a saved material is served within 2 s" \
  || fail "a saved material is served within 2 s" "$(tail -n 3 "$TMPROOT/err" | tr '\n' '|')"
for _ in $(seq 1 30); do grep -q "^data: reload" "$TMPROOT/events" && break; sleep 0.1; done
contains "the reload stream sent an event" "$TMPROOT/events" "data: reload"
contains "serve names the page it rebuilt" "$TMPROOT/out" "$URL/nl/$M/"
# incremental: one material's text changed, most pages are the last build's
line=$(grep '^lobgen: rebuilt' "$TMPROOT/out" | tail -n 1)
if [[ $line =~ \(.*s,\ ([0-9]+)\ of\ ([0-9]+)\ pages\ unchanged\) ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] \
  && [ "${BASH_REMATCH[1]}" -lt "${BASH_REMATCH[2]}" ]; then
  pass "a rebuild after one edit reuses the unchanged pages"
else
  fail "a rebuild after one edit reuses the unchanged pages" "[$line]"
fi

sed -i 's|</footer>|<p>Nieuwe voettekst uit de template</p></footer>|' "$P/templates/layout.mustache"
grep -q 'Nieuwe voettekst' "$P/templates/layout.mustache" || fail "the test edits the layout" "no </footer> in layout.mustache"
wait_for "/nl/$M/" "Nieuwe voettekst uit de template" && pass "a saved template is served within 2 s" \
  || fail "a saved template is served within 2 s" "$(tail -n 3 "$TMPROOT/err" | tr '\n' '|')"
for _ in $(seq 1 30); do ev=$(grep -c "^data: reload" "$TMPROOT/events"); [ "$ev" -ge 2 ] && break; sleep 0.1; done
[ "$ev" -ge 2 ] && pass "one reload event per rebuild" || fail "one reload event per rebuild" "$ev events"

# an editor saving in several steps gives one rebuild
sleep 0.5
n0=$(rebuilds)
for i in 1 2 3 4 5; do printf '\nRegel %s.\n' "$i" >>"$SRC"; sleep 0.03; done
for _ in $(seq 1 100); do [ "$(rebuilds)" -gt "$n0" ] && break; sleep 0.1; done
sleep 1 # time for a second rebuild, if the writes had given one
equal "five quick writes give one rebuild" "$(rebuilds)" $((n0 + 1))

# an error: the browser lists it as file:line:col; the last good page stays
cp "$SRC" "$TMPROOT/good.md"
sed -i 's/^leerjaar: 1$/leerjaar: zeven/' "$SRC"
wait_for "/nl/$M/" 'id="lobgen-errors"' && pass "an error shows in the browser" \
  || fail "an error shows in the browser" "$(head -c 300 "$TMPROOT/body")"
grep -qE "opdracht-een\.nl\.md:[0-9]+:[0-9]+: error: " "$TMPROOT/body" && pass "the error page gives file:line:col" \
  || fail "the error page gives file:line:col" "$(grep -o 'lobgen-errors.*' "$TMPROOT/body" | head -c 400)"
contains "the last good page stays served under the errors" "$TMPROOT/body" "Praat thuis samen met de"
contains "the error heading is in the page's language (nl)" "$TMPROOT/body" '<strong lang="nl" dir="ltr">De inhoud heeft fouten'
get "/tr/$M/"
contains "the error heading is in the page's language (tr)" "$TMPROOT/body" '<strong lang="tr" dir="ltr">İçerikte hatalar var'
get "/ar/$M/"
contains "an Arabic page's error heading is Arabic, right to left" "$TMPROOT/body" '<strong lang="ar" dir="rtl">في المحتوى أخطاء'
grep -qE "opdracht-een\.nl\.md:[0-9]+:[0-9]+: error: " "$TMPROOT/body" && pass "the Arabic page lists the same errors" \
  || fail "the Arabic page lists the same errors" "no file:line:col"
grep -qE "opdracht-een\.nl\.md:[0-9]+:[0-9]+: error: " "$TMPROOT/err" && pass "the terminal prints the same error" \
  || fail "the terminal prints the same error" "$(tail -n 3 "$TMPROOT/err")"
get /nl/leerjaar-1/
equal "other pages stay reachable during errors" "$(status)" 200
cp "$TMPROOT/good.md" "$SRC"
for _ in $(seq 1 20); do get "/nl/$M/"; grep -q 'lobgen-errors' "$TMPROOT/body" || break; sleep 0.1; done
lacks "after the fix the error box is gone" "$TMPROOT/body" 'lobgen-errors'
contains "after the fix the page is back" "$TMPROOT/body" "Praat thuis samen met de"

# a PO translation saved while serving: rebuilt, and named by its page
"$LOBGEN" translate export --source "$P" --lang tr --output "$TMPROOT/po" 2>/dev/null
"$LOBGEN" translate import --source "$P" "$TMPROOT/po/$M.tr.po" 2>/dev/null
sleep 1.5 # the import's own rebuild
n0=$(rebuilds)
printf '\n# checked with a parent\n' >>"$P/content/$M.tr.po"
for _ in $(seq 1 100); do [ "$(rebuilds)" -gt "$n0" ] && break; sleep 0.1; done
grep -qF "a change to content/$M.tr.po (" "$TMPROOT/out" && grep -F "a change to content/$M.tr.po (" "$TMPROOT/out" | grep -qF "): $URL/tr/$M/" \
  && pass "serve names the page of a saved PO translation" \
  || fail "serve names the page of a saved PO translation" "$(grep -F '.tr.po' "$TMPROOT/out" | tail -n 2 | tr '\n' '|')"

# a save while a rebuild runs: build.c refuses to publish what changed under
# it, and serve builds again at once instead of flashing "this file changed
# during the build" as an error in the browser. A rebuild begins when the
# inputs have been quiet for 150 ms (DEBOUNCE_MS in serve.c); the second
# save of each pair comes 150 ms + d after the first, d swept in 5 ms steps,
# so that one lands inside a running build however fast this machine
# builds (a rebuild of this project takes tens of ms; on a quiet machine a
# fixed rhythm can miss it every time).
sleep 0.5
grep -c '^lobgen: .* has errors' "$TMPROOT/out" >"$TMPROOT/errs0"
i=0
for d in $(seq 0 5 200); do
  i=$((i + 1))
  printf '\nZin tijdens de bouw %s.\n' "$i" >>"$SRC"
  sleep "$(printf '0.%03d' $((150 + d)))"
  i=$((i + 1))
  printf '\nZin tijdens de bouw %s.\n' "$i" >>"$SRC"
  for _ in $(seq 1 8); do
    grep -q 'saved again during the build' "$TMPROOT/out" && break 2
    sleep 0.1
  done
done
last=$i
for _ in $(seq 1 30); do get "/nl/$M/"; grep -qF "Zin tijdens de bouw $last." "$TMPROOT/body" && break; sleep 0.1; done
contains "a save during a rebuild is built again at once" "$TMPROOT/out" "saved again during the build; building again"
equal "a save during a rebuild shows no error" "$(grep -c '^lobgen: .* has errors' "$TMPROOT/out")" "$(cat "$TMPROOT/errs0")"
lacks "a save during a rebuild: the terminal shows no error" "$TMPROOT/err" "changed during the build"
contains "a save during a rebuild: the last save is served" "$TMPROOT/body" "Zin tijdens de bouw $last."
lacks "a save during a rebuild: no error box" "$TMPROOT/body" 'lobgen-errors'
cp "$TMPROOT/good.md" "$SRC"

# Ctrl-C: stops, removes its folder, never touched site/
kill "$sse" 2>/dev/null; wait "$sse" 2>/dev/null
kill -INT "$pid"
rc=
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { wait "$pid"; rc=$?; break; }; sleep 0.1; done
[ -n "$rc" ] || { kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
equal "SIGINT ends serve with status 0" "$rc" 0
equal "no temporary folder is left" "$(ls -A "$TMPDIR")" ""
equal "site/ is untouched" "$(tree_sum "$P/site")" "$site_before"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error' "$TMPROOT/err"; then
  fail "serve runs clean under the sanitizers" "$(grep -m3 -E 'ERROR|runtime error' "$TMPROOT/err")"
else
  pass "serve runs clean under the sanitizers"
fi

# SIGTERM (a service manager) and SIGHUP (a closed terminal) stop serve
# as Ctrl-C does: status 0 and no temporary folder left
for sig in TERM HUP; do
  as_typed "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/out2" 2>"$TMPROOT/err2" &
  pid2=$!
  for _ in $(seq 1 300); do grep -q '^lobgen: serving' "$TMPROOT/out2" && break; kill -0 "$pid2" 2>/dev/null || break; sleep 0.1; done
  kill -$sig "$pid2"
  rc=
  for _ in $(seq 1 100); do kill -0 "$pid2" 2>/dev/null || { wait "$pid2"; rc=$?; break; }; sleep 0.1; done
  [ -n "$rc" ] || { kill -KILL "$pid2" 2>/dev/null; wait "$pid2" 2>/dev/null; }
  equal "SIG$sig ends serve with status 0" "$rc" 0
  equal "SIG$sig: no temporary folder is left" "$(ls -A "$TMPDIR")" ""
done

# nohup lobgen serve &: a coordinator leaves the preview running and
# closes the terminal; SIGHUP was ignored when serve started and stays so
# (nohup(1)), as for build (stop.h); SIGINT still ends it
as_typed SIGHUP "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/out3" 2>"$TMPROOT/err3" &
pid3=$!
for _ in $(seq 1 300); do grep -q '^lobgen: serving' "$TMPROOT/out3" && break; kill -0 "$pid3" 2>/dev/null || break; sleep 0.1; done
kill -HUP "$pid3"
sleep 1
URL3=$(sed -n 's|^lobgen: serving \(http://[^ ]*\)/ .*|\1|p' "$TMPROOT/out3")
check "SIGHUP ignored from the start (nohup): serve goes on serving" \
  bash -c "kill -0 $pid3 && curl -sf --max-time 5 -o /dev/null '$URL3/'"
kill -INT "$pid3" 2>/dev/null
rc=
for _ in $(seq 1 100); do kill -0 "$pid3" 2>/dev/null || { wait "$pid3"; rc=$?; break; }; sleep 0.1; done
[ -n "$rc" ] || { kill -KILL "$pid3" 2>/dev/null; wait "$pid3" 2>/dev/null; }
equal "... and SIGINT then ends it with status 0" "$rc" 0
equal "... leaving no temporary folder" "$(ls -A "$TMPDIR")" ""

# --open: the desktop's xdg-open gets the chooser's URL, and once it has
# finished it is no zombie of serve while serve waits for changes
mkdir -p "$TMPROOT/bin"
printf '#!/bin/sh\nprintf "%%s" "$1" >"%s/opened"\n' "$TMPROOT" >"$TMPROOT/bin/xdg-open"
chmod +x "$TMPROOT/bin/xdg-open"
PATH="$TMPROOT/bin:$PATH" as_typed "$LOBGEN" serve --source "$P" --port 0 --open >"$TMPROOT/out4" 2>"$TMPROOT/err4" &
pid4=$!
URL4=$(serve_url "$TMPROOT/out4" "$pid4")
for _ in $(seq 1 50); do [ -s "$TMPROOT/opened" ] && break; sleep 0.1; done
equal "--open opens the language chooser's URL" "$(cat "$TMPROOT/opened" 2>/dev/null)" "$URL4/"
sleep 0.5
equal "... and leaves no zombie process behind" "$(ps --ppid "$pid4" -o stat= | grep -c Z)" 0
kill -INT "$pid4" 2>/dev/null
rc=
for _ in $(seq 1 100); do kill -0 "$pid4" 2>/dev/null || { wait "$pid4"; rc=$?; break; }; sleep 0.1; done
[ -n "$rc" ] || { kill -KILL "$pid4" 2>/dev/null; wait "$pid4" 2>/dev/null; }
equal "... and SIGINT ends it with status 0" "$rc" 0

check "a bad --bind is a usage error" bash -c "! '$LOBGEN' serve --source '$P' --bind nergens 2>/dev/null"
check "serve without a project says how to make one" bash -c "'$LOBGEN' serve --source '$TMPROOT' 2>&1 | grep -q 'lobgen init'"
