#!/bin/bash
# Languages and translations on the i18n fixture (nl, tr, ar, ar-MA, pl):
# what `lobgen status` reports (text and JSON), fingerprints, --mark-current
# (and that it leaves every other byte alone), the stale notice after a
# Dutch edit, plural forms and dates the reader's way, and a locale file
# that lacks a string.
source "$(dirname "$0")/lib.sh"

T=content/thuisopdrachten
E=$T/opdracht-een           # nl, tr (current), ar (stale), ar-MA (current)
G=content/gesprekken/gesprek-een
A=content/ouderavonden/avond-een
TW=$T/opdracht-twee

# has_line NAME FILE LINE: the file has exactly this line
has_line() { if [ -f "$2" ] && grep -qxF -- "$3" "$2"; then pass "$1"; else fail "$1" "$2 has no line [$3]"; fi; }
# section FILE TAG: one language's block of `lobgen status` text, from its
# heading line (blanks before the tag dropped) to the blank line after it
section() {
  awk -v t="$2" 'on && NF == 0 {exit} on {print} !on && $1 == t && $2 ~ /^\(/ {on = 1; sub(/^ +/, ""); print}' "$1"
}
# same_text NAME GOT_FILE WANT_FILE: two texts are the same, byte for byte
same_text() {
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "differs: $(diff "$3" "$2" | head -c 600 | tr '\n' '|')"; fi
}
FP_RE='^[0-9a-f]{16}$'

P=$(project i18n)

# ---- before --mark-current: a translation without translation.source is stale
"$LOBGEN" status --source "$P" >"$TMPROOT/st0" 2>"$TMPROOT/st0.err"
equal "status exits 0" "$?" 0
section "$TMPROOT/st0" tr >"$TMPROOT/st0.tr"
has_line "without translation.source a translation is stale, and status says how to mark it" "$TMPROOT/st0.tr" \
  "  stale, unreviewed   $E.tr.md (no translation.source yet: when it matches $E.nl.md, run lobgen status --mark-current $E.tr.md)"

# ---- mark the Turkish and the Moroccan Arabic translations current
"$LOBGEN" status --source "$P" --mark-current "$P/$E.tr.md" "$P/$G.tr.md" "$P/$E.ar-MA.md" 2>"$TMPROOT/mark.err"
rc=$?
equal "--mark-current with three files exits 0" "$rc" 0
[ $rc -eq 0 ] || cat "$TMPROOT/mark.err"
FP_E=$("$LOBGEN" fingerprint "$P/$E.nl.md" 2>/dev/null)
FP_G=$("$LOBGEN" fingerprint "$P/$G.nl.md" 2>/dev/null)
has_line "--mark-current writes the Dutch fingerprint into the translation" "$P/$E.tr.md" "  source: $FP_E"
has_line "--mark-current handles every file it is given" "$P/$G.tr.md" "  source: $FP_G"
has_line "--mark-current works for a language with a region (ar-MA)" "$P/$E.ar-MA.md" "  source: $FP_E"

# ---- lobgen status, text
"$LOBGEN" status --source "$P" >"$TMPROOT/st" 2>"$TMPROOT/st.err"
equal "status exits 0 after marking" "$?" 0
check "status prints nothing on stderr for clean content" test ! -s "$TMPROOT/st.err"
section "$TMPROOT/st" nl >"$TMPROOT/st.nl"
printf '%s\n' "nl (Nederlands): source language" "  4 materials" >"$TMPROOT/want.nl"
same_text "status: the source language and its number of materials" "$TMPROOT/st.nl" "$TMPROOT/want.nl"
section "$TMPROOT/st" tr >"$TMPROOT/st.tr"
printf '%s\n' "tr (Türkçe)" \
  "  translated 2, stale 0, missing 2, unreviewed 1, missing interface strings 0" \
  "  missing             $A.tr.md (translate $A.nl.md)" \
  "  missing             $TW.tr.md (translate $TW.nl.md)" \
  "  unreviewed          $E.tr.md" >"$TMPROOT/want.tr"
