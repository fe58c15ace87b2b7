#!/bin/bash
# Byte-exact regression fixtures, as lowdown's regress/: every folder here
# is a project (project/, with the repo's templates and locales unless it
# has its own; or `source`, a path from the repo root, for the example
# site) and expected/, the whole output tree it must build to. One changed
# byte anywhere fails. After a deliberate change, `make regress-update`
# rewrites expected/ and the diff shows in review.
#   tests/regress/regress.sh           compare (PASS/FAIL lines)
#   tests/regress/regress.sh --update  rewrite every expected/
source "$(dirname "$0")/../golden/lib.sh"
SUITE=regress
update=0
[ "${1:-}" = --update ] && update=1
unset LOBGEN_JOBS
# Earlier than any file's last change (the repo's history starts in
# 2026-11): every feed time is clamped to it, so the fixtures do not depend
# on git history, a checkout's or a copy's file times.
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z

for fx in "$ROOT"/tests/regress/*/; do
  fx=${fx%/}
  name=$(basename "$fx")
  if [ -f "$fx/source" ]; then
    src="$ROOT/$(cat "$fx/source")"
  elif [ -d "$fx/project" ]; then
    src="$TMPROOT/$name-project"
    cp -r "$fx/project" "$src"
    [ -d "$src/templates" ] || cp -r "$ROOT/templates" "$src/templates"
    [ -d "$src/locales" ] || cp -r "$ROOT/locales" "$src/locales"
  else
    fail "$name: fixture" "$fx has neither project/ nor source"
    continue
  fi
  out="$TMPROOT/$name-out"
  if ! "$LOBGEN" build --source "$src" --output "$out" >"$TMPROOT/$name.log" 2>&1; then
    fail "$name: builds" "$(tail -n 5 "$TMPROOT/$name.log" | tr '\n' '|')"
    continue
  fi
  pass "$name: builds"
  if [ $update = 1 ]; then
    rm -rf "$fx/expected"
    cp -r "$out" "$fx/expected"
    echo "updated $fx/expected ($(find "$fx/expected" -type f | wc -l) files)"
    continue
  fi
  if [ ! -d "$fx/expected" ]; then
    fail "$name: expected output" "$fx/expected is missing; run make regress-update and review it"
    continue
  fi
  # the same files...
  (cd "$fx/expected" && find . -type f | LC_ALL=C sort) >"$TMPROOT/want.list"
  (cd "$out" && find . -type f | LC_ALL=C sort) >"$TMPROOT/got.list"
  if cmp -s "$TMPROOT/want.list" "$TMPROOT/got.list"; then
    pass "$name: the same $(wc -l <"$TMPROOT/want.list") files as expected/"
  else
    fail "$name: the same files as expected/" \
      "$(diff "$TMPROOT/want.list" "$TMPROOT/got.list" | grep '^[<>]' | head -n 10 | tr '\n' ' ')"
  fi
  # ...with the same bytes
  differ=()
  while IFS= read -r f; do
    [ -f "$out/$f" ] && ! cmp -s "$fx/expected/$f" "$out/$f" && differ+=("$f")
  done <"$TMPROOT/want.list"
  if [ ${#differ[@]} -eq 0 ]; then
    pass "$name: every file is byte-identical to expected/"
  else
    first=${differ[0]}
    fail "$name: every file is byte-identical to expected/" \
      "${#differ[@]} differ: ${differ[*]:0:8} — first difference in $first: $(diff "$fx/expected/$first" "$out/$first" | head -n 4 | cut -c1-160 | tr '\n' '|')"
  fi
done
