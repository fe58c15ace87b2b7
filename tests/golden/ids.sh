#!/bin/bash
# Every id on every page is unique, and every in-page link (#id) has its
# target: a print pack joins several materials and a bilingual handout two
# texts, and a repeated id sends a reader's link (or a screen reader's
# jump) to the wrong handout.
source "$(dirname "$0")/lib.sh"

check_site() { # LABEL DIR
  pychecks "$1" "$2" <<'PY'
import sys, os, collections
from html.parser import HTMLParser
label, site = sys.argv[1], sys.argv[2]
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.ids = []; s.refs = []
    def handle_starttag(s, tag, attrs):
        for k, v in attrs:
            if k == 'id': s.ids.append(v)
            if k == 'href' and v and v.startswith('#') and len(v) > 1: s.refs.append(v[1:])
pages = repeated = broken = 0
first_rep = first_broken = ''
for root, _, files in os.walk(site):
    for f in sorted(files):
        if not f.endswith('.html'): continue
        path = os.path.join(root, f)
        p = P(); p.feed(open(path, encoding='utf-8').read()); pages += 1
        rep = [k for k, c in collections.Counter(p.ids).items() if c > 1]
        if rep:
            repeated += 1
            first_rep = first_rep or f'{os.path.relpath(path, site)}: {rep[:3]}'
        miss = [r for r in p.refs if r not in set(p.ids)]
        if miss:
            broken += 1
            first_broken = first_broken or f'{os.path.relpath(path, site)}: #{miss[0]}'
print(f'OK {label}: pages checked ({pages})' if pages > 10 else f'NO {label}: pages checked: only {pages}')
print(f'OK {label}: no page repeats an id' if not repeated else f'NO {label}: no page repeats an id: {repeated} pages do, e.g. {first_rep}')
print(f'OK {label}: every #link has its target on the page' if not broken else f'NO {label}: every #link has its target: {broken} pages miss one, e.g. {first_broken}')
PY
}

# the example site: its packs join materials with the same section headings
out="$TMPROOT/example"
if "$LOBGEN" build --source "$ROOT" --output "$out" >"$TMPROOT/example.log" 2>&1; then
  pass "example site builds"
  check_site "example site" "$out"
else
  fail "example site builds" "$(tail -n 3 "$TMPROOT/example.log" | tr '\n' '|')"
fi

# a project made to collide: the same headings in a year's materials, a
# translation whose headings equal the Dutch ones (bilingual handout), a
# heading "Inhoud" (the layout's skip-link target), two glossary terms with
# one slug
p=$(mktemp -d "$TMPROOT/p.XXXXXX")
cp -r "$ROOT/templates" "$ROOT/locales" "$p/"
mkdir -p "$p/content/thuisopdrachten" "$p/content/gesprekken"
cat >"$p/lobgen.yaml" <<'Y'
title: "Ids"
school: "School"
base_url: "https://ids.example.org"
languages: [nl, en]
Y
for s in een twee; do
cat >"$p/content/thuisopdrachten/opdracht-$s.nl.md" <<M
---
title: "Opdracht $s"
summary: "Samenvatting."
leerjaar: 2
week: 3
---

## Inhoud

Tekst.

## Mentor

Meer tekst met een [link](#mentor).
M
done
cat >"$p/content/thuisopdrachten/opdracht-een.en.md" <<'M'
---
title: "Assignment one"
summary: "Summary."
translation:
  source: 0123456789abcdef
  reviewed: false
---

## Inhoud

Text.

## Mentor

More text.
M
cat >"$p/content/woordenlijst.nl.yaml" <<'Y'
- term: ouder-avond
  text: Een avond.
- term: ouder avond
  text: Dezelfde avond, anders geschreven.
Y
out2="$TMPROOT/collide"
if "$LOBGEN" build --source "$p" --output "$out2" >"$TMPROOT/collide.log" 2>&1; then
  pass "colliding project builds"
  check_site "colliding project" "$out2"
  contains "a pack's second material gets suffixed ids" "$out2/nl/leerjaar-2/handouts.html" 'id="mentor-2"'
  contains "a heading Inhoud does not take the layout's id" "$out2/nl/thuisopdrachten/opdracht-een/index.html" 'id="inhoud-2"'
else
  fail "colliding project builds" "$(tail -n 3 "$TMPROOT/collide.log" | tr '\n' '|')"
fi
