# lobgen: `make site` builds the program and the example site into site/;
# `make test` runs the whole suite. Both install missing Debian packages
# first when run as root (scripts/ensure-deps).

CC      ?= cc
PKGS    := libcmark-gfm yaml-0.1 icu-uc icu-i18n libqrencode fontconfig libmicrohttpd espeak-ng libopusenc
VERSION := 0.1.0

SRC     := $(sort $(wildcard generator/*.c))
LIBSRC  := $(filter-out generator/main.c,$(SRC))
HDR     := $(wildcard generator/*.h)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))

DEPCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lgettextpo -lpthread -lm
BASEFLAGS = -std=c11 -D_GNU_SOURCE -DLOBGEN_VERSION='"$(VERSION)"' -Igenerator

REL_CFLAGS  = $(BASEFLAGS) -O2 -Wall -Wextra $(DEPCFLAGS)
TEST_CFLAGS = $(BASEFLAGS) -O1 -g -Wall -Wextra -Werror $(DEPCFLAGS)
SAN_FLAGS   = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CFLAGS = $(TEST_CFLAGS) $(SAN_FLAGS)

.PHONY: all deps test-deps site test test-browser-all bench clean unit-bins regress-update install uninstall

all: build/lobgen

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test

# --- release build -------------------------------------------------------
build/rel/%.o: generator/%.c $(HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -c $< -o $@

build/lobgen: $(SRC:generator/%.c=build/rel/%.o)
	$(CC) $^ -o $@ $(DEPLIBS)

# --- test build (-Werror) and sanitizer build -----------------------------
build/test/%.o: generator/%.c $(HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

build/asan/%.o: generator/%.c $(HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

build/test/lobgen: $(SRC:generator/%.c=build/test/%.o)
	$(CC) $^ -o $@ $(DEPLIBS)

build/asan/lobgen: $(SRC:generator/%.c=build/asan/%.o)
	$(CC) $(SAN_FLAGS) $^ -o $@ $(DEPLIBS)

build/test/unit/%: tests/unit/%.c tests/unit/check.h tests/unit/check_diags.h tests/unit/check_files.h $(LIBSRC:generator/%.c=build/test/%.o)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Itests/unit $< $(LIBSRC:generator/%.c=build/test/%.o) -o $@ $(DEPLIBS) -lcjson

build/asan/unit/%: tests/unit/%.c tests/unit/check.h tests/unit/check_diags.h tests/unit/check_files.h $(LIBSRC:generator/%.c=build/asan/%.o)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -Itests/unit $< $(LIBSRC:generator/%.c=build/asan/%.o) -o $@ $(DEPLIBS) -lcjson

# the fuzz targets as plain programs (fuzz/replay.c), ASan+UBSan, for tests/golden/fuzz_regress.sh
build/asan/fuzz/%: fuzz/%.c fuzz/replay.c $(LIBSRC:generator/%.c=build/asan/%.o)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $< fuzz/replay.c $(LIBSRC:generator/%.c=build/asan/%.o) -o $@ $(DEPLIBS)

FUZZ_REPLAY = $(patsubst fuzz/%.c,build/asan/fuzz/%,$(sort $(wildcard fuzz/fuzz_*.c)))

UNIT_BINS = $(UNIT:tests/unit/%.c=build/test/unit/%) $(UNIT:tests/unit/%.c=build/asan/unit/%) $(FUZZ_REPLAY)

unit-bins: $(UNIT_BINS)

# the browser checks' pinned npm packages (axe-core, vnu-jar), installed
# again only when the lockfile changes
BROWSER_TOOLS = tests/browser/node_modules/.package-lock.json
$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json | test-deps
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# the test packages first, so a non-root user gets one complete apt line
test: test-deps
	@$(MAKE) --no-print-directory build/lobgen build/test/lobgen build/asan/lobgen unit-bins $(BROWSER_TOOLS)
	@tests/run

# the browser checks on every page of the example site, not one per type
test-browser-all: test-deps
	@$(MAKE) --no-print-directory build/lobgen $(BROWSER_TOOLS)
	@LOBGEN_BROWSER_ALL=1 tests/run browser

# After a deliberate change of output: rewrite tests/regress/*/expected/
# and review the diff (git diff --stat tests/regress) before committing.
regress-update: build/lobgen
	LOBGEN=$(CURDIR)/build/lobgen tests/regress/regress.sh --update

# --- the example site ------------------------------------------------------
site: build/lobgen
	build/lobgen build --source . --output site

# the release build with frame pointers and symbols, for perf record -g (bench/README)
build/prof/%.o: generator/%.c $(HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -g -fno-omit-frame-pointer -c $< -o $@

build/prof/lobgen: $(SRC:generator/%.c=build/prof/%.o)
	$(CC) $^ -o $@ $(DEPLIBS)

build/bench_template: bench/bench_template.c $(LIBSRC:generator/%.c=build/rel/%.o)
	$(CC) $(REL_CFLAGS) $^ -o $@ $(DEPLIBS)

# the floors make bench divides by (bench/README)
build/floor_write: bench/floor_write.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra $< -o $@

build/floor_cmark: bench/floor_cmark.c | deps
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra $(shell pkg-config --cflags libcmark-gfm) $< -o $@ -lcmark-gfm-extensions -lcmark-gfm

# make bench: 1,000 x 4 and 10,000 x 8; make bench N= L=: that corpus only
bench: build/lobgen build/bench_template build/floor_write build/floor_cmark
	@scripts/ensure-deps bench
	@if [ -n "$(AUDIO)" ]; then bench/run $(or $(N),100) $(or $(L),6) $(AUDIO); \
	 elif [ -n "$(N)$(L)" ]; then bench/run $(or $(N),1000) $(or $(L),4); \
	 else bench/run 1000 4 && bench/run 10000 8; fi

# --- install -------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its man pages,
# and the default templates and locales that 'lobgen init' copies (found
# by the program at <bin>/../share/lobgen).
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/lobgen
MANDIR  := $(PREFIX)/share/man

install: build/lobgen
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 build/lobgen $(DESTDIR)$(BINDIR)/lobgen
	rm -rf $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/locales
	cp -R templates locales $(DESTDIR)$(DATADIR)/
	chmod -R u+rwX,go+rX $(DESTDIR)$(DATADIR)
	install -m 644 man/lobgen.1 $(DESTDIR)$(MANDIR)/man1/lobgen.1
	install -m 644 man/lobgen.5 $(DESTDIR)$(MANDIR)/man5/lobgen.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lobgen $(DESTDIR)$(MANDIR)/man1/lobgen.1 $(DESTDIR)$(MANDIR)/man5/lobgen.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

# --- fuzzing (libFuzzer, clang) -------------------------------------------------
# `make fuzz` builds one libFuzzer target per input stage (fuzz/fuzz_*.c) and
# runs each for FUZZ_SECONDS (default 60), starting from a seed corpus of the
# project's own files. Crashes land in build/fuzz/crashes/<target>/; add each
# as a regression input under tests/fuzz/<target>/ (tests/golden/fuzz_regress.sh
# replays them through the ASan build of the same stage).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS    = $(BASEFLAGS) -O1 -g -Wall -Wextra -Werror $(DEPCFLAGS) -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))

build/fuzz/%.o: generator/%.c $(HDR) | test-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -c $< -o $@

build/fuzz/bin/%: fuzz/%.c $(LIBSRC:generator/%.c=build/fuzz/%.o)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(LIBSRC:generator/%.c=build/fuzz/%.o) -o $@ $(DEPLIBS)

# seed corpora: the project's own content, templates and locales
build/fuzz/seed/%: | test-deps
	@rm -rf $@ && mkdir -p $@
	@case $* in \
	  fuzz_mustache) cp templates/*.mustache templates/blocks/*.mustache templates/partials/*.mustache $@/ ;; \
	  fuzz_locale) cp locales/*.yaml $@/ ;; \
	  *) cp content/*/*.md $@/ ;; \
	esac
	@cp tests/fuzz/$*/* $@/ 2>/dev/null || true

fuzz-bins: $(FUZZ_TARGETS:%=build/fuzz/bin/%)

fuzz: fuzz-bins
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf build/fuzz/seed/$$t; $(MAKE) --no-print-directory build/fuzz/seed/$$t; \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes/$$t; \
	  echo "== $$t: $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1 build/fuzz/bin/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/crashes/$$t/ -print_final_stats=1 build/fuzz/corpus/$$t build/fuzz/seed/$$t \
	    2>build/fuzz/$$t.log; rc=$$?; \
	  grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' build/fuzz/$$t.log | tail -n 2; \
	  if [ $$rc -ne 0 ]; then echo "$$t: found a crash (status $$rc), see build/fuzz/$$t.log and build/fuzz/crashes/$$t/"; fail=1; fi; \
	done; exit $${fail:-0}

.PHONY: fuzz fuzz-bins
