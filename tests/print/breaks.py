#!/usr/bin/env python3
"""Where the pages of a printout break, read back from the PDF as a reader
sees the sheets: no page ends with a heading whose text goes on overleaf,
and every question keeps its writing lines on its own page.

    breaks.py HTML PDF [footer_pt]

HTML is the printed page (its h1-h4, .block-title and .block-antwoord
questions are what is looked for), PDF the printout. Text in the bottom
footer_pt points of a sheet (a handout's "page k of n") is not content.
Words are compared after NFKC and without bidi controls, so this reads
left-to-right and Ethiopic pages; pdftotext gives Arabic words in visual
order. Prints "OK name" or "NO name: why" lines (lib.sh pychecks).
"""
import html.parser
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

BIDI = dict.fromkeys([0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def words_of(s):
    s = unicodedata.normalize('NFKC', s).translate(BIDI).lower()
    return [w for w in re.split(r'[\s\u00a0]+', re.sub(r'[^\w\s]', ' ', s)) if w]


class Doc(html.parser.HTMLParser):
    """Headings and questions as word lists; each question with the number
    of writing lines under it."""
    HEADS = {'h1', 'h2', 'h3', 'h4'}

    def __init__(self):
        super().__init__()
        self.heads, self.questions = [], []
        self.stack = []          # (tag, role) of open elements
        self.text = None         # the text being collected, and its role
        self.hidden = 0          # inside print-hidden parts

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get('class') or '').split()
        role = None
        if self.hidden or tag in ('header', 'footer', 'nav', 'script', 'style') or \
                {'site-header', 'site-footer', 'screen-only', 'skip'} & set(cls):
            role = 'hidden'
            self.hidden += 1
        elif tag in self.HEADS or 'block-title' in cls:
            role = 'head'
            self.text = ['head', '']
        elif 'question' in cls and self.stack and self.stack[-1][1] == 'antwoord':
            role = 'question'
            self.text = ['question', '']
        elif 'block-antwoord' in cls:
            role = 'antwoord'
        elif 'write-line' in cls and self.questions and any(r == 'antwoord' for _, r in self.stack):
            self.questions[-1][1] += 1
        if tag not in ('br', 'img', 'input', 'meta', 'link', 'hr', 'wbr', 'source'):
            self.stack.append((tag, role))

    def handle_endtag(self, tag):
        while self.stack:
            t, role = self.stack.pop()
            if role == 'hidden':
                self.hidden -= 1
            elif role in ('head', 'question') and self.text:
                w = words_of(self.text[1])
                if w:
                    (self.heads.append(w) if role == 'head' else self.questions.append([w, 0]))
                self.text = None
            if t == tag:
                break

    def handle_data(self, data):
        if self.text is not None and not self.hidden:
            self.text[1] += data


def pdf_pages(pdf, footer_pt):
    """Per page: (height, [(word, yMin, yMax)]) in reading order."""
    xml = subprocess.run(['pdftotext', '-bbox', pdf, '-'], capture_output=True, text=True, check=True).stdout
    xml = re.sub(r'<!DOCTYPE[^>]*>', '', xml).replace('xmlns="http://www.w3.org/1999/xhtml"', '')
    pages = []
    for page in ET.fromstring(xml).iter('page'):
        h = float(page.get('height'))
        ws = []
        for w in page.iter('word'):
            y0, y1 = float(w.get('yMin')), float(w.get('yMax'))
            if y0 > h - footer_pt:
                continue
            for part in words_of(w.text or ''):
                ws.append((part, y0, y1))
        pages.append((h, ws))
    return pages


def rules(pgm):
    """The y (pt) of every horizontal rule on a 72 dpi grey page: a row with
    a dark run across more than half the sheet; one y per rule."""
    data = open(pgm, 'rb').read()
    head = data.split(b'\n', 3)
    w, h = map(int, head[1].split())
    px = head[3]
    ys, last = [], -5
    for y in range(h):
        row, run, best = px[y * w:(y + 1) * w], 0, 0
        for v in row:
            run = run + 1 if v < 235 else 0
            best = max(best, run)
        if best > w * 0.5:
            if y - last > 2:
                ys.append(y)
            last = y
    return ys


def main(argv):
    html_file, pdf = argv[0], argv[1]
    footer = float(argv[2]) if len(argv) > 2 else 0.0
    name = argv[3] if len(argv) > 3 else html_file
    doc = Doc()
    doc.feed(open(html_file, encoding='utf-8').read())
    pages = pdf_pages(pdf, footer)
    stream = [(w, i) for i, (_, ws) in enumerate(pages) for w, _, _ in ws]
    flat = [w for w, _ in stream]

    # headings: the last words of a page (not the last page) are not a heading
    bad = []
    for i, (_, ws) in enumerate(pages[:-1]):
        tail = [w for w, _, _ in ws]
        for hw in doc.heads:
            if len(tail) >= len(hw) and tail[-len(hw):] == hw:
                bad.append('page %d ends with the heading "%s"' % (i + 1, ' '.join(hw)))
    print(('OK %s: no page ends with a heading (%d headings, %d pages)' % (name, len(doc.heads), len(pages)))
          if not bad and doc.heads else
          'NO %s: no page ends with a heading: %s' % (name, '; '.join(bad) or 'no heading found in the page'))

    # questions: the writing lines under the question's last word, on its page
    if not doc.questions:
        return 0
    greys = {}
    bad, found = [], 0
    for qw, nlines in doc.questions:
        at = next((k for k in range(len(flat) - len(qw) + 1) if flat[k:k + len(qw)] == qw), None)
        if at is None:
            bad.append('question "%s" not in the PDF text' % ' '.join(qw[:6]))
            continue
        found += 1
        end = at + len(qw) - 1
        p = stream[end][1]
        _, ws = pages[p]
        # the question's last word on its page, and the next text under it
        k = sum(1 for _, i in stream[:end] if i == p)
        y_end = ws[k][2]
        y_next = min([y0 for _, y0, _ in ws[k + 1:] if y0 > y_end + 1] or [pages[p][0]])
        if p not in greys:
            out = '%s-%d' % (pdf, p + 1)
            subprocess.run(['pdftoppm', '-gray', '-r', '72', '-f', str(p + 1), '-l', str(p + 1), '-singlefile', pdf, out],
                           check=True)
            greys[p] = rules(out + '.pgm')
        under = [y for y in greys[p] if y_end < y < y_next]
        if len(under) < nlines:
            bad.append('page %d: "%s" has %d of its %d writing lines under it' %
                       (p + 1, ' '.join(qw[:6]), len(under), nlines))
    print(('OK %s: every question has its writing lines on its own page (%d questions)' % (name, found))
          if not bad else 'NO %s: every question has its writing lines on its own page: %s' % (name, '; '.join(bad)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