same_text "status: Turkish counts and the files to work on, missing first" "$TMPROOT/st.tr" "$TMPROOT/want.tr"
section "$TMPROOT/st" pl >"$TMPROOT/st.pl"
printf '%s\n' "pl (polski)" \
  "  translated 0, stale 0, missing 4, unreviewed 0, missing interface strings 0" \
  "  missing             $E.pl.md (translate $E.nl.md)" \
  "  missing             $G.pl.md (translate $G.nl.md)" \
  "  missing             $A.pl.md (translate $A.nl.md)" \
  "  missing             $TW.pl.md (translate $TW.nl.md)" >"$TMPROOT/want.pl"
same_text "status: Polish has everything missing, in the year's order" "$TMPROOT/st.pl" "$TMPROOT/want.pl"
section "$TMPROOT/st" ar >"$TMPROOT/st.ar"
has_line "status: Arabic counts" "$TMPROOT/st.ar" \
  "  translated 0, stale 1, missing 3, unreviewed 0, missing interface strings 0"
has_line "status: the stale Arabic file and the Dutch file that changed" "$TMPROOT/st.ar" \
  "  stale               $E.ar.md (the source changed: $E.nl.md)"
check "status: a reviewed translation is not listed as unreviewed" sh -c "! grep -q 'unreviewed .*$E.ar.md' '$TMPROOT/st.ar'"
section "$TMPROOT/st" ar-MA >"$TMPROOT/st.arma"
has_line "status: ar-MA counts of its own" "$TMPROOT/st.arma" \
  "  translated 1, stale 0, missing 3, unreviewed 0, missing interface strings 0"

# ---- lobgen status --json
"$LOBGEN" status --source "$P" --json >"$TMPROOT/st.json" 2>/dev/null
equal "status --json exits 0" "$?" 0
check "status --json is valid JSON" "$PY" -c 'import json,sys; json.load(sys.stdin)' <"$TMPROOT/st.json"
pychecks "$TMPROOT/st.json" "$FP_E" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
except Exception as e:
    print("NO json: parsed: %s" % e); sys.exit(0)
fp_e = sys.argv[2]
def ok(name, cond, why):
    print(("OK %s" % name) if cond else ("NO %s: %s" % (name, why)))
ok("json: version 1", d.get("version") == 1, "version %r" % d.get("version"))
ok("json: source_language nl", d.get("source_language") == "nl", "source_language %r" % d.get("source_language"))
ok("json: 4 materials", d.get("materials") == 4, "materials %r" % d.get("materials"))
langs = d.get("languages") or []
codes = [l.get("code") for l in langs]
ok("json: languages in configured order", codes == ["nl", "tr", "ar", "ar-MA", "pl"], "codes %r" % codes)
fields = {"code", "name", "source", "counts", "materials", "missing_strings"}
lacking = [(l.get("code"), sorted(fields - set(l))) for l in langs if fields - set(l)]
ok("json: every language has code, name, source, counts, materials, missing_strings", not lacking, "lacking %r" % lacking)
by = {l.get("code"): l for l in langs}
names = {c: by[c].get("name") for c in by}
want_names = {"nl": "Nederlands", "tr": "Türkçe", "ar": "العربية", "ar-MA": "العربية (المغرب)", "pl": "polski"}
ok("json: native language names", names == want_names, "names %r" % names)
ok("json: only nl is the source", [c for c in by if by[c].get("source") is True] == ["nl"],
   "source flags %r" % {c: by[c].get("source") for c in by})
want = {
    "tr": {"translated": 2, "stale": 0, "missing": 2, "unreviewed": 1},
    "ar": {"translated": 0, "stale": 1, "missing": 3, "unreviewed": 0},
    "ar-MA": {"translated": 1, "stale": 0, "missing": 3, "unreviewed": 0},
    "pl": {"translated": 0, "stale": 0, "missing": 4, "unreviewed": 0},
}
for c, w in want.items():
    got = by.get(c, {}).get("counts")
    ok("json: %s counts" % c, got == w, "got %r want %r" % (got, w))
