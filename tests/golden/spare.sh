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
