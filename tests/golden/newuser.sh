#!/bin/bash
# What a new user meets first, taken literally: every command line of the
# man page's EXAMPLES and the README's working loop runs as written, in a
# fresh project; the first mistakes (lobgen run outside a project, a
# translation without its block, a PO file that is not there, a draft
# translation) get one plain line each that says what to do.
source "$(dirname "$0")/lib.sh"
export LOBGEN_DATA_DIR=$ROOT

# run_block FILE START END: runs the command lines between the line
# matching START and the next line matching END in FILE (lobgen's own
# commands and cd), the way a reader types them; serve is left out (it
# runs until stopped). Prints "OK"/"NO: line: output" per line.
run_lines() {
  local raw line out
  while IFS= read -r raw; do
    raw=${raw%%#*}                         # the README's comments
    # "a && b" is two steps, each as typed
    while IFS= read -r line; do
      line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
      line=${line//\~/$HOME}
      [ -n "$line" ] || continue
      case "$line" in
        *"lobgen serve"*) continue ;;
        "cd "*) cd "${line#cd }" || { echo "NO $line: cd failed"; return; }; continue ;;
        lobgen\ *) ;;
        *) continue ;;
      esac
      if out=$(eval "\"$LOBGEN\" ${line#lobgen }" 2>&1 </dev/null); then
        echo "OK $line"
      else
        echo "NO $line: $(printf '%s' "$out" | grep -v 'interface string' | head -n 3 | tr '\n' '|')"
      fi
    done < <(printf '%s\n' "$raw" | sed 's/ && /\n/g')
  done
}

# run_in DIR LABEL LINES: LINES run one by one (run_lines) in the fresh
# folder DIR, which is also ~; one check per line, named LABEL: ...; sets
# n to the number of lines that ran
run_in() {
  local dir=$1 label=$2 lines=$3 r
  mkdir -p "$dir"
  n=0
  while IFS= read -r r; do
    n=$((n + 1))
    case "$r" in OK\ *) pass "$label: ${r#OK }" ;; NO\ *) fail "$label: ${r#NO }" "failed" ;; esac
  done < <(cd "$dir" && HOME=$dir run_lines <<<"$lines")
}

# the man page's EXAMPLES, in the order given, in one fresh folder
ex=$(awk '/^\.Sh EXAMPLES/{on=1; next} /^\.Sh /{on=0} on && /^\.Bd/{lit=1; next} on && /^\.Ed/{lit=0; next} on && lit' \
  "$ROOT/man/lobgen.1")
[ -n "$ex" ] || fail "lobgen.1 has example command lines" "none found under .Sh EXAMPLES"
run_in "$TMPROOT/man" "man EXAMPLES" "$ex"
[ "$n" -ge 8 ] && pass "every example line of lobgen.1 ran ($n)" || fail "every example line of lobgen.1 ran" "only $n"

# the README's working loop, with ~ a fresh home
rd=$(awk '/^## The working loop/{on=1} on && /^```sh/{lit=1; next} on && lit && /^```/{exit} on && lit' "$ROOT/README.md")
run_in "$TMPROOT/home" "README loop" "$rd"
[ "$n" -ge 5 ] && pass "every line of the README's loop ran ($n)" || fail "every line of the README's loop ran" "only $n"

# the man page renders words as words: no option flag made of a word
# (mdoc's Fl takes every following word as another flag)
if command -v mandoc >/dev/null; then
  txt=$(MANWIDTH=200 mandoc -T ascii "$ROOT/man/lobgen.1" | col -b)
  for w in only if given; do
    grep -qE -- "(^| )-$w[ ,)]" <<<"$txt" && fail "lobgen.1 shows no flag -$w" "$(grep -E -- "-$w[ ,)]" <<<"$txt" | head -n 1)" \
      || pass "lobgen.1 shows no flag -$w"
  done
fi

# lobgen outside a project: one line per diagnostic (no \x0A), and the
# advice is to go to the project or make one, not to write a lobgen.yaml
mkdir -p "$TMPROOT/leeg"
for c in build check status "new language tr" "new thuisopdracht x"; do
  out=$(cd "$TMPROOT/leeg" && "$LOBGEN" $c 2>&1); rc=$?
  [ $rc -eq 1 ] && pass "lobgen $c outside a project exits 1" || fail "lobgen $c outside a project exits 1" "rc $rc"
  case "$out" in
    *'\x0A'*) fail "lobgen $c outside a project prints no \\x0A" "$out" ;;
    *) pass "lobgen $c outside a project prints no \\x0A" ;;
  esac
  grep -q "lobgen init" <<<"$out" && grep -q -- "--source" <<<"$out" \
    && pass "lobgen $c outside a project names --source and lobgen init" \
    || fail "lobgen $c outside a project names --source and lobgen init" "$out"
