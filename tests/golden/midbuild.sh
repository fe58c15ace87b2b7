#!/bin/bash
# Issue 11, publishing: an input deleted or changed while a build runs
# (after it was read, before the swap) fails the build with the file named
# and leaves the previous site. Fault injection without a test hook in
# lobgen: every build runs `git log` (lastmod.h) after it has read the
# project and before it renders; a `git` first in PATH that edits the
# project stands in for a user saving a file at that moment.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600
mkdir -p "$TMPROOT/bin"
cat >"$TMPROOT/bin/git" <<'EOF'
#!/bin/sh
# runs what the test put in FAULT, in the project folder, then is "no checkout"
cd "$FAULT_DIR" && eval "$FAULT"
exit 128
EOF
chmod +x "$TMPROOT/bin/git"

# fault NAME 'shell command' 'expected file in the message' 'expected words'
fault() {
  local P
  P=$(project basic)
  "$LOBGEN" build --source "$P" --output "$P/site" --quiet 2>/dev/null
  local before
  before=$(tree_sum "$P/site")
  FAULT_DIR=$P FAULT=$2 PATH="$TMPROOT/bin:$PATH" "$LOBGEN" build --source "$P" --output "$P/site" --quiet \
    2>"$TMPROOT/err"
  local rc=$?
  equal "$1: the build exits 1" "$rc" 1
  contains "$1: the message names the file and says to build again" "$TMPROOT/err" "$P/$3: error: $4"
  contains "$1: ... and that nothing was published" "$TMPROOT/err" "nothing was published; run the build again"
  equal "$1: the previous site is left as it was" "$(tree_sum "$P/site")" "$before"
}
fault "a content file deleted" 'rm content/thuisopdrachten/opdracht-een.tr.md' \
  content/thuisopdrachten/opdracht-een.tr.md "this file was deleted during the build"
fault "a content file deleted (its folder)" 'rm content/thuisopdrachten/opdracht-een.tr.md' \
  content/thuisopdrachten "this folder changed during the build"
fault "a content file saved" 'printf "\nMeer.\n" >>content/gesprekken/gesprek-een.nl.md' \
  content/gesprekken/gesprek-een.nl.md "this file changed during the build"
fault "a content file replaced by an editor (write and rename)" \
  'cp content/gesprekken/gesprek-een.nl.md x.tmp && mv x.tmp content/gesprekken/gesprek-een.nl.md' \
  content/gesprekken/gesprek-een.nl.md "this file changed during the build"
fault "a content file added" 'cp content/gesprekken/gesprek-een.nl.md content/gesprekken/gesprek-twee.nl.md' \
  content/gesprekken "this folder changed during the build"
fault "a template saved" 'printf "\n" >>templates/layout.mustache' templates/layout.mustache \
  "this file changed during the build"
fault "a partial deleted" 'rm templates/partials/card.mustache' templates/partials/card.mustache \
  "this file was deleted during the build"
fault "the stylesheet deleted" 'rm templates/assets/style.css' templates/assets \
  "this folder changed during the build"
fault "a locale saved" 'printf "\n" >>locales/tr.yaml' locales/tr.yaml "this file changed during the build"
fault "the glossary saved" 'printf "\n" >>content/woordenlijst.nl.yaml' content/woordenlijst.nl.yaml \
  "this file changed during the build"
fault "lobgen.yaml saved" 'printf "\n" >>lobgen.yaml' lobgen.yaml "this file changed during the build"

# a build where nothing changes is not disturbed by the check
P=$(project basic)
FAULT_DIR=$P FAULT=: PATH="$TMPROOT/bin:$PATH" "$LOBGEN" build --source "$P" --output "$P/site" --quiet 2>"$TMPROOT/err"
equal "a build whose inputs stay put succeeds" "$?" 0
equal "... and prints nothing" "$(cat "$TMPROOT/err")" ""
