#!/bin/bash
# The year's line and the parents' channels on the line fixture (nl, tr,
# ar; leerjaar 2: kwaliteiten week 4 -> voortgang week 8 -> presentaties
# week 14, netwerk week 10 without a follow-up, zonder-datum without a
# week): the line checks, the leerjaar page, agenda.ics (read back with
# python3-icalendar), aankondiging.txt, every block, the glossary.
source "$(dirname "$0")/lib.sh"

K=content/thuisopdrachten/kwaliteiten.nl.md
N=content/thuisopdrachten/netwerk.nl.md
V=content/gesprekken/voortgang.nl.md
O=content/ouderavonden/presentaties.nl.md

# variant SCRIPT: a fresh copy of the fixture, changed by SCRIPT (run in
# it), then built; sets W (its path), WRC (exit status), WERR (stderr file)
variant() {
  W=$(project line)
  (cd "$W" && bash -c "$1")
  WERR=$W.err
  "$LOBGEN" build --source "$W" --quiet 2>"$WERR" >/dev/null
  WRC=$?
}
# err_has NAME TEXT: the last variant's stderr has a line with TEXT
err_has() {
  if grep -qF -- "$2" "$WERR"; then pass "$1"; else fail "$1" "stderr lacks [$2]: $(head -c 500 "$WERR" | tr '\n' '|')"; fi
}
# line_slugs FILE: the slugs of a leerjaar page's steps, in page order
line_slugs() { sed -n '/<ol class="line">/,/<\/ol>/p' "$1" | grep -o '<h3 class="card-title"><a href="[^"]*"' | sed 's|.*/\([^/]*\)/index.html"|\1|' | paste -sd' '; }
# step FILE SLUG: the <li> of one material on a leerjaar page
step() { awk -v s="/$2/index.html" '/<li class="step/ {buf = ""; on = 1} on {buf = buf $0 "\n"} on && /^ *<\/li>$/ {on = 0; if (index(buf, s)) printf "%s", buf}' "$1"; }

P=$(project line)
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/build.err"
rc=$?
equal "build exits 0" "$rc" 0
[ $rc -eq 0 ] || head -n 5 "$TMPROOT/build.err"
check "a clean line gives no warnings" test ! -s "$TMPROOT/build.err"
S=$P/site

# ---- the line checks
variant "sed -i 's|^prepares: gesprekken/voortgang|prepares: gesprekken/bestaat-niet|' $K"
equal "prepares to nothing: exit 1" "$WRC" 1
err_has "prepares to nothing: file:line:col and the name" "$K:8:11: error: prepares names gesprekken/bestaat-niet, which does not exist"
"$LOBGEN" check --source "$W" >/dev/null 2>&1
equal "prepares to nothing: check exits 1 too" "$?" 1

variant "sed -i 's|^follows: gesprekken/voortgang|follows: gesprekken/nergens|' $O"
equal "follows to nothing: exit 1" "$WRC" 1
err_has "follows to nothing: file:line:col and the name" "$O:8:10: error: follows names gesprekken/nergens, which does not exist"

variant "sed -i '/^date:/a prepares: thuisopdrachten/kwaliteiten' $V"
equal "a cycle of two: exit 0" "$WRC" 0
check "a cycle of two: a warning naming both materials" \
  grep -E "warning: .*cycle.*(gesprekken/voortgang.*thuisopdrachten/kwaliteiten|thuisopdrachten/kwaliteiten.*gesprekken/voortgang)" "$WERR"
exists "a cycle of two: the site is still built" "$W/site/nl/leerjaar-2/index.html"

variant "sed -i '/^duration:/a prepares: thuisopdrachten/kwaliteiten' $O"
equal "a cycle of three: exit 0" "$WRC" 0
check "a cycle of three: a warning naming the closing link" \
  grep -E "warning: .*cycle.*(ouderavonden/presentaties.*thuisopdrachten/kwaliteiten|thuisopdrachten/kwaliteiten.*ouderavonden/presentaties)" "$WERR"

