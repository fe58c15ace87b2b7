#!/bin/bash
# The parse cache (generator/parsecache.h): a build takes the front matter
# of files whose bytes did not change from <cache>/parse/materials. The
# site and every message must be what a build without it gives: a file
# that gave a warning says it again; an edit, a damaged cache file or no
# cache at all change nothing in the output; lobgen check writes no cache.
source "$(dirname "$0")/lib.sh"
M=content/thuisopdrachten/opdracht-een
P=$(project basic)
C="$P/.lobgen-cache/parse/materials"
# a key only the original may set: a warning from the front matter's parse
sed -i '0,/^title:/s//week: 3\ntitle:/' "$P/$M.tr.md"
warnings() { grep -E 'warning' "$1" | sort; }

"$LOBGEN" build --source "$P" --output "$P/out" 2>"$TMPROOT/pc1.err"
equal "a first build succeeds" "$?" 0
exists "... and keeps the parses in .lobgen-cache/parse/materials" "$C"
contains "the translation's front matter gives its warning" "$TMPROOT/pc1.err" "is taken from the original"
"$LOBGEN" build --source "$P" --output "$P/out" 2>"$TMPROOT/pc2.err"
equal "the next build (from the cache) succeeds" "$?" 0
equal "... and gives the same warnings, in the same order" "$(warnings "$TMPROOT/pc2.err")" \
  "$(warnings "$TMPROOT/pc1.err")"

# the same site with the cache, without it, and with a damaged one
"$LOBGEN" build --full --source "$P" --output "$P/warm" --quiet 2>/dev/null
rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" build --full --source "$P" --output "$P/cold" --quiet 2>/dev/null
equal "a full build from the cache is byte-identical to one without it" "$(tree_sum "$P/warm")" \
  "$(tree_sum "$P/cold")"
printf 'lobgen-parse-1\nnot a cache' >"$C"
"$LOBGEN" build --full --source "$P" --output "$P/damaged" --quiet 2>"$TMPROOT/pc3.err"
equal "a damaged cache file is ignored: the build succeeds" "$?" 0
equal "... with the same warnings" "$(warnings "$TMPROOT/pc3.err")" "$(warnings "$TMPROOT/pc1.err")"
equal "... with the same site" "$(tree_sum "$P/damaged")" "$(tree_sum "$P/cold")"

# an edit after the cache was written: the file's new text, not the cached one
sed -i 's/^title: .*/title: "Een nieuwe titel"/' "$P/$M.nl.md"
"$LOBGEN" build --source "$P" --output "$P/out" --quiet 2>/dev/null
contains "an edited title reaches the page" "$P/out/nl/thuisopdrachten/opdracht-een/index.html" "Een nieuwe titel"
rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" build --full --source "$P" --output "$P/cold2" --quiet 2>/dev/null
"$LOBGEN" build --full --source "$P" --output "$P/warm2" --quiet 2>/dev/null
equal "... and the site is the one a build without the cache makes" "$(tree_sum "$P/warm2")" "$(tree_sum "$P/cold2")"

rm -rf "$P/.lobgen-cache/parse"
"$LOBGEN" check --source "$P" >/dev/null 2>&1
absent "lobgen check writes no parse cache" "$C"

# --- a file's stat stands in for its bytes (racy git, parsecache.h) ------------
# A build takes the parse of a file whose stat (device, inode, size,
# modification and change time) is the one recorded, without opening it,
# unless the file changed within 2 s of the build that recorded it.
if ! command -v strace >/dev/null; then
  fail "strace is installed (scripts/ensure-deps test)" "not found"
