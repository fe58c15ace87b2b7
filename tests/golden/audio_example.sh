#!/bin/bash
# The example library with audio: speech: every material has an Opus file
# in each language eSpeak NG speaks (nl, en, tr, ar, pl, uk), none in
# Tigrinya or Somali, and check names those two. Speech for the example
# costs about a minute of CPU cold, so the cache is kept between runs in
# build/speech-cache (copied in and out: a project's cache must lie inside
# the project). Uses the release build: the time is in eSpeak NG and Opus.
source "$(dirname "$0")/lib.sh"
LOBGEN=${LOBGEN_REL:-$ROOT/build/lobgen}

P=$(mktemp -d "$TMPROOT/example.XXXXXX")
cp -r "$ROOT/content" "$ROOT/templates" "$ROOT/locales" "$ROOT/lobgen.yaml" "$P/"
printf '\naudio: speech\n' >>"$P/lobgen.yaml"
KEEP=$ROOT/build/speech-cache
if [ -d "$KEEP" ]; then mkdir -p "$P/.lobgen-cache" && cp -r "$KEEP" "$P/.lobgen-cache/speech"; fi

out=$("$LOBGEN" build --source "$P" --quiet 2>&1); rc=$?
equal "the example builds with audio: speech" "$rc" 0
[ $rc -eq 0 ] || printf '%s\n' "$out" | tail -n 5
if [ -d "$P/.lobgen-cache/speech" ]; then rm -rf "$KEEP" && mkdir -p "$ROOT/build" && cp -r "$P/.lobgen-cache/speech" "$KEEP"; fi

n_mat=$(find "$P/content" -name '*.nl.md' | wc -l)
for lang in nl en tr ar pl uk; do
  good=0 bad=""
  for f in "$P"/content/*/*.nl.md; do
    kind=$(basename "$(dirname "$f")"); slug=$(basename "$f" .nl.md)
    if opusinfo "$P/site/$lang/$kind/$slug/voorlezen.opus" 2>/dev/null | grep -q "type opus"; then good=$((good + 1)); else bad="$bad $kind/$slug"; fi
  done
  equal "$lang: every one of the $n_mat materials has an Opus file that decodes" "$good${bad:+ (missing:$bad)}" "$n_mat"
done
for lang in ti so; do
  equal "$lang: no synthetic speech (eSpeak NG has no voice)" "$(find "$P/site/$lang" -name '*.opus' | wc -l)" "0"
  equal "$lang: no page has a player" "$(grep -rl '<audio' "$P/site/$lang" | wc -l)" "0"
done
chk=$("$LOBGEN" check --source "$P" 2>&1)
for lang in ti so; do
  if printf '%s' "$chk" | grep -qF "eSpeak NG has no voice for $lang"; then pass "check names $lang as without a voice"; else fail "check names $lang as without a voice" "$(printf '%s' "$chk" | grep -i voice | head -n 2)"; fi
done