def mat(code, key):
    for m in by.get(code, {}).get("materials") or []:
        if m.get("material") == key:
            return m
    return {}
ok("json: every language lists all 4 materials",
   all(len(by[c].get("materials") or []) == 4 for c in by), "lengths %r" % {c: len(by[c].get("materials") or []) for c in by})
states = {c: mat(c, "thuisopdrachten/opdracht-een").get("state") for c in by}
ok("json: states of opdracht-een per language",
   states == {"nl": "source", "tr": "translated", "ar": "stale", "ar-MA": "translated", "pl": "missing"}, "states %r" % states)
m = mat("tr", "thuisopdrachten/opdracht-een")
ok("json: an unreviewed translation has reviewed false", m.get("reviewed") is False, "reviewed %r" % m.get("reviewed"))
ok("json: a translation's file", m.get("file") == "content/thuisopdrachten/opdracht-een.tr.md", "file %r" % m.get("file"))
m = mat("pl", "thuisopdrachten/opdracht-een")
ok("json: a missing translation's file is null", "file" in m and m["file"] is None, "file %r" % m.get("file"))
ok("json: source_file names the Dutch file", m.get("source_file") == "content/thuisopdrachten/opdracht-een.nl.md",
   "source_file %r" % m.get("source_file"))
ok("json: fingerprint is the Dutch text's", m.get("fingerprint") == fp_e, "fingerprint %r, lobgen fingerprint says %r" % (m.get("fingerprint"), fp_e))
ms = {c: by[c].get("missing_strings") for c in by}
ok("json: no missing interface strings", all(v == [] for v in ms.values()), "missing_strings %r" % ms)
PYEOF

# ---- fingerprint
F=$TMPROOT/fp
mkdir -p "$F"
cat >"$F/a.nl.md" <<'MD'
---
title: "Oriëntatie op één beroep"
summary: "Een café-gesprek."
leerjaar: 2
week: 10
---

## Één vraag

Wat vindt u van uw beroep? Ça va, ‘ja’ of “nee”: 5 €.
MD
fp() { "$LOBGEN" fingerprint "$1" 2>/dev/null; }
FA=$(fp "$F/a.nl.md")
check "fingerprint prints 16 hex digits" grep -Eq "$FP_RE" <<<"$FA"
"$LOBGEN" fingerprint "$F/a.nl.md" >/dev/null 2>&1; equal "fingerprint exits 0" "$?" 0
sed 's/$/\r/' "$F/a.nl.md" >"$F/crlf.nl.md"
equal "CRLF line ends give the same fingerprint" "$(fp "$F/crlf.nl.md")" "$FA"
sed '2i encoding: windows-1252' "$F/a.nl.md" | iconv -f UTF-8 -t WINDOWS-1252 >"$F/cp1252.nl.md"
check "the windows-1252 copy is not UTF-8" sh -c "! iconv -f UTF-8 -t UTF-8 '$F/cp1252.nl.md' >/dev/null 2>&1"
equal "the same text in windows-1252 (encoding: key) gives the same fingerprint" "$(fp "$F/cp1252.nl.md")" "$FA"
sed 's/5 €\.$/5 €.   /' "$F/a.nl.md" >"$F/blanks.nl.md"
printf '\n\n' >>"$F/blanks.nl.md"
equal "trailing blanks and empty lines at the end do not count" "$(fp "$F/blanks.nl.md")" "$FA"
sed 's/^summary: .*/summary: "Iets heel anders."/; s/^week: 10/week: 11/' "$F/a.nl.md" >"$F/fm.nl.md"
equal "editing only summary and week keeps the fingerprint" "$(fp "$F/fm.nl.md")" "$FA"
sed 's/Ça va/Zo gaat het/' "$F/a.nl.md" >"$F/body.nl.md"
FB=$(fp "$F/body.nl.md")
check "changing the Dutch body changes the fingerprint" test -n "$FB" -a "$FB" != "$FA"
sed 's/^title: .*/title: "Oriëntatie op twee beroepen"/' "$F/a.nl.md" >"$F/title.nl.md"
FT=$(fp "$F/title.nl.md")
check "changing the title changes the fingerprint" test -n "$FT" -a "$FT" != "$FA"
"$LOBGEN" fingerprint "$F/bestaat-niet.nl.md" >/dev/null 2>&1; equal "fingerprint of a missing file exits 1" "$?" 1
"$LOBGEN" fingerprint >/dev/null 2>&1; equal "fingerprint without a file exits 2" "$?" 2

