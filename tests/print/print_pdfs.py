#!/usr/bin/env python3
"""Print HTML files to PDF with one long-running headless Chromium.

    print_pdfs.py OUT_DIR FILE.html...

Starting a Chromium costs seconds, so one is started and driven over the
DevTools protocol on a pipe (--remote-debugging-pipe: Chromium reads
commands on its fd 3 and writes answers on its fd 4, each message JSON
ending in a NUL byte). A few tabs print side by side (printing is the
renderer's work, one per core keeps them busy); each loads file after file
from its file:// URL and prints it with the page's own @page size.

FILE a/b/c.html is written to OUT_DIR/a_b_c.pdf (the path as given, so pass
paths relative to the site to keep the names short and unique). One line
per file: "OK FILE" or "NO FILE: why". The exit status is 0 even when files
failed (the caller turns the lines into checks); it is 2 only for a wrong
command line. Chromium is always ended, also when this script is stopped.

Environment: LOBGEN_PRINT_JOBS tabs printing at once (default: the number
of cores, at most 4), LOBGEN_PRINT_TIMEOUT seconds for the whole run
(default 600), CHROMIUM the browser to start (default chromium).
"""
import base64
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PAGE_TIMEOUT = 60           # one file: load and print
START_TIMEOUT = 30          # Chromium answering its first command
RESTARTS = 2                # a Chromium that dies is started again this often

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
         '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync',
         '--remote-debugging-pipe']

PRINT_PARAMS = {'preferCSSPageSize': True, 'printBackground': True,
                'displayHeaderFooter': False}


class BrowserGone(Exception):
    """Chromium closed the pipe: every command in flight fails."""


class Timeout(Exception):
    pass


class Browser:
    """One Chromium process and its DevTools pipe.

    A reader thread splits the answers on NUL and hands each to the command
    waiting for its id, or to the event queue of its session; so several
    tabs can be driven at once from worker threads."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix='lobgen-chromium-')
        # our ends: we write commands to cmd_w, read answers from res_r
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        # Chromium expects its ends at exactly fd 3 and 4. Those two numbers
        # are held by /dev/null in this process (reserve_fds), so nothing
        # else lives there: put Chromium's ends there for the start only,
        # then back, so that its death closes the pipe for us.
        os.dup2(cmd_r, 3)
        os.dup2(res_w, 4)
        os.close(cmd_r)
        os.close(res_w)
        try:
            self.proc = subprocess.Popen(
                [binary, *FLAGS, '--user-data-dir=' + self.profile, 'about:blank'],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, pass_fds=(3, 4), start_new_session=True)
        except BaseException:
            os.close(cmd_w)
            os.close(res_r)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        finally:
            reserve_fds()
        self.cmd_w, self.res_r = cmd_w, res_r
        self.lock = threading.Lock()
        self.next_id = 0
        self.waiting = {}       # id -> [threading.Event, answer]
        self.sessions = {}      # sessionId -> queue of events
        self.gone = False
        self.closed = False
        self.stderr_tail = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self):
        # Chromium logs to stderr; a full pipe would stall it. The last
        # lines explain a Chromium that died.
        for line in self.proc.stderr:
            line = line.decode('utf-8', 'replace').rstrip()
            if line and 'dbus' not in line.lower():
                self.stderr_tail = (self.stderr_tail + [line])[-3:]

    def _read(self):
        pending = b''
        try:
            while True:
                chunk = os.read(self.res_r, 1 << 20)
                if not chunk:
                    break
                pending += chunk
                while b'\0' in pending:
                    raw, pending = pending.split(b'\0', 1)
                    self._dispatch(json.loads(raw))
        except (OSError, ValueError):
            pass
        with self.lock:
            self.gone = True
            for slot in self.waiting.values():
                slot[0].set()
            for q in self.sessions.values():
                q.put(None)

    def _dispatch(self, msg):
        with self.lock:
            if 'id' in msg:
                slot = self.waiting.pop(msg['id'], None)
                if slot:
                    slot[1] = msg
                    slot[0].set()
            elif msg.get('sessionId') in self.sessions:
                self.sessions[msg['sessionId']].put(msg)

    def why_gone(self):
        code = self.proc.poll()
        tail = ' | '.join(self.stderr_tail)
        return 'Chromium ended (status %s)%s' % (code, ': ' + tail if tail else '')

    def send(self, method, params=None, session=None, timeout=PAGE_TIMEOUT):
        with self.lock:
            if self.gone:
                raise BrowserGone(self.why_gone())
            self.next_id += 1
            cid = self.next_id
            slot = self.waiting[cid] = [threading.Event(), None]
            msg = {'id': cid, 'method': method, 'params': params or {}}
            if session:
                msg['sessionId'] = session
            data = json.dumps(msg).encode() + b'\0'
            try:
                while data:
                    data = data[os.write(self.cmd_w, data):]
            except OSError:
                self.waiting.pop(cid, None)
                raise BrowserGone(self.why_gone())
        if not slot[0].wait(timeout):
            with self.lock:
                self.waiting.pop(cid, None)
            raise Timeout('%s had no answer in %ds' % (method, timeout))
        answer = slot[1]
        if answer is None:
            raise BrowserGone(self.why_gone())
        if 'error' in answer:
            raise RuntimeError('%s: %s' % (method, answer['error'].get('message', answer['error'])))
        return answer.get('result', {})

    def open_session(self, session):
        with self.lock:
            q = self.sessions[session] = queue.Queue()
            if self.gone:
                q.put(None)
        return q

    def close_session(self, session):
        with self.lock:
            self.sessions.pop(session, None)

    def close(self):
        """End Chromium and everything it started; remove its profile."""
        if self.closed:
            return
        self.closed = True
        if self.proc.poll() is None:
            try:
                # a polite close first, so it does not leave a crash report
                self.send('Browser.close', timeout=3)
            except Exception:
                pass
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                pass
        # the renderers and zygotes are in Chromium's own process group
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                break
            try:
                self.proc.wait(3)
                if sig == signal.SIGTERM:
                    time.sleep(0.2)
            except subprocess.TimeoutExpired:
                pass
        # no command may go out once the pipe is closed: its number could
        # by then belong to the pipe of a Chromium started after this one
        with self.lock:
            self.gone = True
            os.close(self.cmd_w)
        # the same for the reader: its end is closed only after it saw the
        # end of the pipe, which it does once every Chromium process is gone
        self.reader.join(5)
        if not self.reader.is_alive():
            os.close(self.res_r)
        shutil.rmtree(self.profile, ignore_errors=True)


def reserve_fds():
    """Hold fd 3 and 4 with /dev/null, keeping them free for Chromium's pipe
    ends: no pipe or file of this process can be given those numbers."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (3, 4):
        if null != fd:
            os.dup2(null, fd, inheritable=False)
    if null not in (3, 4):
        os.close(null)


