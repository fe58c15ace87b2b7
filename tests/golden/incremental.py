#!/usr/bin/env python3
"""Incremental builds against full builds: random edits to a project, and
after each one an incremental build into the same output and a clean full
build (--full, into a fresh folder); the two trees must be byte-identical,
and a failed build must leave the published site as it was.

usage: incremental.py LOBGEN ROOT WORKDIR EDITS SEED
Prints "OK name" / "NO name: why" lines (tests/golden/lib.sh pychecks)."""
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import time

lobgen, root, work, n_edits, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
proj = os.path.join(work, "p")
stash = os.path.join(work, "stash")  # files of languages not configured now
site = os.path.join(proj, "site")
ALL_LANGS = ["nl", "en", "ar", "tr", "pl", "uk", "so", "ti"]
env = dict(os.environ)
env.pop("SOURCE_DATE_EPOCH", None)


def say(ok, name, why=""):
    print(("OK %s" % name) if ok else ("NO %s: %s" % (name, why)), flush=True)


# ---- the project: the example library in nl, en and ar ----------------------------

os.makedirs(stash)
for d in ("content", "templates", "locales"):
    shutil.copytree(os.path.join(root, d), os.path.join(proj, d))
langs = ["nl", "en", "ar"]


home_cards = None  # home.cards in lobgen.yaml; None: not written (the default, 6)


def set_langs(ls):
    with open(os.path.join(proj, "lobgen.yaml"), "w") as f:
        f.write('title: "LOB samen met ouders"\nschool: "Voorbeeldschool"\n'
                'base_url: "https://lob.example.nl"\nlanguages:\n' + "".join("  - %s\n" % l for l in ls) +
                ("home:\n  cards: %d\n" % home_cards if home_cards is not None else ""))


def lang_of(name):
    m = re.match(r".*\.([a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.(md|po|yaml)$", name)
    return m.group(1) if m else None


def park_language(l):
    """Move every content file of language l into the stash."""
    for dp, _, fs in os.walk(os.path.join(proj, "content")):
        for f in fs:
            if lang_of(f) == l:
                src = os.path.join(dp, f)
                rel = os.path.relpath(src, proj)
                dst = os.path.join(stash, rel)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.replace(src, dst)


def unpark_language(l):
    for dp, _, fs in os.walk(stash):
        for f in fs:
            if lang_of(f) == l:
                src = os.path.join(dp, f)
                rel = os.path.relpath(src, stash)
                dst = os.path.join(proj, rel)
                if os.path.exists(os.path.dirname(dst)):
                    os.replace(src, dst)


for l in ALL_LANGS:
    if l not in langs:
        park_language(l)
set_langs(langs)


def files(top, skip=()):
    out = {}
    for dp, dns, fs in os.walk(top):
        dns[:] = [d for d in dns if os.path.join(dp, d) not in skip]
        for f in fs:
            p = os.path.join(dp, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, top)] = fh.read()
    return out


def snapshot():
    keep = {os.path.join(proj, d) for d in ("site",)}
    return files(proj, keep), files(stash), list(langs), home_cards