# ---- --mark-current changes only translation.source, in three shapes of file
M=$(project i18n)
strip_source() { grep -v '^  source: ' "$1"; }

# a) translation: with source: already: the value is replaced
cp "$M/$E.ar.md" "$TMPROOT/a.before"
"$LOBGEN" status --source "$M" --mark-current "$M/$E.ar.md" 2>/dev/null
equal "mark (source: present) exits 0" "$?" 0
has_line "mark (source: present): the value is replaced" "$M/$E.ar.md" "  source: $FP_E"
lacks "mark (source: present): the old value is gone" "$M/$E.ar.md" "0123456789abcdef"
equal "mark (source: present): same number of lines" "$(wc -l <"$M/$E.ar.md")" "$(wc -l <"$TMPROOT/a.before")"
strip_source "$M/$E.ar.md" >"$TMPROOT/a.after-"; strip_source "$TMPROOT/a.before" >"$TMPROOT/a.before-"
check "mark (source: present): every other byte unchanged" diff "$TMPROOT/a.before-" "$TMPROOT/a.after-"

# b) translation: without source: the line is inserted under translation:
cp "$M/$E.tr.md" "$TMPROOT/b.before"
"$LOBGEN" status --source "$M" --mark-current "$M/$E.tr.md" 2>/dev/null
equal "mark (no source:) exits 0" "$?" 0
equal "mark (no source:): source is the line right under translation:" \
  "$(grep -A1 -x 'translation:' "$M/$E.tr.md" | tail -n 1)" "  source: $FP_E"
strip_source "$M/$E.tr.md" >"$TMPROOT/b.after-"
check "mark (no source:): every other byte unchanged" diff "$TMPROOT/b.before" "$TMPROOT/b.after-"

# c) no translation: at all: the block is added before the closing ---
cat >"$M/$G.ar.md" <<'MD'
---
title: "محادثة عمّا تحب أن تفعله"
summary: "يتحدث التلميذ والوالدان والمرشد معًا."
---

## المحادثة

يحكي التلميذ عمّا يحب أن يفعله.
MD
cp "$M/$G.ar.md" "$TMPROOT/c.before"
"$LOBGEN" status --source "$M" --mark-current "$M/$G.ar.md" 2>/dev/null
equal "mark (no translation:) exits 0" "$?" 0
printf '%s\n' "---" "title: \"محادثة عمّا تحب أن تفعله\"" "summary: \"يتحدث التلميذ والوالدان والمرشد معًا.\"" \
  "translation:" "  source: $FP_G" "  reviewed: false" "---" >"$TMPROOT/c.want-head"
head -n 7 "$M/$G.ar.md" >"$TMPROOT/c.head"
same_text "mark (no translation:): a translation block before the closing ---" "$TMPROOT/c.head" "$TMPROOT/c.want-head"
grep -v -x -e 'translation:' -e "  source: $FP_G" -e '  reviewed: false' "$M/$G.ar.md" >"$TMPROOT/c.after-"
check "mark (no translation:): every other byte unchanged" diff "$TMPROOT/c.before" "$TMPROOT/c.after-"

