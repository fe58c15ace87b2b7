#!/bin/bash
# Issue 13, publishing whose cost follows the change: the site a build
# replaces is kept beside the output as a spare (.site.lobgen-spare), and
# the next build brings that folder up to date in place instead of making
# a new one. What must hold whatever happens around it: the published site
# is only ever replaced whole (a kill at any step leaves it as it was), and
# every site a build publishes equals a full build, also after the site or
# the spare were edited by hand; a spare lobgen did not make is never
# touched; nothing outside the output and its siblings is written.
source "$(dirname "$0")/lib.sh"
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
P=$(project basic)
for i in $(seq 1 40); do
  printf -- '---\ntitle: "Extra %d"\nleerjaar: 2\nweek: %d\n---\n\n## Deel\n\nTekst %d.\n' "$i" $((i % 52 + 1)) "$i" \
    >"$P/content/gesprekken/extra-$i.nl.md"
done
S=$P/.site.lobgen-spare
G=$P/content/gesprekken/extra-7.nl.md

build() { "${BIN:-$LOBGEN}" build --source "$P" --output "$P/site" --quiet 2>"$TMPROOT/err"; }
# the site a full build makes of the project as it is now, in a folder of its own
full_sum() {
  rm -rf "$TMPROOT/ref" && mkdir "$TMPROOT/ref"
  "$REL" build --source "$P" --output "$TMPROOT/ref/site" --full --quiet 2>/dev/null
  tree_sum "$TMPROOT/ref/site"
}
# NAME: the published site is the full build's, file for file and byte for byte
same_as_full() { equal "$1" "$(tree_sum "$P/site")" "$(full_sum)"; }
# NAME: beside the output only the lock, the manifest and the spare
siblings_clean() {
  equal "$1" "$(ls -A "$P" | grep '^\.site\.lobgen-' | grep -cvE 'lobgen-(lock|manifest|spare|folders)$')" 0
}
edit() { printf '\nNog een zin %s.\n' "$1" >>"$G"; }

# --- the spare is kept, used, and shares the unchanged files with the site
build && build
exists "after a second build the previous site is kept as the spare" "$S/.lobgen-site"
spare_ino=$(stat -c %i "$S")
edit 1
build
equal "the next build is made in the spare's folder, not a new one" "$(stat -c %i "$P/site")" "$spare_ino"
same_as_full "a build made in the spare equals a full build"
equal "a file unchanged in the last build is one file on disk, shared by site and spare" \
  "$(stat -c %i "$P/site/nl/index.html")" "$(stat -c %i "$S/nl/index.html")"
page=nl/gesprekken/extra-7/index.html
check "a file changed in the last build is a file of its own in each" \
  test "$(stat -c %i "$P/site/$page")" != "$(stat -c %i "$S/$page")"
build
equal "the build after that shares it again" "$(stat -c %i "$P/site/$page")" "$(stat -c %i "$S/$page")"
same_as_full "a build with nothing changed after one edit (the spare's copy of the edited page replaced) equals a full build"
siblings_clean "no build folder is left beside the output"

# --- the published site edited by hand: the next builds (which take the
# edited tree as their spare in turn) give the full build's site every time
hand() { # NAME 'edit of the published site'
  (cd "$P/site" && eval "$2")
  local k
  for k in 1 2 3; do
    [ "$k" = 2 ] && edit "h$k"
    build
    same_as_full "$1: build $k after it equals a full build"
  done
}
hand "a published page edited in place" 'echo "<!-- hand -->" >>nl/index.html'
hand "a published page replaced by another file" 'rm nl/gesprekken/extra-3/index.html && echo other >nl/gesprekken/extra-3/index.html'
hand "a file added to the published site" 'echo hand >nl/gesprekken/extra-4/notes.html && mkdir -p nl/hand && echo x >nl/hand/x.html'
hand "a published page removed" 'rm nl/gesprekken/extra-5/index.html'
hand "a published folder removed" 'rm -r nl/gesprekken/extra-6'

# --- the spare edited by hand: lobgen's own folder, checked before use
spare_hand() { # NAME 'edit of the spare'
  build && build
  (cd "$S" && eval "$2")
  edit "s$1"
  build
  same_as_full "$1: the next build equals a full build"
}
spare_hand "a file added to the spare" 'echo hand >nl/gesprekken/extra-8/notes.html && mkdir -p nl/spare-only && echo x >nl/spare-only/x.html'
spare_hand "a page of the spare edited in place (shared with the site)" 'echo "<!-- hand -->" >>nl/gesprekken/extra-9/index.html'
spare_hand "a page of the spare replaced" 'rm nl/gesprekken/extra-10/index.html && echo other >nl/gesprekken/extra-10/index.html'
spare_hand "a page of the spare removed" 'rm nl/gesprekken/extra-11/index.html'
spare_hand "a file of the spare put where the site has a folder" 'rm -r nl/gesprekken/extra-12 && echo file >nl/gesprekken/extra-12'
# a folder of the spare replaced by a symbolic link to a folder outside,
# holding files under the site's names: the build must not write there
mkdir -p "$TMPROOT/outside"
cp -r "$P/site/nl/gesprekken/extra-13/." "$TMPROOT/outside/"
echo "mine" >"$TMPROOT/outside/index.html"
outside=$(tree_sum "$TMPROOT/outside")
spare_hand "a folder of the spare replaced by a symbolic link elsewhere" \
  "rm -r nl/gesprekken/extra-13 && ln -s '$TMPROOT/outside' nl/gesprekken/extra-13"
