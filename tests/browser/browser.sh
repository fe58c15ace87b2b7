#!/bin/bash
# Browser checks: the example site as a parent's phone shows it. Debian's
# Chromium (headless, driven over its DevTools pipe by check_pages.py)
# loads pages from a small server on 127.0.0.1 at 320 and 390 px and
# checks axe-core WCAG 2.1 AA, sideways scrolling, the language menu on
# screen and its tap targets, text contrast computed for every script,
# focus outlines, foreign requests, working without JavaScript, the 404 at
# a deep path and the announcement texts served without a charset. The Nu
# HTML validator (vnu.jar on Debian's Java) checks the same pages, and
# site_checks.py reads every page for repeated ids, meta descriptions and
# the sitemap.
#
# By default one page per page type and language (the largest, which has
# the most blocks); LOBGEN_BROWSER_ALL=1 (make test-browser-all) checks
# every page. LOBGEN_BROWSER_SITE=DIR checks an already built site instead
# of building the example (to see which checks fail on an older build).
# The tools come from scripts/ensure-deps test (chromium, default-jre-headless,
# npm) and `npm ci` in tests/browser (the Makefile runs it).
source "$(dirname "$0")/../golden/lib.sh"
SUITE=browser
started=$SECONDS
REL=${LOBGEN_REL:-$ROOT/build/lobgen}
HERE=$(cd "$(dirname "$0")" && pwd)
AXE=$HERE/node_modules/axe-core/axe.min.js
VNU=$HERE/node_modules/vnu-jar/build/dist/vnu.jar

missing=""
for tool in chromium java python3; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -f "$AXE" ] || missing="$missing axe-core"
[ -f "$VNU" ] || missing="$missing vnu-jar"
if [ -n "$missing" ]; then
  fail "browser tools installed" "missing:$missing (run: scripts/ensure-deps test; (cd tests/browser && npm ci))"
  exit 1
fi
pass "browser tools installed"

if [ -n "${LOBGEN_BROWSER_SITE:-}" ]; then
  S=$LOBGEN_BROWSER_SITE
else
  S=$TMPROOT/site
  "$REL" build --source "$ROOT" --output "$S" --quiet 2>"$TMPROOT/build.err"
  rc=$?
  equal "example site builds" "$rc" 0
  if [ $rc -ne 0 ]; then cat "$TMPROOT/build.err"; exit 1; fi
