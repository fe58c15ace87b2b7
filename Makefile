# lobgen: `make site` builds the program and the example site into site/;
# `make test` runs the whole suite. Both install missing Debian packages
# first when run as root (scripts/ensure-deps).

CC      ?= cc
PKGS    := yaml-0.1 icu-uc icu-i18n libqrencode fontconfig libmicrohttpd espeak-ng libopusenc libxxhash
VERSION := 0.1.0

SRC     := $(sort $(wildcard generator/*.c))
LIBSRC  := $(filter-out generator/main.c,$(SRC))
HDR     := $(wildcard generator/*.h)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))

# cmark-gfm is vendored (vendor/cmark-gfm, see its README): its headers
# come first, before any system copy, and every build variant links its
# own static build of it (build/<variant>/libcmark-gfm.a).
CMARK_DIR := vendor/cmark-gfm
CMARK_INC := -I$(CMARK_DIR)/src -I$(CMARK_DIR)/extensions
CMARK_SRC := $(sort $(wildcard $(CMARK_DIR)/src/*.c $(CMARK_DIR)/extensions/*.c))
CMARK_HDR := $(wildcard $(CMARK_DIR)/src/*.h $(CMARK_DIR)/src/*.inc $(CMARK_DIR)/extensions/*.h)
CMARK_OBJ  = $(CMARK_SRC:$(CMARK_DIR)/%.c=build/$(1)/cmark/%.o)
# upstream's code, built as upstream builds it (C99), without our warning
# flags: its warnings are not ours to fix, ours stay -Wall -Wextra -Werror
CMARK_CFLAGS = -std=c99 -D_GNU_SOURCE $(CMARK_INC)

DEPCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lgettextpo -lpthread -lm
BASEFLAGS = -std=c11 -D_GNU_SOURCE -DLOBGEN_VERSION='"$(VERSION)"' -Igenerator $(CMARK_INC)

REL_CFLAGS  = $(BASEFLAGS) -O2 -Wall -Wextra $(DEPCFLAGS)
TEST_CFLAGS = $(BASEFLAGS) -O1 -g -Wall -Wextra -Werror $(DEPCFLAGS)
SAN_FLAGS   = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_CFLAGS = $(TEST_CFLAGS) $(SAN_FLAGS)

.PHONY: all deps test-deps site test test-browser-all test-incremental bench clean unit-bins regress-update install uninstall

all: build/lobgen

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test

# --- vendored cmark-gfm, one static library per build variant -------------
build/rel/cmark/%.o: $(CMARK_DIR)/%.c $(CMARK_HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(CMARK_CFLAGS) -O2 -c $< -o $@

build/test/cmark/%.o: $(CMARK_DIR)/%.c $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(CMARK_CFLAGS) -O1 -g -c $< -o $@

build/asan/cmark/%.o: $(CMARK_DIR)/%.c $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(CMARK_CFLAGS) -O1 -g $(SAN_FLAGS) -c $< -o $@

build/%/libcmark-gfm.a:
	@rm -f $@
	ar rcs $@ $^

build/rel/libcmark-gfm.a: $(call CMARK_OBJ,rel)
build/test/libcmark-gfm.a: $(call CMARK_OBJ,test)
build/asan/libcmark-gfm.a: $(call CMARK_OBJ,asan)

# --- release build -------------------------------------------------------
build/rel/%.o: generator/%.c $(HDR) $(CMARK_HDR) | deps
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -c $< -o $@

build/lobgen: $(SRC:generator/%.c=build/rel/%.o) build/rel/libcmark-gfm.a
	$(CC) $^ -o $@ $(DEPLIBS)

# --- test build (-Werror) and sanitizer build -----------------------------
build/test/%.o: generator/%.c $(HDR) $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

build/asan/%.o: generator/%.c $(HDR) $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

build/test/lobgen: $(SRC:generator/%.c=build/test/%.o) build/test/libcmark-gfm.a
	$(CC) $^ -o $@ $(DEPLIBS)

build/asan/lobgen: $(SRC:generator/%.c=build/asan/%.o) build/asan/libcmark-gfm.a
	$(CC) $(SAN_FLAGS) $^ -o $@ $(DEPLIBS)

build/test/unit/%: tests/unit/%.c tests/unit/check.h tests/unit/check_diags.h tests/unit/check_files.h $(LIBSRC:generator/%.c=build/test/%.o) build/test/libcmark-gfm.a
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Itests/unit $< $(LIBSRC:generator/%.c=build/test/%.o) build/test/libcmark-gfm.a -o $@ $(DEPLIBS) -lcjson

build/asan/unit/%: tests/unit/%.c tests/unit/check.h tests/unit/check_diags.h tests/unit/check_files.h $(LIBSRC:generator/%.c=build/asan/%.o) build/asan/libcmark-gfm.a
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) -Itests/unit $< $(LIBSRC:generator/%.c=build/asan/%.o) build/asan/libcmark-gfm.a -o $@ $(DEPLIBS) -lcjson

# the fuzz targets as plain programs (fuzz/replay.c), ASan+UBSan, for tests/golden/fuzz_regress.sh
build/asan/fuzz/%: fuzz/%.c fuzz/replay.c $(LIBSRC:generator/%.c=build/asan/%.o) build/asan/libcmark-gfm.a
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $< fuzz/replay.c $(LIBSRC:generator/%.c=build/asan/%.o) build/asan/libcmark-gfm.a -o $@ $(DEPLIBS)

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
	@$(MAKE) --no-print-directory build/lobgen build/test/lobgen build/asan/lobgen build/tsan/lobgen unit-bins build/bench_template build/floor_write build/floor_cmark $(BROWSER_TOOLS)
	@tests/run

# the browser checks on every page of the example site, not one per type
test-browser-all: test-deps
	@$(MAKE) --no-print-directory build/lobgen $(BROWSER_TOOLS)
	@LOBGEN_BROWSER_ALL=1 tests/run browser

# incremental builds against full builds: 1000 random edits instead of 200
test-incremental: test-deps
	@$(MAKE) --no-print-directory build/lobgen build/asan/lobgen
	@INCREMENTAL_EDITS=1000 tests/run incremental

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

build/prof/lobgen: $(SRC:generator/%.c=build/prof/%.o) build/rel/libcmark-gfm.a
	$(CC) $^ -o $@ $(DEPLIBS)

build/bench_template: bench/bench_template.c $(LIBSRC:generator/%.c=build/rel/%.o) build/rel/libcmark-gfm.a
	$(CC) $(REL_CFLAGS) $^ -o $@ $(DEPLIBS)

# the floors make bench divides by (bench/README)
build/floor_write: bench/floor_write.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $< -o $@ -lpthread

build/floor_cmark: bench/floor_cmark.c build/rel/libcmark-gfm.a | deps
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra $(CMARK_INC) $^ -o $@

# make bench: 1,000 x 4 and 10,000 x 8; make bench N= L=: that corpus only
bench: build/lobgen build/bench_template build/floor_write build/floor_cmark
	@scripts/ensure-deps bench
	@if [ -n "$(AUDIO)" ]; then bench/run $(or $(N),100) $(or $(L),6) $(AUDIO); \
	 elif [ -n "$(N)$(L)" ]; then bench/run $(or $(N),1000) $(or $(L),4); \
	 else bench/run 1000 4 && bench/run 10000 8; fi

# 5,000 and 50,000 tiny materials through `lobgen check`: fails when ten
# times the input takes more than 15 times as long (tests/pathological/run;
# minutes, so not part of `make test`)
pathological: build/lobgen
	@tests/pathological/run

.PHONY: pathological

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
FUZZ_FLAGS    = $(BASEFLAGS) -O1 -g -Wall -Wextra -Werror -Wno-string-plus-int $(DEPCFLAGS) -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))

# cmark-gfm too, so the fuzzer's coverage and sanitizers reach into it
build/fuzz/cmark/%.o: $(CMARK_DIR)/%.c $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CMARK_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -c $< -o $@

build/fuzz/libcmark-gfm.a: $(call CMARK_OBJ,fuzz)

build/fuzz/%.o: generator/%.c $(HDR) $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -c $< -o $@

build/fuzz/bin/%: fuzz/%.c $(LIBSRC:generator/%.c=build/fuzz/%.o) build/fuzz/libcmark-gfm.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(LIBSRC:generator/%.c=build/fuzz/%.o) build/fuzz/libcmark-gfm.a -o $@ $(DEPLIBS)

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

# --- ThreadSanitizer build (clang) -------------------------------------------------
# `make build/tsan/lobgen`: lobgen and cmark-gfm built with -fsanitize=thread,
# for tests/golden/threads.sh (which runs it when it is there) and by hand on
# a bench corpus: cmark-gfm's parsers must share no mutable state (see
# vendor/cmark-gfm/lobgen-thread-safety.patch).
TSAN_CC    ?= clang
TSAN_FLAGS  = -fsanitize=thread -fno-omit-frame-pointer

build/tsan/cmark/%.o: $(CMARK_DIR)/%.c $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(TSAN_CC) $(CMARK_CFLAGS) -O1 -g $(TSAN_FLAGS) -c $< -o $@

build/tsan/libcmark-gfm.a: $(call CMARK_OBJ,tsan)

build/tsan/%.o: generator/%.c $(HDR) $(CMARK_HDR) | test-deps
	@mkdir -p $(@D)
	$(TSAN_CC) $(BASEFLAGS) -O1 -g -Wall -Wextra -Werror $(DEPCFLAGS) $(TSAN_FLAGS) -c $< -o $@

build/tsan/lobgen: $(SRC:generator/%.c=build/tsan/%.o) build/tsan/libcmark-gfm.a
	$(TSAN_CC) $(TSAN_FLAGS) $^ -o $@ $(DEPLIBS)
