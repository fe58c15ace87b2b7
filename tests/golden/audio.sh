#!/bin/bash
# Listening: synthetic speech (eSpeak NG, Opus in Ogg) made once per text
# version and cached; recordings beside a text replace it and go stale when
# the text changes; languages without a voice get no player and check names
# them. Durations are read back with opusinfo (opus-tools), not with lobgen.
source "$(dirname "$0")/lib.sh"
# two copies of the fixture differ in their files' modification times, which
# date the feed entries: the epoch (earlier than both) clamps them
export SOURCE_DATE_EPOCH=1767225600

P=$(project audio)
M=thuisopdrachten/lang
K=gesprekken/kort

# opus_seconds FILE: the playback length opusinfo reports, in seconds
opus_seconds() {
  opusinfo "$1" 2>/dev/null | sed -n 's/.*Playback length: *\([0-9]*\)m:\([0-9.]*\)s.*/\1 \2/p' |
    awk '{ printf "%.1f", $1 * 60 + $2 }'
}

touch "$TMPROOT/stamp"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a build with audio: speech succeeds" "$rc" 0
contains_text() { if printf '%s' "$2" | grep -qF -- "$3"; then pass "$1"; else fail "$1" "output lacks [$3]: $(printf '%s' "$2" | tail -n 3 | tr '\n' '|')"; fi; }
contains_text "the first build speaks every text with a voice (2 materials x nl, en)" "$out" "synthetic speech: 4 made, 0 from the cache"
for lang in nl en; do
  for m in $M $K; do
    f="$P/site/$lang/$m/voorlezen.opus"
    if opusinfo "$f" 2>/dev/null | grep -q "type opus"; then pass "$lang/$m has an Ogg Opus file that decodes"; else fail "$lang/$m has an Ogg Opus file that decodes" "opusinfo cannot read $f"; fi
    br=$(opusinfo "$f" 2>/dev/null | sed -n 's/.*Average bitrate: *\([0-9.]*\) kbit.*/\1/p' | head -1)
    if awk -v b="$br" 'BEGIN { exit !(b > 0 && b <= 24) }'; then pass "$lang/$m is at a speech bitrate (<= 24 kbit/s)"; else fail "$lang/$m is at a speech bitrate (<= 24 kbit/s)" "average bitrate [$br]"; fi
  done
  long=$(opus_seconds "$P/site/$lang/$M/voorlezen.opus"); short=$(opus_seconds "$P/site/$lang/$K/voorlezen.opus")
  if awk -v l="$long" -v s="$short" 'BEGIN { exit !(s > 0 && l > 3 * s) }'; then pass "$lang: the longer text gives the longer speech"; else fail "$lang: the longer text gives the longer speech" "long ${long}s, short ${short}s"; fi
done
absent "Tigrinya (no eSpeak NG voice) gets no speech file" "$P/site/ti/$M/voorlezen.opus"
lacks "the Tigrinya page has no player" "$P/site/ti/$M/index.html" "<audio"
page="$P/site/en/$M/index.html"
contains "the page has a native player that does not load or play by itself" "$page" '<audio controls preload="none" aria-labelledby="audio-label"><source src="voorlezen.opus" type="audio/ogg; codecs=opus">'
contains "the player is labelled in the reader's language" "$page" '<figcaption id="audio-label">Listen to this text'
contains "the page says the voice is a computer voice" "$page" "You hear a computer voice."
contains "the player links the transcript (the page itself)" "$page" '<a href="#inhoud">The text you hear is on this page.</a>'
lacks "nothing autoplays" "$page" "autoplay"
contains "the handout's QR box offers the audio" "$P/site/en/$M/handout.html" "On that page you can also listen to the text."
lacks "a page without audio offers none on its handout" "$P/site/ti/$M/handout.html" "listen"

