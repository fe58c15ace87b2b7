#!/bin/bash
# A Markdown translation that is still (partly) the Dutch text: a translator
# made it with `lobgen new translation` and removed draft: true without
# translating, or translated only some of it. What a reader is owed (the
# page must not claim a language it is not in: HTML's lang attribute, WCAG
# 2.1 SC 3.1.2 "Language of Parts") and what the coordinator is owed (a
# warning where the Dutch text stands, in lobgen's file:line:col form; the
# status counts such a file as not translated, as gettext counts an entry
# without msgstr):
#  - a paragraph of four words or more that is a Dutch paragraph word for
#    word: a warning at its line and column, from check and from build, and
#    on the page it is marked lang="nl" dir="ltr" with the "not translated
#    yet" note, as a PO translation's untranslated units are;
#  - a name, a URL, a number left as they are: no warning, no mark;
#  - a file with nothing translated (a title-only translation too): one
#    warning, and the site is the site without that file, byte for byte
#    (the Dutch page with the notice); status says missing and names it;
#  - a title left in Dutch: a warning at the title;
#  - the draft `lobgen new translation` writes: no warning, not published;
#  - an incremental build after such edits equals a full build.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1767225600

P=$(mktemp -d "$TMPROOT/p.XXXXXX")
T=$P/content/thuisopdrachten
mkdir -p "$T"
cp -r "$ROOT/templates" "$ROOT/locales" "$P/"
cat >"$P/lobgen.yaml" <<'Y'
title: "Vertalingen"
school: "Testschool"
base_url: "https://tr.example.org"
languages: [nl, so, ar, tr, pl]
Y
cat >"$T/open-dag.nl.md" <<'M'
---
title: "Samen naar de open dag"
summary: "U gaat met uw kind naar een open dag van een mbo-school."
leerjaar: 3
---

## Wat gaat u doen?

Kies samen met uw kind een school en een datum voor de open dag.

Mevrouw Jansen van Dijk

https://www.example.org/aanmelden/open-dag

020 123 45 67

- Schrijf drie vragen op die u aan de docent wilt stellen.
- Neem pen en papier mee.

```tip
Vraag ook naar de stages: waar lopen de leerlingen stage?
```
M
# Arabic: two units left in Dutch (a list item, a tip's paragraph), the
# name, the URL and the number as they are
cat >"$T/open-dag.ar.md" <<'M'
---
title: "معًا إلى يوم الأبواب المفتوحة"
translation:
  reviewed: false
---

## ماذا ستفعل؟

اختر مع طفلك مدرسة وموعدًا ليوم الأبواب المفتوحة.

Mevrouw Jansen van Dijk

https://www.example.org/aanmelden/open-dag

020 123 45 67

- Schrijf drie vragen op die u aan de docent wilt stellen.
- خذ معك قلمًا وورقة.

```tip
Vraag ook naar de stages: waar lopen de leerlingen stage?
```
M
# Turkish: all translated but the title
cat >"$T/open-dag.tr.md" <<'M'
---
title: "Samen naar de open dag"
translation:
  reviewed: false
---

## Ne yapacaksınız?

Çocuğunuzla birlikte açık gün için bir okul ve bir tarih seçin.

- Öğretmene sormak istediğiniz üç soruyu yazın.
- Yanınıza kalem ve kağıt alın.

```tip
Stajları da sorun: öğrenciler nerede staj yapıyor?
```
M
body() { awk 'n >= 2; /^---$/ { n++ }' "$1"; }
# Somali: only the title translated, the body is the Dutch one
{
  printf -- '---\ntitle: "Maalinta furan oo wadajir ah"\ntranslation:\n  reviewed: false\n---\n'
  body "$T/open-dag.nl.md"
} >"$T/open-dag.so.md"
equal "the Somali file's body is the Dutch body" "$(body "$T/open-dag.so.md")" "$(body "$T/open-dag.nl.md")"
# Polish: the draft lobgen new translation writes
"$LOBGEN" new translation --source "$P" "$T/open-dag.nl.md" pl >/dev/null 2>&1
exists "new translation writes its draft" "$T/open-dag.pl.md"

