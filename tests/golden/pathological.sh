#!/bin/bash
# Pathological Markdown (as cmark's test/pathological_tests.py): inputs that
# made Debian 12's cmark-gfm 0.29.0.gfm.6 take time quadratic in their size
# (300 KB of `![[]()` took 65 s) and others of the same kinds (deep
# nesting, long runs of emphasis and brackets, unclosed links). Each body is
# built as a whole site by the release program; no content file under 1 MB
# may take more than a second (issue 11), but a timed test would fail on a
# busy machine, so the timeout here only guards a hang or a quadratic
# blow-up (PATHOLOGICAL_TIMES=1 prints each build's time). A table with more
# cells than lobgen allows is an error at its line and column.
source "$(dirname "$0")/lib.sh"
BIN=${LOBGEN_REL:-$ROOT/build/lobgen}
GUARD=20
mkdir -p "$TMPROOT/cases"
"$PY" - "$TMPROOT/cases" <<'PY'
import sys
d = sys.argv[1]
cases = {
    # the two of issue 11
    'image-brackets': '![[]()' * 50000,                       # 300 KB
    # cmark's pathological_tests.py, sized to about 1 MB or less
    'nested-strong-emph': '*a **a ' * 30000 + 'b' + ' a** a*' * 30000,
    'emph-closers-no-openers': 'a_ ' * 100000,
    'emph-openers-no-closers': '_a ' * 100000,
    'link-closers-no-openers': 'a]' * 100000,
    'link-openers-no-closers': '[a' * 100000,
    'mismatched-openers-closers': '*a_ ' * 100000,
    'openers-closers-multiple-of-3': 'a**b' + 'c* ' * 100000,
    'link-openers-emph-closers': '[ a_' * 100000,
    'bracket-paren-pattern': '[ (](' * 80000,
    'nested-brackets': '[' * 50000 + 'a' + ']' * 50000,
    'nested-block-quotes': '> ' * 50000 + 'a',
    'deeply-nested-lists': ''.join('  ' * i + '* a\n' for i in range(1000)),
    'backticks': ''.join('e' + '`' * i for i in range(1, 1000)),
    'unclosed-links-a': '[a](<b' * 50000,
    'unclosed-links-b': '[a](b' * 50000,
    'unclosed-comments': '</' + '<!--' * 100000,
    'strikethrough-runs': '~~a ~b ' * 100000,
    'autolink-runs': 'www.a_b_c_d_e ' * 50000,
    'many-references': ''.join(f'[r{i}]: /u{i}\n' for i in range(20000)) + ''.join(f'[r{i}] ' for i in range(20000)),
    'table-many-rows': '| a | b |\n|---|---|\n' + '| x | y |\n' * 2400,   # 9,600 cells: allowed
    'table-long-cells': '| a |\n|---|\n' + ('| ' + '*x ' * 2000 + '|\n') * 100,
}
for name, body in cases.items():
    open(f'{d}/{name}.md', 'w').write(body + '\n')
# the table of issue 11: 12 KB that declared 2,000 columns and 2,000 rows
# of empty cells to Debian's cmark-gfm (a lone '|' is no row in 0.29.0.gfm.13,
# so this is a header of 2,000 cells and a paragraph now)
open(f'{d}/table-2000x2000.md', 'w').write('|' + 'a|' * 2000 + '\n|' + '-|' * 2000 + '\n' + '|\n' * 2000)
# the same in rows of one cell each, which GFM fills with empty ones: 14 KB
# for 4 million cells (cmark-gfm stops taking rows at 524,288 filled-in cells)
open(f'{d}/table-2000-columns.md', 'w').write('|' + 'a|' * 2000 + '\n|' + '-|' * 2000 + '\n' + '|x\n' * 2000)
# the limit: 100 columns in 100 rows (header included) is 10,000 cells, one row more is not
open(f'{d}/table-at-limit.md', 'w').write('|' + 'a|' * 100 + '\n|' + '-|' * 100 + '\n' + ('|' + 'x|' * 100 + '\n') * 99)
open(f'{d}/table-past-limit.md', 'w').write('|' + 'a|' * 100 + '\n|' + '-|' * 100 + '\n' + ('|' + 'x|' * 100 + '\n') * 100)
PY