done
# a lobgen.yaml that is a folder or a list, a locale file that is a list:
# the example is on the same line
P=$(project basic)
mv "$P/lobgen.yaml" "$P/cfg.yaml"
mkdir "$P/lobgen.yaml"
out=$("$LOBGEN" build --source "$P" 2>&1)
case "$out" in *'\x0A'*) fail "lobgen.yaml as a folder: no \\x0A" "$out" ;; *) pass "lobgen.yaml as a folder: no \\x0A" ;; esac
rmdir "$P/lobgen.yaml"
printf -- '- title: x\n' >"$P/lobgen.yaml"
out=$("$LOBGEN" build --source "$P" 2>&1)
case "$out" in *'\x0A'*) fail "lobgen.yaml as a list: no \\x0A" "$out" ;; *) pass "lobgen.yaml as a list: no \\x0A" ;; esac
grep -q "lobgen.yaml:1:1: error: .*title: " <<<"$out" && pass "lobgen.yaml as a list: the example on the error's line" \
  || fail "lobgen.yaml as a list: the example on the error's line" "$out"
mv "$P/cfg.yaml" "$P/lobgen.yaml"
cp "$P/locales/nl.yaml" "$TMPROOT/nl.yaml"
printf -- '- home: x\n' >"$P/locales/nl.yaml"
out=$("$LOBGEN" build --source "$P" 2>&1)
case "$out" in *'\x0A'*) fail "a locale file as a list: no \\x0A" "$out" ;; *) pass "a locale file as a list: no \\x0A" ;; esac
cp "$TMPROOT/nl.yaml" "$P/locales/nl.yaml"
# the kind: no diagnostic of lobgen's own has a line break in its text
# (diag_format shows it as \x0A); each diagnostic is one line
hits=$(grep -nE 'diag_(error|warn)\(' -A4 "$ROOT"/generator/*.c | grep -P '"[^"]*(?<!\\)(\\\\)*\\n' | grep -v '^\S*-\s*//' || true)
[ -z "$hits" ] && pass "no diagnostic message in generator/ holds \\n" || fail "no diagnostic message in generator/ holds \\n" "$(head -n 3 <<<"$hits" | tr '\n' '|')"

# a translation without its translation: block: the advice is the block
# form, which status --mark-current can update, and no made-up fingerprint
P=$(project basic)
printf -- '---\ntitle: "Talk together"\n---\n\nText.\n' >"$P/content/thuisopdrachten/opdracht-een.pl.md"
out=$("$LOBGEN" build --source "$P" 2>&1)
line=$(grep "opdracht-een.pl.md.*translation" <<<"$out" | head -n 1)
[ -n "$line" ] && pass "a translation without its block is an error" || fail "a translation without its block is an error" "$out"
case "$line" in
  *"{source"*|*3f2a9c01*) fail "the advice is not the one-line form with a made-up fingerprint" "$line" ;;
  *) pass "the advice is not the one-line form with a made-up fingerprint" ;;
esac
grep -q -- "--mark-current" <<<"$line" && pass "the advice names status --mark-current" || fail "the advice names status --mark-current" "$line"

# a PO file that is not there: the reason is given
P=$(project basic)
out=$("$LOBGEN" translate import --source "$P" "$P/po/bestaat-niet.en.po" 2>&1); rc=$?
[ $rc -ne 0 ] && pass "importing a missing PO file fails" || fail "importing a missing PO file fails" "rc 0"
grep -q "No such file or directory" <<<"$out" && pass "importing a missing PO file says why" || fail "importing a missing PO file says why" "$out"

# a draft translation is listed as a draft, not as a file to create
P=$(project basic)
"$LOBGEN" new translation --source "$P" "$P/content/thuisopdrachten/opdracht-een.nl.md" pl >/dev/null 2>&1
out=$("$LOBGEN" status --source "$P" 2>&1)
line=$(grep "opdracht-een.pl.md" <<<"$out" | head -n 1)
case "$line" in
  *"(translate "*) fail "status does not ask to create a draft that exists" "$line" ;;
  *) pass "status does not ask to create a draft that exists" ;;
esac
grep -q "draft: true" <<<"$line" && pass "status says the file is a draft and what to do" || fail "status says the file is a draft and what to do" "$line"
"$LOBGEN" status --source "$P" --json >"$TMPROOT/st.json" 2>/dev/null
"$PY" - "$TMPROOT/st.json" <<'PY' && pass "status --json gives a draft its file and draft: true" || fail "status --json gives a draft its file and draft: true" "$(head -c 400 "$TMPROOT/st.json")"
import json, sys
d = json.load(open(sys.argv[1]))
for l in d["languages"]:
    for m in l.get("materials", []):
        if m["material"] == "thuisopdrachten/opdracht-een" and l["code"] == "pl":
            sys.exit(0 if m["state"] == "missing" and m.get("draft") is True and m["file"].endswith("opdracht-een.pl.md") else 1)