def restore(snap):
    global langs, home_cards
    pf, sf, ls, home_cards = snap
    for top, want in ((proj, pf), (stash, sf)):
        for dp, dns, fs in os.walk(top, topdown=False):
            if dp.startswith(site):
                continue
            for f in fs:
                p = os.path.join(dp, f)
                rel = os.path.relpath(p, top)
                if rel not in want and not rel.startswith("."):
                    os.remove(p)
        for rel, data in want.items():
            p = os.path.join(top, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as fh:
                fh.write(data)
    langs = list(ls)


def build(out, full):
    args = [lobgen, "build", "--source", proj, "--output", out]
    if full:
        args.append("--full")
    r = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = re.search(r"(\d+) of (\d+) pages unchanged", r.stderr)
    reused = (int(m.group(1)), int(m.group(2))) if m else (0, None)
    return r.returncode, r.stderr, reused


# ---- edits ------------------------------------------------------------------------

def content_files(ext=(".md",), lang=None):
    out = []
    for dp, _, fs in os.walk(os.path.join(proj, "content")):
        for f in fs:
            if f.endswith(ext) and (lang is None or lang_of(f) == lang):
                out.append(os.path.join(dp, f))
    return sorted(out)


def read(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


def write(p, s):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(s)


def split_fm(s):
    m = re.match(r"(---\n.*?\n---\n)(.*)", s, re.S)
    return (m.group(1), m.group(2)) if m else ("", s)


WORDS = ["ouders", "kind", "school", "stage", "mentor", "beroep", "vraag", "samen", "leerjaar", "keuze"]


def sentence():
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize() + "."


def e_body(n):
    p = rng.choice(content_files())
    fm, body = split_fm(read(p))
    paras = body.split("\n\n")
    i = rng.randrange(len(paras) + 1)
    paras.insert(i, sentence())
    write(p, fm + "\n\n".join(paras))
    return "body of " + os.path.relpath(p, proj)


def e_dutch(n):
    """A translation left (partly) in Dutch: one Dutch paragraph copied
    in, or the whole Dutch body (then it counts as missing, site.h)."""
    trs = [p for p in content_files() if lang_of(os.path.basename(p)) not in ("nl", None)]
    trs = [p for p in trs if os.path.exists(re.sub(r"\.[^./]+\.md$", ".nl.md", p))]
    if not trs:
        return e_body(n)
    p = rng.choice(trs)
    fm, body = split_fm(read(p))
    _, dutch = split_fm(read(re.sub(r"\.[^./]+\.md$", ".nl.md", p)))
    if rng.random() < 0.3:
        write(p, fm + dutch)
        return "all of %s back to Dutch" % os.path.relpath(p, proj)
    paras = [x for x in dutch.split("\n\n") if len(x.split()) >= 4 and not x.startswith("```")]
    if not paras:
        return e_body(n)
    mine = body.split("\n\n")
    mine.insert(rng.randrange(len(mine) + 1), rng.choice(paras).strip("\n"))
    write(p, fm + "\n\n".join(mine))
    return "a Dutch paragraph in " + os.path.relpath(p, proj)


def e_heading(n):
    p = rng.choice(content_files(lang="nl"))
    fm, body = split_fm(read(p))
    write(p, fm + body + "\n## Extra %d\n\n%s\n" % (n, sentence()))
    return "heading in " + os.path.relpath(p, proj)


def e_title(n):
    p = rng.choice(content_files())
    s = read(p)
    s2 = re.sub(r'^title: "(.*)"$', lambda m: 'title: "%s %d"' % (m.group(1), n), s, count=1, flags=re.M)
    write(p, s2)
    return "title of " + os.path.relpath(p, proj)


def e_frontmatter(n):
    p = rng.choice(content_files(lang="nl"))
    s = read(p)
    what = rng.choice(["week", "leerjaar", "summary"])
    if what == "week" and re.search(r"^week: ", s, re.M):
        s = re.sub(r"^week: .*$", "week: %d" % rng.randint(1, 52), s, count=1, flags=re.M)
    elif what == "leerjaar":
        s = re.sub(r"^leerjaar: .*$", "leerjaar: %d" % rng.randint(1, 4), s, count=1, flags=re.M)
    else:
        s = re.sub(r'^summary: "(.*)"$', lambda m: 'summary: "%s %d"' % (m.group(1), n), s, count=1, flags=re.M)
    write(p, s)
    return "%s of %s" % (what, os.path.relpath(p, proj))


def templates():
    out = []
    for dp, _, fs in os.walk(os.path.join(proj, "templates")):
        for f in fs:
            if f.endswith(".mustache"):
                out.append(os.path.join(dp, f))
    return sorted(out)


def e_template(n):
    p = rng.choice(templates())
    s = read(p)
    # visible in the output: a comment before the last line
    s = s.rstrip("\n")
    cut = s.rfind("\n")
    mark = "<!-- e%d -->" % n if not p.endswith((".xml.mustache",)) else "<!-- e%d -->" % n
    s = s[:cut + 1] + mark + "\n" + s[cut + 1:] + "\n" if cut >= 0 else s + mark + "\n"
    write(p, s)
    return "template " + os.path.relpath(p, proj)


def e_override(n):
    """A template for one language or leerjaar, or one taken away again."""
    over = [p for p in templates() if re.search(r"templates/([a-z]{2}|leerjaar-\d)/", p)]
    if over and rng.random() < 0.4:
        p = rng.choice(over)
        os.remove(p)
        return "removed override " + os.path.relpath(p, proj)
    name = rng.choice(["partials/card", "material", "layout", "partials/switcher", "handout", "blocks/tip"])
    scope = rng.choice([rng.choice(langs), "leerjaar-%d" % rng.randint(1, 4),
                        "%s/leerjaar-%d" % (rng.choice(langs), rng.randint(1, 4))])
    src = read(os.path.join(proj, "templates", name + ".mustache"))
    dst = os.path.join(proj, "templates", scope, name + ".mustache")
    write(dst, src.rstrip("\n") + "<!-- o%d -->\n" % n)
    return "override " + os.path.relpath(dst, proj)


def extend_quoted_line(p, pattern, extra, first=0):
    """Put extra before the closing quote of one line of file p (from line
    index first on) that matches pattern, chosen at random; that line as
    it now reads, or None when no line matches."""
    lines = read(p).split("\n")
    cand = [i for i, x in enumerate(lines) if re.match(pattern, x) and i >= first]
    if not cand:
        return None
    i = rng.choice(cand)
    lines[i] = lines[i][:-1] + extra + '"'
    write(p, "\n".join(lines))
    return lines[i]


def e_locale(n):
    l = rng.choice(langs)
    p = os.path.join(proj, "locales", l + ".yaml")
    line = extend_quoted_line(p, r'^  [a-z_]+: "[^"{}]+"$', " %d" % n)
    return "locale %s: %s" % (l, line.strip().split(":")[0])


def e_glossary(n):
    gs = [p for p in content_files((".yaml",)) if "woordenlijst" in p]
    p = rng.choice(gs)
    if extend_quoted_line(p, r'^  text: ".*"$', " Extra %d." % n) is None:
        return "glossary (nothing to edit)"
    return "glossary " + os.path.relpath(p, proj)


def e_asset(n):
    p = os.path.join(proj, "templates", "assets", rng.choice(["style.css", "print.css"]))
    write(p, read(p) + "/* e%d */\n" % n)
    return "asset " + os.path.relpath(p, proj)


def e_config(n):
    p = os.path.join(proj, "lobgen.yaml")
    s = read(p)
    s = re.sub(r'^title: "(.*)"$', lambda m: 'title: "%s %d"' % (m.group(1).split(" ~")[0], n), s, count=1, flags=re.M)
    write(p, s)
    return "config title"


# The home pages show the materials whose date or deadline comes first
# from the build's stamp day (generator/home.h), which without
# SOURCE_DATE_EPOCH is the content's last change: dates around today move
# materials across that day, and so do modification times.
TODAY = datetime.date.today()


def some_day():
    return TODAY + datetime.timedelta(days=rng.randint(-60, 60))


def e_date(n):
    p = rng.choice(content_files(lang="nl"))
    s = read(p)
    field = "deadline" if "/thuisopdrachten/" in p else "date"
    d = some_day()
    if rng.random() < 0.2:
        value = None  # no date at all
    elif field == "date" and rng.random() < 0.5:
        value = '"%s %02d:%02d"' % (d.isoformat(), rng.randint(8, 21), rng.choice([0, 30]))
    else:
        value = d.isoformat()
    s = re.sub(r"^%s: .*\n" % field, "", s, count=1, flags=re.M)
    if value:
        s = s.replace("---\n", "---\n%s: %s\n" % (field, value), 1)
    write(p, s)
    return "%s of %s: %s" % (field, os.path.relpath(p, proj), value)


def e_mtime(n):
    """The last change moves the stamp day, and with it what comes first."""
    p = rng.choice(content_files() + [os.path.join(proj, "lobgen.yaml")])
    t = time.time() + 86400 * rng.randint(-60, 60)
    os.utime(p, (t, t))
    return "modification time of %s" % os.path.relpath(p, proj)


def e_home_cards(n):
    global home_cards
    home_cards = rng.choice([None, 0, 1, 2, 3, 6])
    set_langs(langs)
    return "home.cards: %s" % home_cards


def refs_to(kind, slug):
    pat = re.compile(r"\b%s/%s\b" % (kind, re.escape(slug)))
    return [p for p in content_files() if pat.search(split_fm(read(p))[0])]


def e_delete(n):
    if rng.random() < 0.5:
        tr = [p for p in content_files() if lang_of(p) != "nl"]
        if tr:
            p = rng.choice(tr)
            os.remove(p)
            return "deleted translation " + os.path.relpath(p, proj)
    p = rng.choice(content_files(lang="nl"))
    kind, slug = os.path.basename(os.path.dirname(p)), os.path.basename(p)[:-len(".nl.md")]
    if len(content_files(lang="nl")) <= 3 or [r for r in refs_to(kind, slug) if not os.path.basename(r).startswith(slug + ".")]:
        return "delete skipped (linked from another material)"
    for q in content_files((".md", ".po")):
        if os.path.basename(q).startswith(slug + ".") and os.path.dirname(q) == os.path.dirname(p):
            os.remove(q)
    return "deleted material %s/%s" % (kind, slug)


def e_rename(n):
    p = rng.choice(content_files(lang="nl"))
    kind, slug = os.path.basename(os.path.dirname(p)), os.path.basename(p)[:-len(".nl.md")]
    new = "%s-r%d" % (slug.split("-r")[0], n)
    for q in content_files((".md", ".po")):
        if os.path.dirname(q) == os.path.dirname(p) and os.path.basename(q).startswith(slug + "."):
            os.replace(q, os.path.join(os.path.dirname(q), new + os.path.basename(q)[len(slug):]))
    for q in content_files():
        s = read(q)
        s2 = re.sub(r"\b%s/%s\b" % (kind, re.escape(slug)), "%s/%s" % (kind, new), s)
        if s2 != s:
            write(q, s2)
    return "renamed %s/%s to %s" % (kind, slug, new)


def e_new_material(n):
    p = rng.choice(content_files(lang="nl"))
    fm, body = split_fm(read(p))
    fm = re.sub(r"^(prepares|follows):.*$\n?", "", fm, flags=re.M)
    fm = re.sub(r'^title: "(.*)"$', lambda m: 'title: "Nieuw %d"' % n, fm, count=1, flags=re.M)
    q = os.path.join(os.path.dirname(p), "nieuw-%d.nl.md" % n)
    write(q, fm + body)
    return "new material " + os.path.relpath(q, proj)


def e_language(n):
    global langs
    if len(langs) > 2 and rng.random() < 0.4:
        l = rng.choice(langs[1:])
        langs.remove(l)
        park_language(l)
        set_langs(langs)
        return "language %s removed" % l
    free = [l for l in ALL_LANGS if l not in langs]
    if not free:
        return "language (all configured)"
    l = rng.choice(free)
    langs.append(l)
    unpark_language(l)
    set_langs(langs)
    return "language %s added" % l


def e_po(n):
    pos = content_files((".po",))
    if not pos:
        return e_language(n)
    p = rng.choice(pos)
    # past the header entry's msgstr
    if extend_quoted_line(p, r'^msgstr ".+"$', " %d" % n, first=3) is None:
        return "po (nothing to edit)"
    return "PO " + os.path.relpath(p, proj)


def swap_letter(text, lo, hi):
    """One lowercase letter in text[lo:hi] replaced by another: the same
    length, so only the bytes tell the two versions apart."""
    idx = [i for i in range(lo, hi) if "a" <= text[i] <= "z"]
    if not idx:
        return text
    i = rng.choice(idx)
    return text[:i] + rng.choice([c for c in "aeiounrst" if c != text[i]]) + text[i + 1:]


def e_letter(n):
    """A typo fixed: same length, other bytes (body, a translation, a locale string, a template)."""
    what = rng.choice(["body", "locale", "template"])
    if what == "body":
        p = rng.choice(content_files())
        s = read(p)
        fm, body = split_fm(s)
        write(p, fm + swap_letter(body, 0, len(body)))
    elif what == "locale":
        p = os.path.join(proj, "locales", rng.choice(langs) + ".yaml")
        lines = read(p).split("\n")
        cand = [i for i, x in enumerate(lines) if re.match(r'^  [a-z_]+: "[^"{}]+"$', x)]
        i = rng.choice(cand)
        start = lines[i].index('"') + 1
        lines[i] = swap_letter(lines[i], start, len(lines[i]) - 1)
        write(p, "\n".join(lines))
    else:
        p = rng.choice([t for t in templates() if "blocks/" in t or "partials/" in t or t.endswith("material.mustache")])
        s = read(p)
        # a letter of the text between tags, not of a tag
        spans = [(m.start(), m.end()) for m in re.finditer(r">([^<>{}]+)<", s)]
        if spans:
            lo, hi = rng.choice(spans)
            s = swap_letter(s, lo, hi)
        write(p, s)
    return "letter in " + os.path.relpath(p, proj)


def e_error(n):
    p = rng.choice(content_files(lang="nl"))
    s = read(p)
    write(p, s.replace("---\n", "---\nleerjaar: 9\nleerjaar: 9\n", 1))
    return "error in " + os.path.relpath(p, proj)


EDITS = [(e_body, 14), (e_heading, 4), (e_title, 6), (e_frontmatter, 8), (e_template, 8), (e_override, 5),
         (e_locale, 6), (e_glossary, 4), (e_asset, 3), (e_config, 2), (e_delete, 4), (e_rename, 4),
         (e_new_material, 4), (e_language, 4), (e_po, 5), (e_letter, 10), (e_error, 3), (e_date, 8), (e_mtime, 4),
         (e_home_cards, 3), (e_dutch, 5)]
pool = [f for f, w in EDITS for _ in range(w)]

# ---- the run ------------------------------------------------------------------------

rc, err, _ = build(site, False)
say(rc == 0, "the first build of the project succeeds", err[-300:])
rc, err, (reused, total) = build(site, False)
say(rc == 0 and total and reused == total, "a build with nothing changed reuses every page",
    "%s of %s reused; %s" % (reused, total, err[-200:]))
say(not [f for f in os.listdir(site) if "manifest" in f], "the manifest is not inside the published site")

# ---- each kind of input a unit's key holds (generator/inputkey.h), one edit
# each: the pages named must change (else the edit tests nothing), and the
# incremental build must equal a full one. A dependency missing from the key
# leaves those pages stale in the incremental build.

def targeted(name, edit, changed, stderr_has=None):
    before = files(site)
    edit()
    full = os.path.join(work, "full")
    shutil.rmtree(full, ignore_errors=True)
    rc_f, err_f, _ = build(full, True)
    rc_i, err_i, (reused, total) = build(site, False)
    a, b = files(site), files(full)
    why = []
    if rc_f or rc_i:
        why.append("build failed: %s" % (err_f or err_i)[-300:])
    diff = sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])
    if diff:
        why.append("%d files differ from a full build, e.g. %s" % (len(diff), diff[:3]))
    same = [c for c in changed if before.get(c) == b.get(c)]
    if not changed:
        why.append("no page named to change")
    if same:
        why.append("the edit did not change %s (the check tests nothing)" % same)
    if not reused:
        why.append("nothing was reused")
    if stderr_has and stderr_has not in err_i:
        why.append("the incremental build did not say %r: %s" % (stderr_has, err_i[-300:]))
    say(not why, "incremental equals full after: " + name, "; ".join(why))


