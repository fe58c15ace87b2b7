#!/bin/bash
# Translations as gettext PO files, on a copy of the example library:
# export from the Markdown translations, msgfmt --check on what lobgen
# writes, a Poedit-style edit read back without loss, the round trip
# (a Dutch edit, translate update, the fuzzy entry translated, import,
# build: exactly that paragraph changes on the page, the handout and the
# bilingual handout, and before that it shows in Dutch with the marker),
# status counts, and bad PO input.
source "$(dirname "$0")/lib.sh"
# a file edited or imported gets a new modification time, which dates its
# feed entry: the epoch (earlier than every copy) clamps them all
export SOURCE_DATE_EPOCH=1767225600

P=$(mktemp -d "$TMPROOT/ex.XXXXXX")
cp -r "$ROOT/content" "$ROOT/locales" "$ROOT/templates" "$ROOT/lobgen.yaml" "$P/"
T=content/thuisopdrachten
W=ti/thuisopdrachten/wat-kan-ik
MARK='(ገና ኣይተተርጎመን)'
# the example may already hold PO translations: start from Markdown ones
# made from them, so export has something to align
for f in "$P"/$T/*.ti.po; do [ -e "$f" ] && rm "$f"; done
if ! ls "$P"/$T/wat-kan-ik.ti.md >/dev/null 2>&1; then
  git -C "$ROOT" show "4c1e294:$T/wat-kan-ik.ti.md" >"$P/$T/wat-kan-ik.ti.md"
  for s in beroepen-in-de-familie naar-de-open-dag stage-zoeken; do
    git -C "$ROOT" show "4c1e294:$T/$s.ti.md" >"$P/$T/$s.ti.md"
  done
fi
for s in wat-kan-ik beroepen-in-de-familie naar-de-open-dag stage-zoeken; do
  git -C "$ROOT" show "4c1e294:$T/$s.nl.md" >"$P/$T/$s.nl.md"
done

build() { "$LOBGEN" build --source "$P" --output "$1" --quiet 2>"$1.err"; }
build "$TMPROOT/s0"; equal "the example with Markdown translations builds" "$?" 0

# ---- export
"$LOBGEN" translate export --source "$P" --lang ti --only all 2>"$TMPROOT/exp.err"
equal "translate export exits 0" "$?" 0
exists "export writes a .pot per material" "$P/po/thuisopdrachten/wat-kan-ik.pot"
exists "export writes a .po per material for the language" "$P/po/thuisopdrachten/wat-kan-ik.ti.po"
bad=""
for f in "$P"/po/*/*.po "$P"/po/*/*.pot; do msgfmt --check -o /dev/null "$f" 2>>"$TMPROOT/msgfmt.err" || bad="$bad $f"; done
equal "msgfmt --check accepts every PO and POT file lobgen writes" "$bad" ""
stats=$(msgfmt --statistics -o /dev/null "$P/po/thuisopdrachten/wat-kan-ik.ti.po" 2>&1)
equal "export aligns the Markdown translation: every unit translated" "$stats" "21 translated messages."
contains "the PO header has the CLDR plural forms of Tigrinya" "$P/po/thuisopdrachten/wat-kan-ik.ti.po" \
  '"Plural-Forms: nplurals=2; plural=(n > 1);\n"'
contains "a unit keeps its inline Markdown" "$P/po/thuisopdrachten/wat-kan-ik.ti.po" '"**Vraag je ouder:** Welke drie dingen'
contains "a unit has a context: material and place" "$P/po/thuisopdrachten/wat-kan-ik.ti.po" 'msgctxt "thuisopdrachten/wat-kan-ik 1.2"'
contains "translator-unchecked state stays: X-Lobgen-Reviewed: false" "$P/po/thuisopdrachten/wat-kan-ik.ti.po" '"X-Lobgen-Reviewed: false\n"'

# ---- a Poedit-style edit (rewrapped, reordered, commented) reads back without loss
mkdir -p "$TMPROOT/edit"
msgcat --width=30 --sort-output "$P/po/thuisopdrachten/wat-kan-ik.ti.po" -o "$TMPROOT/edit/w.po"
sed -i '0,/^msgctxt/s//# checked the tone with a parent\nmsgctxt/' "$TMPROOT/edit/w.po"
check "the rewrapped file is really different" sh -c "! cmp -s '$TMPROOT/edit/w.po' '$P/po/thuisopdrachten/wat-kan-ik.ti.po'"
cp -r "$P/po" "$TMPROOT/po-orig"
cp "$TMPROOT/edit/w.po" "$P/po/thuisopdrachten/wat-kan-ik.ti.po"

# ---- import the four, build: the same pages as from Markdown
"$LOBGEN" translate import --source "$P" "$P"/po/thuisopdrachten/*.ti.po 2>"$TMPROOT/imp.err"
equal "translate import exits 0" "$?" 0
exists "import installs the PO file in content/" "$P/$T/wat-kan-ik.ti.po"
absent "import replaces the Markdown translation" "$P/$T/wat-kan-ik.ti.md"
contains "import says it replaced the Markdown translation" "$TMPROOT/imp.err" "replaces the Markdown translation $T/wat-kan-ik.ti.md"
build "$TMPROOT/s1"; equal "the site with PO translations builds" "$?" 0
check "PO translations (one of them edited Poedit-style) give byte-identical pages" diff -r "$TMPROOT/s0" "$TMPROOT/s1"

# ---- the Dutch changes one paragraph
sed -i 's/Er zijn geen goede of foute antwoorden\./Er zijn geen goede of foute antwoorden: alles mag gezegd worden./' "$P/$T/wat-kan-ik.nl.md"
"$LOBGEN" translate update --source "$P" 2>"$TMPROOT/upd.err"
equal "translate update exits 0" "$?" 0
contains "update reports the fuzzy entry" "$TMPROOT/upd.err" "updated $T/wat-kan-ik.ti.po: 1 fuzzy, 0 untranslated"
PO=$P/$T/wat-kan-ik.ti.po
contains "the changed unit is fuzzy" "$PO" "#, fuzzy"
contains "the fuzzy entry carries the previous Dutch as #| msgid" "$PO" '#| "goede of foute antwoorden. Het gaat'
contains "the translator's comment is kept" "$PO" "# checked the tone with a parent"
check "msgfmt --check accepts the updated file" msgfmt --check -o /dev/null "$PO"
stats=$(msgfmt --statistics -o /dev/null "$PO" 2>&1)
equal "after update: one fuzzy, the rest translated" "$stats" "20 translated messages, 1 fuzzy translation."

"$LOBGEN" status --source "$P" >"$TMPROOT/st" 2>/dev/null
contains "status counts the units of a PO translation" "$TMPROOT/st" \
  "units  95%          $T/wat-kan-ik.ti.po: translated 20, fuzzy 1, untranslated 0"
"$LOBGEN" status --source "$P" --json >"$TMPROOT/st.json" 2>/dev/null
pychecks "$TMPROOT/st.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ti = [l for l in d["languages"] if l["code"] == "ti"][0]
m = [m for m in ti["materials"] if m["material"] == "thuisopdrachten/wat-kan-ik"][0]
u = m["units"]
print(("OK" if (m["format"], u["translated"], u["fuzzy"], u["untranslated"], u["percent"]) == ("po", 20, 1, 0, 95)
       else "NO") + " status --json: units of the PO translation: %r %r" % (m["format"], u))
mk = [m for m in ti["materials"] if m["material"] == "gesprekken/gesprek-mbo-keuze"][0]
print(("OK" if mk["units"]["untranslated"] == mk["units"]["total"] > 0 else "NO") + " status --json: a missing translation has every unit untranslated: %r" % mk["units"])
PY

build "$TMPROOT/s2"; equal "the site builds with a fuzzy unit" "$?" 0
pychecks "$TMPROOT/s1" "$TMPROOT/s2" "$MARK" <<'PY'
import re, sys
s1, s2, mark = sys.argv[1], sys.argv[2], sys.argv[3]
W = "ti/thuisopdrachten/wat-kan-ik/"
span = re.compile(r'<span lang="nl" dir="ltr" class="untranslated">(.*?)</span> <small class="untranslated-mark" lang="ti" dir="ltr">(.*?)</small>', re.S)
for f in ["index.html", "handout.html", "handout-nl.html"]:
    t = open(s2 + "/" + W + f).read()
    m = span.findall(t)
    ok = len(m) == 1 and "alles mag gezegd worden" in m[0][0] and m[0][1] == mark
    print(("OK" if ok else "NO") + " before the import, %s shows the changed paragraph in Dutch, lang=nl, with the marker: %r" % (f, m[:2]))
    a = open(s1 + "/" + W + f).read()
    # every other Tigrinya paragraph is still there
    def paras(x): return [p for p in re.findall(r"<p>(.*?)</p>", x, re.S)]
    gone = [p for p in paras(a) if p not in paras(t)]
    print(("OK" if len(gone) <= (2 if f == "handout-nl.html" else 1) else "NO") + " before the import, %s keeps the rest translated (%d paragraphs changed)" % (f, len(gone)))
t = open(s2 + "/" + W + "index.html").read()
print(("OK" if t.count('class="notice notice-partly"') == 1 else "NO") + " the page has one 'a few sentences are not yet translated' notice")
t = open(s1 + "/" + W + "index.html").read()
print(("OK" if "notice-partly" not in t else "NO") + " a fully translated page has no such notice")
home = open(s2 + "/ti/leerjaar-1/index.html").read()
print(("OK" if "ብኸፊል ዝተተርጎመ" in home else "NO") + " the leerjaar page shows 'partly translated' in Tigrinya")
PY

# ---- the translator translates the fuzzy entry; import; build
"$PY" - "$PO" "$TMPROOT/back.po" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
out, lines, i = [], open(src).read().split("\n"), 0
while i < len(lines):
    l = lines[i]
    if l == "#, fuzzy":
        i += 1
        while lines[i].startswith("#|"): i += 1
        # msgctxt, msgid lines, then msgstr lines
        while not lines[i].startswith("msgstr"): out.append(lines[i]); i += 1
        out.append('msgstr "ናይ ሓድሽ ትርጉም: ኩሉ ክበሃል ይኽእል።"'); i += 1
        while i < len(lines) and lines[i].startswith('"'): i += 1
        continue
    out.append(l); i += 1
open(dst, "w").write("\n".join(out))
PY
"$LOBGEN" translate import --source "$P" "$TMPROOT/back.po" 2>"$TMPROOT/imp2.err"
equal "import of the translated file exits 0" "$?" 0
lacks "a file that matches the current Dutch gets no warning" "$TMPROOT/imp2.err" "no unit of the current Dutch"
# an entry from an older Dutch text is accepted with a warning that says what to do
f=$TMPROOT/old.ti.po
cp "$TMPROOT/back.po" "$f"
sed -i 's/^msgid "Voor ouders"$/msgid "Voor de ouders"/' "$f"
"$LOBGEN" translate import --source "$P" "$f" 2>"$TMPROOT/imp3.err"
equal "import of a file with an outdated entry exits 0" "$?" 0
contains "import warns about entries no Dutch unit has" "$TMPROOT/imp3.err" "1 translated entry matches no unit of the current Dutch text"
"$LOBGEN" translate import --source "$P" "$TMPROOT/back.po" 2>/dev/null
build "$TMPROOT/s3"; equal "the site builds after the import" "$?" 0
pychecks "$TMPROOT/s1" "$TMPROOT/s3" <<'PY'
import re, sys
s1, s3 = sys.argv[1], sys.argv[2]
W = "ti/thuisopdrachten/wat-kan-ik/"
for f in ["index.html", "handout.html", "handout-nl.html"]:
    a, b = open(s1 + "/" + W + f).read(), open(s3 + "/" + W + f).read()
    pa, pb = re.findall(r"<p>(.*?)</p>", a, re.S), re.findall(r"<p>(.*?)</p>", b, re.S)
    gone = [p for p in pa if p not in pb]
    new = [p for p in pb if p not in pa]
    want = 2 if f == "handout-nl.html" else 1  # the bilingual handout also has the new Dutch
    ok = len(gone) == want and len(new) == want and any("ኩሉ ክበሃል ይኽእል" in p for p in new) and "untranslated" not in b
    print(("OK" if ok else "NO") + " after the import exactly that paragraph changed in %s: %d gone, %d new" % (f, len(gone), len(new)))
PY

# ---- bad PO input: file:line errors, exit 1, nothing installed or published
bad_po() { # NAME, the entries after the header
  local f="$TMPROOT/bad-$1.ti.po"
  { printf 'msgid ""\nmsgstr ""\n"Language: ti\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    printf '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n"X-Lobgen-Material: thuisopdrachten/wat-kan-ik\\n"\n\n'
    printf '%s\n' "$2"; } >"$f"
  echo "$f"
}
sum_before=$(tree_sum "$P/content")
expect_bad() { # NAME FILE LINE TEXT
  "$LOBGEN" translate import --source "$P" "$2" 2>"$TMPROOT/bad.err"; local rc=$?
  equal "$1: import exits 1" "$rc" 1
  contains "$1: the error names file:line" "$TMPROOT/bad.err" "$2:$3:"
  contains "$1: the error says what is wrong" "$TMPROOT/bad.err" "$4"
  equal "$1: nothing is installed" "$(tree_sum "$P/content")" "$sum_before"
}
f=$(bad_po syntax 'msgctxt "thuisopdrachten/wat-kan-ik 1.1"
msgid "Voor ouders"
msgstr "ንወለዲ
')
expect_bad "a PO syntax error" "$f" 10 "error"
f=$(bad_po link 'msgid "Lees [de uitleg](https://school.example/uitleg) eerst."
msgstr "[ገለጻ](https://elders.example/) ኣንብቡ።"')
expect_bad "a changed link target" "$f" 8 "the link target 'https://school.example/uitleg'"
f=$(bad_po script 'msgid "Voor ouders"
msgstr "ንወለዲ <script>alert(1)</script>"')
expect_bad "added HTML" "$f" 8 "adds HTML ('<script"
f=$(bad_po plural 'msgid "één dag"
msgid_plural "{n} dagen"
msgstr[0] "ሓደ መዓልቲ"
msgstr[1] "{n} መዓልትታት"
msgstr[2] "{n} መዓልትታት"')
expect_bad "a wrong plural count" "$f" 8 "this entry has 3 plural forms"

# a bad PO file in content/ stops the build and leaves the site as it was
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
cp "$TMPROOT/bad-script.ti.po" "$P/$T/naar-de-open-dag.ti.po"
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/b.err"; rc=$?
equal "a build with a bad PO translation exits 1" "$rc" 1
contains "the build names the PO file and line" "$TMPROOT/b.err" "$T/naar-de-open-dag.ti.po:8:1: error:"
contains "nothing was published" "$TMPROOT/b.err" "nothing was published"
equal "the previous site is left as it was" "$(tree_sum "$P/site")" "$before"
# both routes for one material and language
cp "$TMPROOT/s0/../bad-script.ti.po" /dev/null 2>&1
rm "$P/$T/naar-de-open-dag.ti.po"
git -C "$ROOT" show "4c1e294:$T/naar-de-open-dag.ti.md" >"$P/$T/naar-de-open-dag.ti.md"
cp "$TMPROOT/po-orig/thuisopdrachten/naar-de-open-dag.ti.po" "$P/$T/naar-de-open-dag.ti.po"
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/b2.err"; rc=$?
equal "a Markdown and a PO translation of one material and language: exit 1" "$rc" 1
contains "the error says to keep one" "$TMPROOT/b2.err" "both a Markdown and a PO translation into ti"

# ---- status --diff: the Dutch changes since a translation was made
G=$(mktemp -d "$TMPROOT/git.XXXXXX")
cp -r "$ROOT/content" "$ROOT/locales" "$ROOT/templates" "$ROOT/lobgen.yaml" "$G/"
git -C "$G" init -q && git -C "$G" add -A && git -C "$G" -c user.name=t -c user.email=t@example.org commit -qm v1
sed -i 's/De opdracht duurt ongeveer 30 minuten\./De opdracht duurt ongeveer een half uur./' "$G/$T/wat-kan-ik.nl.md"
git -C "$G" -c user.name=t -c user.email=t@example.org commit -qam v2
"$LOBGEN" status --source "$G" --diff "$T/wat-kan-ik.en.md" >"$TMPROOT/d1" 2>"$TMPROOT/d1.err"
equal "status --diff exits 0" "$?" 0
contains "status --diff on a git project finds the version the translation was made from" "$TMPROOT/d1" "since git commit"
contains "status --diff shows the changed words" "$TMPROOT/d1" "ongeveer [-30 minuten.-]{+een half uur.+}"
contains "status --diff names the unit and its line" "$TMPROOT/d1" "thuisopdrachten/wat-kan-ik 1.2 (line 13, changed):"
"$LOBGEN" status --source "$G" --diff "$T/wat-kan-ik.so.po" >"$TMPROOT/d2" 2>/dev/null
contains "status --diff on a PO translation shows the changed words too" "$TMPROOT/d2" "ongeveer [-30 minuten.-]{+een half uur.+}"
"$LOBGEN" status --source "$G" --diff "$T/wat-kan-ik.en.md" --json >"$TMPROOT/d3.json" 2>/dev/null
pychecks "$TMPROOT/d3.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
u = d["units"]
ok = d["old_source"]["known"] and len(u) == 1 and u[0]["change"] == "changed" and \
     [w["text"].strip() for w in u[0]["words"] if w["op"] == "removed"] == ["30 minuten."] and \
     [w["text"].strip() for w in u[0]["words"] if w["op"] == "added"] == ["een half uur."]
print(("OK" if ok else "NO") + " status --diff --json: one changed unit, the removed and added words: %r" % u)
PY
# export from a stale Markdown translation: git has the Dutch it was made from
"$LOBGEN" translate export --source "$G" --lang en --only stale 2>/dev/null
EN=$G/po/thuisopdrachten/wat-kan-ik.en.po
stats=$(msgfmt --statistics -o /dev/null "$EN" 2>&1)
equal "export of a stale translation: only the changed unit is fuzzy" "$stats" "20 translated messages, 1 fuzzy translation."
contains "export of a stale translation: the fuzzy entry has the Dutch it was translated from" "$EN" '#| "ongeveer 30 minuten."'
absent "export --only stale skips current translations" "$G/po/thuisopdrachten/stage-zoeken.en.po"
rm -rf "$G/.git" "$G/po"
"$LOBGEN" translate export --source "$G" --lang en --only stale 2>/dev/null
stats=$(msgfmt --statistics -o /dev/null "$EN" 2>&1)
equal "without git, every unit of a stale translation is fuzzy" "$stats" "0 translated messages, 21 fuzzy translations."
"$LOBGEN" status --source "$G" --diff "$T/wat-kan-ik.en.md" >"$TMPROOT/d4" 2>/dev/null
equal "status --diff without git exits 0" "$?" 0
contains "status --diff on a non-git project says the old text is unknown" "$TMPROOT/d4" "the old Dutch text is not known"
"$LOBGEN" status --source "$G" --diff "$T/wat-kan-ik.so.po" >"$TMPROOT/d5" 2>/dev/null
contains "without git, a PO translation still shows the changed unit (from #| msgid after update)" "$TMPROOT/d5" "{+een half uur.+}"
"$LOBGEN" status --source "$G" --diff "$T/nope.en.md" >/dev/null 2>"$TMPROOT/d6"
equal "status --diff of a file that is not a translation exits 1" "$?" 1

# ---- a unit inside a block (an antwoord question) not yet translated: the
# bilingual handout pairs the blocks' questions row by row, and that row too
# shows the Dutch marked; segment markers never reach any output file
Q=$(mktemp -d "$TMPROOT/q.XXXXXX")
cp -r "$ROOT/content" "$ROOT/locales" "$ROOT/templates" "$ROOT/lobgen.yaml" "$Q/"
sed -i 's/^msgctxt "thuisopdrachten\/wat-kan-ik 3\.3"$/#, fuzzy\n&/' "$Q/$T/wat-kan-ik.ti.po"
contains "the question is fuzzy in the copy" "$Q/$T/wat-kan-ik.ti.po" $'#, fuzzy\nmsgctxt "thuisopdrachten/wat-kan-ik 3.3"'
"$LOBGEN" build --source "$Q" --output "$Q/site" --quiet 2>"$Q/err"; equal "the site builds with a fuzzy question" "$?" 0
pychecks "$Q/site" "$MARK" <<'PY'
import os, re, sys
site, mark = sys.argv[1], sys.argv[2]
W = "ti/thuisopdrachten/wat-kan-ik/"
q = re.compile(r'<span lang="nl" dir="ltr" class="untranslated"><strong>Jij zelf:</strong> Welke drie dingen kun jij goed\?[^<]*</span> <small class="untranslated-mark" lang="ti" dir="ltr">(.*?)</small>')
for f in ["index.html", "handout.html", "handout-nl.html"]:
    m = q.findall(open(site + "/" + W + f).read())
    print(("OK" if m == [mark] else "NO") + " the untranslated question in a block shows in Dutch with the marker on %s: %r" % (f, m))
t = open(site + "/" + W + "handout-nl.html").read()
rows = re.findall(r'<td class="col-home"[^>]*>(.*?)</td>\s*<td class="col-source"[^>]*>(.*?)</td>', t, re.S)
row = [r for r in rows if "untranslated" in r[0]]
print(("OK" if len(row) == 1 and "Jij zelf:" in row[0][1] and "Vraag je ouder" not in row[0][0] else "NO")
      + " the bilingual handout's row of that question holds it on both sides, and only it: %r" % [r[0][:200] for r in row])
leak = []
for d, _, fs in os.walk(site):
    for f in fs:
        if b"\xef\xb7\x90" in open(os.path.join(d, f), "rb").read() or b"\xef\xb7\x91" in open(os.path.join(d, f), "rb").read():
            leak.append(os.path.relpath(os.path.join(d, f), site))
print(("OK" if not leak else "NO") + " no output file holds a segment marker (U+FDD0, U+FDD1): %r" % leak[:5])
PY