variant "sed -i '/^deadline:/a follows: ouderavonden/presentaties' $N"
equal "follows something later: exit 0" "$WRC" 0
err_has "follows something later: a warning at the follows value" "$N:8:10: warning: follows names ouderavonden/presentaties, which comes later in the year"

variant "sed -i 's/^leerjaar: 2/leerjaar: 1/' $N; sed -i '/^deadline:/a follows: gesprekken/voortgang' $N"
equal "follows something in a later leerjaar: exit 0" "$WRC" 0
err_has "follows something in a later leerjaar: a warning" "follows names gesprekken/voortgang, which comes later in the year (leerjaar 2, week 8)"

# "presentaties prepares netwerk" is the same link as "netwerk follows
# presentaties": written from either side, it goes back in the year
variant "sed -i '/^duration:/a prepares: thuisopdrachten/netwerk' $O"
equal "prepares something earlier: exit 0" "$WRC" 0
check "prepares something earlier: a warning like the follows one" grep -qE "$O:[0-9]+:[0-9]+: warning: .*thuisopdrachten/netwerk" "$WERR"

# ---- the leerjaar page
L2=$S/nl/leerjaar-2/index.html
equal "the leerjaar page lists the year in week order, no week last" "$(line_slugs "$L2")" \
  "kwaliteiten voortgang netwerk presentaties zonder-datum"
equal "the Arabic leerjaar page has the same order" "$(line_slugs "$S/ar/leerjaar-2/index.html")" \
  "kwaliteiten voortgang netwerk presentaties zonder-datum"
step "$L2" netwerk >"$TMPROOT/step.netwerk"
step "$L2" kwaliteiten >"$TMPROOT/step.kwaliteiten"
step "$L2" zonder-datum >"$TMPROOT/step.zonder"
contains "a thuisopdracht nothing follows up is flagged" "$TMPROOT/step.netwerk" '<p class="warning">'
lacks "a thuisopdracht a gesprek follows up is not flagged" "$TMPROOT/step.kwaliteiten" 'class="warning"'
contains "a thuisopdracht without a week is flagged too" "$TMPROOT/step.zonder" '<p class="warning">'
step "$S/ar/leerjaar-2/index.html" netwerk >"$TMPROOT/step.ar"
contains "the flag is in the reader's language" "$TMPROOT/step.ar" '<p class="warning">لم يُحدَّد بعدُ موعد'
contains "the flag is on the material page too" "$S/nl/thuisopdrachten/netwerk/index.html" '<p class="warning">'
lacks "no flag on a followed-up material page" "$S/nl/thuisopdrachten/kwaliteiten/index.html" 'class="warning"'
lacks "no flag for a gesprek" "$S/nl/gesprekken/voortgang/index.html" 'class="warning"'
contains "the leerjaar page shows what a step prepares" "$TMPROOT/step.kwaliteiten" \
  'Bereidt voor op:</p><ul><li><a href="../../nl/gesprekken/voortgang/index.html" lang="nl" dir="ltr">Voortgangsgesprek</a>'
lacks "a step without a week shows no empty week label" "$TMPROOT/step.zonder" '<span class="week"></span>'

variant "sed -i 's|^follows: gesprekken/voortgang|follows: [gesprekken/voortgang, thuisopdrachten/netwerk]|' $O"
step "$W/site/nl/leerjaar-2/index.html" netwerk >"$TMPROOT/v.step"
lacks "a follows from the evening's side counts as a follow-up" "$TMPROOT/v.step" 'class="warning"'
variant "sed -i '/^deadline:/a prepares: thuisopdrachten/zonder-datum' $N"
step "$W/site/nl/leerjaar-2/index.html" netwerk >"$TMPROOT/v.step"
contains "another thuisopdracht is no follow-up" "$TMPROOT/v.step" '<p class="warning">'
variant "sed -i 's/^week: 10/week: 2/' $N"
equal "a week change moves the step" "$(line_slugs "$W/site/nl/leerjaar-2/index.html")" \
  "netwerk kwaliteiten voortgang presentaties zonder-datum"