# CRLF files keep CRLF, in the inserted lines too
all_crlf() { [ "$(grep -c $'\r$' "$1")" = "$(wc -l <"$1")" ] && [ "$(tail -c 2 "$1" | od -An -c | tr -d ' ')" = '\r\n' ]; }
sed 's/$/\r/' "$TMPROOT/b.before" >"$M/$E.tr.md"
cp "$M/$E.tr.md" "$TMPROOT/d.before"
"$LOBGEN" status --source "$M" --mark-current "$M/$E.tr.md" 2>/dev/null
equal "mark (CRLF, no source:) exits 0" "$?" 0
check "mark (CRLF, no source:): every line still ends in CRLF" all_crlf "$M/$E.tr.md"
has_line "mark (CRLF, no source:): the inserted line ends in CRLF" "$M/$E.tr.md" "  source: $FP_E"$'\r'
strip_source "$M/$E.tr.md" >"$TMPROOT/d.after-"
check "mark (CRLF, no source:): every other byte unchanged" diff "$TMPROOT/d.before" "$TMPROOT/d.after-"
sed 's/$/\r/' "$TMPROOT/c.before" >"$M/$G.ar.md"
cp "$M/$G.ar.md" "$TMPROOT/e.before"
"$LOBGEN" status --source "$M" --mark-current "$M/$G.ar.md" 2>/dev/null
equal "mark (CRLF, no translation:) exits 0" "$?" 0
check "mark (CRLF, no translation:): every line still ends in CRLF" all_crlf "$M/$G.ar.md"
grep -v -x -e $'translation:\r' -e "  source: $FP_G"$'\r' -e $'  reviewed: false\r' "$M/$G.ar.md" >"$TMPROOT/e.after-"
check "mark (CRLF, no translation:): every other byte unchanged" diff "$TMPROOT/e.before" "$TMPROOT/e.after-"

# the YAML as libyaml reads it, not line by line: a comment at the start of
# a line inside the block, a quoted value with a comment after it, a flow
# map; every other byte (and the file's mode) stays
cp "$M/$E.tr.md" "$TMPROOT/mx.saved"
mark_exact() { # NAME FRONT-MATTER-BEFORE FRONT-MATTER-WANT (@ stands for the fingerprint)
  local f="$M/$E.tr.md" want
  printf -- '---\ntitle: "Evde konuşun"\n%s---\n\nMetin.\n' "$2" >"$f"
  chmod 0664 "$f"
  want=$(printf -- '---\ntitle: "Evde konuşun"\n%s---\n\nMetin.\n' "${3//@/$FP_E}"; echo x)
  "$LOBGEN" status --source "$M" --mark-current "$f" 2>"$TMPROOT/mx.err"
  equal "mark ($1): exactly the value changes" "$(cat "$f"; echo x)" "$want"
  equal "mark ($1): the file keeps its mode" "$(stat -c %a "$f")" 664
}
mark_exact "a comment line in the block" $'translation:\n# nagekeken door Ayse\n  source: 0123456789abcdef\n  reviewed: true\n' \
  $'translation:\n# nagekeken door Ayse\n  source: @\n  reviewed: true\n'
mark_exact "a quoted value with a comment" $'translation:\n  reviewed: true\n  source: "0123456789abcdef"  # oud\n' \
  $'translation:\n  reviewed: true\n  source: @  # oud\n'
mark_exact "a flow map" $'translation: {reviewed: true}\n' $'translation: {source: @, reviewed: true}\n'
mark_exact "a comment line before source is added" $'translation:\n  # nog niet nagekeken\n  reviewed: false\n' \
  $'translation:\n  source: @\n  # nog niet nagekeken\n  reviewed: false\n'
mark_exact "an empty translation: before other keys" $'translation:\nsummary: translation\nweek: 3\n' \
  $'translation:\n  source: @\nsummary: translation\nweek: 3\n'
cp "$TMPROOT/mx.saved" "$M/$E.tr.md"

"$LOBGEN" status --source "$M" --mark-current "$M/$E.nl.md" >/dev/null 2>&1
equal "marking the Dutch file itself is refused" "$?" 1
"$LOBGEN" status --source "$M" --mark-current >/dev/null 2>&1
equal "--mark-current without files is a usage error" "$?" 2