def pdf_name(path):
    rel = path[:-5] if path.endswith('.html') else path
    return rel.strip('/').replace('/', '_') + '.pdf'


class Tab:
    """One tab, attached with its own session, reused for file after file:
    a new tab costs a new renderer start. A tab that failed is closed and
    replaced, so one bad page cannot spoil the next."""

    def __init__(self, browser, timeout):
        self.browser = browser
        self.session = None
        self.target = browser.send('Target.createTarget', {'url': 'about:blank'},
                                   timeout=timeout)['targetId']
        try:
            self.session = browser.send('Target.attachToTarget',
                                        {'targetId': self.target, 'flatten': True},
                                        timeout=timeout)['sessionId']
            self.events = browser.open_session(self.session)
            browser.send('Page.enable', session=self.session, timeout=timeout)
        except BaseException:
            self.close()
            raise

    def print_pdf(self, path, out, limit):
        """Load `path` and write its PDF to `out` before `limit`; raise if not."""
        left = lambda: max(0.1, limit - time.monotonic())
        started = time.monotonic()
        b = self.browser
        # events of the page before (none are expected once its load was
        # seen) must not be taken for this page's load
        while True:
            try:
                ev = self.events.get_nowait()
            except queue.Empty:
                break
            if ev is None:
                raise BrowserGone(b.why_gone())
        url = 'file://' + urllib.parse.quote(os.path.abspath(path))
        nav = b.send('Page.navigate', {'url': url}, session=self.session, timeout=left())
        if nav.get('errorText'):
            raise RuntimeError('cannot load %s: %s' % (url, nav['errorText']))
        while True:
            try:
                ev = self.events.get(timeout=left())
            except queue.Empty:
                ev = {}
            if ev is None:
                raise BrowserGone(b.why_gone())
            if ev.get('method') == 'Page.loadEventFired':
                break
            if time.monotonic() >= limit:
                raise Timeout('the page did not finish loading in %.0fs' % (time.monotonic() - started))
        pdf = b.send('Page.printToPDF', PRINT_PARAMS, session=self.session, timeout=left())
        data = base64.b64decode(pdf.get('data', ''))
        if not data.startswith(b'%PDF'):
            raise RuntimeError('Page.printToPDF gave no PDF (%d bytes)' % len(data))
        # written whole or not at all: a half file would pass as printed
        tmp = out + '.part'
        with open(tmp, 'wb') as f:
            f.write(data)
        os.replace(tmp, out)

    def close(self):
        if self.session:
            self.browser.close_session(self.session)
            self.session = None
        try:
            self.browser.send('Target.closeTarget', {'targetId': self.target}, timeout=5)
        except Exception:
            pass