# ---- agenda.ics
"$LOBGEN" build --source "$P" --output "$TMPROOT/second" --quiet 2>/dev/null
pychecks "$S" "$TMPROOT/second" <<'PYEOF'
import datetime, glob, html, os, re, sys
from icalendar import Calendar
site, second = sys.argv[1], sys.argv[2]
def ok(name, cond, why=""):
    print(("OK %s" % name) if cond else ("NO %s: %s" % (name, why)))
files = sorted(glob.glob(os.path.join(site, "*", "*", "*", "agenda.ics")))
rel = sorted(os.path.relpath(f, site) for f in files)
want = sorted("%s/%s/agenda.ics" % (l, m) for l in ("nl", "tr", "ar") for m in
              ("thuisopdrachten/kwaliteiten", "thuisopdrachten/netwerk", "gesprekken/voortgang", "ouderavonden/presentaties"))
ok("ics: one per dated material and language, none for the undated", rel == want, "got %r" % rel)
def page(f):
    return open(os.path.join(os.path.dirname(f), "index.html"), encoding="utf-8").read()
def title(f):
    return html.unescape(re.search(r"<h1>(.*?)</h1>", page(f), re.S).group(1))
def uids(root):
    r = {}
    for f in sorted(glob.glob(os.path.join(root, "*", "*", "*", "agenda.ics"))):
        c = Calendar.from_ical(open(f, "rb").read())
        r[os.path.relpath(f, root)] = [str(e.get("UID")) for e in c.walk("VEVENT")]
    return r
bad = {"parse": [], "one": [], "summary": [], "crlf": [], "long": [], "utf8": [], "allday": [], "timed": []}
folded = 0
for f in files:
    raw = open(f, "rb").read()
    name = os.path.relpath(f, site)
    if not raw.endswith(b"\r\n") or raw.replace(b"\r\n", b"").find(b"\n") >= 0 or raw.replace(b"\r\n", b"").find(b"\r") >= 0:
        bad["crlf"].append(name)
    for ln in raw.split(b"\r\n"):
        if len(ln) > 75:
            bad["long"].append("%s (%d)" % (name, len(ln)))
        try:
            ln.decode("utf-8")
        except UnicodeDecodeError:
            bad["utf8"].append(name)
        folded += ln.startswith(b" ")
    try:
        cal = Calendar.from_ical(raw)
    except Exception as e:
        bad["parse"].append("%s: %s" % (name, e)); continue
    evs = list(cal.walk("VEVENT"))
    if len(evs) != 1:
        bad["one"].append("%s has %d" % (name, len(evs))); continue
    ev = evs[0]
    # in a right-to-left language the left-to-right runs are isolated
    # (FSI ... PDI; tests/golden/bidi.sh checks how a reader sees them)
    t, s = title(f), str(ev.get("SUMMARY")).replace("\u2068", "").replace("\u2069", "")
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    if "/thuisopdrachten/" in f:
        m = re.search(r"<div><dt>([^<]*)</dt><dd><time[^>]*>", page(f))
        want_s = "%s: %s" % (html.unescape(m.group(1)) if m else "?", t)
    else:
        want_s = t
    if s != want_s:
        bad["summary"].append("%s: %r, want %r" % (name, s, want_s))
    if "/presentaties/" in f:
        if not (isinstance(start, datetime.datetime) and start.tzinfo is not None and
                (start.year, start.month, start.day, start.hour, start.minute) == (2026, 11, 26, 19, 0) and
                end - start == datetime.timedelta(minutes=105)):
            bad["timed"].append("%s: %r .. %r" % (name, start, end))
    else:
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date) or end - start != datetime.timedelta(days=1):
            bad["allday"].append("%s: %r .. %r" % (name, start, end))
