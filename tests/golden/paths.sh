#!/bin/bash
# Paths, one spelling: a file in a message is a path the user can open from
# the folder where they ran lobgen, whatever form --source took; an output
# folder may be written with a trailing slash; the project itself is never
# an output folder.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
T=content/thuisopdrachten/opdracht-een.nl.md
sed -i 's/^week: 3/week: 53/' "$P/$T"

msg() { # DIR SOURCE: the first error line of a build run from DIR with --source SOURCE
  (cd "$1" && "$LOBGEN" build --source "$2" --output "$TMPROOT/never" 2>&1 >/dev/null | grep -m1 ': error:')
}
name_of() { local m; m=$(msg "$1" "$2"); echo "${m%%:*}"; }
equal "--source DIR names files DIR/content/..." "$(name_of "$(dirname "$P")" "$(basename "$P")")" "$(basename "$P")/$T"
equal "--source DIR/ (trailing slash) names them the same way" "$(name_of "$(dirname "$P")" "$(basename "$P")/")" "$(basename "$P")/$T"
equal "--source . names them content/..." "$(name_of "$P" .)" "$T"
equal "--source ./ names them content/..." "$(name_of "$P" ./)" "$T"
equal "an absolute --source names them absolutely" "$(name_of / "$P")" "$P/$T"
sed -i 's/^week: 53/week: 3/' "$P/$T"

# a missing templates/ folder is named as the user can find it
Q=$(project basic); rm -rf "$Q/templates"
m=$(cd "$(dirname "$Q")" && "$LOBGEN" build --source "$(basename "$Q")" --output "$TMPROOT/never2" 2>&1 | grep -m1 'templates')
case "$m" in "$(basename "$Q")/templates: error:"*) pass "a missing templates/ is named under --source" ;;
  *) fail "a missing templates/ is named under --source" "got [$m]" ;; esac

# output folders
if "$LOBGEN" build --source "$P" --output "$TMPROOT/out/" --quiet 2>"$TMPROOT/err"; then
  pass "--output DIR/ with a trailing slash builds"
else
  fail "--output DIR/ with a trailing slash builds" "$(head -c 300 "$TMPROOT/err")"
fi
exists "the site is in DIR" "$TMPROOT/out/index.html"
for o in "$P" "$P/" "$P/content" "$P/content/" "$(dirname "$P")"; do
  if "$LOBGEN" build --source "$P" --output "$o" --quiet 2>"$TMPROOT/err"; then
    fail "--output $o is refused" "it built"
  else
    contains "--output ${o#$TMPROOT/} is refused" "$TMPROOT/err" "would replace the project"
  fi
done
exists "the project is still there after the refusals" "$P/$T"
