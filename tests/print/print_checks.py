#!/usr/bin/env python3
"""Checks of what a teacher sees on printed pages, read back from the PDFs
that print.sh made (pdftotext's page text, .txt, and word boxes, .bbox).

    print_checks.py pages SITE PDF_DIR ROOT SCHOOL PAGE...
    print_checks.py duplex PDF_DIR SCHOOL PACK...
    print_checks.py html SITE

Every line printed is "OK name" or "NO name: why" (see pychecks in
tests/golden/lib.sh).

pages: every page after the first carries the title (both titles in a
bilingual handout) and, on a thuisopdracht, a name line in its running
head; every page says "page k of n" in the page's language, the locale's
page_of sentence with the numbers in the language's digits, in logical
order; compliment cards fill sheets of their own; a pack's cover numbers
its handouts and every page of handout k shows k beside its title.
duplex: every handout of a pack starts on a right-hand (odd) page.
html: no inline event handler (on...=) anywhere, and no block title that
repeats the heading right before it.
"""
import glob
import html as htmlmod
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser

BIDI = dict.fromkeys([0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
MARKS = re.compile('[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]')
ALEF = str.maketrans('أإآٱ', 'اااا')
ARABIC = re.compile('[\u0600-\u06FF]')
HEAD_PT = 45.35     # @page: the top margin is 16 mm; the running head is in it
TOP_PT = 75         # a handout's own header starts in the first 75 pt
FOOT_PT = 841.89 - 51.02  # @page: the bottom margin (18 mm) holds "page k of n"
# CLDR's default numbering system: "arab" (Arabic-Indic digits) for ar,
# "latn" for the other languages of the example site
DIGITS = {'ar': '٠١٢٣٤٥٦٧٨٩'}


def out(ok, name, why=''):
    print(('OK %s' % name) if ok else ('NO %s: %s' % (name, why)), flush=True)


def norm(s):
    s = unicodedata.normalize('NFKC', s).translate(BIDI)
    s = MARKS.sub('', s).translate(ALEF)
    return re.sub(r'\s+', '', s)


def anagram_in(word, text):
    # pdftotext writes some Arabic ligatures (lam-alef) in visual order
    n, want = len(word), Counter(word)
    return any(Counter(text[i:i + n]) == want for i in range(len(text) - n + 1))


def shows(text, phrase):
    """phrase is in text: exactly, or for Arabic word by word (see anagram_in)."""
    t = norm(text)
    if not ARABIC.search(phrase):
        return norm(phrase) in t
    words = [norm(re.sub(r'[^\w]', ' ', w)) for w in phrase.split()]
    return all(anagram_in(w, t) for w in words if len(w) >= 2)


def digits(lang, n):
    d = DIGITS.get(lang.split('-')[0]) if lang == lang.split('-')[0] else None
    s = str(n)
    return ''.join(d[int(c)] for c in s) if d else s


def pdf_of(pdf_dir, page):
    return os.path.join(pdf_dir, page[:-5].replace('/', '_') + '.pdf')


def page_texts(pdf):
    with open(pdf + '.txt', encoding='utf-8') as f:
        pages = f.read().split('\f')
    return pages[:-1] if pages and not pages[-1].strip() else pages


WORD = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">(.*?)</word>')


def page_words(pdf):
    """Per page: [(yCentre, word)] from pdftotext -bbox-layout."""
    pages = []
    with open(pdf + '.bbox', encoding='utf-8') as f:
        for line in f:
            if '<page ' in line:
                pages.append([])
            m = WORD.search(line)
            if m and pages:
                pages[-1].append(((float(m.group(2)) + float(m.group(4))) / 2, htmlmod.unescape(m.group(5))))
    return pages


def page_boxes(pdf):
    """Per page: [(xMin, yCentre, word)]."""
    pages = []
    with open(pdf + '.bbox', encoding='utf-8') as f:
        for line in f:
            if '<page ' in line:
                pages.append([])
            m = WORD.search(line)
            if m and pages:
                pages[-1].append((float(m.group(1)), (float(m.group(2)) + float(m.group(4))) / 2,
                                  htmlmod.unescape(m.group(5))))
    return pages


def head_of(words):
    return ' '.join(w for y, w in words if y < HEAD_PT)


def yaml_string(path, key):
    """A top-level (front matter) or strings-level scalar, quoted or not."""
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'^\s*%s:\s*(.*?)\s*$' % re.escape(key), line)
                if m:
                    v = m.group(1)
                    if len(v) >= 2 and v[0] == v[-1] and v[0] in '"\'':
                        v = v[1:-1].replace('\\"', '"')
                    return v
    except OSError:
        pass
    return None


def title_of(root, kind, slug, lang):
    """The title in the material's front matter, or a PO translation's
    entry for it (read with the gettext tools, as print.sh does)."""
    po = os.path.join(root, 'content', kind, '%s.%s.po' % (slug, lang))
    if os.path.exists(po):
        r = subprocess.run(['msggrep', '--msgctxt', '-F', '-e', '%s/%s title' % (kind, slug), '--no-wrap', po],
                           capture_output=True, text=True)
        got = re.findall(r'^msgstr "(.*)"$', r.stdout, re.M)
        return got[-1].replace('\\"', '"') if got and got[-1] else None
    path = os.path.join(root, 'content', kind, '%s.%s.md' % (slug, lang))
    return yaml_string(path, 'title')


def locale_string(root, lang, key):
    for tag in (lang, lang.split('-')[0], 'nl'):
        v = yaml_string(os.path.join(root, 'locales', tag + '.yaml'), key)
        if v:
            return v
    return None


class Cards(HTMLParser):
    """The text of every li.compliment-card, and of every h1 in an article;
    the cut hints (p.cut-hint), and the head of each compliments block: its
    p.block-title, or the heading right before it."""

    def __init__(self):
        super().__init__()
        self.cards, self.h1s, self.depth, self.in_h1 = [], [], 0, False
        self.hints, self.heads = [], []
        self.grab = None         # the list whose last item takes the text
        self.heading, self.last_end = '', None

    def handle_starttag(self, tag, attrs):
        cls = (dict(attrs).get('class') or '').split()
        if tag == 'li' and 'compliment-card' in cls:
            self.depth = 1
            self.cards.append('')
        elif tag == 'li' and self.depth:
            self.depth += 1
        if tag == 'h1':
            self.in_h1 = True
            self.h1s.append('')
        if tag in ('h2', 'h3', 'h4'):
            self.heading, self.in_heading = '', True
        # a bilingual handout's columns print no cards (they come after
        # the table), so their blocks' heads stay in the table
        if tag == 'table' and (self.in_columns or 'side-by-side' in cls):
            self.in_columns += 1
        if self.in_columns:
            pass
        elif 'block-complimenten' in cls and self.last_end in ('h2', 'h3', 'h4'):
            self.heads.append(self.heading)
        elif tag == 'p' and 'cut-hint' in cls:
            self.grab = self.hints
            self.hints.append('')
        elif tag == 'p' and 'block-title' in cls and self.last_start_complimenten:
            self.grab = self.heads
            self.heads.append('')
        self.last_start_complimenten = 'block-complimenten' in cls
        self.last_end = None

    last_start_complimenten = in_heading = False
    in_columns = 0   # depth of tables in and including table.side-by-side

    def handle_endtag(self, tag):
        if tag == 'li' and self.depth:
            self.depth -= 1
        if tag == 'h1':
            self.in_h1 = False
        if tag == 'p':
            self.grab = None
        if tag in ('h2', 'h3', 'h4'):
            self.in_heading = False
        if tag == 'table' and self.in_columns:
            self.in_columns -= 1
        self.last_end = tag

    def handle_data(self, data):
        if self.depth:
            self.cards[-1] += ' ' + data
        if self.in_h1:
            self.h1s[-1] += data
        if self.grab is not None:
            self.grab[-1] += data
        if self.in_heading:
            self.heading += data
        elif data.strip():
            self.last_end = None


def parse(path):
    p = Cards()
    with open(path, encoding='utf-8') as f:
        p.feed(f.read())
    return p


def tokens(s):
    # marks first: a shadda is no word character, and must not split a word
    s = MARKS.sub('', unicodedata.normalize('NFKC', s).translate(BIDI))
    return [norm(w) for w in re.sub(r'[^\w]', ' ', s).split() if norm(w)]


def card_pages(texts, cards, heads=()):
    """Pages whose every word is a word of a card, or of the sheet's head
    (heads: the block's title and cut hint), with a card's word on them.
    pdftotext splits some Arabic words at marks and writes ligatures in
    visual order, so an Arabic piece counts when its letters are found
    together in a card's word; any other word must be a card's word
    exactly."""
    # pdftotext joins a word hyphenated at a line end: "по-" + "дорослому"
    card_words = {w for c in cards for w in tokens(c) + tokens(c.replace('-', ''))}
    allowed = card_words | {w for h in heads for w in tokens(h)}
    arabic = [w for w in allowed if ARABIC.search(w)]

    def ok(w):
        return w in allowed or (ARABIC.search(w) and any(anagram_in(w, a) for a in arabic))
    return [i for i, t in enumerate(texts) if any(w in card_words for w in tokens(t)) and all(ok(w) for w in tokens(t))]


def on_page(text, phrase):
    """Every word of phrase is on the page (Arabic: see anagram_in)."""
    have = set(tokens(text))
    flat = ''.join(tokens(text))
    return all(w in have or (ARABIC.search(w) and anagram_in(w, flat)) for w in tokens(phrase))


def check_pages(site, pdf_dir, root, school, pages):
    for page in pages:
        pdf = pdf_of(pdf_dir, page)
        if not os.path.exists(pdf + '.txt') or not os.path.exists(pdf + '.bbox'):
            out(False, '%s: read back from its PDF' % page, 'no text of %s' % pdf)
            continue
        texts, words, boxes = page_texts(pdf), page_words(pdf), page_boxes(pdf)
        lang = page.split('/')[0]
        n = len(texts)
        doc = parse(os.path.join(site, page))
        cards = card_pages(texts, doc.cards, doc.hints + doc.heads) if doc.cards else []

        # compliment cards: sheets of nothing but cards, every card on them
        if doc.cards:
            # every word of every card is on a card sheet (a card with two
            # languages reads in two lines)
            on_sheets = set(w for i in cards for w in tokens(texts[i]))
            sheet_text = ''.join(w for i in cards for w in tokens(texts[i]))
            def on_sheet(c):
                return any(all(w in on_sheets or (ARABIC.search(w) and anagram_in(w, sheet_text)) for w in ws)
                           for ws in (tokens(c), tokens(c.replace('-', ''))))
            missing = [c.strip() for c in doc.cards if not on_sheet(c)]
            out(bool(cards) and not missing, '%s: the compliment cards fill sheets of their own' % page,
                'no page holds only cards' if not cards else 'not on a card sheet: %s' % missing[:3])
            # the cut hint and the block's title head the first sheet: at
            # the foot of the page before they pointed at nothing
            away = [h.strip() for h in set(doc.hints + doc.heads) if h.strip() and not any(on_page(texts[i], h) for i in cards)]
            out(bool(cards) and bool(doc.hints) and not away, '%s: the cut hint and the cards\' title are on the card sheet' % page,
                'no cut hint in the page' if not doc.hints else 'not on a card sheet: %s' % away[:3])

        # "page k of n" in the page's language, numbers in its digits,
        # reading in order: the footer's words taken in the language's
        # direction (right to left for Arabic) make the locale's sentence
        page_of = locale_string(root, lang, 'page_of')
        rtl = lang.split('-')[0] in ('ar', 'fa', 'he', 'ur')
        bad = []
        for i in range(n):
            if i in cards:
                continue
            want = tokens(page_of.replace('{n}', digits(lang, i + 1)).replace('{total}', digits(lang, n)))
            got = [tokens(w) for x0, y, w in sorted((x0, y, w) for x0, y, w in boxes[i] if y > FOOT_PT)]
            got = [t for ts in (reversed(got) if rtl else got) for t in ts]
            if len(got) != len(want) or any(Counter(a) != Counter(b) for a, b in zip(got, want)):
                bad.append('page %d reads [%s], want [%s]' % (i + 1, ' '.join(got), ' '.join(want)))
        out(not bad, '%s: every page says "%s" in %s, in reading order' % (page, page_of, lang), '; '.join(bad[:3]))

        if page.endswith('/handouts.html'):
            check_pack(page, lang, texts, words, boxes, doc, cards, school)
            continue

        # running heads: the title (both titles beside each other in a
        # bilingual handout) and on a thuisopdracht the name line
        _, kind, slug, _ = page.split('/')
        titles = [title_of(root, kind, slug, lang) or title_of(root, kind, slug, 'nl')]
        if page.endswith('handout-nl.html'):
            titles.append(title_of(root, kind, slug, 'nl'))
        name = locale_string(root, lang, 'handout_name') if kind == 'thuisopdrachten' else None
        bad = []
        for i in range(1, n):
            if i in cards:
                continue
            head = head_of(words[i])
            gone = [t for t in titles if not shows(head, t)]
            if name and not shows(head, name):
                gone.append(name)
            if gone:
                bad.append('page %d head [%s] lacks %s' % (i + 1, head, gone))
        what = ' and '.join(['the title'] * (len(titles) == 1) + ['both titles'] * (len(titles) == 2) +
                            ['a name line'] * bool(name))
        out(not bad, '%s: every page after the first shows %s in its running head (%d pages)' % (page, what, n),
            '; '.join(bad[:2]))


def check_pack(page, lang, texts, words, boxes, doc, cards, school):
    titles = [t.strip() for t in doc.h1s[1:]]   # h1s[0] is the cover's
    # the cover: "k" and handout k's title on one line (words whose
    # centres are within 3 pt of each other)
    lines = {}
    for x0, y, w in boxes[0]:
        key = next((k for k in lines if abs(k - y) < 3), y)
        lines.setdefault(key, []).append(w)
    cover = [' '.join(lines[y]) for y in sorted(lines)] + ['']
    bad = []
    for k, t in enumerate(titles, 1):
        # a long title wraps onto the next line
        if not any(digits(lang, k) in tokens(l) and shows(l + ' ' + cover[j + 1], t) for j, l in enumerate(cover[:-1])):
            bad.append('no cover line with "%s" and "%s"' % (digits(lang, k), t))
    # the pages of handout k: from the page whose top has its header (the
    # school's name) to the next such page
    k, seen = 0, set()
    for i in range(1, len(texts)):
        top = ' '.join(w for y, w in words[i] if HEAD_PT <= y < TOP_PT)
        if school and all(w in top.split() for w in school.split()):
            k += 1
        if i in cards or not words[i] or k == 0:
            continue
        head = head_of(words[i])
        toks = head.translate(BIDI).split()
        if k > len(titles):
            bad.append('page %d: more handouts than the cover lists' % (i + 1))
            break
        if digits(lang, k) not in toks or not shows(head, titles[k - 1]):
            bad.append('page %d (handout %d) head [%s]' % (i + 1, k, head))
        seen.add(k)
    if seen != set(range(1, len(titles) + 1)):
        bad.append('handouts with a numbered page: %s of %d' % (sorted(seen), len(titles)))
    out(not bad and titles, '%s: the cover numbers its %d handouts and every page of handout k shows k and its title'
        % (page, len(titles)), '; '.join(bad[:3]) or 'no handouts')


def check_duplex(pdf_dir, school, packs):
    for page in packs:
        pdf = pdf_of(pdf_dir, page)
        try:
            words = page_words(pdf)
        except OSError as e:
            out(False, '%s (print.duplex): every handout starts on a right-hand page' % page, str(e))
            continue
        starts = [i + 1 for i, ws in enumerate(words)
                  if all(w in ' '.join(x for y, x in ws if HEAD_PT <= y < TOP_PT).split() for w in school.split())]
        even = [s for s in starts[1:] if s % 2 == 0]
        out(len(starts) >= 2 and not even,
            '%s (print.duplex): every handout starts on a right-hand (odd) page %s' % (page, starts[1:]),
            'starts on pages %s' % starts)


class Handlers(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k.lower().startswith('on') or (v or '').strip().lower().startswith('javascript:'):
                self.found.append('<%s %s="%s">' % (tag, k, v))


HEADING_OR_TITLE = re.compile(r'<(h[1-6])\b[^>]*>(.*?)</\1>|<p class="block-title">(.*?)</p>|<(?:td|th|tr)\b', re.S)


def text_of(s):
    return re.sub(r'\s+', ' ', htmlmod.unescape(re.sub('<[^>]+>', '', s))).strip().casefold()


def check_html(site):
    files = sorted(glob.glob(os.path.join(site, '**', '*.html'), recursive=True))
    handlers, doubled = [], []
    for f in files:
        with open(f, encoding='utf-8') as fh:
            src = fh.read()
        p = Handlers()
        p.feed(src)
        handlers += ['%s: %s' % (os.path.relpath(f, site), h) for h in p.found]
        # a block title right after a heading (only text between, in the
        # same table cell) must not say the same
        last = None
        for m in HEADING_OR_TITLE.finditer(src):
            if m.group(1):
                last = text_of(m.group(2))
            elif m.group(3) is not None:
                if last is not None and text_of(m.group(3)) == last:
                    doubled.append('%s: "%s"' % (os.path.relpath(f, site), last))
                last = None
            else:
                last = None
    out(not handlers, 'no inline event handler or javascript: URL in any of the %d pages' % len(files),
        '; '.join(handlers[:3]))
    out(not doubled, 'no block title repeats the heading right before it (%d pages)' % len(files),
        '%d: %s' % (len(doubled), '; '.join(doubled[:3])))


def main(argv):
    if argv[:1] == ['pages']:
        check_pages(argv[1], argv[2], argv[3], argv[4], argv[5:])
    elif argv[:1] == ['duplex']:
        check_duplex(argv[1], argv[2], argv[3:])
    elif argv[:1] == ['html']:
        check_html(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