"$LOBGEN" check --source "$P" >"$TMPROOT/check.out" 2>&1
equal "check exits 0: these are warnings" "$?" 0
grep ': warning: ' "$TMPROOT/check.out" | cut -d: -f1-4 | sed "s|^$P/||" >"$TMPROOT/where"
equal "check warns exactly at the Dutch units, the Dutch-only file and the Dutch title" "$(cat "$TMPROOT/where")" \
"content/thuisopdrachten/open-dag.ar.md:17:3: warning
content/thuisopdrachten/open-dag.ar.md:21:1: warning
content/thuisopdrachten/open-dag.so.md:9:1: warning
content/thuisopdrachten/open-dag.tr.md:2:8: warning"
contains "the unit warning says what and how to fix it" "$TMPROOT/check.out" \
  "open-dag.ar.md:17:3: warning: this text is still the Dutch text of content/thuisopdrachten/open-dag.nl.md; the page shows it marked as Dutch (lang=\"nl\") with a note that it is not translated yet; translate it"
contains "the whole-file warning says it is not published and how to fix it" "$TMPROOT/check.out" \
  "open-dag.so.md:9:1: warning: this file's text is still the Dutch text of content/thuisopdrachten/open-dag.nl.md (all 4 paragraphs and headings from here to line 21), so it is not published as a translation: readers get the Dutch page with the notice that there is no translation yet; translate it, or put back draft: true until it is done"
contains "the title warning names the title" "$TMPROOT/check.out" \
  "open-dag.tr.md:2:8: warning: the title is still the Dutch title of content/thuisopdrachten/open-dag.nl.md; translate it"
lacks "the draft of new translation gets no warning" "$TMPROOT/check.out" "open-dag.pl.md"
"$LOBGEN" check --source "$P" --drafts >"$TMPROOT/check-drafts.out" 2>&1
lacks "... nor with --drafts, which shows it" "$TMPROOT/check-drafts.out" "open-dag.pl.md"

"$LOBGEN" build --source "$P" --output "$P/site" >"$TMPROOT/build.out" 2>&1
equal "build exits 0" "$?" 0
equal "build gives the same warnings" "$(grep ': warning: ' "$TMPROOT/build.out" | cut -d: -f1-4 | sed "s|^$P/||")" \
  "$(cat "$TMPROOT/where")"

A=$P/site/ar/thuisopdrachten/open-dag
contains "a Dutch list item on the Arabic page is marked Dutch, left to right" "$A/index.html" \
  '<li><span lang="nl" dir="ltr" class="untranslated">Schrijf drie vragen op die u aan de docent wilt stellen.</span> <small class="untranslated-mark" lang="ar" dir="rtl">'
contains "a Dutch paragraph in a block is marked Dutch" "$A/index.html" \
  '<p><span lang="nl" dir="ltr" class="untranslated">Vraag ook naar de stages: waar lopen de leerlingen stage?</span>'
contains "the handout marks it too" "$A/handout.html" \
  '<span lang="nl" dir="ltr" class="untranslated">Schrijf drie vragen op'
contains "a name is not marked" "$A/index.html" '<p>Mevrouw Jansen van Dijk</p>'
lacks "a translated paragraph is not marked" "$A/index.html" 'class="untranslated">اختر'
lacks "a URL is not marked" "$A/index.html" 'class="untranslated">https'
lacks "a number is not marked" "$A/index.html" 'class="untranslated">020'
lacks "the fully translated Turkish page marks nothing" "$P/site/tr/thuisopdrachten/open-dag/index.html" 'class="untranslated"'

contains "the handout says some sentences are still in Dutch" "$A/handout.html" 'بعض الجمل لم تُترجَم بعد'
contains "the year's list gives the Arabic card the partly-translated badge" "$P/site/ar/leerjaar-3/index.html" \
  '<span class="badge">مترجَم جزئيًا</span>'
lacks "the fully translated Turkish card has no such badge" "$P/site/tr/leerjaar-3/index.html" 'class="badge"'