# marked files count as current on the next build
"$LOBGEN" build --source "$M" --quiet 2>"$TMPROOT/m.err"
rc=$?
equal "build after marking exits 0" "$rc" 0
[ $rc -eq 0 ] || head -n 5 "$TMPROOT/m.err"
lacks "marked Arabic page has no stale notice" "$M/site/ar/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
lacks "marked CRLF translation has no stale notice" "$M/site/tr/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
lacks "marked new translation has no stale notice" "$M/site/ar/gesprekken/gesprek-een/index.html" 'notice-stale'
contains "the block --mark-current adds says not reviewed" "$M/site/ar/gesprekken/gesprek-een/index.html" 'notice-unreviewed'
"$LOBGEN" status --source "$M" >"$TMPROOT/m.st" 2>/dev/null
section "$TMPROOT/m.st" ar >"$TMPROOT/m.st.ar"
has_line "status after marking: Arabic is current" "$TMPROOT/m.st.ar" \
  "  translated 2, stale 0, missing 2, unreviewed 1, missing interface strings 0"

# ---- the site: build the marked project
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/b.err"
rc=$?
equal "build exits 0" "$rc" 0
[ $rc -eq 0 ] || head -n 5 "$TMPROOT/b.err"
S=$P/site

# plural forms: leerjaar 1-4 hold 3, 2, 1 and 0 materials
counts() { grep -o '<span class="count">[^<]*</span>' "$1" | sed 's/<[^>]*>//g' | paste -sd'|'; }
equal "Dutch counts 3, 2, 1, 0" "$(counts "$S/nl/index.html")" "3 materialen|2 materialen|1 materiaal|0 materialen"
equal "Arabic counts use few, two, one, zero" "$(counts "$S/ar/index.html")" "٣ مواد|مادتان|مادة واحدة|٠ مادة"
equal "Polish counts use few, few, one, many" "$(counts "$S/pl/index.html")" "3 materiały|2 materiały|1 materiał|0 materiałów"
equal "ar-MA counts: Arabic forms with Latin digits" "$(counts "$S/ar-MA/index.html")" "3 مواد|مادتان|مادة واحدة|0 مادة"
contains "Arabic leerjaar 4: Arabic-Indic digits in the label and the zero form" "$S/ar/index.html" \
  '<h2 id="leerjaar-4"><a href="leerjaar-4/index.html">السنة الدراسية ٤</a> <span class="count">٠ مادة</span></h2>'
contains "Arabic leerjaar 2: the dual" "$S/ar/index.html" \
  '<h2 id="leerjaar-2"><a href="leerjaar-2/index.html">السنة الدراسية ٢</a> <span class="count">مادتان</span></h2>'
contains "Polish leerjaar 4: many" "$S/pl/index.html" '<span class="count">0 materiałów</span>'
contains "Polish leerjaar 3: one" "$S/pl/index.html" '<span class="count">1 materiał</span>'

