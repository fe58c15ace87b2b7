#!/bin/bash
# lobgen init and lobgen new: a new project builds at once; a material from
# its archetype, a translation to fill in and a new language's locale file
# fit into it; nothing is overwritten. Then the same from an installed
# lobgen (make install DESTDIR=...).
source "$(dirname "$0")/lib.sh"
X=$TMPROOT/x
"$LOBGEN" init "$X" 2>"$TMPROOT/err"
equal "init exits 0" "$?" 0
for f in lobgen.yaml .gitignore templates/layout.mustache templates/assets/style.css locales/nl.yaml \
         content/thuisopdrachten/wat-kan-ik.nl.md content/gesprekken/gesprek-over-kwaliteiten.nl.md \
         content/ouderavonden/ouderavond-leerjaar-1.nl.md; do
  exists "init makes $f" "$X/$f"
done
contains "the .gitignore leaves out site/" "$X/.gitignore" "site/"
grep -q '^#' "$X/lobgen.yaml" && pass "lobgen.yaml has comments" || fail "lobgen.yaml has comments" "no comment line"
(cd "$X" && "$LOBGEN" build) >/dev/null 2>"$TMPROOT/err"
equal "the new project builds at once" "$?" 0
# what a build leaves beside the sources (the site, the lock file that
# builds take turns on) is ignored by git: nothing of it shows as new
if command -v git >/dev/null; then
  left=$(git -C "$X" init -q && git -C "$X" status --porcelain --untracked-files=all | grep -E '^\?\? (site/|\.site\.lobgen|\.lobgen-cache/)' | head -n 3)
  equal "git ignores what the build wrote" "$left" ""
  rm -rf "$X/.git"
else
  fail "git ignores what the build wrote" "git is not installed"
fi
grep -q 'warning' "$TMPROOT/err" && fail "the new project builds without warnings" "$(head -n 3 "$TMPROOT/err")" || pass "the new project builds without warnings"
exists "its site has the example's page" "$X/site/nl/thuisopdrachten/wat-kan-ik/index.html"
contains "the examples are one line of the year" "$X/site/nl/gesprekken/gesprek-over-kwaliteiten/index.html" 'wat-kan-ik'
echo keep >"$TMPROOT/keep"; mkdir -p "$TMPROOT/full"; cp "$TMPROOT/keep" "$TMPROOT/full/"
"$LOBGEN" init "$TMPROOT/full" 2>"$TMPROOT/err"
equal "init refuses a folder that is not empty" "$?" 1
equal "init leaves that folder alone" "$(ls -A "$TMPROOT/full")" "keep"

cd "$X" || exit 1
"$LOBGEN" new thuisopdracht proef --leerjaar 2 2>"$TMPROOT/err"
equal "new thuisopdracht exits 0" "$?" 0
F=content/thuisopdrachten/proef.nl.md
exists "new thuisopdracht writes the Dutch file" "$F"
grep -qE '^leerjaar: 2( |$)' "$F" && pass "--leerjaar goes into the front matter" || fail "--leerjaar goes into the front matter" "$(grep leerjaar "$F")"
contains "the archetype has the usual answer block" "$F" '```antwoord'
contains "the archetype explains its keys" "$F" '# 1 to 4'
sum=$(sha256sum <"$F")
echo "mijn tekst" >>"$F"; sum=$(sha256sum <"$F")
"$LOBGEN" new thuisopdracht proef 2>"$TMPROOT/err"
equal "new refuses to overwrite" "$?" 1
contains "and says the file exists" "$TMPROOT/err" "already exists"
equal "the existing file is unchanged" "$(sha256sum <"$F")" "$sum"
"$LOBGEN" new gesprek proef-gesprek --leerjaar 2 2>/dev/null; equal "new gesprek exits 0" "$?" 0
"$LOBGEN" new ouderavond proef-avond --leerjaar 3 2>/dev/null; equal "new ouderavond exits 0" "$?" 0
contains "the gesprek has its agreements block" content/gesprekken/proef-gesprek.nl.md '```afspraken'
contains "the ouderavond has its programme" content/ouderavonden/proef-avond.nl.md '```programma'
"$LOBGEN" new thuisopdracht Proef_1 2>"$TMPROOT/err"; equal "a bad slug is refused" "$?" 1
contains "and the message says what a slug is" "$TMPROOT/err" "lowercase letters"
"$LOBGEN" new huiswerk x 2>"$TMPROOT/err"; equal "an unknown kind is refused" "$?" 1
"$LOBGEN" new thuisopdracht y --leerjaar 5 2>/dev/null; equal "leerjaar 5 is refused" "$?" 2
"$LOBGEN" build 2>"$TMPROOT/err"
equal "the project builds with the new materials" "$?" 0
grep -q 'href="[^"]*proef/index.html"' site/nl/leerjaar-2/index.html && pass "the new thuisopdracht is in leerjaar 2" \
  || fail "the new thuisopdracht is in leerjaar 2" "not linked from nl/leerjaar-2/"