ok("ics: every file parses", not bad["parse"], bad["parse"])
ok("ics: exactly one VEVENT each", not bad["one"], bad["one"])
ok("ics: SUMMARY is the title (a deadline's with the deadline label)", not bad["summary"], bad["summary"])
ok("ics: every line ends in CRLF", not bad["crlf"], bad["crlf"])
ok("ics: no line longer than 75 octets", not bad["long"], bad["long"])
ok("ics: long titles are folded", folded > 0, "no folded line, so folding was not tried")
ok("ics: folding never splits a UTF-8 character", not bad["utf8"], bad["utf8"])
ok("ics: a deadline is all-day (DTSTART a date, DTEND the next day)", not bad["allday"], bad["allday"])
ok("ics: an evening with a time: DTEND = DTSTART + duration", not bad["timed"], bad["timed"])
u1, u2 = uids(site), uids(second)
ok("ics: UIDs are the same in a second build", u1 == u2 and len(u1) == len(files), "first %r second %r" % (u1, u2))
flat = [u for v in u1.values() for u in v]
ok("ics: UIDs differ per language and material", len(set(flat)) == len(flat) == len(files), "uids %r" % flat)
PYEOF

# ---- aankondiging.txt
pychecks "$S" <<'PYEOF'
import glob, html, os, re, sys
site = sys.argv[1]
def ok(name, cond, why=""):
    print(("OK %s" % name) if cond else ("NO %s: %s" % (name, why)))
files = sorted(glob.glob(os.path.join(site, "*", "*", "*", "aankondiging.txt")))
rel = sorted(os.path.relpath(f, site) for f in files)
want = sorted("%s/thuisopdrachten/%s/aankondiging.txt" % (l, m) for l in ("nl", "tr", "ar") for m in ("kwaliteiten", "netwerk"))
ok("announcement only for thuisopdrachten with a deadline", rel == want, "got %r" % rel)
long, nourl, nodate = [], [], []
for f in files:
    text = open(f, encoding="utf-8").read()
    name = os.path.relpath(f, site)
    lang, kind, slug = name.split("/")[:3]
    if len(text) > 600:
        long.append("%s (%d)" % (name, len(text)))
    if "https://line.example.org/lob/%s/%s/%s/" % (lang, kind, slug) not in text:
        nourl.append(name)
    page = open(os.path.join(os.path.dirname(f), "index.html"), encoding="utf-8").read()
    m = re.search(r"<dd><time[^>]*>([^<]*)</time>", page)
    if not m or html.unescape(m.group(1)) not in text:
        nodate.append("%s lacks %r" % (name, m and m.group(1)))
ok("announcements are at most 600 characters", not long, long)
ok("announcements link the page in their own language, absolutely", not nourl, nourl)
ok("announcements write the deadline as the page does", not nodate, nodate)
PYEOF
contains "the Turkish announcement has the Turkish title" "$S/tr/thuisopdrachten/kwaliteiten/aankondiging.txt" "Neyi iyi yaparsın?"

