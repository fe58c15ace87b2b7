#!/bin/bash
# A whole build of the basic fixture (nl, tr, ar, pl): the pages a reader
# gets, their links and languages, escaping, and reproducible output.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
"$LOBGEN" status --source "$P" --mark-current "$P/content/thuisopdrachten/opdracht-een.tr.md" 2>"$TMPROOT/mark.err"
check "mark-current exits 0" test $? -eq 0
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/err"
rc=$?
equal "build exits 0" "$rc" 0
[ $rc -eq 0 ] || cat "$TMPROOT/err"
S=$P/site
M=thuisopdrachten/opdracht-een

for f in index.html 404.html sitemap.xml assets/style.css assets/print.css \
         nl/index.html tr/index.html ar/index.html pl/index.html nl/feed.xml ar/feed.xml \
         nl/leerjaar-1/index.html nl/leerjaar-4/index.html pl/leerjaar-2/index.html nl/leerjaar-1/handouts.html \
         nl/$M/index.html tr/$M/index.html ar/$M/index.html pl/$M/index.html \
         nl/$M/handout.html tr/$M/handout-nl.html ar/$M/handout-nl.html \
         nl/$M/aankondiging.txt tr/$M/aankondiging.txt nl/$M/agenda.ics \
         nl/gesprekken/gesprek-een/index.html nl/ouderavonden/avond-een/agenda.ics \
         nl/woordenlijst/index.html; do
  exists "page $f exists" "$S/$f"
done
absent "no bilingual handout for a missing translation" "$S/pl/$M/handout-nl.html"
absent "no bilingual handout for the source language" "$S/nl/$M/handout-nl.html"
absent "no announcement for a gesprek" "$S/nl/gesprekken/gesprek-een/aankondiging.txt"
absent "no stray temporary folder beside the output" "$P/.site.lobgen-new"

# the root chooser lists every language in its own name
contains "chooser names Turkish in Turkish" "$S/index.html" "Türkçe"
contains "chooser names Arabic in Arabic" "$S/index.html" "العربية"
contains "chooser names Polish in Polish" "$S/index.html" "polski"
contains "chooser links to the Turkish home" "$S/index.html" 'href="tr/index.html"'

# languages in every page
contains "Arabic page is right-to-left" "$S/ar/$M/index.html" '<html lang="ar" dir="rtl">'
contains "Turkish page is left-to-right" "$S/tr/$M/index.html" '<html lang="tr" dir="ltr">'
contains "switcher on the 404 page" "$S/404.html" 'hreflang="tr"'
contains "404 links from the site's own path" "$S/404.html" 'href="/lob/tr/index.html"'

# translation states
contains "translated page shows its own title" "$S/tr/$M/index.html" "Neyi iyi yapabilirim?"
contains "unreviewed translation says so" "$S/tr/$M/index.html" 'notice-unreviewed'
lacks "current translation is not stale" "$S/tr/$M/index.html" 'notice-stale'
contains "stale translation says so" "$S/ar/$M/index.html" 'notice-stale'
contains "stale notice links the Dutch page" "$S/ar/$M/index.html" 'href="../../../nl/thuisopdrachten/opdracht-een/index.html"'
lacks "reviewed translation has no review note" "$S/ar/$M/index.html" 'notice-unreviewed'
contains "missing translation shows a notice" "$S/pl/$M/index.html" 'notice-missing'
contains "missing translation shows the Dutch text marked as Dutch" "$S/pl/$M/index.html" '<div class="material-body" lang="nl" dir="ltr">'
contains "missing translation's canonical is the Dutch page" "$S/pl/$M/index.html" '<link rel="canonical" href="https://test.example.org/lob/nl/thuisopdrachten/opdracht-een/">'
contains "missing translation keeps the reader's page language" "$S/pl/$M/index.html" '<html lang="pl" dir="ltr">'

# hreflang: real translations only, plus x-default
contains "hreflang for Turkish" "$S/nl/$M/index.html" '<link rel="alternate" hreflang="tr" href="https://test.example.org/lob/tr/thuisopdrachten/opdracht-een/">'
contains "hreflang for the stale Arabic" "$S/nl/$M/index.html" 'hreflang="ar" href="https://test.example.org/lob/ar/'
lacks "no hreflang for the Polish fallback" "$S/nl/$M/index.html" '<link rel="alternate" hreflang="pl"'
contains "x-default points at the chooser" "$S/nl/$M/index.html" '<link rel="alternate" hreflang="x-default" href="https://test.example.org/lob/">'
contains "sitemap lists the Turkish page" "$S/sitemap.xml" '<loc>https://test.example.org/lob/tr/thuisopdrachten/opdracht-een/</loc>'
lacks "sitemap leaves out the Polish fallback" "$S/sitemap.xml" '<loc>https://test.example.org/lob/pl/thuisopdrachten/opdracht-een/</loc>'
contains "sitemap has hreflang alternates" "$S/sitemap.xml" '<xhtml:link rel="alternate" hreflang="tr" href="https://test.example.org/lob/tr/thuisopdrachten/opdracht-een/"/>'