else
  Q=$(project basic)
  G=content/gesprekken/gesprek-een.nl.md
  # opened_md FILE: the content files (.md) a traced build opened, sorted
  opened_md() { grep -E 'open(at)?\(' "$1" | grep -oE '"[^"]*content/[^"]*\.md"' | sort -u | tr '\n' ' '; }
  # (LeakSanitizer cannot run under ptrace; the same binary as the other builds: its identity is in the keys)
  traced() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=open,openat -o "$TMPROOT/trace" "$LOBGEN" build --source "$Q" --output "$Q/out" \
    --quiet 2>"$TMPROOT/traced.err"; }
  sleep 2.5 # the copied files' change times lie beyond the margin before the next build
  "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null
  traced
  equal "a build with nothing changed succeeds" "$?" 0
  equal "... and opens no content file (their stats match the cache)" "$(opened_md "$TMPROOT/trace")" ""
  "$LOBGEN" build --full --source "$Q" --output "$Q/trusted" --quiet 2>/dev/null
  cp -a "$Q" "$TMPROOT/nocache" && rm -rf "$TMPROOT/nocache/.lobgen-cache" "$TMPROOT/nocache/out" "$TMPROOT/nocache/trusted"
  "$LOBGEN" build --full --source "$TMPROOT/nocache" --output "$TMPROOT/nocache-out" --quiet 2>/dev/null
  equal "a full build from parses taken by stat is byte-identical to one without a cache" \
    "$(tree_sum "$Q/trusted")" "$(tree_sum "$TMPROOT/nocache-out")"
  equal "... and so is the site of the build with nothing changed" "$(tree_sum "$Q/out")" "$(tree_sum "$Q/trusted")"

  # an edit that keeps the size, its modification time put back (touch -r):
  # only the change time, which no user can set, tells
  sizetime() { stat -c '%s %.9Y' "$1"; }
  touch -r "$Q/$G" "$TMPROOT/stamp"
  before="$(sizetime "$Q/$G") $(stat -c %i "$Q/$G")"
  # written in place (sed -i would make a new file: another inode)
  sed 's/^title: "Gesprek over kwaliteiten"/title: "Gesprek over ZZZwaliteit"/' "$Q/$G" >"$TMPROOT/g.md"
  cat "$TMPROOT/g.md" >"$Q/$G"
  touch -r "$TMPROOT/stamp" "$Q/$G"
  equal "(the edited file is the same file, with its old size and modification time)" \
    "$(sizetime "$Q/$G") $(stat -c %i "$Q/$G")" "$before"
  "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null
  contains "an edit with the size and modification time kept reaches the page" \
    "$Q/out/nl/gesprekken/gesprek-een/index.html" "Gesprek over ZZZwaliteit"
  # began_after_change FILE: the cache's build (its moment, the first i64
  # pair after the magic) began less than 2 s after FILE's change time
  began_after_change() {
    "$PY" - "$C2" "$1" <<'PYEOF'
import os, struct, sys
b = open(sys.argv[1], 'rb').read(31)
sec, ns = struct.unpack('=qq', b[15:31])
sys.exit(0 if sec * 10**9 + ns - os.stat(sys.argv[2]).st_ctime_ns < 2 * 10**9 else 1)
PYEOF
  }
  C2="$Q/.lobgen-cache/parse/materials"
  # on a busy machine a build may begin 2 s after the edit: edit again
  for try in 1 2 3; do
    began_after_change "$Q/$G" && break
    cat "$TMPROOT/g.md" >"$Q/$G"
    "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null
  done

  # just written, then built at once: its entry is racy (a write in the
  # same clock tick as the read would not show in its stat), so the next
  # build reads it again; once it is older than the margin before a build
  # that read it, it is taken by its stat again
  traced
  equal "a file edited just before the last build is read again by the next (racy)" \
    "$(opened_md "$TMPROOT/trace")" "\"$Q/$G\" "
  sleep 2.5
  "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null # reads it, 2 s after it changed
  traced
  equal "... then not any more" "$(opened_md "$TMPROOT/trace")" ""

  # replaced by another file with the same size and modification time (a
  # new inode: an editor's write and rename, a checkout)
  before=$(sizetime "$Q/$G")
  sed 's/^title: "Gesprek over ZZZwaliteit"/title: "Gesprek over YYYwaliteit"/' "$Q/$G" >"$Q/$G.new"
  touch -r "$Q/$G" "$Q/$G.new"
  mv "$Q/$G.new" "$Q/$G"
  equal "(the new file has the old one's size and modification time)" "$(sizetime "$Q/$G")" "$before"
  "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null
  contains "a file replaced by one of the same size and modification time reaches the page" \
    "$Q/out/nl/gesprekken/gesprek-een/index.html" "Gesprek over YYYwaliteit"
  "$LOBGEN" build --full --source "$Q" --output "$Q/trusted2" --quiet 2>/dev/null
  cp -a "$Q/content/." "$TMPROOT/nocache/content/"
  rm -rf "$TMPROOT/nocache/.lobgen-cache"
  "$LOBGEN" build --full --source "$TMPROOT/nocache" --output "$TMPROOT/nocache-out2" --quiet 2>/dev/null
  equal "after these edits the site is the one a build without a cache makes" \
    "$(tree_sum "$Q/out")" "$(tree_sum "$TMPROOT/nocache-out2")"

  # a file taken by its stat, then saved or deleted while the build runs:
  # that stat is what the end of the build checks (inputs.h), as a read's.
  # The moment: every build runs `git log` (lastmod.h) after the load, and
  # a `git` first in PATH stands in for the user (as in midbuild.sh).
  mkdir -p "$TMPROOT/bin"
  printf '#!/bin/sh\ncd "$FAULT_DIR" && eval "$FAULT"\nexit 128\n' >"$TMPROOT/bin/git"
  chmod +x "$TMPROOT/bin/git"
  A=content/ouderavonden/avond-een.nl.md
  traced
  equal "(the file is taken by its stat)" "$(opened_md "$TMPROOT/trace" | grep -o "$A")" ""
  site_before=$(tree_sum "$Q/out")
  FAULT_DIR=$Q FAULT="printf 'Meer.\n' >>$A" PATH="$TMPROOT/bin:$PATH" "$LOBGEN" build --source "$Q" --output "$Q/out" \
    --quiet 2>"$TMPROOT/fault.err"
  equal "a file taken by its stat and saved during the build: the build fails" "$?" 1
  contains "... naming it" "$TMPROOT/fault.err" "$Q/$A: error: this file changed during the build"
  equal "... and the site is left as it was" "$(tree_sum "$Q/out")" "$site_before"
  sleep 2.5
  "$LOBGEN" build --source "$Q" --output "$Q/out" --quiet 2>/dev/null
  traced
  equal "(the file is taken by its stat again)" "$(opened_md "$TMPROOT/trace" | grep -o "$A")" ""
  FAULT_DIR=$Q FAULT="rm $A" PATH="$TMPROOT/bin:$PATH" "$LOBGEN" build --source "$Q" --output "$Q/out" \
    --quiet 2>"$TMPROOT/fault.err"
  equal "a file taken by its stat and deleted during the build: the build fails" "$?" 1
  contains "... naming it" "$TMPROOT/fault.err" "$Q/$A: error: this file was deleted during the build"
fi