def p_(rel):
    return os.path.join(proj, rel)


def sub(rel, old, new):
    s = read(p_(rel))
    assert old in s, (rel, old)
    write(p_(rel), s.replace(old, new, 1))


WAT = "content/thuisopdrachten/wat-kan-ik"
GESPREK = "gesprekken/gesprek-kwaliteiten-en-motieven"
# a link across years: the two are in different packs, so nothing but the
# key of the linking material brings its page up to date
AVOND = "content/ouderavonden/ouderavond-leerjaar-1"  # leerjaar 1, prepares:
FAMILIE = "thuisopdrachten/beroepen-in-de-familie"   # leerjaar 2
targeted("the title of a material another one links to (prepares/follows), in another year",
         lambda: sub(AVOND + ".nl.md", 'title: "', 'title: "Eerste '),
         ["nl/%s/index.html" % FAMILIE])
targeted("a linked material's translation removed (its card there shows the Dutch title, not translated)",
         lambda: os.remove(p_(AVOND + ".en.md")),
         ["en/%s/index.html" % FAMILIE])
targeted("an interface string in a locale (every page of that language)",
         lambda: sub("locales/en.yaml", 'kind_gesprek: "Conversation"', 'kind_gesprek: "Talk"'),
         ["en/%s/index.html" % GESPREK, "en/index.html"])