# the Somali file is not published: the site is the site without it
cp -r "$P" "$TMPROOT/nofile"
rm -rf "$TMPROOT/nofile/site" "$TMPROOT/nofile/content/thuisopdrachten/open-dag.so.md"
"$LOBGEN" build --source "$TMPROOT/nofile" --output "$TMPROOT/nofile/site" --quiet 2>/dev/null
equal "a file with nothing translated gives the site without it, byte for byte" \
  "$(tree_sum "$P/site")" "$(tree_sum "$TMPROOT/nofile/site")"
lacks "the Somali menu does not claim the material is translated" "$P/site/so/thuisopdrachten/open-dag/index.html" \
  'Maalinta furan oo wadajir ah'

"$LOBGEN" status --source "$P" >"$TMPROOT/status.out" 2>/dev/null
sed -n '/^so (/,/^$/p' "$TMPROOT/status.out" >"$TMPROOT/status.so"
contains "status counts the Dutch-only Somali file as missing" "$TMPROOT/status.so" \
  "translated 0, stale 0, missing 1, unreviewed 0"
contains "status names the file to translate" "$TMPROOT/status.out" \
  "missing             content/thuisopdrachten/open-dag.so.md (still the Dutch text of content/thuisopdrachten/open-dag.nl.md: translate it)"
contains "status says how much of the Arabic is still Dutch" "$TMPROOT/status.out" \
  "partly in Dutch     content/thuisopdrachten/open-dag.ar.md: 2 of 4 paragraphs and headings"
"$LOBGEN" status --source "$P" --json 2>/dev/null | "$PY" -c '
import json, sys
d = {l["code"]: l for l in json.load(sys.stdin)["languages"]}
so = d["so"]["materials"][0]; ar = d["ar"]["materials"][0]; tr = d["tr"]["materials"][0]
def ok(c, name, got): print(("OK " if c else "NO ") + name + ("" if c else ": got %r" % (got,)))
ok(so["state"] == "missing" and so["file"] == "content/thuisopdrachten/open-dag.so.md", "json: the Somali file is missing, with its file", so)
ok(so["units"]["translated"] == 0 and so["units"]["untranslated"] == so["units"]["total"], "json: none of its units translated", so["units"])
# no translation.source: stale, its translated units to check (fuzzy)
ok(ar["units"]["untranslated"] == 2 and ar["units"]["fuzzy"] == ar["units"]["total"] - 2, "json: two Arabic units untranslated", ar["units"])
ok(tr["units"]["untranslated"] == 0, "json: no Turkish unit untranslated", tr["units"])
' | while read -r l; do case "$l" in "OK "*) pass "${l#OK }";; *) r=${l#NO }; fail "${r%%: *}" "${r#*: }";; esac; done

# a PO export does not hand the translator the Dutch as a translation
"$LOBGEN" translate export --source "$P" --lang ar --only all --output "$TMPROOT/po" 2>/dev/null
grep -A1 '^msgid "Schrijf drie vragen op die u aan de docent wilt stellen."$' "$TMPROOT/po/thuisopdrachten/open-dag.ar.po" \
  >"$TMPROOT/po.item"
equal "export: the unit left in Dutch has no translation" "$(tail -n 1 "$TMPROOT/po.item")" 'msgstr ""'
"$LOBGEN" status --source "$P" --diff "$T/open-dag.so.md" >/dev/null 2>"$TMPROOT/diff.err"
equal "status --diff takes the file still all in Dutch" "$?" 0

