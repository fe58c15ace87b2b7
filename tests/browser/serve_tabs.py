#!/usr/bin/env python3
"""Many tabs of one lobgen serve in one Chromium, as a coordinator works.

    serve_tabs.py URL SOURCE_FILE TABS

Opens TABS tabs (more than the 6 connections Chromium opens to one
HTTP/1.1 server) at URL, each in front in turn; every one must load. Then
edits SOURCE_FILE (its title): the tab in front reloads, and the first tab
reloads once brought to the front again. One line per check, "OK name" or
"NO name: why" (the DevTools pipe of ../print/print_pdfs.py).
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'print'))
sys.path.insert(0, HERE)
from print_pdfs import Browser, reserve_fds  # noqa: E402
import check_pages  # noqa: E402

check_pages.PAGE_TIMEOUT = 10


def loaded(events):
    return any(e.get('method') == 'Page.loadEventFired' for e in events)


def main(argv):
    url, src, n = argv[1], argv[2], int(argv[3])
    reserve_fds()
    b = Browser(os.environ.get('CHROMIUM', 'chromium'))
    try:
        tabs = []
        for i in range(n):
            t = check_pages.Page(b)
            tabs.append(t)
            try:
                t.load(url, 390)
                print('OK tab %d of %d loads' % (i + 1, n))
            except Exception as e:  # a tab that waits for a connection
                print('NO tab %d of %d loads: %s' % (i + 1, n, str(e).splitlines()[0]))
                return 0
        time.sleep(1)
        for t in tabs:
            t.drain()
        text = open(src, encoding='utf-8').read()
        with open(src, 'w', encoding='utf-8') as f:
            f.write(text.replace('title: "', 'title: "Herladen ', 1))
        front, first = tabs[-1], tabs[0]
        ok = False
        for _ in range(50):
            time.sleep(0.2)
            if loaded(front.drain()):
                ok = True
                break
        print(('OK' if ok else 'NO') + ' the tab in front reloads after a save' + ('' if ok else ': no load event in 10 s'))
        first.send('Page.bringToFront')
        ok = False
        for _ in range(50):
            time.sleep(0.2)
            if loaded(first.drain()):
                ok = True
                break
        print(('OK' if ok else 'NO') + ' a tab in the background reloads when shown again'
              + ('' if ok else ': no load event in 10 s'))
        h1 = first.eval('document.querySelector("h1") && document.querySelector("h1").textContent')
        print(('OK' if h1 and 'Herladen' in h1 else 'NO') + ' it shows the saved text' + ('' if h1 and 'Herladen' in h1 else ': h1 is %r' % h1))
    finally:
        b.close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
