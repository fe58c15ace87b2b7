#!/bin/bash
# A year's pack of a large library comes in parts a browser can print (100
# handouts each), linked from the year's page and from each other; the
# handouts number on across the parts. The build streams material by
# material: the output does not depend on the number of threads, and an
# error in one material still publishes nothing.
source "$(dirname "$0")/lib.sh"
P=$(mktemp -d "$TMPROOT/p.XXXXXX")
cp -r "$ROOT/templates" "$ROOT/locales" "$P/"
printf 'title: "Packs"\nschool: "School"\nbase_url: "https://packs.example.org"\nlanguages: [nl, ar]\n' > "$P/lobgen.yaml"
mkdir -p "$P/content/thuisopdrachten"
# leerjaar 2: 201 materials (parts of 100, 100 and 1); leerjaar 3: exactly 100 (one part)
mat() { # slug leerjaar week
  printf -- '---\ntitle: "Opdracht %s"\nsummary: "Samen %s."\nleerjaar: %d\nweek: %d\n---\n\n## Voor ouders\n\nPraat samen over %s.\n' \
    "$1" "$1" "$2" "$3" "$1" > "$P/content/thuisopdrachten/$1.nl.md"
}
for i in $(seq -w 1 201); do mat "twee-$i" 2 $(( (10#$i - 1) / 4 + 1 )); done
for i in $(seq -w 1 100); do mat "drie-$i" 3 $(( (10#$i - 1) / 2 + 1 )); done
LOBGEN_JOBS=2 "$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/err"
rc=$?
equal "build exits 0" "$rc" 0
[ $rc -eq 0 ] || cat "$TMPROOT/err"
S=$P/site
Y=$S/nl/leerjaar-2
exists "part 1 of leerjaar 2" "$Y/handouts.html"
exists "part 2 of leerjaar 2" "$Y/handouts-2.html"
exists "part 3 of leerjaar 2" "$Y/handouts-3.html"
absent "no part 4" "$Y/handouts-4.html"
equal "part 1 holds 100 handouts" "$(grep -c '<article class="handout' "$Y/handouts.html")" 100
equal "part 2 holds 100 handouts" "$(grep -c '<article class="handout' "$Y/handouts-2.html")" 100
equal "part 3 holds the last one" "$(grep -c '<article class="handout' "$Y/handouts-3.html")" 1
equal "every material is in one part, once" \
  "$(cat "$Y"/handouts*.html | grep -o '<article class="handout[^>]*id="[^"]*"' | sort -u | wc -l)" 201
contains "part 2 numbers on from 101" "$Y/handouts-2.html" '<span class="pack-no">101</span>'
lacks "part 2 does not start again at 1" "$Y/handouts-2.html" '<span class="pack-no">1</span>'
contains "part 3's handout is number 201" "$Y/handouts-3.html" '<span class="pack-no">201</span>'
contains "part 2 says which part it is" "$Y/handouts-2.html" 'Deel 2 / 3'
contains "part 2 links back to part 1" "$Y/handouts-2.html" '<a href="handouts.html">Deel 1</a>'
contains "part 2 links on to part 3" "$Y/handouts-2.html" '<a href="handouts-3.html">Deel 3</a>'
contains "part 2 marks itself" "$Y/handouts-2.html" '<span aria-current="page">Deel 2</span>'
contains "the year's page links part 1" "$Y/index.html" 'href="handouts.html">Deel 1</a>'
contains "the year's page links part 3" "$Y/index.html" 'href="handouts-3.html">Deel 3</a>'
contains "Arabic parts in Arabic digits" "$S/ar/leerjaar-2/index.html" 'href="handouts-2.html">الجزء ٢</a>'
contains "a running head per handout of the part" "$Y/handouts-2.html" '@page handout-101'
lacks "no running head of another part" "$Y/handouts-2.html" '@page handout-100 '
# exactly 100: one pack as ever
exists "leerjaar 3's pack" "$S/nl/leerjaar-3/handouts.html"
absent "a year of 100 has no second part" "$S/nl/leerjaar-3/handouts-2.html"
contains "one part: the year's page has the one button" "$S/nl/leerjaar-3/index.html" \
  '<a class="button" href="handouts.html">Alle opdrachten van dit leerjaar afdrukken</a>'
lacks "one part: no part links" "$S/nl/leerjaar-3/handouts.html" 'pack-parts'
exists "an empty year still has its pack" "$S/nl/leerjaar-1/handouts.html"
# the same site on one thread
sum2=$(tree_sum "$S")
LOBGEN_JOBS=1 "$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/err1"
equal "one thread builds too" "$?" 0
equal "one thread and two write the same bytes" "$(tree_sum "$S")" "$sum2"
# an error in one material in the middle: nothing published
printf -- '---\ntitle: "Kapot"\nleerjaar: 2\nweek: 30\n---\n\n```antwoord regels=999\nWat?\n```\n' \
  > "$P/content/thuisopdrachten/twee-150.nl.md"
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/err2"
equal "a broken material fails the build" "$?" 1
contains "its error names the file" "$TMPROOT/err2" "twee-150.nl.md"
equal "the previous site is as it was" "$(tree_sum "$S")" "$sum2"