# incremental = full after each such edit
inc() { # name: an incremental build into $P/site and a full one elsewhere, the same bytes
  "$LOBGEN" build --source "$P" --output "$P/site" --quiet 2>/dev/null
  rm -rf "$TMPROOT/full"
  "$LOBGEN" build --source "$P" --output "$TMPROOT/full" --full --quiet 2>/dev/null
  equal "incremental equals full: $1" "$(tree_sum "$P/site")" "$(tree_sum "$TMPROOT/full")"
}
sed -i 's/^- Schrijf drie vragen op die u aan de docent wilt stellen\.$/- اكتب ثلاثة أسئلة تريد طرحها على المعلم./' "$T/open-dag.ar.md"
inc "a Dutch unit translated"
lacks "the translated unit is no longer marked" "$A/index.html" 'class="untranslated">Schrijf'
sed -i 's/^Vraag ook naar de stages: waar lopen de leerlingen stage?$/Vraag ook naar de stages: waar lopen de leerlingen hun stage?/' "$T/open-dag.nl.md"
inc "the Dutch source changed under a unit left in Dutch"
lacks "a unit no longer the Dutch text is not marked" "$A/index.html" 'class="untranslated">Vraag ook'
sed -i 's/^Kies samen met uw kind een school en een datum voor de open dag\.$/Ilmahaaga la dooro dugsi iyo taariikh maalinta furan./' "$T/open-dag.so.md"
inc "a unit of the Dutch-only file translated: it is published"
contains "the Somali page is now the Somali file, its Dutch units marked" "$P/site/so/thuisopdrachten/open-dag/index.html" \
  'class="untranslated">Schrijf drie vragen op'
{ sed -n '1,5p' "$T/open-dag.so.md"; body "$T/open-dag.nl.md"; } >"$TMPROOT/so.md"
mv "$TMPROOT/so.md" "$T/open-dag.so.md"
inc "back to Dutch only"
lacks "the Somali page is the Dutch page again" "$P/site/so/thuisopdrachten/open-dag/index.html" 'Maalinta furan oo wadajir ah'

# A title or summary left in Dutch is Dutch wherever it is shown as text
# (WCAG 2.1 SC 3.1.2 Language of Parts): the page's <h1> and lead, the
# cards on the home, leerjaar and line lists, the handouts, the pack's
# contents and the feed carry lang="nl" (and dir="ltr", which a
# right-to-left page needs); a translated title or summary carries no lang
# of its own on the page (it is in the page's language).
contains "the Turkish h1 left in Dutch is marked Dutch" "$P/site/tr/thuisopdrachten/open-dag/index.html" \
  '<h1 lang="nl" dir="ltr">Samen naar de open dag</h1>'
contains "the Turkish card's Dutch title is marked Dutch" "$P/site/tr/leerjaar-3/index.html" \
  'lang="nl" dir="ltr">Samen naar de open dag</a>'
contains "the Arabic translated h1 has no lang of its own" "$A/index.html" '<h1>معًا إلى يوم الأبواب المفتوحة</h1>'
Q=$(mktemp -d "$TMPROOT/q.XXXXXX")
mkdir -p "$Q/content/gesprekken"
cp -r "$ROOT/templates" "$ROOT/locales" "$Q/"
cat >"$Q/lobgen.yaml" <<'Y'
title: "Titels"
school: "Testschool"
base_url: "https://titels.example.org"
languages: [nl, ar, tr]
Y
G=$Q/content/gesprekken
cat >"$G/mentor.nl.md" <<'M'
---
title: "Kennismaken met de mentor van uw kind"
summary: "Een eerste gesprek op school over hoe het gaat."
leerjaar: 1
date: 2026-10-09
---

U praat met de mentor over de eerste weken op school.
M
# Arabic: the title left in Dutch, the summary and body translated
cat >"$G/mentor.ar.md" <<'M'
---
title: "Kennismaken met de mentor van uw kind"
summary: "محادثة أولى في المدرسة عن سير الأمور."
translation:
  reviewed: true
---

تتحدث مع المرشد عن الأسابيع الأولى في المدرسة.
M
# Turkish: the title translated, the summary left in Dutch
cat >"$G/mentor.tr.md" <<'M'
---
title: "Çocuğunuzun mentoruyla tanışma"
summary: "Een eerste gesprek op school over hoe het gaat."
translation:
  reviewed: true
---

