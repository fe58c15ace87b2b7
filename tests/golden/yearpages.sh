#!/bin/bash
# A leerjaar's page in pages of 100 materials (generator/yearpage.h): the
# first at the year's own address, then pagina-2.html, pagina-3.html, ...;
# each with "Pagina n van total" in the language's digits, its own <title>
# and canonical, hreflang alternates to the same page in every language,
# rel=prev/next, <ol start> continuing the numbering, a navigation landmark
# with the current page marked; the sitemap lists every page; an Arabic
# (right-to-left) year has the same pages; the same bytes on one thread and
# two. A year of 100 materials or fewer stays one page without a pager.
source "$(dirname "$0")/lib.sh"
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
p=$TMPROOT/p
mkdir -p "$p"
cp -r "$ROOT/templates" "$ROOT/locales" "$p/"
# leerjaar 1: 250 materials (pages of 100, 100, 50); 2: 100 (one page);
# 3: 101 (100 and 1); 4: none. Slugs m<year>-<nnn> in the year's order
# (week, then kind, then slug: one kind, weeks rising).
"$PY" - "$p" <<'PY'
import os, sys
p = sys.argv[1]
open(os.path.join(p, "lobgen.yaml"), "w").write(
    'title: "Jaren"\nschool: "School"\nbase_url: "https://jaar.example.org/lob"\nlanguages: [nl, ar, ti]\n')
