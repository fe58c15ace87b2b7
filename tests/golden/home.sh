#!/bin/bash
# The home pages (generator/home.h): per leerjaar at most home.cards
# materials (default 6, 0 = all), those whose date or deadline comes first
# from the build's stamp day (SOURCE_DATE_EPOCH, else the content's last
# change; never the wall clock), soonest first, then the most recently
# passed, then the undated; under each year a link to the year's page with
# its number of materials in the reader's language and digits. The same
# bytes on one thread and two; a bad home.cards is an error that leaves the
# site as it was; a 1,000 x 4 library's homes stay small.
source "$(dirname "$0")/lib.sh"
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
p=$TMPROOT/p
mkdir -p "$p"
cp -r "$ROOT/templates" "$ROOT/locales" "$p/"
# Leerjaar 1 around the stamp day 2026-11-15 (SOURCE_DATE_EPOCH 12:00 UTC):
#   vandaag   date 2026-11-15 19:00  coming (the stamp day itself)
#   gauw      date 2026-11-20        coming
#   later     deadline 2026-12-01    coming
#   gisteren  deadline 2026-11-14    passed yesterday
#   vorige    date 2026-11-10        passed
#   lang      date 2026-09-01 18:00  passed long ago
#   zonder-a, zonder-b               no date, weeks 1 and 2
# leerjaar 2: two materials; 3: none; 4: one.
"$PY" - "$p" <<'PY'
import os, sys
p = sys.argv[1]
open(os.path.join(p, "lobgen.yaml"), "w").write(
    'title: "Thuis"\nschool: "School"\nbase_url: "https://home.example.org"\nlanguages: [nl, ar, ti]\n')
M = [("ouderavonden", "vandaag", 1, 30, 'date: "2026-11-15 19:00"'),
     ("gesprekken", "gauw", 1, 40, "date: 2026-11-20"),
     ("thuisopdrachten", "later", 1, 3, "deadline: 2026-12-01"),
     ("thuisopdrachten", "gisteren", 1, 5, "deadline: 2026-11-14"),
     ("gesprekken", "vorige", 1, 20, "date: 2026-11-10"),
     ("ouderavonden", "lang", 1, 10, 'date: "2026-09-01 18:00"'),
     ("thuisopdrachten", "zonder-b", 1, 2, ""),
     ("gesprekken", "zonder-a", 1, 1, ""),
     ("thuisopdrachten", "twee-a", 2, 1, "deadline: 2026-10-01"),
     ("gesprekken", "twee-b", 2, 2, "date: 2027-01-10"),
     ("thuisopdrachten", "vier", 4, 1, "")]
for kind, slug, year, week, when in M:
    d = os.path.join(p, "content", kind)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, slug + ".nl.md"), "w").write(
        '---\ntitle: "Materiaal %s"\nleerjaar: %d\nweek: %d\n%s---\n\nTekst.\n' % (slug, year, week, when + "\n" if when else ""))
PY
export SOURCE_DATE_EPOCH=1794744000 # 2026-11-15T12:00:00Z
build() { "$LOBGEN" build --source "$p" --output "$1" --quiet 2>"$TMPROOT/err"; }
build "$TMPROOT/s6"
equal "the project builds" "$?" 0
sed -i 's/^languages:.*/&\nhome:\n  cards: 3/' "$p/lobgen.yaml"
build "$TMPROOT/s3"
equal "the project builds with home.cards: 3" "$?" 0
sed -i 's/cards: 3/cards: 0/' "$p/lobgen.yaml"
build "$TMPROOT/s0"
equal "the project builds with home.cards: 0" "$?" 0
sed -i 's/cards: 0/cards: 6/' "$p/lobgen.yaml"
SOURCE_DATE_EPOCH=1794830400 build "$TMPROOT/next" # a day later
equal "the project builds a day later" "$?" 0
LOBGEN_JOBS=1 build "$TMPROOT/j1"
LOBGEN_JOBS=2 build "$TMPROOT/j2"
equal "the same site on one thread and on two" "$(tree_sum "$TMPROOT/j1")" "$(tree_sum "$TMPROOT/j2")"
# Without SOURCE_DATE_EPOCH the stamp is the last change: every file dated
# 2026-11-15 12:00 UTC gives the home of the epoch build, whatever day the
# test runs
( unset SOURCE_DATE_EPOCH
  find "$p" -exec touch -d "2026-11-15 12:00:00 UTC" {} +
  "$LOBGEN" build --source "$p" --output "$TMPROOT/mtime" --quiet 2>>"$TMPROOT/err" )
for l in nl ar ti; do
  check "without SOURCE_DATE_EPOCH the content's last change is the day ($l home as with the epoch)" \
    cmp "$TMPROOT/s6/$l/index.html" "$TMPROOT/mtime/$l/index.html"
done
# a bad value: the message, and the site stays as it was
cp -r "$TMPROOT/j1" "$TMPROOT/kept"
before=$(tree_sum "$TMPROOT/kept")
sed -i 's/cards: 6/cards: -2/' "$p/lobgen.yaml"
"$LOBGEN" build --source "$p" --output "$TMPROOT/kept" --quiet 2>"$TMPROOT/bad"
rc=$?
check "home.cards: -2 fails the build" test "$rc" -ne 0
contains "home.cards: -2 is reported at its line and column" "$TMPROOT/bad" "lobgen.yaml:6:10: error: home.cards must be a whole number from 0 to"
equal "the failed build left the site as it was" "$(tree_sum "$TMPROOT/kept")" "$before"
sed -i 's/cards: -2/cards: 6/' "$p/lobgen.yaml"