# check names the languages without a voice, pointing to recordings
chk=$("$LOBGEN" check --source "$P" 2>&1)
contains_text "check names Tigrinya as without a synthetic voice" "$chk" "eSpeak NG has no voice for ti"
contains_text "check points to recordings for it" "$chk" "content/<kind>/<slug>.ti.opus"

# a second build with unchanged text does no speech work, and is byte-identical
sum1=$(tree_sum "$P/site")
out=$("$LOBGEN" build --source "$P" 2>&1)
contains_text "a rebuild with unchanged text synthesizes nothing" "$out" "synthetic speech: 0 made, 4 from the cache"
equal "the rebuilt site is byte-identical" "$(tree_sum "$P/site")" "$sum1"

# a cold build on another thread count makes the same bytes
Q=$(project audio)
LOBGEN_JOBS=1 "$LOBGEN" build --source "$Q" >/dev/null 2>&1
equal "a cold build on one thread makes the same bytes" "$(tree_sum "$Q/site")" "$sum1"

# the build writes only into site/, the cache folder and, beside the
# output, the lock file that builds into the same site take turns on, the
# manifest and the spare (the previous site, kept for the next build)
extra=$(cd "$P" && find . -mindepth 1 -path ./site -prune -o -path ./.lobgen-cache -prune -o -path ./.site.lobgen-lock -prune -o -path ./.site.lobgen-manifest -prune -o -path ./.site.lobgen-spare -prune -o -path ./.site.lobgen-folders -prune -o -newer "$TMPROOT/stamp" -print)
equal "nothing is written outside site/, .lobgen-cache/, .site.lobgen-lock, .site.lobgen-manifest, .site.lobgen-spare and .site.lobgen-folders" "$extra" ""
exists "the cache folder is .lobgen-cache/ by default" "$P/.lobgen-cache/speech"

# a changed text is spoken again; only that one
printf '\nEen zin erbij.\n' >>"$P/content/$K.nl.md"
out=$("$LOBGEN" build --source "$P" 2>&1)
contains_text "a changed text is spoken again, the rest comes from the cache" "$out" "synthetic speech: 1 made, 3 from the cache"

# a recording made by a person replaces the computer voice
# 150 s of a quiet tone, made with opusenc: the page says 3 minutes
"$PY" - "$TMPROOT/tone.wav" 150 <<'PYEOF'
import math, struct, sys, wave
n = int(sys.argv[2]) * 16000
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 220 * i / 16000))) for i in range(n)))
PYEOF
opusenc --quiet --serial 7 "$TMPROOT/tone.wav" "$P/content/$M.en.opus"
fp=$("$LOBGEN" fingerprint "$P/content/$M.en.md")
sed -i "s/^translation:/recording:\n  source: $fp\ntranslation:/" "$P/content/$M.en.md"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a build with a recording succeeds" "$rc" 0
page="$P/site/en/$M/index.html"
contains "the recording is on the page" "$page" '<source src="opname.opus" type="audio/ogg; codecs=opus">'
lacks "instead of the computer voice" "$page" "voorlezen.opus"
lacks "and without the computer-voice note" "$page" "computer voice"
contains "its duration is read from the file (150 s: 3 minutes)" "$page" "Listen to this text (3 minutes)"
equal "the recording is copied unchanged" "$(cmp "$P/content/$M.en.opus" "$P/site/en/$M/opname.opus" && echo same)" "same"
lacks "a current recording is not flagged" "$page" "The text has changed since this recording was made"
contains_text "no speech is made for a text with a recording" "$out" "synthetic speech: 0 made, 3 from the cache"
st=$("$LOBGEN" status --source "$P" 2>&1)
contains_text "status counts the current recording" "$st" "recordings 1, stale 0"