# safety: values escaped everywhere, raw HTML off, no javascript: links
for f in nl/$M/index.html nl/index.html nl/leerjaar-1/index.html nl/feed.xml nl/$M/handout.html pl/$M/index.html; do
  contains "title escaped in $f" "$S/$f" 'Wat kan ik &lt;goed&gt; &amp; &quot;graag&quot;'
  lacks "no raw title in $f" "$S/$f" 'Wat kan ik <goed>'
done
lacks "raw HTML in Markdown is dropped" "$S/nl/$M/index.html" '<script>alert(1)</script>'
lacks "javascript: links are neutralised" "$S/nl/$M/index.html" 'href="javascript:'

# blocks and the line
n=$(grep -o 'class="write-line"' "$S/nl/$M/index.html" | wc -l)
equal "antwoord regels=4 gives four writing lines" "$n" 4
contains "tip block rendered" "$S/nl/$M/index.html" 'block-tip'
contains "programma block has start times" "$S/nl/ouderavonden/avond-een/index.html" '<td class="time"><time datetime="19:30">19:30</time></td>'
contains "complimenten block makes cards" "$S/nl/ouderavonden/avond-een/index.html" 'compliment-card'
contains "material shows what it prepares" "$S/nl/$M/index.html" 'href="../../../nl/gesprekken/gesprek-een/index.html"'
contains "follows link on the gesprek" "$S/nl/gesprekken/gesprek-een/index.html" 'Wat kan ik &lt;goed&gt;'
contains "leerjaar page lists the year in order" "$S/nl/leerjaar-1/index.html" 'Week 3'
contains "a material in two leerjaren is listed in both" "$S/nl/leerjaar-2/index.html" 'Ouderavond leerjaar 1'
contains "glossary term linked on first use" "$S/nl/$M/index.html" '<a class="term" href="../../../nl/woordenlijst/index.html#mentor"'

# dates the reader's way, calendar and announcement
contains "Dutch deadline date" "$S/nl/$M/index.html" '9 oktober 2026'
contains "Turkish deadline date" "$S/tr/$M/index.html" '9 Ekim 2026'
contains "ics is a calendar" "$S/nl/ouderavonden/avond-een/agenda.ics" 'BEGIN:VCALENDAR'
contains "ics has a timed start" "$S/nl/ouderavonden/avond-een/agenda.ics" 'DTSTART;TZID=Europe/Amsterdam:20261119T190000'
contains "ics end from the duration" "$S/nl/ouderavonden/avond-een/agenda.ics" 'DTEND;TZID=Europe/Amsterdam:20261119T203000'
contains "announcement links the page" "$S/tr/$M/aankondiging.txt" 'https://test.example.org/lob/tr/thuisopdrachten/opdracht-een/'
len=$(wc -m < "$S/tr/$M/aankondiging.txt")
check "announcement is at most 600 characters" test "$len" -le 600
# an announcement in a language the material is not translated into says,
# in that language, that the assignment is in Dutch for now, and links it;
# it never sends the reader to "the assignment in your language"
A=$S/pl/$M/aankondiging.txt
contains "untranslated: the Polish announcement says the assignment is in Dutch" "$A" 'tylko po niderlandzku'
lacks "untranslated: it does not promise the assignment in Polish" "$A" 'w Państwa języku'
contains "untranslated: it links the assignment" "$A" 'https://test.example.org/lob/pl/thuisopdrachten/opdracht-een/'
lacks "untranslated: no Dutch summary inside the Polish text" "$A" "$(sed -n 's/^summary: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$P/content/$M.nl.md" | cut -c1-30)"
lacks "translated: the Turkish announcement does not say Dutch for now" "$S/tr/$M/aankondiging.txt" 'Felemenkçe'

# print
contains "handout has a QR code" "$S/nl/$M/handout.html" '<svg class="qr"'
contains "bilingual handout: Arabic column right-to-left" "$S/ar/$M/handout-nl.html" '<td class="col-home" lang="ar" dir="rtl">'
contains "bilingual handout: Dutch column left-to-right" "$S/ar/$M/handout-nl.html" '<td class="col-source" lang="nl" dir="ltr">'
contains "print pack lists the year's handouts" "$S/nl/leerjaar-1/handouts.html" 'id="thuisopdrachten-opdracht-een"'