def main(argv):
    if len(argv) < 2:
        print('usage: print_pdfs.py OUT_DIR FILE.html...', file=sys.stderr)
        return 2
    out_dir, files = argv[0], argv[1:]
    reserve_fds()
    os.makedirs(out_dir, exist_ok=True)
    jobs = int(os.environ.get('LOBGEN_PRINT_JOBS') or min(os.cpu_count() or 1, 4))
    jobs = max(1, min(jobs, len(files)))
    total = float(os.environ.get('LOBGEN_PRINT_TIMEOUT') or 600)
    deadline = time.monotonic() + total
    binary = os.environ.get('CHROMIUM') or 'chromium'

    # a stopped script must still end Chromium: turn the signals into an
    # exception so the finally below runs
    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)

    out_lock = threading.Lock()
    def report(line):
        with out_lock:
            print(line, flush=True)

    # the longest files first, so no tab is left with a long pack while the
    # others have finished
    def size(path):
        try:
            return os.path.getsize(path)
        except OSError:
            return 0
    todo = queue.Queue()
    for path in sorted(files, key=size, reverse=True):
        todo.put(path)
    state = {'browser': None, 'restarts': 0, 'why_not': None}
    state_lock = threading.Lock()

    def browser_for(broken=None):
        """The running Chromium; a new one when `broken` is the current one."""
        with state_lock:
            b = state['browser']
            if b is not None and b is not broken:
                return b
            if state['why_not']:
                return None
            if b is not None:
                if state['restarts'] >= RESTARTS:
                    state['why_not'] = b.why_gone()
                    return None
                state['restarts'] += 1
                b.close()
            b = None
            try:
                b = Browser(binary)
                b.send('Browser.getVersion', timeout=START_TIMEOUT)
            except Exception as e:
                if b is not None:
                    try:
                        b.close()
                    except Exception:
                        pass
                state['browser'] = None
                state['why_not'] = 'Chromium did not start: %s' % e
                return None
            state['browser'] = b
            return b

    def worker():
        tab = None
        try:
            while True:
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    return
                if time.monotonic() >= deadline:
                    report('NO %s: not printed, the run took longer than its limit of %gs' % (path, total))
                    continue
                if not os.path.isfile(path):
                    report('NO %s: no such file' % path)
                    continue
                out = os.path.join(out_dir, pdf_name(path))
                why = None
                failed = None   # the Chromium that died under this file
                # a second try only on a fresh Chromium after the first one
                # died: a crash need not be this file's fault
                for _ in range(2):
                    browser = browser_for(broken=failed)
                    if browser is None:
                        why = state['why_not']
                        break
                    if tab is not None and tab.browser is not browser:
                        tab.close()
                        tab = None
                    limit = min(time.monotonic() + PAGE_TIMEOUT, deadline)
                    try:
                        if tab is None:
                            tab = Tab(browser, max(0.1, limit - time.monotonic()))
                        tab.print_pdf(path, out, limit)
                        why = None
                        break
                    except BrowserGone as e:
                        why, failed = str(e), browser
                    except Exception as e:
                        why = str(e) or type(e).__name__
                        if tab is not None:
                            tab.close()
                            tab = None
                        break
                report('OK %s' % path if why is None else 'NO %s: %s' % (path, why))
        finally:
            if tab is not None:
                tab.close()

    try:
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(jobs)]
        for t in threads:
            t.start()
        # the overall guard: past the deadline a worker only reports the
        # files left, and the file it is on has its own timeout, so a worker
        # still running a page timeout later is stuck
        guard = deadline + PAGE_TIMEOUT + 15
        for t in threads:
            t.join(max(0, guard - time.monotonic()))
        if any(t.is_alive() for t in threads):
            report('NO print_pdfs: stopped, the printing did not end in time')
    finally:
        with state_lock:
            # no worker may start a Chromium after this one is ended
            state['why_not'] = 'stopped'
            b = state['browser']
        if b is not None:
            b.close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
