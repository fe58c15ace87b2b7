#!/bin/bash
# Issue 11, dates: a feed entry's <updated> is when the reader's text last
# changed (git's committer date in a checkout, else the file's modification
# time), never the event's date; SOURCE_DATE_EPOCH clamps every time; the
# feeds are valid Atom (RFC 4287); every <time> has a datetime.
source "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
M=thuisopdrachten/opdracht-een

# entry_updated FEED ID-SUFFIX: the <updated> of the entry whose <id> ends so
entry_updated() {
  "$PY" - "$1" "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
for e in ET.parse(sys.argv[1]).getroot().findall(A + 'entry'):
    if e.findtext(A + 'id', '').endswith(sys.argv[2]):
        print(e.findtext(A + 'updated')); break
EOF
}
feed_updated() { "$PY" -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().findtext("{http://www.w3.org/2005/Atom}updated"))' "$1"; }

# --- a git checkout: two commits at known dates; the file's mtime is ignored
G=$(project basic)
(
  cd "$G" && git init -q . && git config user.name T && git config user.email t@example.org
  git add -A
  GIT_AUTHOR_DATE=2025-12-01T09:00:00Z GIT_COMMITTER_DATE=2026-03-01T10:00:00Z git commit -q -m one
  printf '\nNog een zin.\n' >>content/$M.tr.md
  git add -A
  GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-05-04T12:34:56Z git commit -q -m two
) >/dev/null 2>&1
touch -d 2030-01-01T00:00:00Z "$G/content/$M.nl.md" "$G/content/$M.tr.md"
"$LOBGEN" build --source "$G" --output "$G/out" --quiet 2>"$TMPROOT/g.err"
equal "a git project builds" "$?" 0
equal "git: the Dutch entry is updated at its last commit's committer date" \
  "$(entry_updated "$G/out/nl/feed.xml" "/nl/$M/")" 2026-03-01T10:00:00Z
equal "git: the Turkish entry is updated when its translation was last committed" \
  "$(entry_updated "$G/out/tr/feed.xml" "/tr/$M/")" 2026-05-04T12:34:56Z
equal "git: a language without a translation shows the Dutch text's date" \
  "$(entry_updated "$G/out/pl/feed.xml" "/pl/$M/")" 2026-03-01T10:00:00Z
equal "git: the feed is updated at the newest change (no SOURCE_DATE_EPOCH)" \
  "$(feed_updated "$G/out/nl/feed.xml")" 2026-05-04T12:34:56Z
# RFC 5545 3.8.7.2: with METHOD, DTSTAMP is when the iCalendar object was
# created: when what it shows last changed, per file, so one edit does not
# change every calendar file of the site
dtstamp() { grep -h '^DTSTAMP' "$@" | sort -u | tr -d '\r'; }
equal "git: a calendar file's DTSTAMP is its material's last change (commit one), not the event or the newest change" \
  "$(dtstamp "$G"/out/nl/*/*/agenda.ics)" "DTSTAMP:20260301T100000Z"
equal "git: the Turkish calendar file of the material whose translation changed later: that change" \
  "$(dtstamp "$G/out/tr/$M/agenda.ics")" "DTSTAMP:20260504T123456Z"
equal "git: another material's Turkish calendar file (no translation: the Dutch text's change)" \
  "$(dtstamp "$G/out/tr/gesprekken/gesprek-een/agenda.ics")" "DTSTAMP:20260301T100000Z"
# a file not yet committed: its own modification time
cp "$G/content/gesprekken/gesprek-een.nl.md" "$G/content/gesprekken/gesprek-twee.nl.md"
sed -i 's/^title: .*/title: "Gesprek twee"/' "$G/content/gesprekken/gesprek-twee.nl.md"
touch -d 2026-02-03T04:05:06Z "$G/content/gesprekken/gesprek-twee.nl.md"
"$LOBGEN" build --source "$G" --output "$G/out" --quiet 2>/dev/null
equal "git: an uncommitted file is dated by its modification time" \
  "$(entry_updated "$G/out/nl/feed.xml" "/nl/gesprekken/gesprek-twee/")" 2026-02-03T04:05:06Z
