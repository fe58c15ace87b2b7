#!/bin/bash
# Bad input: each case gets a clear file:line:col message, exit status 1,
# and leaves the previously built site exactly as it was.
source "$(dirname "$0")/lib.sh"
BASE=$(project basic)
"$LOBGEN" build --source "$BASE" --quiet 2>/dev/null || echo "FAIL $SUITE: base build failed"
SUM=$(tree_sum "$BASE/site")

# bad NAME EXPECTED_MESSAGE: runs the mutation in stdin as a script inside
# a copy of the built project, then builds.
bad() {
  local name=$1 want=$2 d
  d=$(mktemp -d "$TMPROOT/c.XXXXXX")
  cp -a "$BASE/." "$d/"
  (cd "$d" && bash -s) 
  "$LOBGEN" build --source "$d" --quiet 2>"$d.err" >/dev/null
  local rc=$?
  if [ $rc -ne 1 ]; then fail "$name" "exit status $rc, want 1; stderr: $(head -c 400 "$d.err")"; return; fi
  if ! grep -qF -- "$want" "$d.err"; then fail "$name" "message lacks [$want]; stderr: $(head -c 600 "$d.err")"; return; fi
  if [ "$(tree_sum "$d/site")" != "$SUM" ]; then fail "$name" "the previous site/ changed"; return; fi
  # (.site.lobgen-lock stays by design: removing a lock file races with its next user;
  # .site.lobgen-spare is the previous site, kept for the next build to bring up to date;
  # .site.lobgen-manifest lists the published pages for the next incremental build)
  if ls -d "$d"/.site.lobgen-* 2>/dev/null | grep -qvE 'lobgen-(lock|manifest|spare|folders)$'; then fail "$name" "a temporary build folder was left behind"; return; fi
  pass "$name"
}

T=content/thuisopdrachten/opdracht-een.nl.md
G=content/gesprekken/gesprek-een.nl.md