# reproducible: a second build into another folder is byte-identical
"$LOBGEN" build --source "$P" --output "$TMPROOT/second" --quiet 2>/dev/null
equal "two builds are byte-identical" "$(tree_sum "$S")" "$(tree_sum "$TMPROOT/second")"
LOBGEN_JOBS=1 "$LOBGEN" build --source "$P" --output "$TMPROOT/single" --quiet 2>/dev/null
equal "one thread gives the same bytes as many" "$(tree_sum "$S")" "$(tree_sum "$TMPROOT/single")"

# drafts
cat > "$P/content/gesprekken/concept.nl.md" <<'MD'
---
title: "Nog een concept"
leerjaar: 3
draft: true
---
Tekst.
MD
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
absent "a draft is not published" "$S/nl/gesprekken/concept/index.html"
"$LOBGEN" build --source "$P" --drafts --quiet 2>/dev/null
exists "--drafts publishes it" "$S/nl/gesprekken/concept/index.html"

# templates per language and leerjaar: the most specific one wins
mkdir -p "$P/templates/tr" "$P/templates/leerjaar-1" "$P/templates/tr/leerjaar-1" "$P/templates/ar/partials"
sed 's/<article class="material/<article data-override="tr" class="material/' "$P/templates/material.mustache" > "$P/templates/tr/material.mustache"
sed 's/<article class="material/<article data-override="leerjaar-1" class="material/' "$P/templates/material.mustache" > "$P/templates/leerjaar-1/material.mustache"
sed 's/<h1>{{year.label}}<\/h1>/<h1 data-override="tr-leerjaar-1">{{year.label}}<\/h1>/' "$P/templates/leerjaar.mustache" > "$P/templates/tr/leerjaar-1/leerjaar.mustache"
sed 's/<nav class="switcher"/<nav data-override="ar-partial" class="switcher"/' "$P/templates/partials/switcher.mustache" > "$P/templates/ar/partials/switcher.mustache"
"$LOBGEN" build --source "$P" --drafts --quiet 2>/dev/null
contains "templates/tr/ overrides for Turkish pages" "$S/tr/$M/index.html" 'data-override="tr"'
contains "templates/leerjaar-1/ overrides for other languages' leerjaar-1 pages" "$S/nl/$M/index.html" 'data-override="leerjaar-1"'
lacks "templates/leerjaar-1/ does not touch a leerjaar-3 material" "$S/nl/gesprekken/concept/index.html" 'data-override'
contains "templates/tr/leerjaar-1/ overrides the Turkish leerjaar-1 page" "$S/tr/leerjaar-1/index.html" 'data-override="tr-leerjaar-1"'
lacks "... and not the Turkish leerjaar-2 page" "$S/tr/leerjaar-2/index.html" 'data-override'
contains "a partial overridden per language" "$S/ar/index.html" 'data-override="ar-partial"'
lacks "... only for that language" "$S/nl/index.html" 'data-override="ar-partial"'

# feed.entries: each language's feed lists the newest N materials, newest first
F=$(project basic)
printf 'feed:\n  entries: 2\n' >> "$F/lobgen.yaml"
"$LOBGEN" build --source "$F" --quiet 2>"$TMPROOT/feed.err"
equal "a build with feed.entries: 2 exits 0" "$?" 0
entries=$(grep -c '<entry>' "$F/site/nl/feed.xml")
equal "feed.entries: 2 keeps two entries" "$entries" 2
ids=$(grep -o '<id>[^<]*/</id>' "$F/site/tr/feed.xml" | tr '\n' ' ')
equal "... the two newest, newest first (by date or deadline)" "$ids" \
  "<id>https://test.example.org/lob/tr/ouderavonden/avond-een/</id> <id>https://test.example.org/lob/tr/gesprekken/gesprek-een/</id> "
sed -i 's/entries: 2/entries: 0/' "$F/lobgen.yaml"
"$LOBGEN" build --source "$F" --quiet 2>"$TMPROOT/feed.err"
equal "feed.entries: 0 fails the build" "$?" 1
contains "... with the place and the fix" "$TMPROOT/feed.err" \
  "lobgen.yaml:$(grep -n 'entries: 0' "$F/lobgen.yaml" | cut -d: -f1):12: error: feed.entries must be a whole number from 1 to 1000000, not 0"
