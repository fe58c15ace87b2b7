#!/bin/bash
# Issue 11: whole kinds of faults. Output failures, publishing under
# concurrency and faults, escaping of block attributes, characters XML
# forbids, missing partials, deep graphs, dates.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
NL=$(cd "$P" && ls content/thuisopdrachten/*.nl.md | head -1)

# --- stdout that cannot be written is an error, for every command (as git does)
printf 'x: 1\n' >"$TMPROOT/d.yaml"; printf '{{x}}\n' >"$TMPROOT/t.mustache"
for cmd in "--version" "--help" "status --source $P" "status --json --source $P" \
           "fingerprint $P/$NL" "template $TMPROOT/t.mustache --data $TMPROOT/d.yaml"; do
  # shellcheck disable=SC2086
  "$LOBGEN" $cmd >/dev/full 2>"$TMPROOT/err"; rc=$?
  equal "'lobgen $cmd' >/dev/full exits 1" "$rc" 1
  contains "'lobgen $cmd' >/dev/full says why" "$TMPROOT/err" "cannot write the output"
done

# --- publishing under concurrency: four builds into one output at once all
# succeed, one after the other, and leave one whole site with its marker
"$LOBGEN" build --source "$P" --output "$TMPROOT/ref" --quiet 2>/dev/null
want=$(tree_sum "$TMPROOT/ref")
for round in 1 2; do
  pids=()
  for i in 1 2 3 4; do
    "$LOBGEN" build --source "$P" --output "$TMPROOT/conc" --quiet 2>"$TMPROOT/conc.$i.err" & pids+=($!)
  done
  rcs=""
  for pid in "${pids[@]}"; do wait "$pid"; rcs="$rcs$?"; done
  equal "round $round: four simultaneous builds into one output all exit 0" "$rcs" 0000
  equal "round $round: the published site is whole (same files and bytes as a lone build)" "$(tree_sum "$TMPROOT/conc")" "$want"
  exists "round $round: the site keeps its .lobgen-site marker" "$TMPROOT/conc/.lobgen-site"
done
left=$(cd "$TMPROOT" && ls -A | grep -c '^\.conc\.lobgen-\(new\|old\)')
equal "no build folder is left beside the output" "$left" 0
# the next build is not refused
"$LOBGEN" build --source "$P" --output "$TMPROOT/conc" --quiet 2>"$TMPROOT/err"
equal "a later build into the same output is accepted" "$?" 0

# --- a full disk (here: a file size limit) is one error with its cause and a count
rm -rf "$TMPROOT/full"
( trap '' XFSZ; ulimit -f 1; exec "$LOBGEN" build --source "$P" --output "$TMPROOT/full" --quiet ) 2>"$TMPROOT/full.err"
rc=$?
equal "a build that cannot write its files exits 1" "$rc" 1
equal "a full disk is reported once, not once per file" "$(grep -c 'cannot write' "$TMPROOT/full.err")" 1
contains "the report counts the other files" "$TMPROOT/full.err" "more files could not be written"
absent "nothing was published" "$TMPROOT/full/index.html"

# --- lobgen status --mark-current: mode kept, a symlink refused, a failed write leaves the file
TR="$P/content/thuisopdrachten/opdracht-een.tr.md"
chmod 0664 "$TR"
"$LOBGEN" status --source "$P" --mark-current "$TR" 2>"$TMPROOT/err"
equal "mark-current succeeds" "$?" 0
equal "mark-current keeps the file's mode (group-writable stays so)" "$(stat -c %a "$TR")" 664
Q=$(project basic)
QT="$Q/content/thuisopdrachten/opdracht-een.tr.md"
mv "$QT" "$TMPROOT/elders.tr.md"; ln -s "$TMPROOT/elders.tr.md" "$QT"
before=$(sha256sum <"$TMPROOT/elders.tr.md")
"$LOBGEN" status --source "$Q" --mark-current "$QT" 2>"$TMPROOT/err"
equal "mark-current on a symbolic link exits 1" "$?" 1
contains "and says it is a symbolic link" "$TMPROOT/err" "symbolic link"
check "the link is still a link" test -L "$QT"
equal "the file it points to is unchanged" "$(sha256sum <"$TMPROOT/elders.tr.md")" "$before"
rm "$QT"; cp "$TMPROOT/elders.tr.md" "$QT"
before=$(sha256sum <"$QT")
( trap '' XFSZ; ulimit -f 0; exec "$LOBGEN" status --source "$Q" --mark-current "$QT" ) 2>"$TMPROOT/err"
equal "mark-current that cannot write exits 1" "$?" 1
equal "the translation is unchanged after a failed write" "$(sha256sum <"$QT")" "$before"
equal "no temporary file is left beside it" "$(ls -A "$(dirname "$QT")" | grep -c lobgen)" 0

# --- block attributes live in their own namespace: an attribute named like
# data the block template prints raw is refused at file:line:col
for name in content items t lang attrs html rest time regels_list; do
  R=$(project basic)
  F="$R/content/thuisopdrachten/opdracht-een.nl.md"
  sed -i "s/^\`\`\`tip\$/\`\`\`tip $name=\"<img src=x onerror=alert(1)>\"/" "$F"
  ln=$(grep -n '^```tip' "$F" | cut -d: -f1)
  "$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
  equal "tip $name=\"<img onerror>\" is refused (exit 1)" "$rc" 1
  contains "tip $name=… is reported at file:line:col" "$TMPROOT/err" "opdracht-een.nl.md:$ln:8: error: block \"tip\""
  if grep -rqs 'onerror=alert' "$R/out"; then fail "tip $name=… never reaches a page raw" "found in $R/out"
  else pass "tip $name=… never reaches a page raw"; fi
done

# --- characters XML 1.0 forbids never reach a page, feed or calendar: a YAML
# escape that makes one is refused at its value, a raw one in a file at its place
xml_wellformed() { "$PY" -c 'import sys,xml.dom.minidom as m; m.parse(sys.argv[1])' "$1" 2>/dev/null; }
for esc in '\\x01' '\\0' '\\uFFFE' '\\e[2J'; do
  R=$(project basic)
  F="$R/content/thuisopdrachten/opdracht-een.nl.md"
  sed -i "s/^summary: \"Een opdracht/summary: \"Een ${esc} opdracht/" "$F"
  "$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
  equal "a summary with the YAML escape $esc is refused" "$rc" 1
  contains "at the value's line ($esc)" "$TMPROOT/err" "opdracht-een.nl.md:3:10: error: this value contains the character U+"
done
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.nl.md"
printf 'Tekst met \033[31mrood\033[0m erin.\n' >>"$F"
n=$(wc -l <"$F")
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
equal "a raw ESC character in a content file is refused" "$rc" 1
contains "at its line and column" "$TMPROOT/err" "opdracht-een.nl.md:$n:11: error: the file contains the invisible character U+001B"
# a build without them: the feed and calendar are well-formed XML
R=$(project basic)
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>/dev/null
ok=1; for f in "$R"/out/*/feed.xml; do xml_wellformed "$f" || ok=0; done
equal "every feed.xml is well-formed XML" "$ok" 1

# --- messages show control characters visibly, never raw to the terminal
R=$(project basic)
printf -- '---\ntitle: x\n---\n' >"$R/content/thuisopdrachten/$(printf 'x\033[2Jy').nl.md"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"
if grep -q "$(printf '\033')" "$TMPROOT/err"; then fail "no raw ESC reaches stderr" "$(cat -v "$TMPROOT/err" | head -3)"
else pass "no raw ESC reaches stderr"; fi
contains "the ESC is shown as \\x1B" "$TMPROOT/err" 'x\x1B[2Jy'

# --- a missing partial is an error naming the template that asked for it
R=$(project basic)
rm "$R/templates/partials/card.mustache"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
equal "a missing partials/card is an error (exit 1)" "$rc" 1
ln=$(grep -n "{{>partials/card}}" "$R/templates/home.mustache" | head -n 1 | cut -d: -f1)
contains "named at the tag in home.mustache" "$TMPROOT/err" "templates/home.mustache:$ln:"
contains "with the partial's name" "$TMPROOT/err" "includes 'partials/card'"
absent "nothing was published" "$R/out/index.html"

# --- every input folder follows one symlink rule: a link that leads outside
# the project is refused, never followed and published
R=$(project basic)
cp "$R/locales/tr.yaml" "$TMPROOT/elders-tr.yaml"; rm "$R/locales/tr.yaml"; ln -s "$TMPROOT/elders-tr.yaml" "$R/locales/tr.yaml"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
equal "a locale file linked from outside the project is refused" "$rc" 1
contains "and named" "$TMPROOT/err" "locales/tr.yaml: error: this locale file lies outside the project"
R=$(project basic)
mv "$R/locales" "$TMPROOT/elders-locales"; ln -s "$TMPROOT/elders-locales" "$R/locales"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
equal "a locales/ folder linked from outside the project is refused" "$rc" 1
R=$(project basic)
echo "geheim-$$" >"$TMPROOT/geheim.txt"; ln -s "$TMPROOT/geheim.txt" "$R/templates/assets/geheim.txt"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"; rc=$?
equal "an asset linked from outside the project is refused" "$rc" 1
absent "and not published" "$R/out/assets/geheim.txt"
R=$(project basic)
cp "$R/locales/tr.yaml" "$R/tr-echt.yaml"; rm "$R/locales/tr.yaml"; ln -s ../tr-echt.yaml "$R/locales/tr.yaml"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"
equal "a locale linked inside the project is still followed" "$?" 0

# --- graph walks are iterative: a prepares-chain of 3,000 links is checked
# on a 128 KB stack (the recursive walk needed a frame per link and crashed)
# mkchain DIR N: a project of N thuisopdrachten in one prepares-chain
mkchain() {
  local d=$1 n=$2
  mkdir -p "$d/content/thuisopdrachten"
  printf 'title: "Keten"\nschool: "School"\nbase_url: "https://x.example.org/"\nlanguages: [nl]\n' >"$d/lobgen.yaml"
  cp -r "$ROOT/templates" "$ROOT/locales" "$d/"
  "$PY" - "$d" "$n" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    nxt = f"prepares: thuisopdrachten/t{i+1}\n" if i + 1 < n else ""
    with open(f"{d}/content/thuisopdrachten/t{i}.nl.md", "w") as f:
        f.write(f"---\ntitle: \"T {i}\"\nsummary: \"S\"\nleerjaar: 1\ncompetenties: [kwaliteitenreflectie]\n{nxt}---\n\nTekst.\n")
PY
}
mkchain "$TMPROOT/chain" 3000
( ulimit -s 128; exec "${LOBGEN_REL:-$ROOT/build/lobgen}" check --source "$TMPROOT/chain" ) >/dev/null 2>"$TMPROOT/err"
equal "a 3,000-link prepares chain is checked on a small stack (exit 0)" "$?" 0

# --- a YAML map with 100,000 keys loads in linear time (a duplicate-key
# search per key was quadratic: minutes); the limit only guards a hang
"$PY" -c "
print('m:')
for i in range(100000): print(f'  k{i}: {i}')
" >"$TMPROOT/big.yaml"
echo '{{m.k99999}}' >"$TMPROOT/big.mustache"
out=$(timeout 60 "$LOBGEN" template "$TMPROOT/big.mustache" --data "$TMPROOT/big.yaml" 2>&1)
equal "a map of 100,000 keys loads (well within 60 s) and its last key is found" "$out" 99999
printf 'm:\n  a: 1\n  b: 2\n  a: 3\n' >"$TMPROOT/dup.yaml"
"$LOBGEN" template "$TMPROOT/big.mustache" --data "$TMPROOT/dup.yaml" >/dev/null 2>"$TMPROOT/err"
contains "a duplicate key is still found, at its line" "$TMPROOT/err" "dup.yaml:4:3: error: the key 'a' appears twice"

# --- an error on an aliased value points at the alias, not at the anchor
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.nl.md"
sed -i 's/^title: /title: \&t /; s/^week: 3/week: *t/' "$F"
ln=$(grep -n '^week:' "$F" | cut -d: -f1)
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"
contains "the error on week: *t is at the alias's line and column" "$TMPROOT/err" "opdracht-een.nl.md:$ln:7: error:"

# --- SOURCE_DATE_EPOCH that RFC 3339 cannot write, or not a number, is a usage error
for v in 253402300800 99999999999999999999 12abc -5 1e9; do
  SOURCE_DATE_EPOCH=$v "$LOBGEN" build --source "$P" --output "$TMPROOT/sde" --quiet 2>"$TMPROOT/err"; rc=$?
  equal "SOURCE_DATE_EPOCH=$v exits 2" "$rc" 2
  contains "SOURCE_DATE_EPOCH=$v says what is allowed" "$TMPROOT/err" "SOURCE_DATE_EPOCH must be a whole number of seconds"
done
SOURCE_DATE_EPOCH=253402300799 "$LOBGEN" build --source "$P" --output "$TMPROOT/sde" --quiet 2>"$TMPROOT/err"
equal "SOURCE_DATE_EPOCH=253402300799 (9999-12-31T23:59:59Z) is accepted" "$?" 0
contains "and written as RFC 3339" "$TMPROOT/sde/nl/feed.xml" "<updated>9999-12-31T23:59:59Z</updated>"

# --- rendering that grows without end (sections over lists, nested) stops
# with an error at a size cap instead of filling the disk
printf 'l: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n' >"$TMPROOT/bomb.yaml"
printf '{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}0123456789{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}\n' >"$TMPROOT/bomb.mustache"
timeout 120 "$LOBGEN" template "$TMPROOT/bomb.mustache" --data "$TMPROOT/bomb.yaml" >"$TMPROOT/bomb.out" 2>"$TMPROOT/err"; rc=$?
equal "a template whose output would be 10 GB exits 1" "$rc" 1
contains "with an error about the page's size" "$TMPROOT/err" "the rendered page grew beyond 64 MB"
equal "and writes nothing to stdout" "$(stat -c %s "$TMPROOT/bomb.out")" 0

# --- a fenced block whose word is close to a block name: did you mean
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.nl.md"
sed -i 's/^```antwoord regels=4/```antwoorden regels=4/' "$F"
printf '\n```python\nprint(1)\n```\n' >>"$F"
ln=$(grep -n '^```antwoorden' "$F" | cut -d: -f1)
for cmd in build check; do
  if [ $cmd = build ]; then "$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"
  else "$LOBGEN" check --source "$R" 2>"$TMPROOT/err"; fi
  contains "$cmd: 'antwoorden' gets did you mean 'antwoord'? at file:line" "$TMPROOT/err" "opdracht-een.nl.md:$ln:4: warning: 'antwoorden' is not a block, so this is shown as code; did you mean 'antwoord'?"
  lacks "$cmd: a word far from any block ('python') stays code without a warning" "$TMPROOT/err" "'python'"
done

# --- local times in Europe/Amsterdam that do not exist (spring) or happen
# twice (autumn): an error and a warning at the value (EU rule: last Sundays
# of March and October; 2027-03-28 and 2026-10-25 are those Sundays)
R=$(project basic)
F="$R/content/ouderavonden/avond-een.nl.md"
grep -q '^date:' "$F" || sed -i '0,/^leerjaar:/s//date: 2026-11-19 19:00\nleerjaar:/' "$F"
sed -i 's/^date: .*/date: "2027-03-28 02:30"/' "$F"
ln=$(grep -n '^date:' "$F" | cut -d: -f1)
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"; rc=$?
equal "a time skipped at the spring clock change is an error" "$rc" 1
contains "that says why, at the value" "$TMPROOT/err" "avond-een.nl.md:$ln:7: error: date 2027-03-28 02:30 does not exist in Dutch time"
sed -i 's/^date: .*/date: "2026-10-25 02:30"/' "$F"
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"; rc=$?
equal "a time that happens twice at the autumn change is not an error" "$rc" 0
contains "but a warning that says why" "$TMPROOT/err" "avond-een.nl.md:$ln:7: warning: date 2026-10-25 02:30 happens twice in Dutch time"
sed -i 's/^date: .*/date: "2026-10-18 02:30"/' "$F"
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"
lacks "02:30 on an ordinary Sunday is fine" "$TMPROOT/err" "Dutch time"

# --- the announcement never exceeds its 600 characters, however long the
# title; a summary it has to leave out is a warning at the summary
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.nl.md"
long=$(printf 'Heel lange titel %.0s' $(seq 1 45))
sed -i "s/^title: .*/title: \"$long\"/" "$F"
"$LOBGEN" build --source "$R" --output "$R/out" --quiet 2>"$TMPROOT/err"
equal "a build with a 765-character title succeeds" "$?" 0
max=0
for f in "$R"/out/*/thuisopdrachten/opdracht-een/aankondiging.txt; do
  # the byte-order mark is the file's signature, not text of the message
  n=$("$PY" -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8-sig").read().rstrip("\n")))' "$f")
  [ "$n" -gt "$max" ] && max=$n
done
check "every announcement is at most 600 characters (longest: $max)" test "$max" -le 600 -a "$max" -gt 0
contains "the dropped summary is a warning at the summary's line" "$TMPROOT/err" "opdracht-een.nl.md:3:10: warning: the announcement in nl would be"

# --- a language tag ICU does not know as a language is a warning with the closest known one
R=$(project basic)
sed -i 's/^languages: .*/languages: [nl, tr, ar, pl, nll]/' "$R/lobgen.yaml"
cp "$R/locales/pl.yaml" "$R/locales/nll.yaml" 2>/dev/null
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"
contains "'nll' gets a warning naming the closest known language" "$TMPROOT/err" "the language tag 'nll' names no language ICU knows"
contains "with did you mean" "$TMPROOT/err" "did you mean '"
lacks "known tags (nl, tr, ar, pl) get no such warning" "$TMPROOT/err" "the language tag 'tr'"

# --- a translation: keys only the original sets are a warning; a missing
# translation: block is named as such (not "the front matter has no leerjaar")
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.tr.md"
sed -i '0,/^title:/s//leerjaar: 3\ntitle:/' "$F"
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"
contains "leerjaar in a translation is a warning at its line" "$TMPROOT/err" "opdracht-een.tr.md:2:1: warning: leerjaar is taken from the original"
R=$(project basic)
F="$R/content/thuisopdrachten/opdracht-een.tr.md"
"$PY" - "$F" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p, encoding='utf-8').read()
s = re.sub(r'\ntranslation:\n(  .*\n)+', '\n', s, count=1)
s = re.sub(r'\ntranslation: .*\n', '\n', s, count=1)
open(p, 'w', encoding='utf-8').write(s)
PY
"$LOBGEN" check --source "$R" 2>"$TMPROOT/err"
contains "a translation without translation: gets an error about that block" "$TMPROOT/err" "opdracht-een.tr.md:1:1: error: this file is named as a translation (.tr.md) but has no translation: block"
lacks "not one about leerjaar" "$TMPROOT/err" "opdracht-een.tr.md:1:1: error: the front matter has no leerjaar"