equal "... and the folder the link pointed to is untouched" "$(tree_sum "$TMPROOT/outside")" "$outside"
check "... and the link is gone from the spare's folder" test ! -L "$P/site/nl/gesprekken/extra-13"

# --- a spare folder lobgen did not make is never touched (not used, not
# replaced, not removed); builds go on without one
rm -rf "$S"
mkdir "$S" && echo "mine" >"$S/notes.txt" && mkdir "$S/nl" && echo "mine too" >"$S/nl/index.html"
mine=$(tree_sum "$S")
edit f1; build; rc1=$?
edit f2; build; rc2=$?
equal "with a folder of someone else's at the spare's name, builds succeed" "$rc1$rc2" 00
equal "... and that folder is left exactly as it was" "$(tree_sum "$S")" "$mine"
same_as_full "... and the site equals a full build"
siblings_clean "... and the previous site is removed rather than kept"
rm -rf "$S"

# --- a build that fails (an error found while rendering) leaves the site as
# it was; the claimed spare goes back and serves the next build
T=$P/content/thuisopdrachten/opdracht-een.nl.md
build && build
before=$(tree_sum "$P/site")
cp "$T" "$TMPROOT/T.bak"
sed -i 's/regels=4/regels=9999/' "$T"
build
equal "a build with an error exits 1" "$?" 1
equal "... and leaves the published site as it was" "$(tree_sum "$P/site")" "$before"
exists "... and the spare is there for the next build" "$S/.lobgen-site"
siblings_clean "... and no build folder is left"
cp "$TMPROOT/T.bak" "$T"
edit e1
build
same_as_full "the build after the failed one equals a full build"

# --- a disk that fills up while the spare is brought up to date
build && build
before=$(tree_sum "$P/site")
edit d1
( trap '' XFSZ; ulimit -f 0; exec "$LOBGEN" build --source "$P" --output "$P/site" --quiet ) 2>"$TMPROOT/err"
equal "a build that cannot write exits 1" "$?" 1
equal "... and leaves the published site as it was" "$(tree_sum "$P/site")" "$before"
build
same_as_full "the next build equals a full build"

# --- killed (SIGKILL) just before a given system call of the build: strace
# injects the signal, so each step of publishing is hit for certain. Before
# the exchange the published site is the previous one, after it the complete
# new one; either way the next build equals a full build. One thread
# (LOBGEN_JOBS=1) makes "the Nth call" one and the same step every run.
if ! command -v strace >/dev/null; then
  fail "strace is installed (scripts/ensure-deps test)" "not found"
else
  kill_at() { # NAME SYSCALL N old|new [EDIT]: EDIT (default: a line added) before the killed build
    edit "k$2$3-0"
    # the same binary as the killed build (the manifest names the binary that
    # wrote it), so that it has pages to link from the site: the ones changed here
    BIN=$REL build
    local before want rc
    before=$(tree_sum "$P/site")
    if [ -n "${5:-}" ]; then eval "$5"; else edit "k$2$3"; fi
    want=$before
    [ "$4" = new ] && want=$(full_sum)
    LOBGEN_JOBS=1 strace -f -qq -o /dev/null -e trace="$2" -e inject="$2":signal=KILL:when="$3" \
      "$REL" build --source "$P" --output "$P/site" --quiet 2>/dev/null
    rc=$?
    equal "killed at $1 ($2 #$3): the build was killed there" "$rc" 137
    equal "killed at $1: the published site is the $4 one, whole" "$(tree_sum "$P/site")" "$want"
    build
    same_as_full "killed at $1: the next build equals a full build"
    siblings_clean "killed at $1: the next build leaves no build folder beside the output"
  }
  kill_at "claiming the spare" rename 1 old
  kill_at "walking the spare" getdents64 3 old
  kill_at "writing a page into the spare" rename 4 old
  kill_at "linking a published page into the spare" link 1 old
  kill_at "pruning the spare (a material deleted)" unlinkat 1 old 'rm "$P/content/gesprekken/extra-40.nl.md"'
  kill_at "pruning the spare (a material deleted), later" unlinkat 3 old 'rm "$P/content/gesprekken/extra-39.nl.md"' 
  kill_at "writing the new site to disk" syncfs 1 old
  kill_at "the exchange" renameat2 1 old
  kill_at "keeping the previous site as the spare" renameat2 2 new
