#!/bin/bash
# The example site's navigation works: every relative link and src of every
# page points at a file of the site, and every #fragment at an id on the
# page it names (percent-decoded, as browsers match them).
source "$(dirname "$0")/lib.sh"
out=$TMPROOT/site
"${LOBGEN_REL:-$ROOT/build/lobgen}" build --source "$ROOT" --output "$out" --quiet 2>"$TMPROOT/err"
equal "the example site builds" "$?" 0
pychecks "$out" <<'PY'
import glob, os, re, sys, urllib.parse
root = sys.argv[1]
pages = sorted(glob.glob(os.path.join(root, "**", "*.html"), recursive=True))
cache, links, broken, anchors, unanchored = {}, 0, [], 0, []
for f in pages:
    if f.endswith("/404.html"):
        continue  # its links start at the site's own path on the server
    s = open(f, encoding="utf-8").read()
    for m in re.finditer(r'(?:href|src)="([^"]*)"', s):
        u = m.group(1)
        if not u or re.match(r"^[a-z]+:", u) or u.startswith("/"):
            continue
        path, _, frag = u.partition("#")
        target = os.path.normpath(os.path.join(os.path.dirname(f), urllib.parse.unquote(path))) if path else f
        links += 1
        if not os.path.isfile(target):
            broken.append("%s -> %s" % (os.path.relpath(f, root), u))
            continue
        if frag and target.endswith(".html"):
            anchors += 1
            if target not in cache:
                cache[target] = open(target, encoding="utf-8").read()
            if 'id="%s"' % urllib.parse.unquote(frag) not in cache[target]:
                unanchored.append("%s -> %s" % (os.path.relpath(f, root), u))
print(("OK" if links > 1000 else "NO") + " the pages have links to check: %d" % links)
print(("OK" if not broken else "NO") + " every relative link resolves to a file: %d broken %s" % (len(broken), broken[:5]))
print(("OK" if anchors > 50 and not unanchored else "NO") + " every #fragment names an id on its page: %d of %d broken %s" % (len(unanchored), anchors, unanchored[:5]))
for lang in ("nl", "en", "tr", "ar", "pl", "uk", "ti", "so"):
    home = open(os.path.join(root, lang, "index.html"), encoding="utf-8").read()
    ok = all('%s/leerjaar-%d/index.html' % (lang, n) in home for n in range(1, 5))
    print(("OK" if ok else "NO") + " the %s home links all four leerjaren" % lang)
PY