# dates the reader's way: deadline 2026-10-09, evening 2026-11-19 19:30
contains "Dutch deadline" "$S/nl/thuisopdrachten/opdracht-een/index.html" '<time datetime="2026-10-09">vrijdag 9 oktober 2026</time>'
contains "Turkish deadline" "$S/tr/thuisopdrachten/opdracht-een/index.html" '<time datetime="2026-10-09">9 Ekim 2026 Cuma</time>'
contains "Arabic deadline in Arabic-Indic digits" "$S/ar/thuisopdrachten/opdracht-een/index.html" '<time datetime="2026-10-09">الجمعة، ٩ أكتوبر ٢٠٢٦</time>'
contains "ar-MA deadline in Latin digits" "$S/ar-MA/thuisopdrachten/opdracht-een/index.html" '<time datetime="2026-10-09">الجمعة، 9 أكتوبر 2026</time>'
contains "Polish deadline (a missing translation still dates the reader's way)" "$S/pl/thuisopdrachten/opdracht-een/index.html" '<time datetime="2026-10-09">piątek, 9 października 2026</time>'
contains "Arabic evening with its time" "$S/ar/ouderavonden/avond-een/index.html" '<time datetime="2026-11-19T19:30">الخميس، ١٩ نوفمبر ٢٠٢٦ في ١٩:٣٠</time>'
FSI=$'\u2068' PDI=$'\u2069'
contains "ar-MA evening: Moroccan month name, Latin digits" "$S/ar-MA/ouderavonden/avond-een/index.html" '<time datetime="2026-11-19T19:30">الخميس، 19 نونبر 2026 في 19:30</time>'
contains "Turkish evening with its time" "$S/tr/ouderavonden/avond-een/index.html" '<time datetime="2026-11-19T19:30">19 Kasım 2026 Perşembe 19:30</time>'
contains "Arabic announcement dates the Arabic way" "$S/ar/thuisopdrachten/opdracht-een/aankondiging.txt" 'الجمعة، ٩ أكتوبر ٢٠٢٦'
contains "ar-MA announcement dates with Latin digits" "$S/ar-MA/thuisopdrachten/opdracht-een/aankondiging.txt" "الجمعة، ${FSI}9${PDI} أكتوبر ${FSI}2026${PDI}"

# a right-to-left plain-text announcement isolates what it takes from
# elsewhere (Unicode Bidirectional Algorithm, UAX #9: FSI U+2068 ... PDI
# U+2069), so a Dutch title, a URL or a date in Latin digits keeps its
# order in any messaging app; a left-to-right one needs no isolates
FSI=$'\u2068' PDI=$'\u2069'
A2=$S/ar/thuisopdrachten/opdracht-twee/aankondiging.txt
contains "Arabic announcement: the Dutch title is isolated" "$A2" "«${FSI}Beroepen in de familie${PDI}»"
contains "Arabic announcement: the URL is isolated" "$A2" "${FSI}https://"
contains "Arabic announcement: the whole URL, to its last slash" "$A2" "/ar/thuisopdrachten/opdracht-twee/${PDI}"
contains "ar-MA announcement: the date is isolated, and its numbers in Latin digits each again" "$S/ar-MA/thuisopdrachten/opdracht-een/aankondiging.txt" "${FSI}الجمعة، ${FSI}9${PDI} أكتوبر ${FSI}2026${PDI}${PDI}"
lacks "Turkish announcement has no isolates" "$S/tr/thuisopdrachten/opdracht-een/aankondiging.txt" "$FSI"

# ar-MA is right-to-left everywhere
for f in index.html thuisopdrachten/opdracht-een/index.html thuisopdrachten/opdracht-twee/index.html leerjaar-1/index.html; do
  contains "ar-MA $f is dir=rtl" "$S/ar-MA/$f" '<html lang="ar-MA" dir="rtl">'
done
contains "ar-MA handout is dir=rtl" "$S/ar-MA/thuisopdrachten/opdracht-een/handout.html" '<html lang="ar-MA" dir="rtl">'
contains "ar-MA translated text is marked ar-MA, rtl" "$S/ar-MA/thuisopdrachten/opdracht-een/index.html" '<div class="material-body" lang="ar-MA" dir="rtl">'
contains "ar-MA fallback text is marked Dutch, ltr" "$S/ar-MA/thuisopdrachten/opdracht-twee/index.html" '<div class="material-body" lang="nl" dir="ltr">'
contains "the switcher names ar-MA in its own name" "$S/nl/index.html" 'العربية (المغرب)'

# translation states on the pages
lacks "current Turkish page has no stale notice" "$S/tr/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
contains "unreviewed Turkish page says so" "$S/tr/thuisopdrachten/opdracht-een/index.html" 'notice-unreviewed'
lacks "reviewed Turkish gesprek has no review note" "$S/tr/gesprekken/gesprek-een/index.html" 'notice-unreviewed'
contains "Arabic with a wrong source is stale" "$S/ar/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
contains "Polish page shows the missing notice" "$S/pl/thuisopdrachten/opdracht-een/index.html" 'notice-missing'

