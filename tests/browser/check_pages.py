#!/usr/bin/env python3
"""Look at pages of a built site the way a parent's phone does.

    check_pages.py SITE_DIR AXE_JS PAGE...

SITE_DIR is served on 127.0.0.1 (a free port) by a small server like a
common web server: files as they are, `.txt` as `text/plain` without a
charset, and /404.html for anything missing. One headless Chromium (the
DevTools pipe of ../print/print_pdfs.py) loads every PAGE (a path under
SITE_DIR) at each width in LOBGEN_BROWSER_WIDTHS (default 320 390) and
checks it; then the 404 page at a deep path and the announcement texts.

Every check prints one line, "OK name" or "NO name: why". Exit status 0
unless the command line is wrong (2) or Chromium could not be driven (1).

Environment: LOBGEN_SOURCE_TITLE (the site title in the source language),
LOBGEN_SOURCE_LANG, LOBGEN_BROWSER_JOBS (tabs at once, default 2),
LOBGEN_BROWSER_TIMEOUT (seconds for the whole run, default 600).
"""
import http.server
import json
import os
import queue
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'print'))
from print_pdfs import Browser, BrowserGone, reserve_fds  # noqa: E402

PAGE_TIMEOUT = 60
AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']


def serve(root):
    """A threaded server for root on a free port of 127.0.0.1."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        # what nginx and Apache send by default: no charset for text
        extensions_map = {'.html': 'text/html', '.css': 'text/css', '.txt': 'text/plain',
                          '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.xml': 'application/xml',
                          '.ics': 'text/calendar', '': 'application/octet-stream'}

        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)

        def send_error(self, code, message=None, explain=None):
            # the site's own 404 page, as servers are set up to send it
            page = os.path.join(root, '404.html')
            if code != 404 or not os.path.isfile(page):
                return super().send_error(code, message, explain)
            body = open(page, 'rb').read()
            self.send_response(404)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True).start()
    return srv


class Page:
    """One tab with its own session; network and console events kept."""

    def __init__(self, browser):
        self.b = browser
        self.target = browser.send('Target.createTarget', {'url': 'about:blank'})['targetId']
        self.session = browser.send('Target.attachToTarget', {'targetId': self.target, 'flatten': True})['sessionId']
        self.events = browser.open_session(self.session)
        for m in ('Page.enable', 'Network.enable', 'Runtime.enable'):
            self.send(m)

    def send(self, method, params=None):
        return self.b.send(method, params, session=self.session, timeout=PAGE_TIMEOUT)

    def drain(self):
        evs = []
        while True:
            try:
                ev = self.events.get_nowait()
            except queue.Empty:
                return evs
            if ev is None:
                raise BrowserGone(self.b.why_gone())
            evs.append(ev)

    def load(self, url, width, script=True):
        """Load url at width CSS px; returns [(url, status)] of every request."""
        self.drain()
        self.send('Emulation.setDeviceMetricsOverride',
                  {'width': width, 'height': 800, 'deviceScaleFactor': 1, 'mobile': False})
        self.send('Emulation.setScriptExecutionDisabled', {'value': not script})
        nav = self.send('Page.navigate', {'url': url})
        if nav.get('errorText'):
            raise RuntimeError('cannot load %s: %s' % (url, nav['errorText']))
        requests, limit = {}, time.monotonic() + PAGE_TIMEOUT
        while True:
            try:
                ev = self.events.get(timeout=max(0.1, limit - time.monotonic()))
            except queue.Empty:
                raise RuntimeError('%s did not finish loading' % url)
            if ev is None:
                raise BrowserGone(self.b.why_gone())
            m, p = ev.get('method'), ev.get('params', {})
            if m == 'Network.requestWillBeSent':
                requests[p['requestId']] = [p['request']['url'], None]
            elif m == 'Network.responseReceived' and p['requestId'] in requests:
                requests[p['requestId']][1] = p['response']['status']
            elif m == 'Page.loadEventFired':
                break
        # late requests (an icon) come after the load event
        time.sleep(0.2)
        for ev in self.drain():
            m, p = ev.get('method'), ev.get('params', {})
            if m == 'Network.requestWillBeSent':
                requests[p['requestId']] = [p['request']['url'], None]
            elif m == 'Network.responseReceived' and p['requestId'] in requests:
                requests[p['requestId']][1] = p['response']['status']
        return list(requests.values())

    def eval(self, expr, await_promise=False):
        r = self.send('Runtime.evaluate', {'expression': expr, 'returnByValue': True,
                                           'awaitPromise': await_promise})
        if r.get('exceptionDetails'):
            d = r['exceptionDetails']
            raise RuntimeError('script error: %s' % (d.get('exception', {}).get('description') or d.get('text')))
        return r.get('result', {}).get('value')

    def key_tab(self):
        for t in ('keyDown', 'keyUp'):
            self.send('Input.dispatchKeyEvent', {'type': t, 'key': 'Tab', 'code': 'Tab',
                                                 'windowsVirtualKeyCode': 9})

    def click(self, x, y):
        for t in ('mousePressed', 'mouseReleased'):
            self.send('Input.dispatchMouseEvent', {'type': t, 'x': x, 'y': y, 'button': 'left', 'clickCount': 1})

    def close(self):
        self.b.close_session(self.session)
        try:
            self.b.send('Target.closeTarget', {'targetId': self.target}, timeout=5)
        except Exception:
            pass


MENU_JS = r'''(function () {
  const d = document.querySelector('.switcher details');
  if (!d) return JSON.stringify({none: true});
  const s = d.querySelector('summary');
  s.scrollIntoView({block: 'start'});
  const r = s.getBoundingClientRect();
  return JSON.stringify({x: r.left + r.width / 2, y: r.top + r.height / 2, open: d.open});
})()'''

MENU_OPEN_JS = r'''(function () {
  const d = document.querySelector('.switcher details');
  const W = document.documentElement.clientWidth;
  const out = {open: d.open, off: [], small: [], scroll: document.documentElement.scrollWidth, width: W};
  for (const el of d.querySelectorAll('ul, li, a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < -0.5 || r.right > W + 0.5)
      out.off.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 20) + '" x ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + W);
    if (el.tagName === 'A' && (r.width < 43.5 || r.height < 43.5))
      out.small.push('"' + el.textContent.trim().slice(0, 20) + '" is ' + Math.round(r.width) + ' x ' + Math.round(r.height));
  }
  return JSON.stringify(out);
})()'''


def main(argv):
    if len(argv) < 3:
        print('usage: check_pages.py SITE_DIR AXE_JS PAGE...', file=sys.stderr)
        return 2
    site, axe_path, pages = os.path.abspath(argv[0]), argv[1], argv[2:]
    axe_src = open(axe_path, encoding='utf-8').read()
    page_js = open(os.path.join(HERE, 'page_checks.js'), encoding='utf-8').read()
    widths = [int(w) for w in (os.environ.get('LOBGEN_BROWSER_WIDTHS') or '320 390').split()]
    jobs = int(os.environ.get('LOBGEN_BROWSER_JOBS') or 2)
    deadline = time.monotonic() + float(os.environ.get('LOBGEN_BROWSER_TIMEOUT') or 600)
    opts = json.dumps({'siteTitle': os.environ.get('LOBGEN_SOURCE_TITLE', ''),
                       'sourceLang': os.environ.get('LOBGEN_SOURCE_LANG', 'nl')})
    reserve_fds()

    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)

    lock = threading.Lock()

    def report(ok, name, why=''):
        with lock:
            print(('OK %s' % name) if ok else ('NO %s: %s' % (name, why)), flush=True)

    def verdict(name, problems, limit=4):
        problems = list(dict.fromkeys(problems))
        report(not problems, name, '; '.join(problems[:limit]) + (' (and %d more)' % (len(problems) - limit) if len(problems) > limit else ''))

    srv = serve(site)
    host = '127.0.0.1:%d' % srv.server_address[1]
    base = 'http://%s/' % host
    browser = Browser(os.environ.get('CHROMIUM') or 'chromium')
    meta_orders = {}
    try:
        browser.send('Browser.getVersion', timeout=30)
        todo = queue.Queue()
        for p in pages:
            todo.put(p)

        def check_page(tab, path):
            url = base + urllib.parse.quote(path)
            for w in widths:
                at = '%s at %dpx' % (path, w)
                reqs = tab.load(url, w)
                foreign = [u for u, _ in reqs if urllib.parse.urlsplit(u).scheme in ('http', 'https', 'ws', 'wss')
                           and urllib.parse.urlsplit(u).netloc != host]
                verdict('%s: no request to another host' % at, foreign)
                failed = ['%s (%s)' % (u, s) for u, s in reqs if s is not None and s >= 400]
                verdict('%s: every request the page makes succeeds' % at, failed)
                tab.key_tab()
                r = json.loads(tab.eval(page_js + '(' + opts + ')'))
                verdict('%s: no sideways scrolling' % at,
                        ['the page is %dpx wide on a %dpx screen: %s' % (r['scrollWidth'], r['width'], ', '.join(r['overflowing']))]
                        if r['scrollWidth'] > r['width'] + 1 else [])
                verdict('%s: nothing runs out of its table cell' % at, r['cellOverflow'])
                verdict('%s: text contrast at least 4.5:1 (3:1 large), computed for every script' % at, r['contrast'])
                verdict('%s: focus outline at least 3:1 (%d controls)' % (at, r['focusChecked']), r['focus'])
                verdict('%s: menu and year links and buttons are 44 x 44 px tap targets' % at, r['targets'])
                if 'handout' in path:
                    verdict('%s: the name field is no narrower than the class field' % at, r['nameLine'])
                if w == widths[0]:
                    verdict('%s: links are separated, not run together' % path, r['runTogether'])
                    verdict('%s: links to a material shown in Dutch carry the not-translated mark' % path, r['unmarked'])
                    verdict('%s: the site title is translated or marked as Dutch' % path, r['dutchUnmarked'])
                    verdict('%s: tags and badges do not break over lines' % path, r['brokenTags'])
                    verdict('%s: numbered steps count in the digits of the page\'s dates' % path, r['listDigits'])
                    verdict('%s: arrows point the way the page reads' % path, r['arrows'])
                    verdict('%s: names an icon of its own (no request for /favicon.ico)' % path,
                            [] if r['icon'] and urllib.parse.urlsplit(r['icon']).netloc == host else ['no <link rel="icon">'])
                    with lock:
                        meta_orders[path] = r['metaOrder']
                # axe-core, WCAG 2.1 A and AA
                tab.eval(axe_src)
                res = json.loads(tab.eval('axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})'
                                          '.then(r => JSON.stringify(r.violations.map(v => [v.id, v.nodes.length, v.nodes[0].target.join(" ")])))'
                                          % json.dumps(AXE_TAGS), await_promise=True))
                verdict('%s: axe-core WCAG 2.1 AA, 0 violations' % at,
                        ['%s on %d nodes (first: %s)' % tuple(v) for v in res])
                # the language menu, opened with a tap
                m = json.loads(tab.eval(MENU_JS))
                if not m.get('none'):
                    tab.click(m['x'], m['y'])
                    o = json.loads(tab.eval(MENU_OPEN_JS))
                    verdict('%s: the opened language menu is entirely on the screen' % at,
                            (o['off'] if o['open'] else ['the menu did not open on a tap']) +
                            (['the open menu makes the page %dpx wide' % o['scroll']] if o['scroll'] > o['width'] + 1 else []))
                    verdict('%s: language menu entries are 44 x 44 px tap targets' % at, o['small'])
            # without JavaScript: every control works and the menu opens
            w = widths[0]
            tab.load(url, w, script=False)
            r = json.loads(tab.eval(page_js + '(' + opts + ')'))
            verdict('%s: complete without JavaScript (nothing needs a script)' % path, r['needsScript'])
            m = json.loads(tab.eval(MENU_JS))
            if not m.get('none'):
                tab.click(m['x'], m['y'])
                o = json.loads(tab.eval(MENU_OPEN_JS))
                verdict('%s without JavaScript at %dpx: the language menu opens on the screen' % (path, w),
                        o['off'] if o['open'] else ['the menu did not open on a tap'])

        def worker():
            tab = None
            try:
                while True:
                    try:
                        path = todo.get_nowait()
                    except queue.Empty:
                        return
                    if time.monotonic() > deadline:
                        report(False, '%s checked in the browser' % path, 'not checked: the run took longer than its limit')
                        continue
                    try:
                        if tab is None:
                            tab = Page(browser)
                        check_page(tab, path)
                    except BrowserGone:
                        report(False, '%s checked in the browser' % path, browser.why_gone())
                        return
                    except Exception as e:
                        report(False, '%s checked in the browser' % path, str(e))
                        if tab is not None:
                            tab.close()
                        tab = None
            finally:
                if tab is not None:
                    tab.close()

        threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        # the meta items of a card come in one order on every page
        pair = {}
        clash = []
        for path in sorted(meta_orders):
            for seq in meta_orders[path]:
                items = seq.split()
                for i, x in enumerate(items):
                    for y in items[i + 1:]:
                        if pair.get((y, x)):
                            clash.append('%s has "%s" before "%s", %s the other way round' % (path, x, y, pair[(y, x)]))
                        pair.setdefault((x, y), path)
        verdict('the meta items of a card are in the same order on every page', clash, 2)

        # the 404 page served at a deep path: every link and the stylesheet
        tab = Page(browser)
        try:
            deep = base + 'nl/thuisopdrachten/bestaat-niet/echt/niet.html'
            reqs = tab.load(deep, widths[0])
            r = json.loads(tab.eval(page_js + '(' + opts + ')'))
            bad = []
            for link in sorted(set(r['links'])):
                parts = urllib.parse.urlsplit(link)
                # a link to a place in the page itself is not another page
                if parts.netloc != host or (parts.fragment and urllib.parse.urlunsplit(parts._replace(fragment='')) == deep):
                    continue
                try:
                    urllib.request.urlopen(urllib.parse.urlunsplit(parts._replace(fragment='')), timeout=10).close()
                except urllib.error.HTTPError as e:
                    bad.append('%s (%d)' % (parts.path, e.code))
            verdict('the 404 page at a deep path: every link resolves (%d links)' % len(set(r['links'])), bad)
            verdict('the 404 page at a deep path: its stylesheet loads',
                    [] if r['styles'] and all(n > 0 for n in r['styles']) and
                    not [u for u, s in reqs if u.endswith('.css') and (s or 0) >= 400] else ['no style rules loaded'])

            # announcement texts, served as text/plain without a charset
            for path in sorted({p.split('/')[0] for p in pages if '/' in p}):
                lang = path
                d = os.path.join(site, lang, 'thuisopdrachten')
                if not os.path.isdir(d):
                    continue
                for slug in sorted(os.listdir(d)):
                    f = os.path.join(d, slug, 'aankondiging.txt')
                    if not os.path.isfile(f):
                        continue
                    want = open(f, 'rb').read().decode('utf-8').lstrip('\ufeff').strip()
                    rel = os.path.relpath(f, site)
                    tab.load(base + urllib.parse.quote(rel), widths[0])
                    got = (tab.eval('document.body.innerText') or '').strip()
                    verdict('%s reads right when served as text/plain without a charset' % rel,
                            [] if ' '.join(got.split()) == ' '.join(want.split()) else
                            ['the browser shows [%s...], the text is [%s...]' % (got[:40], want[:40])])
                    break
        finally:
            tab.close()
    except BrowserGone:
        report(False, 'Chromium ran to the end', browser.why_gone())
        return 1
    finally:
        browser.close()
        srv.shutdown()
        srv.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