bad "leerjaar 5" "$T:4:11: error: leerjaar" <<<"sed -i 's/^leerjaar: 1/leerjaar: 5/' $T"
bad "week 53" "$T:6:7: error: week" <<<"sed -i 's/^week: 3/week: 53/' $T"
bad "date that does not exist" "$G:7:7: error:" <<<"sed -i 's/^date: 2026-10-27/date: 2026-02-30/' $G"
bad "deadline not a date" "$T:7:11: error:" <<<"sed -i 's/^deadline: 2026-10-09/deadline: volgende week/' $T"
bad "missing title" "$G:1:1: error: the front matter has no title" <<<"sed -i '/^title:/d' $G"
bad "unknown key with did-you-mean" "did you mean 'summary'" <<<"sed -i 's/^summary:/sumary:/' $G"
bad "prepares names nothing" "$T:8:11: error: prepares names gesprekken/bestaat-niet, which does not exist" <<<"sed -i 's|^prepares: gesprekken/gesprek-een|prepares: gesprekken/bestaat-niet|' $T"
bad "follows with a bad kind" "$G:8:10: error:" <<<"sed -i 's|^follows: thuisopdrachten/opdracht-een|follows: huiswerk/opdracht-een|' $G"
bad "niveau not a level" "$T:5:10: error: niveau 'vwo'" <<<"sed -i 's/^leerjaar: 1/leerjaar: 1\nniveau: [vwo]/' $T; sed -i 's/^niveau: \[vwo\]/niveau: [vwo]/' $T"
bad "competentie typo" "did you mean 'kwaliteitenreflectie'" <<<"sed -i 's/kwaliteitenreflectie/kwaliteitenreflektie/' $T"
bad "draft not a boolean" "$G:2:8: error: draft" <<<"sed -i '2i draft: misschien' $G"
bad "front matter never closed" "$G:" <<<"sed -i '10d' $G"
bad "no front matter" "$G:1:1: error:" <<<"printf 'Alleen tekst.\n' > $G"
bad "invalid YAML" "$G:3:10: error: this list in [ ] is not closed" <<<"sed -i 's/^summary: .*/summary: [niet gesloten/' $G"
bad "invalid UTF-8" "$G:19:7: error: this file is not valid UTF-8" <<<"printf 'Fout: \xe9t\xe9\n' >> $G"
bad "NUL byte" "NUL" <<<"printf 'a\0b\n' >> $G"
bad "unknown encoding" "encoding" <<<"sed -i '2i encoding: klingon-1' $G"
bad "file name without language" "content/gesprekken/los.md" <<<"printf -- '---\ntitle: x\nleerjaar: 1\n---\n' > content/gesprekken/los.md"
bad "unknown kind folder" "content/huiswerk" <<<"mkdir content/huiswerk; printf -- '---\ntitle: x\nleerjaar: 1\n---\n' > content/huiswerk/x.nl.md"
bad "unconfigured language" "the language 'de' is not configured" <<<"printf -- '---\ntitle: x\nleerjaar: 1\n---\n' > content/gesprekken/gesprek-een.de.md"
bad "translation without original" "has no nl original" <<<"printf -- '---\ntitle: x\ntranslation:\n  reviewed: false\n---\n' > content/gesprekken/wees.tr.md"
bad "translation key in the source" "is not a translation" <<<"sed -i '2i translation:\n  reviewed: true' $G"
bad "symlink out of the project" "points outside the project" <<<"ln -s /etc/hostname content/gesprekken/link.nl.md"
bad "config: unknown key" "lobgen.yaml:1:1: error: unknown key 'titel'" <<<"sed -i 's/^title:/titel:/' lobgen.yaml"
bad "config: bad base_url" "lobgen.yaml:3:" <<<"sed -i 's|^base_url: .*|base_url: test.example.org|' lobgen.yaml"
bad "config: bad language tag" "lobgen.yaml:4:" <<<"sed -i 's/^languages: .*/languages: [nl, \"tr_TR\"]/' lobgen.yaml"
bad "template syntax error" "templates/material.mustache:" <<<"printf '{{#page}}\n' >> templates/material.mustache"
bad "block attribute out of range" "$T:" <<<"sed -i 's/regels=4/regels=9999/' $T"
bad "locale: bad direction" "locales/tr.yaml:" <<<"sed -i 's/^direction: ltr/direction: sideways/' locales/tr.yaml"
bad "glossary entry without text" "content/woordenlijst.nl.yaml:" <<<"printf -- '- term: stage\n' >> content/woordenlijst.nl.yaml"
bad "output folder that is the project" "lobgen.yaml:5:9: error: output must be a folder inside the project" <<<"sed -i '\$a output: .' lobgen.yaml; sed -i 's/^output: \.$/output: ./' lobgen.yaml"

# all errors of a build are reported, sorted by file and line
d=$(mktemp -d "$TMPROOT/multi.XXXXXX"); cp -a "$BASE/." "$d/"
sed -i 's/^week: 6/week: 99/' "$d/$G"
sed -i 's/^leerjaar: 1/leerjaar: 7/' "$d/$T"
sed -i 's/^week: 3/week: 0/' "$d/$T"
sed -i 's|^prepares: ouderavonden/avond-een|prepares: ouderavonden/geen-avond|' "$d/$G"
"$LOBGEN" build --source "$d" --quiet 2>"$d.err"
n=$(grep -c ': error: ' "$d.err")
equal "every error of a build is reported, content and links alike" "$n" 4
lacks "a material with errors still resolves as a link target" "$d.err" "gesprekken/gesprek-een, which does not exist"
first=$(grep -m1 ': error: ' "$d.err" | cut -d: -f1)
# files are named as the user can open them from where lobgen ran: under --source
equal "errors sorted by file" "$first" "$d/$G"
contains "a summary line says nothing was published" "$d.err" "nothing was published"

