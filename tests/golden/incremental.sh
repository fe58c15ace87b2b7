#!/bin/bash
# Incremental builds (lobgen build without --full) are byte-identical to full
# builds: random edits of every kind (content, front matter, templates and
# per-language overrides, locales, glossary, assets, config, deletions,
# renames, new materials, languages added and removed, PO translations,
# errors), each followed by an incremental and a clean full build; also a
# corrupt or missing manifest and published files changed by hand.
# INCREMENTAL_EDITS=N (default 200) and INCREMENTAL_SEED=S choose the run;
# `make test-incremental` runs 1000.
source "$(dirname "$0")/lib.sh"
edits=${INCREMENTAL_EDITS:-200}
seed=${INCREMENTAL_SEED:-13}
# in memory where there is some: each build ends with syncfs
base=$TMPROOT
[ -d /dev/shm ] && [ -w /dev/shm ] && base=$(mktemp -d /dev/shm/lobgen-incr.XXXXXX)
trap 'rm -rf "$TMPROOT" ${base:+"$base"}' EXIT
# the release build for the long run (speed), the sanitizer build for a short one
mkdir -p "$base/rel" "$base/asan"
pychecks "${LOBGEN_REL:-$ROOT/build/lobgen}" "$ROOT" "$base/rel" "$edits" "$seed" <"$(dirname "$0")/incremental.py"
SUITE=incremental-asan pychecks "$LOBGEN" "$ROOT" "$base/asan" 12 "$((seed + 1))" <"$(dirname "$0")/incremental.py"
