#!/bin/bash
# Issue 11: whole kinds of faults. Output failures, publishing under
# concurrency and faults, escaping of block attributes, characters XML
# forbids, missing partials, deep graphs, dates.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
NL=$(cd "$P" && ls content/thuisopdrachten/*.nl.md | head -1)

# --- stdout that cannot be written is an error, for every command (as git does)
printf 'x: 1\n' >"$TMPROOT/d.yaml"; printf '{{x}}\n' >"$TMPROOT/t.mustache"
for cmd in "--version" "--help" "status --source $P" "status --json --source $P" \
           "fingerprint $P/$NL" "template $TMPROOT/t.mustache --data $TMPROOT/d.yaml"; do
  # shellcheck disable=SC2086
  "$LOBGEN" $cmd >/dev/full 2>"$TMPROOT/err"; rc=$?
  equal "'lobgen $cmd' >/dev/full exits 1" "$rc" 1
  contains "'lobgen $cmd' >/dev/full says why" "$TMPROOT/err" "cannot write the output"
done