sys.exit(1)
PY

# the source language where a translation language is needed: no advice
# to add it with 'lobgen new language'
P=$(project basic)
for c in "new translation $P/content/thuisopdrachten/opdracht-een.nl.md nl" "translate export --lang nl" \
         "translate update --lang nl" "new translation $P/content/thuisopdrachten/opdracht-een.nl.md fa"; do
  out=$("$LOBGEN" $c --source "$P" 2>&1); rc=$?
  n="lobgen ${c//$P\//}"
  equal "$n: exit 1" "$rc" 1
  case "$c" in
    *" nl") grep -q "source language" <<<"$out" && ! grep -q "new language nl" <<<"$out" \
              && pass "$n: says nl is the source language" \
              || fail "$n: says nl is the source language" "$out" ;;
    *) grep -q "lobgen new language fa" <<<"$out" && pass "$n: says to add fa" \
         || fail "$n: says to add fa" "$out" ;;
  esac
done

# a project of one language and one material: no "1 languages"
P=$(mktemp -d "$TMPROOT/een.XXXXXX")
cp -r "$ROOT/templates" "$ROOT/locales" "$P/"
printf 'title: "T"\nschool: "S"\nbase_url: "https://x.example.org"\nlanguages: [nl]\n' >"$P/lobgen.yaml"
mkdir -p "$P/content/thuisopdrachten"
printf -- '---\ntitle: "Een"\nleerjaar: 1\n---\n\nTekst.\n' >"$P/content/thuisopdrachten/een.nl.md"
for c in build check status; do
  out=$("$LOBGEN" $c --source "$P" 2>&1)
  grep -qE "\b1 (materials|languages|files)\b" <<<"$out" && fail "lobgen $c of one material in one language: no plural for 1" "$out" \
    || pass "lobgen $c of one material in one language: no plural for 1"
done

