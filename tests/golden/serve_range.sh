#!/bin/bash
# lobgen serve answers byte ranges (RFC 9110, 14) for the files it serves
# as they are: Safari on a phone plays a recording (audio/ogg, audio/mpeg)
# only from a server that does, and --bind exists for that phone. A page
# (HTML, changed on the way by the reload script) is sent whole.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
export TMPDIR=$TMPROOT/tmp
mkdir -p "$TMPDIR"
as_typed "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/out" 2>"$TMPROOT/err" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null; rm -rf "$TMPROOT"' EXIT
URL=$(serve_url "$TMPROOT/out" "$pid")
[ -n "$URL" ] || { fail "serve starts" "$(tail -n 3 "$TMPROOT/err")"; exit 1; }
served=$(ls -d "$TMPDIR"/lobgen-serve-*/site | head -n 1)
css=$served/assets/style.css
size=$(stat -c %s "$css")
# rng RANGE: fetch style.css with that Range header
rng() { curl -s --max-time 5 -H "Range: $1" -D "$TMPROOT/head" -o "$TMPROOT/body" "$URL/assets/style.css"; }
status() { sed -n '1s|^HTTP/[0-9.]* \([0-9]*\).*|\1|p' "$TMPROOT/head"; }
hdr() { sed -n "s|^$1: \(.*\)\r$|\1|Ip" "$TMPROOT/head"; }

curl -s --max-time 5 -I -o /dev/null -D "$TMPROOT/head" "$URL/assets/style.css"
equal "a file says it takes byte ranges" "$(hdr Accept-Ranges)" bytes
rng "bytes=0-9"
equal "bytes=0-9 is 206" "$(status)" 206
equal "bytes=0-9: Content-Range" "$(hdr Content-Range)" "bytes 0-9/$size"
equal "bytes=0-9: the first ten bytes" "$(cat "$TMPROOT/body")" "$(head -c 10 "$css")"
equal "bytes=0-9: Content-Length 10" "$(hdr Content-Length)" 10
equal "a range keeps the type" "$(hdr Content-Type)" "text/css; charset=utf-8"
rng "bytes=10-"
equal "bytes=10- is 206" "$(status)" 206
equal "bytes=10-: the rest" "$(cmp -s "$TMPROOT/body" <(tail -c +11 "$css") && echo same)" same
equal "bytes=10-: Content-Range" "$(hdr Content-Range)" "bytes 10-$((size - 1))/$size"
rng "bytes=-5"
equal "bytes=-5 is 206" "$(status)" 206
equal "bytes=-5: the last five bytes" "$(cmp -s "$TMPROOT/body" <(tail -c 5 "$css") && echo same)" same
rng "bytes=5-999999999"
equal "a range past the end is cut at it" "$(hdr Content-Range)" "bytes 5-$((size - 1))/$size"
rng "bytes=$size-"
equal "a range that starts after the end is 416" "$(status)" 416
equal "416 gives the size" "$(hdr Content-Range)" "bytes */$size"
rng "bytes=0-1,5-6"
equal "several ranges: the whole file, 200" "$(status)" 200
equal "several ranges: all of it" "$(cmp -s "$TMPROOT/body" "$css" && echo same)" same
rng "lines=1-2"
equal "another unit: the whole file, 200" "$(status)" 200
rng "bytes=9-3"
equal "an invalid range: the whole file, 200" "$(status)" 200
curl -s --max-time 5 -H "Range: bytes=0-9" -D "$TMPROOT/head" -o "$TMPROOT/body" "$URL/nl/"
equal "a page is sent whole (200)" "$(status)" 200
grep -q "__lobgen/events" "$TMPROOT/body" && pass "the whole page, with its reload script" || fail "the whole page, with its reload script" "$(head -c 200 "$TMPROOT/body")"