pychecks "$TMPROOT" <<'PY'
import os, re, sys
t = sys.argv[1]
def page(site, lang):
    f = os.path.join(t, site, lang, "index.html")
    return open(f, encoding="utf-8").read() if os.path.isfile(f) else ""
def years(html):
    """{n: ([slug of each card in order], more-link (href, text) or None)}"""
    out = {}
    for m in re.finditer(r'<section class="year" aria-labelledby="leerjaar-(\d)">(.*?)</section>', html, re.S):
        slugs = re.findall(r'<li class="card[^"]*">.*?<a href="[^"]*/([a-z0-9-]+)/index.html"', m.group(2), re.S)
        more = re.search(r'<p class="more"><a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', m.group(2))
        out[int(m.group(1))] = (slugs, more.groups() if more else None)
    return out
def say(ok, name, why=""):
    print(("OK %s" % name) if ok else ("NO %s: %s" % (name, why)))
FIRST6 = ["vandaag", "gauw", "later", "gisteren", "vorige", "lang"]
ALL = FIRST6 + ["zonder-a", "zonder-b"]
def years_all(html):
    y = years(html)
    for n in range(1, 5):
        y.setdefault(n, ([], None))
    return y
for lang in ("nl", "ar", "ti"):
    y = years(page("s6", lang))
    say(sorted(y) == [1, 2, 3, 4], "%s home: a section per leerjaar" % lang, sorted(y))
    y = years_all(page("s6", lang))
    say(y[1][0] == FIRST6, "%s home: 6 cards by default, coming soonest first, then the most recently passed" % lang, y[1][0])
    say(sorted(y[2][0]) == ["twee-a", "twee-b"] and y[3][0] == [] and y[4][0] == ["vier"],
        "%s home: a year with fewer materials shows them all" % lang, [y[n][0] for n in (2, 3, 4)])
    mores = [n for n in y if y[n][1]]
    say(mores == [1, 2, 4], "%s home: a link to the year's page under each year that has materials" % lang, mores)
    for n in mores:
        href = y[n][1][0]
        say(href == "leerjaar-%d/index.html" % n and os.path.isfile(os.path.join(t, "s6", lang, href)),
            "%s home: the link under leerjaar %d points at its page" % (lang, n), href)
    say(years_all(page("s3", lang))[1][0] == FIRST6[:3], "%s home: home.cards: 3 shows the three coming first" % lang,
        years_all(page("s3", lang))[1][0])
    say(years_all(page("s0", lang))[1][0] == ALL, "%s home: home.cards: 0 shows all, the undated last in the year's order" % lang,
        years_all(page("s0", lang))[1][0])
    nxt = years_all(page("next", lang))[1][0]
    say(nxt == ["gauw", "later", "vandaag", "gisteren", "vorige", "lang"],
        "%s home: a day later the evening of the 15th has passed and comes after the coming ones" % lang, nxt)
nl = years(page("s6", "nl"))
for n in range(1, 5):
    nl.setdefault(n, ([], None))
nl = {n: (v[0], v[1] or ("", "")) for n, v in nl.items()}
say(nl[1][1][1] == "Alle 8 materialen van leerjaar 1" and nl[2][1][1] == "Alle 2 materialen van leerjaar 2"
    and nl[4][1][1] == "Het enige materiaal van leerjaar 4", "nl home: the links say how many materials the year has",
    [nl[n][1][1] for n in (1, 2, 4)])
ar = years(page("s6", "ar"))
ar = {1: ar.get(1, ([], None))[0:1] + ((ar.get(1, ([], None))[1] or ("", "")),)}
say("\u0668" in ar[1][1][1] and "\u0661" in ar[1][1][1] and not re.search("[0-9]", ar[1][1][1]),
    "ar home: the link's numbers are in Arabic-Indic digits", ar[1][1][1])
say('dir="rtl"' in page("s6", "ar").split(">", 2)[1], "ar home: the page is right to left")
for lang in ("ar", "ti"):
    more = years(page("s6", lang)).get(1, ([], None))[1]
    say(more and more[1] != nl[1][1][1], "%s home: the link is in the page's language" % lang)
PY

# A library of 1,000 materials in 4 languages (bench/run's corpus, made
# here): every home shows 6 of each year's 250 and stays small.
c=$TMPROOT/corpus
library_1000x4 "$c"
"$REL" build --source "$c" --output "$TMPROOT/big" --quiet 2>"$TMPROOT/err"
equal "the 1,000 x 4 library builds" "$?" 0
pychecks "$TMPROOT/big" <<'PY'
import os, re, sys
root = sys.argv[1]
for lang in ("nl", "en", "tr", "ar"):
    f = os.path.join(root, lang, "index.html")
    s = open(f, encoding="utf-8").read()
    cards = [len(re.findall(r'<li class="card', sec)) for sec in re.findall(r'<section class="year".*?</section>', s, re.S)]
    more = re.findall(r'<p class="more"><a [^>]*href="([^"]+)"', s)
    print(("OK" if cards == [6, 6, 6, 6] else "NO") + " %s home of 1,000 materials: 6 cards a year: %s" % (lang, cards))
    ok = len(more) == 4 and all(os.path.isfile(os.path.join(root, lang, h)) for h in more)
    print(("OK" if ok else "NO") + " %s home of 1,000 materials: 4 links to the years' pages, each a file: %s" % (lang, more))
    # 490 KB with every material as a card; a phone's budget for a first page
    size = os.path.getsize(f)
    print(("OK" if size < 40000 else "NO") + " %s home of 1,000 materials is under 40 KB: %d bytes" % (lang, size))
PY