fi
base_url=$(sed -n 's/^base_url: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$ROOT/lobgen.yaml")
title=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$ROOT/lobgen.yaml")
langs=$(sed -n '/^languages:/,/^[a-z]/s/^ *- *\([a-z][a-z]*\).*/\1/p' "$ROOT/lobgen.yaml")

# --- which pages ---------------------------------------------------------------
largest() { ls -S "$@" 2>/dev/null | head -n 1; }
pages=(index.html 404.html)
if [ "${LOBGEN_BROWSER_ALL:-}" = 1 ]; then
  pages=($(cd "$S" && find . -name "*.html" | sed 's|^\./||' | sort))
else
  for lang in $langs; do
    for f in "$S/$lang/index.html" "$(largest "$S/$lang"/leerjaar-*/index.html)" \
      "$(largest "$S/$lang"/leerjaar-*/handouts.html)" "$S/$lang/woordenlijst/index.html" \
      "$(largest "$S/$lang"/*/*/index.html)" "$(largest "$S/$lang"/*/*/handout.html)" \
      "$(largest "$S/$lang"/*/*/handout-nl.html)"; do
      [ -f "$f" ] && pages+=("${f#"$S"/}")
    done
  done
fi

# --- in the browser ---------------------------------------------------------------
mkdir -p "$TMPROOT/home"
# seconds for all pages in the browser: a few minutes for the default
# sample, much longer for every page
limit=${LOBGEN_BROWSER_TIMEOUT:-$([ "${LOBGEN_BROWSER_ALL:-}" = 1 ] && echo 3600 || echo 600)}
browser_started=$SECONDS
HOME=$TMPROOT/home TMPDIR=$TMPROOT LOBGEN_SOURCE_TITLE=$title LOBGEN_SOURCE_LANG=$(echo $langs | cut -d" " -f1) \
  LOBGEN_BROWSER_TIMEOUT=$limit timeout -k 10 $((limit + 120)) python3 "$HERE/check_pages.py" "$S" "$AXE" "${pages[@]}" >"$TMPROOT/checks.txt" 2>"$TMPROOT/checks.err"
rc=$?
equal "the browser checks ran to the end" "$rc" 0
[ $rc -eq 0 ] || tail -n 5 "$TMPROOT/checks.err"
browser_secs=$((SECONDS - browser_started))
while IFS= read -r line; do
  case "$line" in
    "OK "*) pass "${line#OK }" ;;
    "NO "*) r=${line#NO }; fail "${r%%: *}" "${r#*: }" ;;
  esac
done <"$TMPROOT/checks.txt"

# --- the Nu HTML validator --------------------------------------------------------
# One Java run for all pages (the JVM start costs seconds); the 404 page too.
vnu_started=$SECONDS
files=()
for p in "${pages[@]}"; do files+=("$S/$p"); done
java -Xss2m -jar "$VNU" --errors-only --format gnu "${files[@]}" >"$TMPROOT/vnu.txt" 2>&1
vnu_rc=$?
vnu_secs=$((SECONDS - vnu_started))
for p in "${pages[@]}"; do
  errs=$(grep -F "\"file:$S/$p\":" "$TMPROOT/vnu.txt" | sed 's/^[^:]*:[^:]*: //')
  if [ -z "$errs" ]; then
    pass "$p: the Nu HTML validator finds 0 errors"
  else
    fail "$p: the Nu HTML validator finds 0 errors" "$(printf '%s\n' "$errs" | wc -l) errors, first: $(printf '%s\n' "$errs" | sort | uniq -c | sort -rn | head -n 3 | sed 's/^ *//' | tr '\n' '|')"
  fi
done
if [ $vnu_rc -ne 0 ] && ! grep -qF "\"file:$S/" "$TMPROOT/vnu.txt"; then
  fail "the Nu HTML validator ran" "status $vnu_rc: $(tail -n 3 "$TMPROOT/vnu.txt" | tr '\n' '|')"
fi

# --- every page, no browser needed ---------------------------------------------------
# A copy of the example where one language has no glossary of its own, one
# Dutch text changed after its translations were made (stale + unreviewed)
# and one evening is for two years and follows two materials.
V=$TMPROOT/variant
mkdir -p "$V"
cp -r "$ROOT/lobgen.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/locales" "$V/"
rm -f "$V/content/woordenlijst.so.yaml"
printf '\nDeze zin is later toegevoegd.\n' >>"$V/content/thuisopdrachten/wat-kan-ik.nl.md"
# an evening for two years that follows two materials: lists of links
sed -i 's|^leerjaar: 1$|leerjaar: [1, 2]|; s|^follows: gesprekken/gesprek-kwaliteiten-en-motieven$|follows: [gesprekken/gesprek-kwaliteiten-en-motieven, thuisopdrachten/wat-kan-ik]|' \
  "$V/content/ouderavonden/ouderavond-leerjaar-1.nl.md"
variant_site=""
if [ -z "${LOBGEN_BROWSER_SITE:-}" ]; then
  if "$REL" build --source "$V" --output "$V/site" --quiet 2>"$TMPROOT/variant.err"; then
    variant_site=$V/site
    stale=$("$REL" status --source "$V" --json 2>/dev/null | grep -c '"state": "stale"')
    if [ "$stale" -ge 1 ]; then pass "the variant example has a stale translation"; else fail "the variant example has a stale translation" "lobgen status shows none"; fi
  else
    fail "the variant example builds" "$(head -n 3 "$TMPROOT/variant.err")"
  fi
else
  variant_site=${LOBGEN_BROWSER_VARIANT:-}
fi
while IFS= read -r line; do
  case "$line" in
    "OK "*) pass "${line#OK }" ;;
    "NO "*) r=${line#NO }; fail "${r%%: *}" "${r#*: }" ;;
  esac
done < <(python3 "$HERE/site_checks.py" "$S" "$base_url" $variant_site 2>&1)

echo "NOTE $SUITE: ${#pages[@]} pages at 320 and 390 px in Chromium in ${browser_secs}s; the Nu validator in ${vnu_secs}s; $((SECONDS - started))s in all"