# the text changes: the recording goes stale, on the page and in status
sed -i 's/^Talk with your child/Talk calmly with your child/' "$P/content/$M.en.md"
"$LOBGEN" build --source "$P" >/dev/null 2>&1
contains "a recording of an older text is flagged on the page" "$page" "The text has changed since this recording was made"
st=$("$LOBGEN" status --source "$P" 2>&1)
contains_text "status flags the stale recording" "$st" "stale recording     content/$M.en.opus (the text changed after it was made"
js=$("$LOBGEN" status --source "$P" --json 2>&1)
# read as JSON, not as text: the writer's layout (json.c) is not the contract
rec=$(printf '%s' "$js" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for lang in d["languages"]:
    for m in lang["materials"]:
        if m["recording"] is not None:
            print(lang["code"], m["material"], json.dumps(m["recording"], sort_keys=True))
' 2>&1)
equal "status --json gives the recording's state, on that material only" "$rec" \
  "en $M {\"file\": \"content/$M.en.opus\", \"stale\": true}"

# a broken recording fails the build and leaves the site as it was
sum2=$(tree_sum "$P/site")
printf 'not audio' >"$P/content/$K.nl.opus"
err=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a broken recording fails the build" "$rc" 1
contains_text "the error names the file and the fix" "$err" "content/$K.nl.opus: error: this recording cannot be used: it is not an Ogg file"
equal "the failed build leaves site/ as it was" "$(tree_sum "$P/site")" "$sum2"
rm "$P/content/$K.nl.opus"

# a recording without recording.source counts as stale, and check says what to add
cp "$P/content/$M.en.opus" "$P/content/$K.nl.opus"
chk=$("$LOBGEN" check --source "$P" 2>&1)
contains_text "check asks for recording.source, giving the fingerprint" "$chk" "content/$K.nl.md: warning: content/$K.nl.md has a recording (content/$K.nl.opus) but no recording.source; when the recording matches this text, add recording: {source: $("$LOBGEN" fingerprint "$P/content/$K.nl.md")}"
"$LOBGEN" build --source "$P" >/dev/null 2>&1
contains "a recording without recording.source is flagged on the page" "$P/site/nl/$K/index.html" "De tekst is veranderd nadat deze opname is gemaakt"
rm "$P/content/$K.nl.opus"

# a recording without a text in its language is an error
cp "$P/content/$M.en.opus" "$P/content/$M.ti.opus"
err=$("$LOBGEN" build --source "$P" 2>&1)
contains_text "a recording without its text is named with the fix" "$err" "content/$M.ti.opus: error: this recording has no text in its language; add content/$M.ti.md"
rm "$P/content/$M.ti.opus"

# the cache never lies outside the project, not even through a link
R=$(project audio)
mkdir "$TMPROOT/outside"
ln -s "$TMPROOT/outside" "$R/.lobgen-cache"
err=$("$LOBGEN" build --source "$R" 2>&1); rc=$?
equal "a cache folder linked outside the project fails the build" "$rc" 1
contains_text "with a message saying so" "$err" "lies outside the project"
equal "and nothing is written there" "$(find "$TMPROOT/outside" -type f | wc -l)" "0"
absent "nor is a site published" "$R/site"

# configuration errors point at the value
S=$(project audio)
sed -i 's/^audio: speech/audio: loud/' "$S/lobgen.yaml"
err=$("$LOBGEN" build --source "$S" 2>&1)
contains_text "audio: with an unknown value is an error at its line" "$err" "lobgen.yaml:7:8: error: audio must be speech or off, not 'loud'"
printf 'title: T\nschool: S\nbase_url: https://x.org\nlanguages: [nl, en]\naudio:\n  speech: [nl, de]\n  cache: ../elders\n' >"$S/lobgen.yaml"
err=$("$LOBGEN" build --source "$S" 2>&1)
contains_text "a speech language must be configured" "$err" "lobgen.yaml:6:16: error: 'de' is not one of the languages in lobgen.yaml"
contains_text "the cache must stay inside the project" "$err" "lobgen.yaml:7:10: error: audio cache must be a folder inside the project"