targeted("a translation marked reviewed",
         lambda: sub("content/gesprekken/gesprek-mbo-keuze.en.md", "reviewed: false", "reviewed: true"),
         ["en/gesprekken/gesprek-mbo-keuze/index.html"])
t_later = os.path.getmtime(p_("content/gesprekken/gesprek-mbo-keuze.nl.md")) + 86400 * 3
targeted("the last change of a dated material (its calendar file's DTSTAMP)",
         lambda: os.utime(p_("content/gesprekken/gesprek-mbo-keuze.nl.md"), (t_later, t_later)),
         ["nl/gesprekken/gesprek-mbo-keuze/agenda.ics"])
targeted("a block template (the material using it and its year's pack)",
         lambda: sub("templates/blocks/tip.mustache", 'role="note"', 'role="note" data-e="1"'),
         [k for k, v in files(site).items() if b'block-tip' in v and k.endswith("handout.html")][:1] +
         [k for k, v in files(site).items() if b'block-tip' in v and "handouts" in k][:1])
targeted("a code block written before its block template exists",
         lambda: sub(WAT + ".nl.md", "## Voor ouders\n", "## Voor ouders\n\n```nieuwblok\nEen regel.\n```\n"),
         ["nl/thuisopdrachten/wat-kan-ik/index.html"])