# a new language: native name and direction from ICU, CLDR plural categories
"$LOBGEN" new language fa 2>"$TMPROOT/err"
equal "new language exits 0" "$?" 0
contains "the locale file has the native name" locales/fa.yaml 'name: "فارسی"'
contains "the locale file has the direction" locales/fa.yaml 'direction: rtl'
contains "the locale file lists Persian plural categories" locales/fa.yaml 'plural categories of fa (from ICU): one, other'
contains "the locale file is not reviewed" locales/fa.yaml 'reviewed: false'
grep -qE '^  - fa$|[[, ]fa[],]' lobgen.yaml && pass "the tag is added to lobgen.yaml" || fail "the tag is added to lobgen.yaml" "$(grep -A4 languages lobgen.yaml)"
"$LOBGEN" new language ar 2>/dev/null
contains "Arabic gets its six plural categories" locales/ar.yaml 'one, two, few, many, other'
contains "Arabic is right to left" locales/ar.yaml 'direction: rtl'
"$LOBGEN" new language tr 2>/dev/null
contains "Turkish is left to right" locales/tr.yaml 'direction: ltr'
contains "Turkish is named in Turkish" locales/tr.yaml 'name: "Türkçe"'
"$LOBGEN" new language fa 2>"$TMPROOT/err"; equal "new language does not overwrite" "$?" 1
"$LOBGEN" new language qq 2>"$TMPROOT/err"; equal "an unknown language is refused" "$?" 1
"$LOBGEN" build 2>"$TMPROOT/err"
equal "the project builds with the new languages" "$?" 0
contains "the Persian pages are right to left" site/fa/index.html 'dir="rtl"'
# check lists exactly the strings left to translate: all of nl's, then one fewer
nkeys=$(sed -n '/^strings:/,$p' locales/nl.yaml | grep -cE '^  [a-z_]+:')
"$LOBGEN" check 2>"$TMPROOT/check"
equal "check lists every string of the new language" "$(grep -c "^locales/fa.yaml: warning: the interface string" "$TMPROOT/check")" "$nkeys"
sed -i 's|^  # home: .*|  home: "خانه"|' locales/fa.yaml
"$LOBGEN" check 2>"$TMPROOT/check"
equal "a translated string leaves the list" "$(grep -c "^locales/fa.yaml: warning: the interface string" "$TMPROOT/check")" "$((nkeys - 1))"
lacks "check no longer lists it" "$TMPROOT/check" "locales/fa.yaml: warning: the interface string 'home' is missing"

# a translation to fill in
"$LOBGEN" new translation "$F" fa 2>"$TMPROOT/err"
equal "new translation exits 0" "$?" 0
T=content/thuisopdrachten/proef.fa.md
exists "new translation writes <slug>.<lang>.md" "$T"
contains "it records the current fingerprint" "$T" "  source: $("$LOBGEN" fingerprint "$F")"
contains "it is a draft until translated" "$T" "draft: true"
contains "it has the Dutch text to translate" "$T" "mijn tekst"
"$LOBGEN" new translation "$F" fa 2>/dev/null; equal "new translation does not overwrite" "$?" 1
"$LOBGEN" new translation "$F" de 2>"$TMPROOT/err"; equal "an unconfigured language is refused" "$?" 1
contains "and the message names new language" "$TMPROOT/err" "lobgen new language de"
# one translation per material and language: not a .md beside a .po
mv "$T" "$TMPROOT/proef.fa.md"
printf 'msgid ""\nmsgstr "Language: fa\\n"\n' >content/thuisopdrachten/proef.fa.po
"$LOBGEN" new translation "$F" fa 2>"$TMPROOT/err"; equal "new translation beside a PO translation is refused" "$?" 1
contains "and the message points to the PO file" "$TMPROOT/err" "content/thuisopdrachten/proef.fa.po: error: this material already has a PO translation"
absent "no Markdown translation is written beside it" "$T"
rm content/thuisopdrachten/proef.fa.po
mv "$TMPROOT/proef.fa.md" "$T"
"$LOBGEN" build 2>"$TMPROOT/err"; equal "the project builds with the new translation" "$?" 0
sed -i '/^draft: true$/d' "$T"
"$LOBGEN" status 2>/dev/null | tr -s ' ' >"$TMPROOT/st"
"$LOBGEN" build 2>"$TMPROOT/err"; equal "the finished translation builds" "$?" 0
contains "the finished translation is published" site/fa/thuisopdrachten/proef/index.html 'lang="fa"'

# a language in lobgen.yaml without a locale file
sed -i 's/^  - nl .*/&\n  - de/' lobgen.yaml
"$LOBGEN" build 2>"$TMPROOT/err"
equal "a language without a locale file fails the build" "$?" 1
contains "the error names the command to run" "$TMPROOT/err" "locales/de.yaml: error: the language 'de' has no locale file"
contains "the error gives the command" "$TMPROOT/err" "lobgen new language de"
cp lobgen.yaml "$TMPROOT/cfg"
"$LOBGEN" new language de 2>/dev/null
equal "new language for a configured tag makes only the file" "$(cat lobgen.yaml)" "$(cat "$TMPROOT/cfg")"
"$LOBGEN" build 2>"$TMPROOT/err"; equal "then it builds" "$?" 0
cd "$ROOT" || exit 1

# from an installed lobgen
I=$TMPROOT/inst
make -s -C "$ROOT" install DESTDIR="$I" PREFIX=/usr >"$TMPROOT/inst.log" 2>&1
equal "make install DESTDIR= works" "$?" 0
for f in usr/bin/lobgen usr/share/man/man1/lobgen.1 usr/share/man/man5/lobgen.5 \
         usr/share/lobgen/templates/layout.mustache usr/share/lobgen/locales/nl.yaml; do
  exists "make install puts $f" "$I/$f"
done
Y=$TMPROOT/y
( unset LOBGEN_DATA_DIR; PATH=$I/usr/bin:$PATH
  lobgen init "$Y" && cd "$Y" && lobgen new thuisopdracht proef --leerjaar 2 && lobgen new language fa && lobgen build ) \
  >"$TMPROOT/inst.out" 2>&1
equal "init, new, new language, build work from the installed lobgen" "$?" 0
exists "the installed lobgen built the new material" "$Y/site/fa/thuisopdrachten/proef/index.html"
cmp -s "$Y/templates/layout.mustache" "$I/usr/share/lobgen/templates/layout.mustache" \
  && pass "init copied the installed templates" || fail "init copied the installed templates" "they differ"