fi

# --- the folder record (.site.lobgen-folders): a folder of the spare whose
# stat is the one the build that last published that tree recorded is taken
# from the record, not listed. Counted with strace -y: the folders of the
# build's own folder read with getdents64, below the two levels that are
# always listed (nl/gesprekken/extra-7 and deeper). Every build here is the
# same binary (the record names it).
if command -v strace >/dev/null; then
  BIN=$REL
  # ARGS...: a build, traced; prints how many folders below the split its
  # walk listed: before its first write after the marker file (every write
  # waits for the walk; the folders the build changed are listed again
  # after its writes, for the record, and are not counted)
  listed_below() {
    strace -f -qq -y -e trace=getdents64,rename,link -o "$TMPROOT/gd" "$REL" build --source "$P" --output "$P/site" --quiet "$@" 2>/dev/null
    awk '/ (rename|link)\("[^"]*", "[^"]*\.site\.lobgen-new-[^"\/]*\/[^"]*"/ && !/\.lobgen-site"/ { exit } { print }' "$TMPROOT/gd" |
      sed -n 's/^[0-9]* *getdents64([0-9]*<[^>]*\/\.site\.lobgen-new-[^/>]*\/\([^>]*\)>.*/\1/p' |
      awk -F/ 'NF >= 3' | sort -u | wc -l
  }
  nfolders=$(find "$P/site" -mindepth 3 -type d | wc -l)
  build && build
  sleep 3 # older than the racy margin (2.1 s): trusted from now on
  build && build
  n=$(listed_below)
  equal "a build with nothing changed lists none of the $nfolders folders below the split" "$n" 0
  same_as_full "... and its site equals a full build"
  n=$(listed_below)
  equal "... nor does the next one, in the other tree" "$n" 0
  rm "$P/.site.lobgen-folders"
  n=$(listed_below)
  equal "without the record file every folder of the spare is listed" "$n" "$nfolders"
  build && sleep 3 && build && build
  echo hand >"$S/nl/gesprekken/extra-14/notes.html"
  n=$(listed_below)
  equal "a file added by hand to a folder of the spare that was trusted: that folder is listed" "$n" 1
  check "... and the file is pruned" test ! -e "$P/site/nl/gesprekken/extra-14/notes.html"
  same_as_full "... and the site equals a full build"
  printf 'lobgen-folders1\nsomething else' >"$P/.site.lobgen-folders"
  n=$(listed_below)
  equal "a foreign record file: every folder is listed" "$n" "$nfolders"
  same_as_full "... and the site equals a full build"
  build && sleep 3 && build && build
  head -c 100 "$P/.site.lobgen-folders" >"$TMPROOT/cut" && cp "$TMPROOT/cut" "$P/.site.lobgen-folders"
  n=$(listed_below)
  equal "a record file cut short: every folder is listed" "$n" "$nfolders"
  same_as_full "... and the site equals a full build"
  build && sleep 3 && build && build
  # a full build rewrites every folder of its tree: the other tree's
  # record is kept, and the next build (in that tree) trusts it
  "$REL" build --source "$P" --output "$P/site" --quiet --full
  n=$(listed_below)
  equal "after a full build the next build uses the other tree's record" "$n" 0
  same_as_full "... and its site equals a full build"
  # a failed build gives its spare back; its record still serves
  sleep 3 && build && build
  cp "$T" "$TMPROOT/T.bak"
  sed -i 's/regels=4/regels=9999/' "$T"
  build
  cp "$TMPROOT/T.bak" "$T"
  n=$(listed_below)
  check "after a failed build the next build takes most folders from the record ($n listed)" test "$n" -lt 5
  same_as_full "... and its site equals a full build"
  # a killed build's folder becomes the spare, with its root: the record serves
  build
  LOBGEN_JOBS=1 strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=KILL:when=4 \
    "$REL" build --source "$P" --output "$P/site" --quiet 2>/dev/null
  n=$(listed_below)
  check "after a killed build the next build takes most folders from the record ($n listed)" test "$n" -lt 5
  same_as_full "... and its site equals a full build"
  siblings_clean "... and no build folder is left"
  unset BIN
fi

# --- builds at the same time: one takes the spare, the others a fresh
# folder; all succeed and the site is a full build's
build && build
edit c1
pids=()
for i in 1 2 3; do
  "$LOBGEN" build --source "$P" --output "$P/site" --quiet 2>"$TMPROOT/c$i.err" & pids+=($!)
done
rcs=""
for pid in "${pids[@]}"; do wait "$pid"; rcs="$rcs$?"; done
equal "three builds at once all succeed" "$rcs" 000
same_as_full "... and the site equals a full build"
siblings_clean "... and only one spare is kept beside the output"
edit c2
build
same_as_full "... and so does the next build"
