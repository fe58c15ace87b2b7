#!/bin/bash
# A link inside a text to one of its own headings ([lees eerst](#voor-ouders))
# leads the reader to that heading, also where the text shares a page with
# others and its heading ids had to change to stay unique (HTML: an id is
# unique on a page; a browser follows a fragment to the first element with
# it): a year's pack (several materials), a bilingual handout (two
# languages), a material page (the layout's own "inhoud" skip target).
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600
P=$(project basic)
T=$P/content/thuisopdrachten
# the Dutch text: a heading that repeats the layout's id, and links to its own headings
cat >>"$T/opdracht-een.nl.md" <<'EOF'

## Inhoud

Lees eerst [naar Voor ouders](#voor-ouders), dan [naar Inhoud](#inhoud) en [naar LOB](#lob).

## LOB

Tekst.
EOF
# the Arabic translation has a heading with the same id as one in the Dutch text
cat >>"$T/opdracht-een.ar.md" <<'EOF'

## LOB

[naar LOB](#lob)
EOF
# a second material in the same year's pack, with the same headings
sed -e 's/^title: .*/title: "Tweede opdracht"/' -e '/^prepares:/d' "$T/opdracht-een.nl.md" >"$T/opdracht-twee.nl.md"
"$LOBGEN" build --source "$P" --output "$P/out" --quiet 2>"$TMPROOT/err"
rc=$?
equal "the project builds" "$rc" 0
[ $rc -eq 0 ] || cat "$TMPROOT/err"

# every same-page link whose text is "naar HEADING" must reach an element
# that is that heading and sits in the same text as the link: the nearest
# enclosing <article>, or element with a lang attribute (the cells of one
# column of a bilingual handout are one text)
links() { # FILE: one line per link: OK/BAD description
  python3 - "$1" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {'area','base','br','col','embed','hr','img','input','link','meta','source','track','wbr','path','rect'}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []      # (tag, container id)
        self.ids = {}        # id -> [tag, text, container]
        self.links = []      # [target, text, container]
        self.open_text = []  # records collecting text
        self.n = 0
    def container(self):
        return self.stack[-1][1] if self.stack else 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cont = self.container()
        if tag == 'article':
            self.n += 1
            cont = self.n
        elif 'lang' in a:
            # a text cut into rows (a bilingual handout's column) is one text
            cont = (cont, a['lang'], a.get('class'))
        rec = None
        if 'id' in a:
            rec = self.ids.setdefault(a['id'], [tag, '', self.container() if tag != 'article' else cont])
        if tag == 'a' and (a.get('href') or '').startswith('#'):
            rec = [a['href'][1:], '', cont]
            self.links.append(rec)
        if tag in VOID:
            return
        self.stack.append((tag, cont))
        self.open_text.append(rec)
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            self.open_text.pop()
            if t == tag:
                break
    def handle_data(self, data):
        for r in self.open_text:
            if r is not None:
                r[1] += data
p = P()
p.feed(open(sys.argv[1], encoding='utf-8').read())
from urllib.parse import unquote
for target, text, cont in p.links:
    if not text.startswith('naar '):
        continue
    want = text[len('naar '):]
    el = p.ids.get(unquote(target))
    if el is None:
        print('BAD link [%s] -> #%s: no element has that id' % (text, target))
    elif el[0] not in ('h1','h2','h3','h4','h5','h6') or el[1].strip() != want:
        print('BAD link [%s] -> #%s: reaches <%s> "%s", not the heading "%s"' % (text, target, el[0], el[1].strip(), want))
    elif el[2] != cont:
        print('BAD link [%s] -> #%s: reaches the heading of another text on the page' % (text, target))
    else:
        print('OK link [%s] -> #%s' % (text, target))
EOF
}
page_links() { # NAME FILE MIN: every link right, and at least MIN of them
  local out
  out=$(links "$2")
  if [ ! -f "$2" ]; then fail "$1" "$2 does not exist"; return; fi
  if printf '%s\n' "$out" | grep -q '^BAD'; then
    fail "$1" "$(printf '%s\n' "$out" | grep '^BAD' | head -n 3 | tr '\n' ' ')"
  elif [ "$(printf '%s\n' "$out" | grep -c '^OK')" -lt "$3" ]; then
    fail "$1" "found only $(printf '%s\n' "$out" | grep -c '^OK') links, want $3: $out"
  else
    pass "$1"
  fi
}
O=$P/out
page_links "material page: links reach the text's own headings, not the layout's #inhoud" \
  "$O/nl/thuisopdrachten/opdracht-een/index.html" 3
contains "(the text's heading Inhoud was renamed next to the layout's id)" \
  "$O/nl/thuisopdrachten/opdracht-een/index.html" 'id="inhoud-2"'
page_links "a year's pack: each handout's links reach its own headings" "$O/nl/leerjaar-1/handouts.html" 6
contains "(the second handout's headings were renamed)" "$O/nl/leerjaar-1/handouts.html" 'id="voor-ouders-2"'
page_links "bilingual handout: the Dutch text's links reach its own headings" \
  "$O/ar/thuisopdrachten/opdracht-een/handout-nl.html" 4
contains "(the Dutch LOB heading was renamed beside the Arabic one)" \
  "$O/ar/thuisopdrachten/opdracht-een/handout-nl.html" 'id="lob-2"'
page_links "a handout alone: its links reach its headings" "$O/nl/thuisopdrachten/opdracht-twee/handout.html" 3