targeted("a block template added under a name a material already uses as code",
         lambda: write(p_("templates/blocks/nieuwblok.mustache"), '<div class="nieuw">{{{content}}}</div>\n'),
         ["nl/thuisopdrachten/wat-kan-ik/index.html"])
targeted("a misspelt block name: the warning",
         lambda: sub(WAT + ".nl.md", "## Voor ouders\n", "## Voor ouders\n\n```tipp\nEen tip.\n```\n"),
         ["nl/thuisopdrachten/wat-kan-ik/index.html"], stderr_has="did you mean 'tip'")
rc, err, (reused, total) = build(site, False)
say(rc == 0 and reused == total and "did you mean 'tip'" in err,
    "a material reused whole gives its warnings again", err[-300:])
# the home pages (generator/home.h): a date moved before the stamp day, the
# stamp day moved by a modification time alone, home.cards changed
MBO = "content/gesprekken/gesprek-mbo-keuze.nl.md"
targeted("a date moved to before the stamp day (the home's order)",
         lambda: write(p_(MBO), re.sub(r"^date: .*$", "date: %s" % (TODAY - datetime.timedelta(days=400)).isoformat(),
                                       read(p_(MBO)), count=1, flags=re.M)),
         ["nl/index.html"])
def stamp_later():
    # a year on: every date of the example has passed, so the home shows
    # the most recent first; nothing but the stamp day changed for the home
    t = time.time() + 86400 * 365
    os.utime(p_("content/thuisopdrachten/wat-kan-ik.en.md"), (t, t))