Mentorla okuldaki ilk haftalar hakkında konuşursunuz.
M
"$LOBGEN" build --source "$Q" --output "$Q/site" >"$TMPROOT/q.out" 2>&1
equal "the titles project builds" "$?" 0
QA=$Q/site/ar/gesprekken/mentor
QT=$Q/site/tr/gesprekken/mentor
contains "ar: the h1 left in Dutch is lang=nl dir=ltr" "$QA/index.html" \
  '<h1 lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</h1>'
contains "ar: its translated lead has no lang of its own" "$QA/index.html" '<p class="lead">محادثة أولى في المدرسة عن سير الأمور.</p>'
contains "ar: the leerjaar card's Dutch title is lang=nl dir=ltr" "$Q/site/ar/leerjaar-1/index.html" \
  '<a href="../../ar/gesprekken/mentor/index.html" lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</a>'
contains "ar: the home card's Dutch title is lang=nl dir=ltr" "$Q/site/ar/index.html" \
  'lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</a>'
contains "ar: the home card's translated summary is Arabic" "$Q/site/ar/index.html" \
  'lang="ar" dir="rtl">محادثة أولى في المدرسة عن سير الأمور.</p>'
contains "ar: the handout's Dutch h1 is lang=nl dir=ltr" "$QA/handout.html" \
  '<h1 lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</h1>'
contains "ar: the handout's link back names it lang=nl dir=ltr" "$QA/handout.html" \
  '<a class="back" href="index.html"><span lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</span></a>'
contains "ar: the bilingual handout's Dutch title is lang=nl dir=ltr" "$QA/handout-nl.html" \
  '<p class="col-title" lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</p>'
contains "ar: the pack's contents name it lang=nl dir=ltr" "$Q/site/ar/leerjaar-1/handouts.html" \
  '<span lang="nl" dir="ltr">Kennismaken met de mentor van uw kind</span>'
contains "ar: the feed's title is xml:lang=nl" "$Q/site/ar/feed.xml" \
  '<title xml:lang="nl">Kennismaken met de mentor van uw kind</title>'
contains "ar: the feed's translated summary is xml:lang=ar" "$Q/site/ar/feed.xml" \
  '<summary xml:lang="ar">محادثة أولى في المدرسة عن سير الأمور.</summary>'
contains "tr: the translated h1 has no lang of its own" "$QT/index.html" '<h1>Çocuğunuzun mentoruyla tanışma</h1>'
contains "tr: the lead left in Dutch is lang=nl" "$QT/index.html" \
  '<p class="lead" lang="nl" dir="ltr">Een eerste gesprek op school over hoe het gaat.</p>'
contains "tr: the home card's Dutch summary is lang=nl" "$Q/site/tr/index.html" \
  '<p class="card-summary" lang="nl" dir="ltr">Een eerste gesprek op school over hoe het gaat.</p>'
contains "tr: the card's translated title is Turkish" "$Q/site/tr/leerjaar-1/index.html" \
  'lang="tr" dir="ltr">Çocuğunuzun mentoruyla tanışma</a>'
contains "tr: the feed's Dutch summary is xml:lang=nl" "$Q/site/tr/feed.xml" \
  '<summary xml:lang="nl">Een eerste gesprek op school over hoe het gaat.</summary>'
# the Dutch title changes: the Arabic one is no longer the Dutch text, on
# every page an incremental build rewrites as a full build does
sed -i 's/^title: "Kennismaken met de mentor van uw kind"$/title: "Kennismaken met de mentor"/' "$G/mentor.nl.md"
"$LOBGEN" build --source "$Q" --output "$Q/site" --quiet 2>/dev/null
"$LOBGEN" build --source "$Q" --output "$TMPROOT/qfull" --full --quiet 2>/dev/null
equal "incremental equals full: the Dutch title changed under an Arabic title left in Dutch" \
  "$(tree_sum "$Q/site")" "$(tree_sum "$TMPROOT/qfull")"
contains "ar: the card no longer marks the title Dutch" "$Q/site/ar/leerjaar-1/index.html" \
  '<a href="../../ar/gesprekken/mentor/index.html" lang="ar" dir="rtl">Kennismaken met de mentor van uw kind</a>'
