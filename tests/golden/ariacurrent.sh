#!/bin/bash
# aria-current (WAI-ARIA 1.2; the APG's navigation patterns): "page" marks
# the link to the page the reader is on, and only that link; a link to the
# section the page belongs to (the leerjaar of a material page, of a
# leerjaar's later page or its handouts pack) is "true". Over the built
# example site and a leerjaar of several pages, on every HTML page: each
# aria-current="page" link resolves to that page itself, each "true" link
# to another page; the header's leerjaar link is "page" on the leerjaar's
# own page and "true" on the pages inside it, the glossary link is "page"
# on the glossary; and the CSS that shows the
# current link keys on the attribute, not on its value.
source "$(dirname "$0")/lib.sh"
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
export SOURCE_DATE_EPOCH=1767225600
"$REL" build --source "$ROOT" --output "$TMPROOT/example" --quiet 2>"$TMPROOT/example.err"
equal "the example site builds" "$?" 0
# a leerjaar of 101 materials: two pages (index.html, pagina-2.html)
p=$TMPROOT/paged
mkdir -p "$p/content/thuisopdrachten"
cp -r "$ROOT/templates" "$ROOT/locales" "$p/"
printf 'title: "Jaren"\nschool: "School"\nbase_url: "https://jaar.example.org"\nlanguages: [nl, ar]\n' >"$p/lobgen.yaml"
for i in $(seq -w 1 101); do
  printf -- '---\ntitle: "Opdracht %s"\nleerjaar: 2\n---\n\nTekst.\n' "$i" >"$p/content/thuisopdrachten/m$i.nl.md"
done
"$REL" build --source "$p" --output "$TMPROOT/paged-site" --quiet 2>"$TMPROOT/paged.err"
equal "the paged site builds" "$?" 0
exists "its leerjaar has a second page" "$TMPROOT/paged-site/ar/leerjaar-2/pagina-2.html"

pychecks "$TMPROOT/example" "$TMPROOT/paged-site" "$ROOT/templates/assets/style.css" <<'PY'
import os, re, sys, posixpath
def say(c, name, got=None):
    print(("OK " if c else "NO ") + name + ("" if c else ": got %r" % (got,)))
css = open(sys.argv[3], encoding="utf-8").read()
for site in sys.argv[1:3]:
    tag = os.path.basename(site)
    pages = []
    for d, _, fs in os.walk(site):
        for f in fs:
            if f.endswith(".html"):
                pages.append(posixpath.relpath(os.path.join(d, f), site))
    pages.sort()
    bad_page, bad_true, bad_value, bad_year, n_page, n_true, glossaries = [], [], [], [], 0, 0, []
    def target(rel, href):
        href = href.split("#")[0]
        if not href:
            return rel
        t = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
        return t + "/index.html" if href.endswith("/") else t
    for rel in pages:
        if rel == "404.html":
            continue  # served at any address: its links start at the site's root
        html = open(os.path.join(site, rel), encoding="utf-8").read()
        for m in re.finditer(r'<(a|span)\b([^>]*)\baria-current="([^"]*)"', html):
            el, attrs, value = m.groups()
            if value not in ("page", "true"):
                bad_value.append((rel, value))
                continue
            h = re.search(r'href="([^"]*)"', attrs)
            if value == "page":
                n_page += 1
                if el == "a" and (not h or target(rel, h.group(1)) != rel):
                    bad_page.append((rel, h.group(1) if h else None))
            else:
                n_true += 1
                if el != "a" or not h or target(rel, h.group(1)) == rel:
                    bad_true.append((rel, h.group(1) if h else None))
        # the header's leerjaar links
        nav = re.search(r'<nav class="years"[^>]*>(.*?)</nav>', html, re.S)
        if not nav:
            continue
        marks = {target(rel, h): v for h, v in re.findall(r'<a href="([^"]+)"(?: aria-current="([^"]*)")?>', nav.group(1))}
        parts = rel.split("/")
        y = re.fullmatch(r"leerjaar-(\d)", parts[1]) if len(parts) == 3 else None
        if y:
            own = "/".join(parts[:2]) + "/index.html"
            want = {t: ("page" if t == rel else "true") if t == own else "" for t in marks}
            if marks != want:
                bad_year.append((rel, marks))
        elif len(parts) == 4 and parts[3] == "index.html":  # a material page: its (first) leerjaar is "true"
            if sorted(marks.values()) != sorted(["true"] + [""] * (len(marks) - 1)):
                bad_year.append((rel, marks))
        elif len(parts) == 3 and parts[1] == "woordenlijst":  # the glossary: its own link is "page"
            glossaries.append(rel)
            if {t: v for t, v in marks.items() if v} != {rel: "page"}:
                bad_year.append((rel, marks))
        elif any(marks.values()):
            bad_year.append((rel, marks))
    say(n_page > 0 and not bad_page, "%s: every aria-current=\"page\" link (%d) leads to the page it is on" % (tag, n_page), bad_page[:5])
    say(not bad_true, "%s: every aria-current=\"true\" (%d) is a link to another page: the page's section" % (tag, n_true), bad_true[:5])
    say(not bad_value, "%s: aria-current is page or true, nothing else" % tag, bad_value[:5])
    say(n_true > 0 and not bad_year, "%s: the header marks the leerjaar's own page \"page\", the pages in it \"true\", the glossary's own link \"page\", nothing else" % tag, bad_year[:5])
    if tag == "example":
        say(len(glossaries) > 1, "example: its glossary pages are among those checked", glossaries)
# the current link's styling keys on the attribute, whatever its value
for sel in (".years a[aria-current]", ".switcher li a[aria-current]", ".pager a[aria-current]"):
    say(sel + " " in css or sel + "," in css, "style.css styles %s (page and true alike)" % sel, None)
PY