# exit status 2 for usage errors
"$LOBGEN" build --bogus >/dev/null 2>&1; equal "unknown option exits 2" "$?" 2
"$LOBGEN" frobnicate >/dev/null 2>&1; equal "unknown command exits 2" "$?" 2
"$LOBGEN" --help >/dev/null 2>&1; equal "--help exits 0" "$?" 0
"$LOBGEN" --version | grep -q '^lobgen '; equal "--version prints the version" "$?" 0

# a folder lobgen did not make is never replaced
d=$(mktemp -d "$TMPROOT/foreign.XXXXXX"); cp -a "$BASE/." "$d/"
mkdir -p "$d/mijn-documenten"; echo belangrijk > "$d/mijn-documenten/brief.txt"
"$LOBGEN" build --source "$d" --output "$d/mijn-documenten" --quiet 2>"$d.err"; rc=$?
equal "refuses to replace a foreign folder" "$rc" 1
contains "the foreign folder keeps its files" "$d/mijn-documenten/brief.txt" "belangrijk"

# lobgen check writes nothing
d=$(mktemp -d "$TMPROOT/check.XXXXXX"); cp -a "$BASE/." "$d/"; rm -rf "$d/site"
"$LOBGEN" check --source "$d" 2>/dev/null; equal "check exits 0 on good content" "$?" 0
absent "check writes no site" "$d/site"
sed -i 's/^week: 6/week: 99/' "$d/$G"
"$LOBGEN" check --source "$d" 2>/dev/null; equal "check exits 1 on bad content" "$?" 1

# a symlink in templates/ that points outside the project is refused
d=$(mktemp -d "$TMPROOT/tlink.XXXXXX"); cp -a "$BASE/." "$d/"
ln -s /etc "$d/templates/extern"
"$LOBGEN" build --source "$d" --quiet 2>"$d.err"; rc=$?
equal "template symlink outside: exit 1" "$rc" 1
contains "template symlink outside: message" "$d.err" "points outside the project"

# a build killed in the middle leaves the previous site whole
d=$(mktemp -d "$TMPROOT/kill.XXXXXX"); cp -a "$BASE/." "$d/"
for i in $(seq 1 150); do
  printf -- '---\ntitle: "Extra %d"\nleerjaar: 2\nweek: %d\n---\n\n## Deel\n\nTekst %d.\n' "$i" $((i % 52 + 1)) "$i" > "$d/content/gesprekken/extra-$i.nl.md"
done
old=$(tree_sum "$d/site")
killed=0
for delay in 0.05 0.1 0.2 0.3; do
  "$LOBGEN" build --source "$d" --quiet 2>/dev/null &
  pid=$!
  sleep $delay
  kill -9 $pid 2>/dev/null && killed=$((killed + 1))
  wait $pid 2>/dev/null
  now=$(tree_sum "$d/site")
  if [ "$now" != "$old" ]; then break; fi
done
if [ "$now" = "$old" ]; then pass "a killed build leaves the previous site as it was"
else
  # the build got as far as the swap: then the site must be the complete new one
  "$LOBGEN" build --source "$d" --output "$TMPROOT/kill-ref" --quiet 2>/dev/null
  equal "a killed build leaves either the old or the complete new site" "$now" "$(tree_sum "$TMPROOT/kill-ref")"
fi
check "a build was killed at least once" test "$killed" -ge 1
"$LOBGEN" build --source "$d" --quiet 2>/dev/null
equal "the next build cleans up after a killed one" "$(ls -d "$d"/.site.lobgen-* 2>/dev/null | grep -cvE 'lobgen-(lock|manifest|spare|folders)$')" 0

# an output folder whose parent does not exist: a plain message naming the
# folder to create, and nothing made (lobgen makes no folders above the output)
"$LOBGEN" build --source "$BASE" --output "$TMPROOT/nergens/site" --quiet 2>"$TMPROOT/nergens.err"
rc=$?
equal "an output under a missing folder exits 1" "$rc" 1
check "... and says which folder to create" grep -qF "the folder $TMPROOT/nergens, which would hold the output folder, does not exist" "$TMPROOT/nergens.err"
check "... and makes nothing" test ! -e "$TMPROOT/nergens"
