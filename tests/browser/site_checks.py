#!/usr/bin/env python3
"""Checks over every HTML page of a built site that need no browser.

    site_checks.py SITE_DIR BASE_URL [VARIANT_SITE_DIR]

Prints "OK name" or "NO name: why" lines. Per page type (the chooser, the
404, home, leerjaar, pack, glossary, material, handout, bilingual handout),
over every language:
  - no page repeats an id (a second id breaks links to it, and labels);
  - every page a search engine may show has a meta description;
  - a material page shows at most one notice about its translation.
And: the sitemap lists the site's root; "Leerjaar"/"Leerjaren" and no links
run together, in both sites; and in VARIANT_SITE_DIR (the example with one
language's glossary removed, one Dutch text changed after its translations
were made, and an evening for two years that follows two materials) every
language's menu links its glossary page and a stale, unreviewed
translation shows one notice, not two.
"""
import html.parser
import os
import re
import sys


class Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.dups = set(), []
        self.robots_noindex = False
        self.description = None
        self.notices = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        i = a.get('id')
        if i is not None:
            if i in self.ids:
                self.dups.append(i)
            self.ids.add(i)
        if tag == 'meta' and a.get('name') == 'robots' and 'noindex' in (a.get('content') or ''):
            self.robots_noindex = True
        if tag == 'meta' and a.get('name') == 'description':
            self.description = (a.get('content') or '').strip()
        if 'notice' in (a.get('class') or '').split():
            self.notices += 1
        if tag == 'a' and a.get('href'):
            self.links.append(a['href'])


def page_type(rel):
    parts = rel.split('/')
    name = parts[-1]
    if rel == 'index.html':
        return 'chooser'
    if rel == '404.html':
        return '404'
    if len(parts) == 2:
        return 'home'
    if parts[1].startswith('leerjaar-'):
        return 'pack' if name == 'handouts.html' else 'leerjaar'
    if parts[1] == 'woordenlijst':
        return 'glossary'
    return {'index.html': 'material', 'handout.html': 'handout', 'handout-nl.html': 'bilingual handout'}.get(name, name)


def pages(site):
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith('.html'):
                p = os.path.join(d, f)
                yield os.path.relpath(p, site), p


def parse(path):
    p = Ids()
    p.feed(open(path, encoding='utf-8').read())
    return p


def verdict(name, problems, limit=4):
    if problems:
        more = ' (and %d more)' % (len(problems) - limit) if len(problems) > limit else ''
        print('NO %s: %s%s' % (name, '; '.join(problems[:limit]), more))
    else:
        print('OK %s' % name)


def year_label_and_links(site, what):
    """Dutch "Leerjaar"/"Leerjaren" by the number of years, and no two
    links with only white space between them (glossary terms in a
    sentence aside: that space is the sentence's own)."""
    wrong, together = [], []
    adjacent = re.compile(r'<a (?![^>]*class="term")[^>]*>[^<]*</a>\s*<a (?![^>]*class="term")')
    for rel, path in sorted(pages(site)):
        text = open(path, encoding='utf-8').read()
        for m in adjacent.finditer(text):
            together.append('%s: ...%s...' % (rel, re.sub(r'\s+', ' ', m.group(0))[-60:]))
        if not rel.startswith('nl/') or page_type(rel) != 'material':
            continue
        m = re.search(r'<dl class="facts">\s*<div><dt>([^<]*)</dt><dd>(.*?)</dd>', text, re.S)
        if not m:
            wrong.append('%s: no years in its facts' % rel)
            continue
        n = len(re.findall(r'leerjaar-[0-9]+/index\.html', m.group(2)))
        want = 'Leerjaar' if n == 1 else 'Leerjaren'
        if m.group(1).strip() != want:
            wrong.append('%s: "%s" before %d years, want "%s"' % (rel, m.group(1).strip(), n, want))
    verdict('%s: Dutch material pages say "Leerjaar" for one year, "Leerjaren" for more' % what, wrong)
    verdict('%s: no two links run together with only a space between them' % what, together)


def main(argv):
    if len(argv) < 2:
        print('usage: site_checks.py SITE_DIR BASE_URL [VARIANT_SITE_DIR]', file=sys.stderr)
        return 2
    site, base = argv[0], argv[1].rstrip('/')
    by_type = {}
    for rel, path in sorted(pages(site)):
        by_type.setdefault(page_type(rel), []).append((rel, parse(path)))
    for t, got in sorted(by_type.items()):
        verdict('every %s page (%d) has unique ids' % (t, len(got)),
                ['%s repeats id "%s"' % (rel, p.dups[0]) + (' and %d more' % (len(p.dups) - 1) if len(p.dups) > 1 else '')
                 for rel, p in got if p.dups])
        shown = [(rel, p) for rel, p in got if not p.robots_noindex]
        if shown:
            verdict('every %s page (%d) has a meta description' % (t, len(shown)),
                    [rel for rel, p in shown if not p.description])
        if t == 'material':
            verdict('every material page (%d) shows at most one translation notice' % len(got),
                    ['%s shows %d' % (rel, p.notices) for rel, p in got if p.notices > 1])
    sitemap = open(os.path.join(site, 'sitemap.xml'), encoding='utf-8').read()
    locs = re.findall(r'<loc>([^<]*)</loc>', sitemap)
    verdict('the sitemap lists the site root %s/' % base,
            [] if base + '/' in locs else ['not among its %d <loc> entries' % len(locs)])

    year_label_and_links(site, 'the site')
    if len(argv) > 2:
        variant = argv[2]
        year_label_and_links(variant, 'the variant')
        missing = []
        for lang in sorted(os.listdir(variant)):
            home = os.path.join(variant, lang, 'index.html')
            if not os.path.isfile(os.path.join(variant, lang, 'woordenlijst', 'index.html')) or not os.path.isfile(home):
                continue
            if not [h for h in parse(home).links if 'woordenlijst/' in h]:
                missing.append('%s/index.html does not link %s/woordenlijst/' % (lang, lang))
        verdict('every language whose glossary page exists links it in its menu (also without a glossary of its own)', missing)
        got = [(rel, parse(p)) for rel, p in sorted(pages(variant)) if page_type(rel) == 'material']
        stale = [(rel, p) for rel, p in got if p.notices > 1]
        verdict('a stale, unreviewed translation shows one notice, not two',
                ['%s shows %d' % (rel, p.notices) for rel, p in stale])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
