#!/bin/bash
# The files editors leave beside the one they save are no content: Emacs,
# gedit, Kate and nano -B keep a backup "x.nl.md~", Emacs an auto-save
# "#x.nl.md#" and a lock ".#x.nl.md" (a link to nowhere), vim a ".x.nl.md.swp".
# A build (and so every rebuild of serve) goes on as if they were not
# there; a stray file of another kind is still an error.
source "$(dirname "$0")/lib.sh"
P=$(project basic)
D=$P/content/thuisopdrachten
"$LOBGEN" build --source "$P" --quiet 2>/dev/null
before=$(tree_sum "$P/site")
cp "$D/opdracht-een.nl.md" "$D/opdracht-een.nl.md~"
cp "$D/opdracht-een.nl.md" "$D/#opdracht-een.nl.md#"
ln -s "gebruiker@machine.1234:1700000000" "$D/.#opdracht-een.nl.md"
printf 'swap' >"$D/.opdracht-een.nl.md.swp"
cp "$P/content/woordenlijst.nl.yaml" "$P/content/woordenlijst.nl.yaml~"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a build beside editor backups succeeds" "$rc" 0
lacks_err=$(grep -c "error" <<<"$out")
equal "editor backups give no error" "$lacks_err" 0
"$LOBGEN" build --source "$P" --full --quiet --output "$TMPROOT/full" 2>/dev/null
equal "the site is the one without them" "$(tree_sum "$P/site")" "$before"
absent "no page for the backup" "$P/site/nl/thuisopdrachten/opdracht-een.nl.md~"
out=$("$LOBGEN" check --source "$P" 2>&1)
equal "check says nothing about them" "$(grep -c 'opdracht-een.nl.md[~#]' <<<"$out")" 0
# a file that is not an editor's is still an error
printf 'notities' >"$D/notities.txt"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a stray notities.txt is still an error" "$rc" 1
grep -q "notities.txt: error: " <<<"$out" && pass "the error names notities.txt" || fail "the error names notities.txt" "$out"
rm "$D/notities.txt"
# a name that only ends in # or starts with one is no auto-save
printf 'x' >"$D/#notities"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "a file named #notities is still an error" "$rc" 1
# backups of an asset, the content clean: the site has no copy of them
rm -f "$D/opdracht-een.nl.md~" "$D/#opdracht-een.nl.md#" "$D/#notities" "$P/content/woordenlijst.nl.yaml~"
cp "$P/templates/assets/style.css" "$P/templates/assets/style.css~"
cp "$P/templates/assets/style.css" "$P/templates/assets/#style.css#"
"$LOBGEN" build --source "$P" --quiet >/dev/null 2>&1
equal "a build beside asset backups succeeds" "$?" 0
absent "a backup of style.css is not published" "$P/site/assets/style.css~"
absent "an auto-save of style.css is not published" "$P/site/assets/#style.css#"

# serve sees what the build reads and nothing else: a backup gives no
# rebuild, a stray #notities rebuilds and shows its error
rm -f "$P/templates/assets/style.css~" "$P/templates/assets/#style.css#"
export TMPDIR=$TMPROOT/tmp
mkdir -p "$TMPDIR"
as_typed "$LOBGEN" serve --source "$P" --port 0 >"$TMPROOT/sout" 2>"$TMPROOT/serr" &
spid=$!
trap 'kill -INT "$spid" 2>/dev/null; rm -rf "$TMPROOT"' EXIT
URL=$(serve_url "$TMPROOT/sout" "$spid")
[ -n "$URL" ] || fail "serve starts" "$(tail -n 3 "$TMPROOT/serr")"
n0=$(grep -ac "^lobgen: rebuilt\|^lobgen: the content has errors" "$TMPROOT/sout")
cp "$D/opdracht-een.nl.md" "$D/opdracht-een.nl.md~"
sleep 1.5
equal "serve: a backup gives no rebuild" "$(grep -ac "^lobgen: rebuilt\|^lobgen: the content has errors" "$TMPROOT/sout")" "$n0"
printf 'x' >"$D/#notities"
for _ in $(seq 1 40); do grep -aq "has errors" "$TMPROOT/sout" && break; sleep 0.1; done
grep -aq "has errors after a change to content/thuisopdrachten/#notities" "$TMPROOT/sout" \
  && pass "serve: a stray #notities rebuilds and shows its error" || fail "serve: a stray #notities rebuilds and shows its error" "$(tail -n 2 "$TMPROOT/sout" | tr '\n' '|')"
rm -f "$D/#notities" "$D/opdracht-een.nl.md~"
kill -INT "$spid"; wait "$spid" 2>/dev/null
