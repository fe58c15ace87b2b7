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

UNIT_BINS = $(UNIT:tests/unit/%.c=build/test/unit/%) $(UNIT:tests/unit/%.c=build/asan/unit/%)

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

build/bench_template: bench/bench_template.c $(LIBSRC:generator/%.c=build/rel/%.o)
	$(CC) $(REL_CFLAGS) $^ -o $@ $(DEPLIBS)

bench: build/lobgen build/bench_template
	@scripts/ensure-deps bench
	@bench/run $(or $(N),$(if $(AUDIO),100,1000)) $(or $(L),$(if $(AUDIO),6,4)) $(AUDIO)

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
