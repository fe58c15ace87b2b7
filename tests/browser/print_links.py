#!/usr/bin/env python3
"""The handouts and packs as a screen shows them (print.css, @media
screen): the page a parent or teacher lands on from "Afdrukken" and from a
year's "print all" buttons.

    print_links.py SITE_DIR PAGE...

Each PAGE at 320 and 390 px: every link looks like a link (underlined, or
a button with its own border or background: a link that looks like the
text around it is found by no one, WCAG F73); the other parts of a large
year's pack are tap targets of 44 x 44 px (the site's rule for its menus,
WCAG 2.5.5; two 20 px links above each other also fail 2.5.8) and the
current part looks different from the links. Prints "OK name" or
"NO name: why" lines (lib.sh pychecks).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_pages import Page, serve  # noqa: E402
from print_pdfs import Browser, reserve_fds  # noqa: E402

JS = r'''(function () {
  const out = {links: 0, plain: [], small: [], parts: 0, current: null, same: false};
  const seen = (el) => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0;
  const name = (el) => JSON.stringify((el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40));
  const clear = (c) => c === 'rgba(0, 0, 0, 0)' || c === 'transparent';
  const look = (el) => { const s = getComputedStyle(el);
    return [s.color, s.backgroundColor, s.fontWeight, s.borderTopColor, s.borderTopWidth].join('|'); };
  for (const a of document.querySelectorAll('a[href]')) {
    if (!seen(a)) continue;
    out.links++;
    const s = getComputedStyle(a);
    const underlined = s.textDecorationLine.includes('underline');
    const button = parseFloat(s.borderTopWidth) > 0 || !clear(s.backgroundColor);
    if (!underlined && !button) out.plain.push(name(a));
  }
  const parts = [...document.querySelectorAll('.pack-parts a, .pack-parts [aria-current]')].filter(seen);
  out.parts = parts.length;
  for (const el of parts) {
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) out.small.push(name(el) + ' is ' + Math.round(r.width) + ' x ' + Math.round(r.height));
  }
  const cur = document.querySelector('.pack-parts [aria-current]');
  if (cur) {
    out.current = name(cur);
    out.same = [...document.querySelectorAll('.pack-parts a')].some((a) => look(a) === look(cur));
  }
  return JSON.stringify(out);
})()'''


def main(argv):
    site, pages = os.path.abspath(argv[0]), argv[1:]
    reserve_fds()
    srv = serve(site)
    base = 'http://127.0.0.1:%d/' % srv.server_address[1]
    browser = Browser(os.environ.get('CHROMIUM') or 'chromium')
    try:
        browser.send('Browser.getVersion', timeout=30)
        tab = Page(browser)
        for p in pages:
            for w in (320, 390):
                at = '%s at %dpx' % (p, w)
                tab.load(base + p, w)
                r = json.loads(tab.eval(JS))
                print(('OK %s: every link looks like a link (%d links)' % (at, r['links'])) if not r['plain'] and r['links']
                      else 'NO %s: every link looks like a link: %s' % (at, ', '.join(r['plain'][:4]) or 'no links'))
                if not r['parts']:
                    continue
                print(('OK %s: the parts of the pack are 44 x 44 px tap targets (%d)' % (at, r['parts'])) if not r['small']
                      else 'NO %s: the parts of the pack are 44 x 44 px tap targets: %s' % (at, '; '.join(r['small'])))
                print(('OK %s: the current part %s looks different from the links' % (at, r['current']))
                      if r['current'] and not r['same'] else
                      'NO %s: the current part looks different from the links: %s' % (at, r['current'] or 'no current part'))
        tab.close()
    finally:
        browser.close()
        srv.shutdown()
        srv.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