# FILE of status --diff is a path from the current folder, as for
# --mark-current and new translation (docs/content.md), or from the project
P=$(project basic)
git -C "$P" init -q && git -C "$P" add -A && git -C "$P" -c user.email=t@t -c user.name=t commit -qm start
"$LOBGEN" status --source "$P" --mark-current "$P/content/thuisopdrachten/opdracht-een.tr.md" >/dev/null 2>&1
for form in "content/thuisopdrachten/opdracht-een.tr.md|$P" "opdracht-een.tr.md|$P/content/thuisopdrachten" \
            "./content/thuisopdrachten/opdracht-een.tr.md|$P" "$P/content/thuisopdrachten/opdracht-een.tr.md|$TMPROOT"; do
  f=${form%%|*}; cwd=${form#*|}
  out=$(cd "$cwd" && "$LOBGEN" status --source "$P" --diff "$f" 2>&1); rc=$?
  [ $rc -eq 0 ] && pass "status --diff ${f#$P/} from ${cwd#$TMPROOT}" || fail "status --diff ${f#$P/} from ${cwd#$TMPROOT}" "rc $rc: $out"
done
out=$("$LOBGEN" status --source "$P" --diff "$P/content/thuisopdrachten/opdracht-een.nl.md" 2>&1)
grep -q "text itself" <<<"$out" && pass "status --diff of the Dutch file says so" || fail "status --diff of the Dutch file says so" "$out"

# the paths lobgen prints (from the project) work as FILE from any folder
P=$(project basic)
out=$(cd "$TMPROOT" && "$LOBGEN" new translation content/thuisopdrachten/opdracht-een.nl.md pl --source "$P" 2>&1)
exists "new translation content/… --source P from another folder" "$P/content/thuisopdrachten/opdracht-een.pl.md"
(cd "$TMPROOT" && "$LOBGEN" translate export --lang pl --source "$P" >"$TMPROOT/exp" 2>&1)
po=$(sed -n 's/^lobgen: wrote \(.*gesprek-een\.pl\.po\)$/\1/p' "$TMPROOT/exp")
out=$(cd "$TMPROOT" && "$LOBGEN" translate import "$po" --source "$P" 2>&1); rc=$?
equal "translate import of the path export printed, from another folder" "$rc" 0
exists "it is installed" "$P/content/gesprekken/gesprek-een.pl.po"

# a language tag in other capitals: the tag as lobgen.yaml writes it
P=$(project basic)
for pair in "EN|en" "Fa|fa" "ar_ma|ar-MA"; do
  t=${pair%%|*}; want=${pair#*|}
  out=$("$LOBGEN" new language "$t" --source "$P" 2>&1)
  grep -qF "lobgen new language $want" <<<"$out" && pass "new language $t: names $want" || fail "new language $t: names $want" "$out"
done
out=$("$LOBGEN" new language XQ --source "$P" 2>&1)
grep -q "not a language ICU knows" <<<"$out" && pass "new language XQ: not a language" || fail "new language XQ: not a language" "$out"

# site/ as a symbolic link to a web server's folder: refused (the output is
# swapped whole), and the message says it is a link and names its target
P=$(project basic)
mkdir -p "$TMPROOT/www"
ln -s "$TMPROOT/www" "$P/site"
out=$("$LOBGEN" build --source "$P" 2>&1); rc=$?
equal "site/ as a link: the build fails" "$rc" 1
grep -q "symbolic link" <<<"$out" && grep -qF -- "--output $TMPROOT/www" <<<"$out" \
  && pass "site/ as a link: says so and names --output with its target" || fail "site/ as a link: says so and names --output with its target" "$out"
lacks_www=$(ls -A "$TMPROOT/www" | wc -l)
equal "site/ as a link: nothing written into its target" "$lacks_www" 0

# lobgen init of a path whose folders are not there yet makes them (as git
# init does); a path that is a file, or cannot be made, says why
out=$("$LOBGEN" init "$TMPROOT/nieuw/school/lob-site" 2>&1); rc=$?
equal "init of a deeper new path succeeds" "$rc" 0
exists "init made the folders on the way" "$TMPROOT/nieuw/school/lob-site/lobgen.yaml"
touch "$TMPROOT/eenbestand"
out=$("$LOBGEN" init "$TMPROOT/eenbestand" 2>&1); rc=$?
equal "init of a file fails" "$rc" 1
grep -q "is a file, not a folder" <<<"$out" && pass "init of a file says it is a file" || fail "init of a file says it is a file" "$out"
out=$("$LOBGEN" init "$TMPROOT/eenbestand/x" 2>&1); rc=$?
equal "init below a file fails" "$rc" 1
grep -q "cannot create the folder: Not a directory" <<<"$out" && pass "init below a file says why" || fail "init below a file says why" "$out"

# --mark-current of a PO translation: what to do instead
P=$(project basic)
"$LOBGEN" translate export --source "$P" --lang pl --output "$TMPROOT/po2" >/dev/null 2>&1
cp "$TMPROOT/po2/thuisopdrachten/opdracht-een.pl.po" "$TMPROOT/x.pl.po"
out=$("$LOBGEN" status --source "$P" --mark-current "$TMPROOT/x.pl.po" 2>&1); rc=$?
equal "--mark-current of a PO file fails" "$rc" 1
grep -q "translate update" <<<"$out" && pass "--mark-current of a PO file names translate update" || fail "--mark-current of a PO file names translate update" "$out"

# LOBGEN_JOBS that is not a number of threads is a usage error (exit 2),
# as SOURCE_DATE_EPOCH is, not silently the default or its first digits
P=$(project basic)
for v in abc 4x 0 -2 65; do
  out=$(LOBGEN_JOBS=$v "$LOBGEN" build --source "$P" --quiet 2>&1); rc=$?
  equal "LOBGEN_JOBS=$v: exit 2" "$rc" 2
  grep -q "LOBGEN_JOBS must be a whole number from 1 to 64; found '$v'" <<<"$out" && pass "LOBGEN_JOBS=$v: says what it must be" \
    || fail "LOBGEN_JOBS=$v: says what it must be" "$out"
done
out=$(LOBGEN_JOBS=2 "$LOBGEN" build --source "$P" --quiet 2>&1); rc=$?
equal "LOBGEN_JOBS=2 builds" "$rc" 0
out=$(LOBGEN_JOBS= "$LOBGEN" build --source "$P" --quiet 2>&1); rc=$?
equal "LOBGEN_JOBS empty: the default" "$rc" 0

# LOBGEN_DATA_DIR that holds no templates: the message names it, and the
# failed init leaves no folder behind
out=$(LOBGEN_DATA_DIR=$TMPROOT/geen "$LOBGEN" init "$TMPROOT/dd" 2>&1); rc=$?
equal "init with a wrong LOBGEN_DATA_DIR fails" "$rc" 1
grep -qF "LOBGEN_DATA_DIR is '$TMPROOT/geen'" <<<"$out" && pass "the message names LOBGEN_DATA_DIR's value" || fail "the message names LOBGEN_DATA_DIR's value" "$out"
absent "a failed init leaves no folder" "$TMPROOT/dd"