targeted("the stamp day moved by a file's modification time alone (the home's choice)", stamp_later,
         ["nl/index.html", "ar/index.html"])
home_cards = 1
targeted("home.cards changed", lambda: set_langs(langs), ["nl/index.html", "en/index.html"])


def glossary_text():
    lines = read(p_("content/woordenlijst.nl.yaml")).split("\n")
    i = [i for i, x in enumerate(lines) if re.match(r'^  text: ".*"$', x)][0]
    lines[i] = lines[i][:-1] + ' Nog een zin."'
    write(p_("content/woordenlijst.nl.yaml"), "\n".join(lines))


targeted("a glossary explanation", glossary_text, ["nl/woordenlijst/index.html"])
targeted("the sitemap's template (a list page written without emit)",
         lambda: sub("templates/sitemap.xml.mustache", "</urlset>", "<!-- t -->\n</urlset>"), ["sitemap.xml"])

spare = os.path.join(proj, ".site.lobgen-spare")


def ino(p):
    try:
        return os.lstat(p).st_ino
    except OSError:
        return None


mismatches, errors_ok, total_reused, total_pages, builds, in_spare = [], 0, 0, 0, 0, 0
for n in range(1, n_edits + 1):
    snap = snapshot()
    before = files(site)
    what = rng.choice(pool)(n)
    full = os.path.join(work, "full")
    shutil.rmtree(full, ignore_errors=True)
    rc_f, err_f, _ = build(full, True)
    spare_was = ino(spare)
    rc_i, err_i, (reused, total) = build(site, False)
    # the previous site kept beside the output (write.h) is what this build
    # was made in: its folder is the site now
    if rc_i == 0 and spare_was is not None and ino(site) == spare_was:
        in_spare += 1
    if rc_f != 0:
        # the edit broke the project: both builds fail, the site stays
        if rc_i == 0 or files(site) != before:
            mismatches.append("%d %s: a failed build changed the site (rc %d)" % (n, what, rc_i))
        else:
            errors_ok += 1
        restore(snap)
        continue
    if rc_i != 0:
        mismatches.append("%d %s: incremental build failed: %s" % (n, what, err_i[-200:]))
        restore(snap)
        continue
    builds += 1
    total_reused += reused
    total_pages += total or 0
    a, b = files(site), files(full)
    if a != b:
        diff = sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])
        mismatches.append("%d %s: %d files differ, e.g. %s" % (n, what, len(diff), diff[:3]))
    # now and then, things the manifest must survive
    t = rng.random()
    if t < 0.04:
        with open(os.path.join(proj, ".site.lobgen-manifest"), "r+b") as f:
            f.seek(rng.randrange(max(1, os.path.getsize(f.name) - 1)))
            f.write(b"\x00garbage")
    elif t < 0.06:
        os.remove(os.path.join(proj, ".site.lobgen-manifest"))
    elif t < 0.10:
        # someone edits a published page in place: the next build replaces it
        pages = [k for k in a if k.endswith(".html")]
        with open(os.path.join(site, rng.choice(pages)), "ab") as f:
            f.write(b"<!-- edited by hand -->")
    elif t < 0.12:
        # or replaces it with another file
        k = rng.choice([k for k in a if k.endswith(".html")])
        os.remove(os.path.join(site, k))
        with open(os.path.join(site, k), "wb") as f:
            f.write(b"other")
    elif t < 0.14:
        # adds a file to the published site, or removes one: the site is
        # the spare of a later build, which must not keep either change
        k = rng.choice([k for k in a if k.endswith(".html")])
        if rng.random() < 0.5:
            with open(os.path.join(site, os.path.dirname(k), "by-hand.html"), "wb") as f:
                f.write(b"added")
        else:
            os.remove(os.path.join(site, k))
    elif t < 0.17 and os.path.isdir(spare):
        # or edits the spare: a page in place (a file it shares with the
        # site, so the site's too), a page removed, a file added
        ks = [k for k in a if k.endswith(".html") and os.path.isfile(os.path.join(spare, k))]
        if ks:
            k, r = rng.choice(ks), rng.random()
            if r < 0.4:
                with open(os.path.join(spare, k), "ab") as f:
                    f.write(b"<!-- edited by hand -->")
            elif r < 0.7:
                os.remove(os.path.join(spare, k))
            else:
                with open(os.path.join(spare, os.path.dirname(k), "by-hand.html"), "wb") as f:
                    f.write(b"added")

say(not mismatches, "%d random edits: every incremental build is byte-identical to a full build" % n_edits,
    "; ".join(mismatches[:5]))
say(errors_ok > 0 or n_edits < 50, "edits that break the project leave the published site as it was (%d)" % errors_ok,
    "no failing edit was tried")
say(builds and in_spare >= builds // 2,
    "most incremental builds are made in the spare, the site the build before replaced (%d of %d)" % (in_spare, builds),
    "only %d of %d" % (in_spare, builds))
share = total_reused / total_pages if total_pages else 0
say(share > 0.5, "incremental builds reuse most pages (%.0f%% over %d builds)" % (100 * share, builds),
    "only %.0f%% reused" % (100 * share))
