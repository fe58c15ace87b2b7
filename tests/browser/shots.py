#!/usr/bin/env python3
"""Screenshots for a person to look at: pages of a built site at phone and
desktop widths, with the language menu closed and opened.

    shots.py SITE_DIR OUT_DIR PAGE...

Writes OUT_DIR/<page with / as ->-<width>[-menu].png for widths 320, 390
and 1280 (LOBGEN_SHOT_WIDTHS), the first screen (800 px high) of each.
"""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import MENU_JS, Page, serve  # noqa: E402
from print_pdfs import Browser, reserve_fds  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print('usage: shots.py SITE_DIR OUT_DIR PAGE...', file=sys.stderr)
        return 2
    site, out, pages = os.path.abspath(argv[0]), argv[1], argv[2:]
    widths = [int(w) for w in (os.environ.get('LOBGEN_SHOT_WIDTHS') or '320 390 1280').split()]
    os.makedirs(out, exist_ok=True)
    reserve_fds()
    srv = serve(site)
    base = 'http://127.0.0.1:%d/' % srv.server_address[1]
    browser = Browser(os.environ.get('CHROMIUM') or 'chromium')
    try:
        browser.send('Browser.getVersion', timeout=30)
        tab = Page(browser)
        for p in pages:
            name = p.replace('/', '-').replace('.html', '')
            for w in widths:
                tab.load(base + p, w)
                for menu in (False, True):
                    if menu:
                        m = json.loads(tab.eval(MENU_JS))
                        if m.get('none'):
                            break
                        tab.click(m['x'], m['y'])
                    shot = tab.send('Page.captureScreenshot', {'format': 'png'})
                    f = os.path.join(out, '%s-%d%s.png' % (name, w, '-menu' if menu else ''))
                    with open(f, 'wb') as fh:
                        fh.write(base64.b64decode(shot['data']))
                    print(f, flush=True)
        tab.close()
    finally:
        browser.close()
        srv.shutdown()
        srv.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