# ---- the coordinator's loop
# a front-matter-only edit of the Dutch keeps translations current
sed -i 's/^summary: .*/summary: "Uw kind vertelt u wat het graag doet."/' "$P/$E.nl.md"
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
lacks "after a Dutch summary edit the Turkish page is not stale" "$S/tr/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
# a body edit makes them stale
sed -i 's/thuis en op school\./thuis, op school en bij de sport./' "$P/$E.nl.md"
check "the Dutch body was edited" grep -q 'bij de sport' "$P/$E.nl.md"
"$LOBGEN" build --source "$P" --quiet 2>"$TMPROOT/b2.err"
equal "rebuild after the edit exits 0" "$?" 0
contains "after a Dutch body edit the Turkish page is stale" "$S/tr/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
contains "the stale notice links the Dutch page" "$S/tr/thuisopdrachten/opdracht-een/index.html" \
  'href="../../../nl/thuisopdrachten/opdracht-een/index.html" hreflang="nl" lang="nl"'
contains "after a Dutch body edit the ar-MA page is stale" "$S/ar-MA/thuisopdrachten/opdracht-een/index.html" 'notice-stale'
lacks "an unchanged material stays current" "$S/tr/gesprekken/gesprek-een/index.html" 'notice-stale'
"$LOBGEN" status --source "$P" >"$TMPROOT/st2" 2>/dev/null
section "$TMPROOT/st2" tr >"$TMPROOT/st2.tr"
has_line "status after the edit: Turkish counts" "$TMPROOT/st2.tr" \
  "  translated 1, stale 1, missing 2, unreviewed 1, missing interface strings 0"
has_line "status after the edit lists the Turkish file as stale (and unreviewed)" "$TMPROOT/st2.tr" \
  "  stale, unreviewed   $E.tr.md (the source changed: $E.nl.md)"
# the translator updates it and the coordinator marks it again
"$LOBGEN" status --source "$P" --mark-current "$P/$E.tr.md" 2>/dev/null
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
lacks "marked again, the Turkish page is current" "$S/tr/thuisopdrachten/opdracht-een/index.html" 'notice-stale'

# ---- a locale file that lacks a string
Q=$(project i18n)
sed -i '/^  calendar_add:/d' "$Q/locales/tr.yaml"
"$LOBGEN" check --source "$Q" >/dev/null 2>"$TMPROOT/q.err"
equal "check with a missing interface string exits 0" "$?" 0
check "the warning names the key and the locale file" \
  grep -Eq "^locales/tr\.yaml(:[0-9]+)*: warning: .*'calendar_add'" "$TMPROOT/q.err"
lacks "a missing interface string is no error" "$TMPROOT/q.err" ": error: "
lacks "no warning for the complete Arabic locale" "$TMPROOT/q.err" "locales/ar.yaml"
"$LOBGEN" status --source "$Q" >"$TMPROOT/q.st" 2>/dev/null
section "$TMPROOT/q.st" tr >"$TMPROOT/q.st.tr"
has_line "status lists the missing string with its file" "$TMPROOT/q.st.tr" "  missing string      calendar_add in locales/tr.yaml"
check "status counts the missing string" grep -q 'missing interface strings 1$' "$TMPROOT/q.st.tr"
"$LOBGEN" status --source "$Q" --json >"$TMPROOT/q.json" 2>/dev/null
equal "status --json lists the missing string" \
  "$("$PY" -c 'import json,sys; d=json.load(sys.stdin); print([l["missing_strings"] for l in d["languages"] if l["code"]=="tr"][0])' <"$TMPROOT/q.json" 2>&1)" \
  "['calendar_add']"
"$LOBGEN" build --source "$Q" --quiet 2>/dev/null
contains "the page falls back to the Dutch string" "$Q/site/tr/thuisopdrachten/opdracht-een/index.html" '>Zet in uw agenda</a>'