# a long but ordinary summary (two sentences of at most 20 words) still fits,
# and so does one far longer than a summary should be
variant "sed -i 's/^summary: .*/summary: \"Uw kind praat met u over de dingen die het goed kan, thuis, op school en bij de sport. Samen kiest u drie kwaliteiten die uw kind in het gesprek met de mentor laat zien.\"/' $K"
n=$("$PY" -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$W/site/nl/thuisopdrachten/kwaliteiten/aankondiging.txt" 2>&1)
check "a long ordinary summary: announcement at most 600 characters ($n)" test "$n" -le 600
variant "sed -i 's/^summary: .*/summary: \"$(printf 'Uw kind praat met u over wat het goed kan. %.0s' 1 2 3 4 5 6 7 8 9 10 11 12)\"/' $K"
n=$("$PY" -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$W/site/nl/thuisopdrachten/kwaliteiten/aankondiging.txt" 2>&1)
check "a very long summary: announcement still at most 600 characters ($n)" test "$n" -le 600

# ---- blocks, on the page and in the handout
pychecks "$S" <<'PYEOF'
import os, re, sys
site = sys.argv[1]
def ok(name, cond, why=""):
    print(("OK %s" % name) if cond else ("NO %s: %s" % (name, why)))
def blocks(path, name):
    """Every rendered block NAME in the file: from its start tag to the end
    tag that balances it."""
    text = open(os.path.join(site, path), encoding="utf-8").read()
    out = []
    for m in re.finditer(r'<(div|aside) class="block block-%s"' % name, text):
        tag, depth = m.group(1), 0
        for t in re.finditer(r"<(/?)%s\b" % tag, text[m.start():]):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                out.append(text[m.start():m.start() + t.end()])
                break
    return out
for where in ("index.html", "handout.html"):
    K = "nl/thuisopdrachten/kwaliteiten/" + where
    V = "nl/gesprekken/voortgang/" + where
    O = "nl/ouderavonden/presentaties/" + where
    b = blocks(K, "antwoord")
    ok("antwoord regels=5 gives 5 writing lines (%s)" % where,
       len(b) == 1 and b[0].count('<span class="write-line"></span>') == 5 and "Noem drie dingen waar jij goed in bent." in b[0],
       "blocks %r" % b)
    b = blocks(K, "tip")
    ok("tip shows its title and text (%s)" % where,
       len(b) == 1 and "Tip voor ouders" in b[0] and "<p>Laat uw kind eerst praten.</p>" in b[0], "blocks %r" % b)
    b = blocks(O, "complimenten")
    cards = re.findall(r'<li class="compliment-card"><span>(.*?)</span></li>', b[0]) if len(b) == 1 else None
    ok("complimenten: one card per list item, in order (%s)" % where,
       cards == ["duidelijk", "dapper", "eerlijk", "creatief"], "cards %r" % cards)
    b = blocks(V, "vraagwijzer")
    qs = re.findall(r"<li>(.*?)</li>", b[0]) if len(b) == 1 else None
    ok("vraagwijzer: the questions as a list (%s)" % where,
       qs == ["Wat ging goed?", "Wat wil je nog leren?", "Wie kan je daarbij helpen?"] and '<ul class="questions">' in b[0],
       "questions %r" % qs)
    b = blocks(V, "afspraken")
    body = re.search(r"<tbody>(.*?)</tbody>", b[0], re.S).group(1) if len(b) == 1 else ""
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    choice = '<span class="who">☐ leerling</span> <span class="who">☐ ouder</span> <span class="who">☐ school</span>'
    ok("afspraken regels=3: 3 rows, each with pupil/parent/school to tick (%s)" % where,
       len(rows) == 3 and all(choice in r for r in rows) and "Wat spreken we af?" in b[0], "rows %r" % rows)
    b = blocks(O, "programma")
    prog = re.findall(r'<tr><td class="time"><time datetime="[0-9:]+">([0-9:]+)</time></td><td>(.*?)</td></tr>', b[0]) if len(b) == 1 else None
    ok("programma: a row per item with its time (%s)" % where,
       prog == [("19:00", "Welkom in de aula"), ("19:15", "Presentaties in groepjes"), ("20:30", "Afsluiting")],
       "rows %r" % prog)
b = blocks("ar/ouderavonden/presentaties/index.html", "complimenten")
cards = re.findall(r'<li class="compliment-card"><span>(.*?)</span></li>', b[0]) if len(b) == 1 else None
ok("complimenten in the Arabic translation", cards == ["واضح", "شجاع", "صادق", "مبدع"], "cards %r" % cards)
b = blocks("ar/ouderavonden/presentaties/index.html", "programma")
page = open(os.path.join(site, "ar/ouderavonden/presentaties/index.html"), encoding="utf-8").read()
ok("programma in Arabic: named once, by the Arabic heading right before it, with Arabic column heads",
   len(b) == 1 and "البرنامج" not in b[0] and "الوقت" in b[0] and
   re.search(r'<h2[^>]*>البرنامج</h2>\s*<div class="block block-programma">', page) is not None, "blocks %r" % b)
b = blocks("ar/ouderavonden/presentaties/handout-nl.html", "complimenten")
ok("bilingual handout: the cards in both columns", len(b) == 2, "%d blocks" % len(b))
b = blocks("tr/thuisopdrachten/kwaliteiten/handout.html", "antwoord")
ok("antwoord in the Turkish handout: 5 lines", len(b) == 1 and b[0].count('<span class="write-line"></span>') == 5, "blocks %r" % b)
PYEOF

# counts at the ends of the range: regels=0 asks for no lines, no regels for three
variant "sed -i 's/regels=5/regels=0/' $K; sed -i 's/regels=3/regels=1/' $V; printf '\n\`\`\`antwoord\nWie ken je?\n\`\`\`\n' >> $N"
equal "antwoord regels=0 gives no writing lines" \
  "$(grep -o '<span class="write-line"></span>' "$W/site/nl/thuisopdrachten/kwaliteiten/index.html" | wc -l)" 0
equal "antwoord without regels gives three writing lines" \
  "$(grep -o '<span class="write-line"></span>' "$W/site/nl/thuisopdrachten/netwerk/index.html" | wc -l)" 3
equal "afspraken regels=1 gives one row" "$(grep -o '☐ leerling' "$W/site/nl/gesprekken/voortgang/index.html" | wc -l)" 1

# ---- glossary
KP=$S/nl/thuisopdrachten/kwaliteiten/index.html
contains "first use of a term links to its glossary entry" "$KP" \
  'met de <a class="term" href="../../../nl/woordenlijst/index.html#mentor" title="De docent die uw kind begeleidt.">mentor</a>.'
n=$(grep -o 'href="../../../nl/woordenlijst/index.html#mentor"' "$KP" | wc -l)
equal "a second use is not linked" "$n" 1
contains "the second use stays plain text" "$KP" '<p>De mentor neemt de antwoorden mee naar het gesprek.</p>'
contains "a term in a heading is not linked" "$KP" '<h2 id="wat-de-mentor-vraagt">Wat de mentor vraagt</h2>'
contains "a term inside a link is not linked" "$KP" '<a href="https://line.example.org/brief.html">de brief van de mentor</a>'
contains "every term gets its own first link" "$KP" '<a class="term" href="../../../nl/woordenlijst/index.html#decaan"'
contains "a term of two words is linked" "$S/nl/thuisopdrachten/netwerk/index.html" \
  '<a class="term" href="../../../nl/woordenlijst/index.html#open-dag" title="Een dag waarop een school voor iedereen open is.">open dag</a>'
contains "an also: form links to its term" "$S/nl/thuisopdrachten/zonder-datum/index.html" \
  '<a class="term" href="../../../nl/woordenlijst/index.html#mentor" title="De docent die uw kind begeleidt.">mentoren</a>'
target=$(cd "$(dirname "$KP")" && realpath -m "../../../nl/woordenlijst/index.html")
equal "the link resolves to <lang>/woordenlijst/index.html" "$target" "$(realpath -m "$S/nl/woordenlijst/index.html")"
GL=$S/nl/woordenlijst/index.html
contains "the glossary lists mentor under its id" "$GL" '<div id="mentor"><dt>mentor</dt><dd>De docent die uw kind begeleidt.</dd></div>'
contains "the glossary lists decaan" "$GL" '<div id="decaan"><dt>decaan</dt>'
contains "the glossary lists open dag under open-dag" "$GL" '<div id="open-dag"><dt>open dag</dt>'
lacks "the printed handout has no term links" "$S/nl/thuisopdrachten/kwaliteiten/handout.html" 'class="term"'