# build_case NAME: a one-material project whose body is cases/NAME.md (its
# front matter is 5 lines, so the body starts on line 6); sets rc and secs
build_case() {
  P=$TMPROOT/p-$1
  mkdir -p "$P/content/thuisopdrachten"
  cp "$ROOT/tests/fixtures/basic/lobgen.yaml" "$P/"
  sed -i 's/^languages:.*/languages: [nl]/' "$P/lobgen.yaml"
  cp -r "$ROOT/templates" "$ROOT/locales" "$P/"
  { printf -- '---\ntitle: "Pathologisch"\nleerjaar: 1\nweek: 5\n---\n'; cat "$TMPROOT/cases/$1.md"; } \
    >"$P/content/thuisopdrachten/p.nl.md"
  local start end
  start=$(date +%s%N)
  timeout $GUARD "$BIN" build --source "$P" --output "$P/site" --quiet >"$P/out" 2>"$P/err"; rc=$?
  end=$(date +%s%N)
  secs=$(( (end - start) / 1000000 ))
  [ "${PATHOLOGICAL_TIMES:-}" = 1 ] && echo "time $1: $(stat -c %s "$TMPROOT/cases/$1.md") bytes, $secs ms" >&2
  return 0
}

for f in "$TMPROOT"/cases/*.md; do
  name=$(basename "$f" .md)
  case $name in table-2000-columns|table-past-limit) continue ;; esac
  build_case "$name"
  if [ "$rc" = 0 ]; then
    pass "$name: builds within the ${GUARD} s hang guard"
  else
    fail "$name: builds within the ${GUARD} s hang guard" "status $rc after $secs ms: $(head -c 300 "$P/err")"
    continue
  fi
  # the page grows with the body, not with its square: at most 20 bytes of
  # HTML per byte of Markdown (the page's own frame aside)
  page=$P/site/nl/thuisopdrachten/p/index.html
  size=$(stat -c %s "$page" 2>/dev/null || echo 0)
  limit=$(( $(stat -c %s "$f") * 20 + 200000 ))
  if [ "$size" -gt 0 ] && [ "$size" -le "$limit" ]; then pass "$name: the page is in proportion to the body"
  else fail "$name: the page is in proportion to the body" "$size bytes, more than $limit (or missing)"; fi
done

# tables past the limit: an error at the table's first line, nothing published
for name in table-2000-columns table-past-limit; do
  build_case "$name"
  equal "$name: refused with exit status 1 within the hang guard" "$rc" 1
  case $name in
    table-2000-columns) want='content/thuisopdrachten/p.nl.md:6:1: error: this table has 264 rows of 2000 columns, 528000 cells; a table may have at most 10000 cells' ;;
    *) want='content/thuisopdrachten/p.nl.md:6:1: error: this table has 101 rows of 100 columns, 10100 cells; a table may have at most 10000 cells' ;;
  esac
  contains "$name: the error names the table's line and column and the limit" "$P/err" "$want"
  absent "$name: nothing is published" "$P/site"
done
build_case table-at-limit
contains "a table of exactly 10,000 cells is shown" "$P/site/nl/thuisopdrachten/p/index.html" '<th>a</th>'

# a table nested in a list item: the column counts from the item's text
build_case table-2000x2000 # a project to change
{ printf -- '---\ntitle: "Pathologisch"\nleerjaar: 1\nweek: 5\n---\n- punt\n\n  '; sed '2,$s/^/  /' "$TMPROOT/cases/table-past-limit.md"; } \
  >"$P/content/thuisopdrachten/p.nl.md"
timeout $GUARD "$BIN" build --source "$P" --output "$P/site" --quiet 2>"$P/err"; rc=$?
equal "a table in a list item past the limit: exit status 1" "$rc" 1
contains "a table in a list item: the error is at the table's own line and column" "$P/err" \
  'content/thuisopdrachten/p.nl.md:8:3: error: this table has 101 rows of 100 columns'