# SOURCE_DATE_EPOCH clamps: nothing later than it
SOURCE_DATE_EPOCH=$(date -d 2026-04-01T00:00:00Z +%s) "$LOBGEN" build --source "$G" --output "$G/out" --quiet 2>/dev/null
equal "SOURCE_DATE_EPOCH: an earlier commit date is kept" "$(entry_updated "$G/out/nl/feed.xml" "/nl/$M/")" 2026-03-01T10:00:00Z
equal "SOURCE_DATE_EPOCH: a later commit date is clamped to it" "$(entry_updated "$G/out/tr/feed.xml" "/tr/$M/")" 2026-04-01T00:00:00Z
equal "SOURCE_DATE_EPOCH: the feed's own updated is the epoch" "$(feed_updated "$G/out/tr/feed.xml")" 2026-04-01T00:00:00Z
equal "SOURCE_DATE_EPOCH: a calendar file's later change is clamped to it" \
  "$(dtstamp "$G/out/tr/$M/agenda.ics")" "DTSTAMP:20260401T000000Z"
equal "SOURCE_DATE_EPOCH: an earlier one is kept" "$(dtstamp "$G/out/nl/$M/agenda.ics")" "DTSTAMP:20260301T100000Z"
# the project in a subfolder of a checkout: paths relative to the project
S=$(mktemp -d "$TMPROOT/sub.XXXXXX")
cp -r "$G/." "$S/" && rm -rf "$S/out" && mkdir "$S/site" && mv "$S"/* "$S/site/" 2>/dev/null
(cd "$S" && rm -rf .git site/.git && git init -q . && git add -A &&
  GIT_COMMITTER_DATE=2026-06-07T08:09:10Z git -c user.name=T -c user.email=t@example.org commit -q -m sub) >/dev/null 2>&1
"$LOBGEN" build --source "$S/site" --output "$S/out" --quiet 2>/dev/null
equal "git: a project in a subfolder of a checkout finds its history" \
  "$(entry_updated "$S/out/nl/feed.xml" "/nl/$M/")" 2026-06-07T08:09:10Z

# --- no checkout: the files' modification times
N=$(project basic)
find "$N" -type f -exec touch -d 2026-01-10T00:00:00Z {} +
touch -d 2026-02-14T15:16:17Z "$N/content/$M.nl.md"
touch -d 2026-02-20T21:22:23Z "$N/content/$M.tr.md"
"$LOBGEN" build --source "$N" --output "$N/out" --quiet 2>"$TMPROOT/n.err"
equal "no git: the Dutch entry takes its file's modification time" "$(entry_updated "$N/out/nl/feed.xml" "/nl/$M/")" 2026-02-14T15:16:17Z
equal "no git: the Turkish entry takes its translation's (later) time" "$(entry_updated "$N/out/tr/feed.xml" "/tr/$M/")" 2026-02-20T21:22:23Z
equal "no git: another material its own" "$(entry_updated "$N/out/nl/feed.xml" "/nl/gesprekken/gesprek-een/")" 2026-01-10T00:00:00Z
equal "no git: nothing on stderr (not a checkout is not an error)" "$(cat "$TMPROOT/n.err")" ""
equal "no git: the feed is updated at the newest change" "$(feed_updated "$N/out/nl/feed.xml")" 2026-02-20T21:22:23Z
equal "no git: a calendar file's DTSTAMP is its file's modification time" \
  "$(dtstamp "$N/out/nl/$M/agenda.ics")" "DTSTAMP:20260214T151617Z"
equal "no git: another material's calendar file keeps its own" \
  "$(dtstamp "$N/out/nl/gesprekken/gesprek-een/agenda.ics")" "DTSTAMP:20260110T000000Z"
cp "$N/out/nl/gesprekken/gesprek-een/agenda.ics" "$TMPROOT/een.ics"
touch -d 2026-02-25T00:00:00Z "$N/content/$M.nl.md"
"$LOBGEN" build --source "$N" --output "$N/out" --quiet 2>/dev/null
equal "no git: after an edit of one material, that material's calendar file has the new DTSTAMP" \
  "$(dtstamp "$N/out/nl/$M/agenda.ics")" "DTSTAMP:20260225T000000Z"
equal "no git: ... and another material's calendar file is byte for byte the same" \
  "$(cmp "$TMPROOT/een.ics" "$N/out/nl/gesprekken/gesprek-een/agenda.ics" && echo same)" same
touch -d 2026-02-14T15:16:17Z "$N/content/$M.nl.md"
touch -d 2026-03-03T03:03:03Z "$N/lobgen.yaml"
"$LOBGEN" build --source "$N" --output "$N/out" --quiet 2>/dev/null
equal "no git: a later change of lobgen.yaml (every page shows it) is the feed's updated" \
  "$(feed_updated "$N/out/nl/feed.xml")" 2026-03-03T03:03:03Z
equal "... but not an entry's" "$(entry_updated "$N/out/nl/feed.xml" "/nl/$M/")" 2026-02-14T15:16:17Z
# git not installed at all: the same times, still nothing on stderr
mkdir -p "$TMPROOT/nogit"
PATH="$TMPROOT/nogit" "$LOBGEN" build --source "$N" --output "$N/out2" --quiet 2>"$TMPROOT/n2.err"
equal "without git on PATH the build succeeds" "$?" 0
equal "without git on PATH: nothing on stderr" "$(cat "$TMPROOT/n2.err")" ""
equal "without git on PATH: modification times" "$(entry_updated "$N/out2/nl/feed.xml" "/nl/$M/")" 2026-02-14T15:16:17Z
# a fresh copy (mtimes of now) with SOURCE_DATE_EPOCH builds the same bytes as another
C1=$(project basic); sleep 1; C2=$(project basic)
SOURCE_DATE_EPOCH=1767225600 "$LOBGEN" build --source "$C1" --output "$TMPROOT/c1" --quiet 2>/dev/null
SOURCE_DATE_EPOCH=1767225600 "$LOBGEN" build --source "$C2" --output "$TMPROOT/c2" --quiet 2>/dev/null
equal "two fresh copies built with SOURCE_DATE_EPOCH are byte-identical" "$(tree_sum "$TMPROOT/c1")" "$(tree_sum "$TMPROOT/c2")"

# --- every feed is Atom (RFC 4287) and no date is a placeholder; every <time> has a datetime
pychecks "$G/out" "$N/out" <<'EOF'
import sys, os, re, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
rfc3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
bad = []
for root in sys.argv[1:]:
    for lang in sorted(os.listdir(root)):
        f = os.path.join(root, lang, 'feed.xml')
        if not os.path.isfile(f):
            continue
        try:
            feed = ET.parse(f).getroot()
        except ET.ParseError as e:
            bad.append(f'{f}: not well-formed: {e}'); continue
        if feed.tag != A + 'feed':
            bad.append(f'{f}: root is {feed.tag}'); continue
        for req in ('id', 'title', 'updated'):
            if len(feed.findall(A + req)) != 1:
                bad.append(f'{f}: feed needs exactly one {req}')
        has_author = feed.find(A + 'author/' + A + 'name') is not None
        for e in feed.findall(A + 'entry'):
            for req in ('id', 'title', 'updated'):
                if len(e.findall(A + req)) != 1:
                    bad.append(f'{f}: entry needs exactly one {req}')
            if not has_author and e.find(A + 'author') is None:
                bad.append(f'{f}: entry without an author, and the feed has none')
            if e.find(A + 'content') is None and not any(l.get('rel', 'alternate') == 'alternate' for l in e.findall(A + 'link')):
                bad.append(f'{f}: entry needs content or a link rel=alternate')
        for u in feed.iter(A + 'updated'):
            if not rfc3339.match(u.text or ''):
                bad.append(f'{f}: updated {u.text!r} is not RFC 3339')
            elif u.text.startswith('2000-01-01'):
                bad.append(f'{f}: placeholder date {u.text}')
print('OK every feed is well-formed Atom with its required elements' if not bad else 'NO every feed is well-formed Atom with its required elements: ' + '; '.join(bad[:5]))
times = bad_t = 0
for root in sys.argv[1:]:
    for d, _, fs in os.walk(root):
        for n in fs:
            if n.endswith('.html'):
                for m in re.finditer(r'<time\b[^>]*>', open(os.path.join(d, n), encoding='utf-8').read()):
                    times += 1
                    if 'datetime="' not in m.group(0):
                        bad_t += 1
print(f'OK every <time> carries a datetime ({times} seen)' if times and not bad_t else f'NO every <time> carries a datetime: {bad_t} of {times} without')
EOF

# the programme block's times are HTML valid time strings
P=$(project basic)
cat >>"$P/content/ouderavonden/avond-een.nl.md" <<'EOF'

```programma
- 19:00 Welkom
- 7:30 Vroeg
- 25:99 Geen tijd
```
EOF
"$LOBGEN" build --source "$P" --output "$P/out" --quiet 2>/dev/null
contains "a programme time is a <time datetime>" "$P/out/nl/ouderavonden/avond-een/index.html" '<time datetime="19:00">19:00</time>'
contains "7:30 is written 07:30" "$P/out/nl/ouderavonden/avond-een/index.html" '<time datetime="07:30">07:30</time>'
lacks "25:99 is not a time of day" "$P/out/nl/ouderavonden/avond-een/index.html" '<time datetime="25:99"'
