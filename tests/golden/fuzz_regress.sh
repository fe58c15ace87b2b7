#!/bin/bash
# The fuzz targets (fuzz/fuzz_*.c) run as plain ASan+UBSan programs over
# tests/fuzz/<target>/: crash inputs `make fuzz` found, kept as regression
# tests, and pathological inputs (deep nesting, an alias bomb, a section
# bomb). Then pathological inputs too big to keep in the repository, made
# here: each must finish (the timeout only guards a hang) without a crash.
source "$(dirname "$0")/lib.sh"
for dir in "$ROOT"/tests/fuzz/fuzz_*/; do
  t=$(basename "$dir")
  bin=$ROOT/build/asan/fuzz/$t
  if [ ! -x "$bin" ]; then fail "$t replayer is built" "$bin missing (make unit-bins)"; continue; fi
  for f in "$dir"*; do
    if timeout 300 "$bin" "$f" >/dev/null 2>"$TMPROOT/err"; then pass "$t survives $(basename "$f")"
    else fail "$t survives $(basename "$f")" "$(head -c 400 "$TMPROOT/err")"; fi
  done
done
# made here: a front matter map of 100,000 keys, Markdown lists 2,000 deep,
# a 10 MB Markdown file
"$PY" - "$TMPROOT" <<'PY'
import sys
d = sys.argv[1]
open(f'{d}/100k-keys', 'w').write('---\n' + ''.join(f'k{i}: {i}\n' for i in range(100000)) + '---\n')
open(f'{d}/deep-lists', 'w').write(''.join('  ' * i + '- x\n' for i in range(2000)))
para = 'Een gewone zin met *nadruk*, een [link](https://example.org/) en `code`.\n\n'
open(f'{d}/10mb.md', 'w').write(para * (10_000_000 // len(para)))
PY
for c in "fuzz_frontmatter 100k-keys" "fuzz_markdown deep-lists" "fuzz_markdown 10mb.md"; do
  set -- $c
  if timeout 300 "$ROOT/build/asan/fuzz/$1" "$TMPROOT/$2" >/dev/null 2>"$TMPROOT/err"; then pass "$1 finishes $2"
  else fail "$1 finishes $2" "$(head -c 400 "$TMPROOT/err")"; fi
done