d = os.path.join(p, "content", "thuisopdrachten")
os.makedirs(d)
for year, n in ((1, 250), (2, 100), (3, 101)):
    for i in range(n):
        open(os.path.join(d, "m%d-%03d.nl.md" % (year, i)), "w").write(
            '---\ntitle: "Opdracht %d-%d"\nleerjaar: %d\nweek: %d\n---\n\nTekst.\n' % (year, i, year, i // 5 + 1))
PY
export SOURCE_DATE_EPOCH=1794744000
LOBGEN_JOBS=1 "$LOBGEN" build --source "$p" --output "$TMPROOT/j1" --quiet 2>"$TMPROOT/err"
equal "the project builds" "$?" 0
LOBGEN_JOBS=2 "$LOBGEN" build --source "$p" --output "$TMPROOT/j2" --quiet 2>>"$TMPROOT/err"
equal "the same site on one thread and on two" "$(tree_sum "$TMPROOT/j1")" "$(tree_sum "$TMPROOT/j2")"

pychecks "$TMPROOT/j1" <<'PY'
import os, re, sys, urllib.parse
root = sys.argv[1]
BASE = "https://jaar.example.org/lob"
LANGS = ("nl", "ar", "ti")
def say(ok, name, why=""):
    print(("OK %s" % name) if ok else ("NO %s: %s" % (name, why)))
def read(rel):
    f = os.path.join(root, rel)
    return open(f, encoding="utf-8").read() if os.path.isfile(f) else ""
def steps(s):
    return re.findall(r'<li class="step[^"]*">.*?<a href="[^"]*/(m\d-\d+)/index.html"', s, re.S)
def files(lang, year):
    return sorted(f for f in os.listdir(os.path.join(root, lang, "leerjaar-%d" % year)) if f.endswith(".html")
                  and not f.startswith("handouts"))
LABEL = {"nl": "Pagina %s van %s", "ar": "صفحة %s من %s", "ti": "ገጽ %s ካብ %s"}
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
def num(lang, n):
    return str(n).translate(AR_DIGITS) if lang == "ar" else str(n)
sitemap = read("sitemap.xml")
locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
for lang in LANGS:
    # how many pages, and how many materials on each
    for year, want in ((1, [100, 100, 50]), (2, [100]), (3, [100, 1]), (4, [0])):
        names = ["index.html"] + ["pagina-%d.html" % k for k in range(2, len(want) + 1)]
        got = files(lang, year)
        say(got == sorted(names), "%s leerjaar %d: %d page(s)" % (lang, year, len(want)), got)
        counts = [len(steps(read("%s/leerjaar-%d/%s" % (lang, year, f)))) for f in names if f in got]
        say(counts == want, "%s leerjaar %d: %s materials on its pages" % (lang, year, want), counts)
    # leerjaar 1: all 250 in the year's order, each once
    names = ["index.html", "pagina-2.html", "pagina-3.html"]
    pages = [read("%s/leerjaar-1/%s" % (lang, f)) for f in names]
    seq = [s for pg in pages for s in steps(pg)]
    say(seq == ["m1-%03d" % i for i in range(250)], "%s leerjaar 1: the pages together list every material once, in order" % lang,
        seq[:3] + ["..."] + seq[-3:])
    titles = [(re.search(r"<title>([^<]*)</title>", pg) or re.search("(.*)", "")).group(1) for pg in pages]
    say(len(set(titles)) == 3, "%s leerjaar 1: each page has its own title" % lang, titles)
    for k, (f, pg) in enumerate(zip(names, pages)):
        n = k + 1
        where = "%s leerjaar 1 page %d" % (lang, n)
        label = LABEL[lang] % (num(lang, n), num(lang, 3))
        say(label in titles[k] and ('<p class="page-of">%s</p>' % label) in pg, where + ": says " + label, titles[k])
        m = re.search(r'<ol class="line" start="(\d+)">', pg)
        say(m and m.group(1) == str(100 * k + 1), where + ": <ol start=%d> (ASCII digits)" % (100 * k + 1),
            m.group(0) if m else "no <ol start>")
        url = "%s/%s/leerjaar-1/%s" % (BASE, lang, "" if k == 0 else f)
        say('<link rel="canonical" href="%s">' % url in pg, where + ": its own canonical " + url)
        alts = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', pg))
        want = {l: "%s/%s/leerjaar-1/%s" % (BASE, l, "" if k == 0 else f) for l in LANGS}
        want["x-default"] = BASE + "/"
        say(alts == want, where + ": hreflang alternates to the same page in every language", alts)
        prev = names[k - 1] if k > 0 else None
        nxt = names[k + 1] if k < 2 else None
        heads = (re.findall(r'<link rel="prev" href="([^"]+)">', pg), re.findall(r'<link rel="next" href="([^"]+)">', pg))
        links = (re.findall(r'<a href="([^"]+)" rel="prev">', pg), re.findall(r'<a href="([^"]+)" rel="next">', pg))
        say(heads == ([prev] if prev else [], [nxt] if nxt else []) and links == heads,
            where + ": rel=prev %s and rel=next %s, in the head and the navigation" % (prev, nxt), (heads, links))
        nav = re.search(r'<nav class="pager" aria-label="([^"]+)">(.*?)</nav>', pg, re.S)
        say(nav is not None and nav.group(1).strip() != "", where + ": the pages are a navigation landmark with a name")
        if nav:
            cur = re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', nav.group(2))
            say(cur == [f], where + ": the navigation marks this page as the current one", cur)
            for h in re.findall(r'href="([^"]+)"', nav.group(2)):
                t = os.path.normpath(os.path.join(root, lang, "leerjaar-1", urllib.parse.unquote(h)))
                if not os.path.isfile(t):
                    say(False, where + ": every page link resolves", h)
                    break
            else:
                say(True, where + ": every page link resolves")
        say(url in locs, where + ": in the sitemap", url)
    # the switcher of a later page points at the same page in each language
    sw = re.findall(r'<a href="\.\./\.\./(\w+)/leerjaar-1/([^"]+)" hreflang', pages[1])
    say(sorted(sw) == sorted((l, "pagina-2.html") for l in LANGS), "%s leerjaar 1 page 2: the language switcher keeps the page" % lang, sw)
    one = read("%s/leerjaar-2/index.html" % lang)
    say('class="pager"' not in one and 'rel="next"' not in one and "start=" not in one,
        "%s leerjaar 2 (100 materials): one page, no pager" % lang)
ar = read("ar/leerjaar-1/pagina-2.html")
say('<html lang="ar" dir="rtl">' in ar, "ar pages are right to left")
# the sitemap: every year page in every language, with its alternates
want = {"%s/%s/leerjaar-%d/%s" % (BASE, l, y, f) for l in LANGS for y, fs in
        ((1, ["", "pagina-2.html", "pagina-3.html"]), (2, [""]), (3, ["", "pagina-2.html"]), (4, [""])) for f in fs}
say(want <= locs, "the sitemap lists every page of every year in every language (%d)" % len(want), sorted(want - locs)[:5])
say(not [u for u in locs if "pagina-" in u and u not in want], "the sitemap lists no page that does not exist")
entry = re.search(r"<url>\s*<loc>%s/ar/leerjaar-1/pagina-3.html</loc>(.*?)</url>" % re.escape(BASE), sitemap, re.S)
say(entry and all('hreflang="%s" href="%s/%s/leerjaar-1/pagina-3.html"' % (l, BASE, l) in entry.group(1) for l in LANGS),
    "the sitemap gives a later page its alternates in every language")
PY

# the links of every page of the site resolve (as tests/golden/links.sh)
pychecks "$TMPROOT/j1" <<'PY'
import glob, os, re, sys, urllib.parse
root = sys.argv[1]
broken, n = [], 0
for f in glob.glob(os.path.join(root, "*", "leerjaar-*", "*.html")) + glob.glob(os.path.join(root, "*", "index.html")):
    for u in re.findall(r'(?:href|src)="([^"#]+)', open(f, encoding="utf-8").read()):
        if re.match(r"^[a-z]+:", u) or u.startswith("/"):
            continue
        n += 1
        if not os.path.isfile(os.path.normpath(os.path.join(os.path.dirname(f), urllib.parse.unquote(u)))):
            broken.append("%s -> %s" % (os.path.relpath(f, root), u))
print(("OK" if n > 1000 and not broken else "NO") + " every link of the homes and year pages resolves (%d): %s" % (n, broken[:5]))
PY

# A library of 1,000 materials in 4 languages (bench/run's corpus, made
# here): each year of 250 in three pages, all in the sitemap.
c=$TMPROOT/corpus
library_1000x4 "$c"
LOBGEN_JOBS=1 "$REL" build --source "$c" --output "$TMPROOT/big1" --quiet 2>"$TMPROOT/err"
equal "the 1,000 x 4 library builds" "$?" 0
LOBGEN_JOBS=2 "$REL" build --source "$c" --output "$TMPROOT/big2" --quiet 2>"$TMPROOT/err"
equal "the 1,000 x 4 library: the same site on one thread and on two" "$(tree_sum "$TMPROOT/big1")" "$(tree_sum "$TMPROOT/big2")"
pychecks "$TMPROOT/big1" <<'PY'
import os, re, sys
root = sys.argv[1]
locs = set()
for f in os.listdir(root):
    if f.startswith("sitemap"):
        locs |= set(re.findall(r"<loc>([^<]+)</loc>", open(os.path.join(root, f), encoding="utf-8").read()))
for lang in ("nl", "en", "tr", "ar"):
    for y in range(1, 5):
        d = os.path.join(root, lang, "leerjaar-%d" % y)
        names = sorted(f for f in os.listdir(d) if f.endswith(".html") and not f.startswith("handouts"))
        counts = [len(re.findall(r'<li class="step', open(os.path.join(d, f), encoding="utf-8").read()))
                  for f in ("index.html", "pagina-2.html", "pagina-3.html") if f in names]
        ok = names == ["index.html", "pagina-2.html", "pagina-3.html"] and counts == [100, 100, 50]
        print(("OK" if ok else "NO") + " %s leerjaar %d of 250: pages of 100, 100, 50: %s %s" % (lang, y, names, counts))
        urls = ["https://bench.example.org/%s/leerjaar-%d/%s" % (lang, y, "" if f == "index.html" else f) for f in names]
        miss = [u for u in urls if u not in locs]
        print(("OK" if not miss else "NO") + " %s leerjaar %d: every page in the sitemap: %s" % (lang, y, miss))
PY
