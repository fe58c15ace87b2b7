#!/bin/bash
# make bench's pipeline (bench/run) on a tiny corpus: it runs to its end
# and prints every figure bench/README promises (build, the floors,
# publishing, the one-edit incremental share, template renders). The
# figures' values are the machine's; what is checked is that each is
# there and says what it measures. A bench that stops half-way (it did:
# the corpus generator once stood where the corpora's folder goes) is
# seen here, not on the day someone measures.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMPROOT/out"
cd "$ROOT" || exit 1
log=$(BENCH_CORPORA=$TMPROOT/corpora BENCH_OUT=$TMPROOT/out bench/run 20 2 2>&1)
equal "bench/run 20 2 runs to its end" "$?" 0
has() { # name, extended regex a line of the report must match
  if printf '%s\n' "$log" | grep -Eq "$2"; then pass "$1"; else fail "$1" "no line matching /$2/ in: $log"; fi
}
has "it names the corpus: 20 materials x 2 languages" '^corpus: 20 materials x 2 languages'
has "the build: wall, CPU, peak memory, files, HTML pages, pages per second" \
  '^build: [0-9.]+ s wall, [0-9.]+ s CPU, peak memory [0-9]+ MiB; [0-9]+ files, [0-9]+ HTML pages, [0-9]+ pages/s$'
has "the floors: write-only on one thread and on more, cmark-only" \
  '^floors: write-only: [0-9.]+ s, [0-9]+ files, [0-9]+ bytes, 1 threads; write-only: .*cmark-only: [0-9.]+ s, 40 bodies'
has "the build over each floor" '^build / write-only: [0-9.]+ \(2 threads: [0-9.]+\); build / cmark-only: [0-9.]+$'
has "the publishing floor of an incremental build, as a share" '^publishing floor of an incremental build .*: [0-9.]+ % of this build$'
has "the one-edit incremental build as a share of a full build (issue 13's figure)" \
  '^incremental: one Dutch material edited \(content/.*\.nl\.md\): [0-9.]+ s, a full build [0-9.]+ s: [0-9.]+ % of it'
has "the build before it, nothing changed" '^incremental: the build before it, nothing changed'
has "the template engine's renders per second" '^template renders per second: [0-9]+$'
# the edit changes one material's pages and the lists that show it, not the site
line=$(printf '%s\n' "$log" | grep -E '^incremental: one Dutch' | grep -Eo '[0-9]+ of [0-9]+ pages unchanged')
kept=${line%% of*}; rest=${line#* of }; total=${rest%% *}
check "one edit leaves most pages as they were ($line)" test -n "$kept" -a "${kept:-0}" -gt $(( ${total:-0} * 3 / 4 )) -a "${kept:-0}" -lt "${total:-0}"
absent "the corpus was made where BENCH_CORPORA said, not in the repository" "$ROOT/bench/corpus/n20-l2"
exists "... there" "$TMPROOT/corpora/n20-l2/.complete"
# make bench keeps its corpora in bench/corpus/: nothing else may take that name
if [ -e "$ROOT/bench/corpus" ] && [ ! -d "$ROOT/bench/corpus" ]; then
  fail "bench/corpus is free for make bench's corpora" "a file of the repository stands there"
else
  pass "bench/corpus is free for make bench's corpora"
fi
