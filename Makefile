# adagrad: build, test and package.  Every tool and flag can be overridden:
#   make OCTAVE=octave-cli MKOCTFILE=mkoctfile CFLAGS="-O2 -g"
NAME      := adagrad
VERSION   := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
OCTAVE    ?= octave-cli
OCTFLAGS  ?= --no-gui --no-history --norc --quiet
MKOCTFILE ?= mkoctfile
CC        ?= gcc
# -fno-trapping-math lets the compiler vectorize the branch-free ReLU loops
# (measured: 1.7x faster single-precision steps at n = 1000, d = 100, m = 16384).
CFLAGS    ?= -O3 -std=gnu11 -fopenmp -fno-trapping-math -Wall -Wextra
BLAS_LIBS ?= -lopenblas
# zlib reads the data files (gzip-compressed IDX, CSV).
ZLIB_LIBS ?= -lz
BUILD     ?= build

# The core: every .c and .h of src/ (one concept per file).
CORE_SRC  := $(wildcard src/*.c)
CORE_HDR  := $(wildcard src/*.h)
CORE_OBJ  := $(patsubst src/%.c,$(BUILD)/%.o,$(CORE_SRC))
MEX_SRC   := $(wildcard mex/__*__.c)
MEX_HDR   := $(wildcard mex/*.h)
MEX_OUT   := $(patsubst mex/%.c,$(BUILD)/%.mex,$(MEX_SRC))
TARBALL   := $(NAME)-$(VERSION).tar.gz

# OpenBLAS's core for the goals that run Octave or the C tests: where the
# library would fall back to its generic Prescott kernels on this CPU and
# OPENBLAS_CORETYPE is not set, inst/adagrad_blas.sh names the core that fits
# the CPU's flags (SkylakeX, Zen or Haswell) and it is exported to them.
ifneq ($(filter check check-core check-sanitize fuzz demo bench,$(MAKECMDGOALS)),)
BLAS_ENV := $(shell sh inst/adagrad_blas.sh env "$(OCTAVE)")
ifneq ($(BLAS_ENV),)
# (Not "export $(BLAS_ENV)": make would export a variable named by the
# whole "NAME=VALUE" text, which the environment reads as NAME="VALUE=".)
export OPENBLAS_CORETYPE := $(patsubst OPENBLAS_CORETYPE=%,%,$(BLAS_ENV))
$(info adagrad: $(BLAS_ENV) (OpenBLAS would run its generic Prescott kernels on this CPU; set OPENBLAS_CORETYPE yourself to choose))
endif
endif

.PHONY: all deps check check-debian13 check-core check-purity check-sanitize fuzz demo bench dist clean
.SECONDARY: $(CORE_OBJ)

all: deps $(MEX_OUT)

# The Debian packages that the build, the tests and the demo need. On a Debian
# machine that lacks some, root installs them here; anyone else is told the
# command. NODEPS=1 skips the check (Octave installed some other way).
# TEST_DEBS (a one-node Slurm cluster with munge) only serve the Slurm part of
# make check: root installs them too; without them that part is skipped.
DEBS ?= octave octave-dev libopenblas-dev zlib1g-dev gnuplot-nox fonts-freefont-otf fonts-dejavu-core ghostscript \
        octave-parallel bc valgrind procps
# DATA_DEBS: the real data sets of adagrad_dataset (Fashion-MNIST; digits in
# python3-sklearn; iris and heart_scale in octave-statistics), optional like
# TEST_DEBS: without them the tests that read them are skipped.
DATA_DEBS ?= dataset-fashion-mnist python3-sklearn octave-statistics
TEST_DEBS ?= slurmctld slurmd munge $(DATA_DEBS)
deps:
	@if [ -z "$(NODEPS)" ] && command -v dpkg-query >/dev/null; then \
	  have () { dpkg-query -W -f='$${Status}\n' $$1 2>/dev/null | grep -q '^install ok installed'; }; \
	  missing=$$(for p in $(DEBS); do have $$p || echo $$p; done); \
	  optional=$$(for p in $(TEST_DEBS); do have $$p || echo $$p; done); \
	  if [ "$$(id -u)" != 0 ]; then \
	    if [ -n "$$optional" ]; then \
	      echo "note: without" $$optional "the Slurm test or the real data sets are skipped (sudo apt-get install" $$optional")"; \
	    fi; \
	    if [ -n "$$missing" ]; then \
	      echo "missing Debian packages:" $$missing; \
	      echo "install them with: sudo apt-get install" $$missing; exit 1; \
	    fi; \
	  elif [ -n "$$missing$$optional" ]; then \
	    echo "installing Debian packages:" $$missing $$optional; \
	    apt-get update -qq || exit 1; \
	    if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing || exit 1; fi; \
	    if [ -n "$$optional" ]; then DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$optional \
	      || echo "note: could not install" $$optional "- the Slurm test or the real data sets are skipped"; fi; \
	  fi; \
	fi

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/%.o: src/%.c $(CORE_HDR) | $(BUILD) deps
	CFLAGS="$(CFLAGS)" $(MKOCTFILE) -c $< -o $@

$(BUILD)/%.mex: mex/%.c $(MEX_HDR) $(CORE_HDR) $(CORE_OBJ)
	CFLAGS="$(CFLAGS)" $(MKOCTFILE) --mex -Isrc -o $@ $< $(CORE_OBJ) $(BLAS_LIBS) $(ZLIB_LIBS)

# The C tests: tests/test_core.c runs those of tests/core/, one file per concept of src/.
TEST_SRC  := tests/test_core.c $(wildcard tests/core/*.c)
TEST_HDR  := $(wildcard tests/core/*.h)

$(BUILD)/test_core: $(TEST_SRC) $(TEST_HDR) $(CORE_SRC) $(CORE_HDR) | $(BUILD) deps
	$(CC) $(CFLAGS) -Isrc -Itests/core -o $@ $(TEST_SRC) $(CORE_SRC) $(BLAS_LIBS) $(ZLIB_LIBS) -lm

# The same tests with the passes over W cut into pieces of 64 entries.
$(BUILD)/test_pieces: $(TEST_SRC) $(TEST_HDR) $(CORE_SRC) $(CORE_HDR) | $(BUILD) deps
	$(CC) $(CFLAGS) -DAG_CHECK_ENTRIES='((size_t) 64)' -Isrc -Itests/core -o $@ $(TEST_SRC) $(CORE_SRC) $(BLAS_LIBS) $(ZLIB_LIBS) -lm

# The core stays plain C: no file in src/ may mention the MEX or Octave API.
check-purity:
	@if grep -lE '#include *[<"](mex|oct)\.h|\bmx[A-Z][A-Za-z]+ *\(|\bmex[A-Z][A-Za-z]+ *\(' src/*.c src/*.h; then \
	  echo "purity: 0 passed, 1 failed (src/ mentions the MEX API)"; exit 1; \
	else echo "purity: 1 passed, 0 failed"; fi

check-core: $(BUILD)/test_core
	$(BUILD)/test_core

# The C tests under ASan + UBSan and under valgrind memcheck (also in make check).
check-sanitize: $(BUILD)/test_core
	BUILD="$(BUILD)" CC="$(CC)" bash tests/sanitize.sh

# Every public and MEX function with FUZZ_COUNT generated malformed argument
# lists (make check runs 2000); prints "fuzz: N passed, M failed".
FUZZ_COUNT ?= 20000
FUZZ_SEED ?= 1
fuzz: all
	mkdir -p $(BUILD)/fuzz && cd $(BUILD)/fuzz && $(OCTAVE) $(OCTFLAGS) --eval \
	  'addpath ("$(CURDIR)/tests"); fuzz ("$(CURDIR)", $(FUZZ_COUNT), $(FUZZ_SEED));'

# Everything: C unit tests, BIST of inst/ and tests/, demos, the install test.
check: all $(BUILD)/test_core $(BUILD)/test_pieces
	OCTAVE="$(OCTAVE) $(OCTFLAGS)" MAKE="$(MAKE)" BUILD="$(BUILD)" TARBALL="$(TARBALL)" \
	  bash tests/check.sh

# The same make check on Debian 13 (Octave 9, OpenBLAS 0.3.29, gnuplot 6), in
# a chroot that debootstrap builds in .debian13/ (root only; kept and reused;
# DEBIAN13_FRESH=1 builds it anew). .ci/run runs it after make check.
check-debian13:
	bash tests/debian13.sh

HEADLESS  := warning ("off", "Octave:gnuplot-graphics"); graphics_toolkit ("gnuplot"); set (0, "defaultfigurevisible", "off");

# GD vs AdaGrad-Norm vs AdaLoss (build/demo.png), then the paper's claims at
# the quick size (build/paper_*.png) and on Fashion-MNIST where
# dataset-fashion-mnist is installed (build/paper_real_robustness.png, under a
# minute more); under three minutes on two cores.
demo: all
	$(OCTAVE) $(OCTFLAGS) --eval 'addpath ([pwd "/$(BUILD)"], [pwd "/inst"]); $(HEADLESS) adagrad_demo ("file", "$(BUILD)/demo.png"); disp (""); adagrad_paper ("quick", "dir", "$(BUILD)"); disp (""); ok = true; try, adagrad_dataset ("fashion-mnist", "n", 10); catch err, ok = false; printf ("adagrad_paper_real: skipped (%s)\n", err.message); end_try_catch; if (ok) adagrad_paper_real ("quick", "dir", "$(BUILD)"); endif'
	@echo "wrote $(BUILD)/demo.png"

# Speed (adagrad_train against plain Octave and the GEMM bound, double and
# single; K = 10 outputs: a full-batch step and a Fashion-MNIST epoch against
# their four products) and peak memory at width 1e6; run by hand, results in
# README.md.
# BENCH_OLD=DIR (a built clone of another version, e.g. 0.7.0) adds the
# old build's times to every row of bench_train and the fixed cost of a call
# and of a run against it (bench/bench_calls.m).
BENCH_OLD ?=
bench: all
	$(OCTAVE) $(OCTFLAGS) --eval 'addpath ([pwd "/bench"]); bench_train (pwd, false, "$(BENCH_OLD)"); disp (""); bench_outputs (pwd); disp (""); bench_rules (pwd); disp (""); bench_event (pwd); disp (""); bench_memory (pwd); if (! isempty ("$(BENCH_OLD)")) disp (""); bench_calls (pwd, "$(BENCH_OLD)"); endif' | tee $(BUILD)/bench.txt

# The tarball that pkg install takes: the core and gateways go to its src/,
# which mex/Makefile.pkg builds into the .mex files.
dist: $(TARBALL)

# doc/ goes whole: theory.md and the figures README.md shows.
DOC_FILES := $(shell find doc -type f 2>/dev/null)
$(TARBALL): DESCRIPTION COPYING INDEX NEWS README.md $(DOC_FILES) inst/PKG_ADD $(wildcard inst/*.m inst/*.sh inst/private/*.m) $(CORE_SRC) $(CORE_HDR) $(MEX_SRC) $(MEX_HDR) mex/Makefile.pkg
	rm -rf $(BUILD)/dist && mkdir -p $(BUILD)/dist/$(NAME)-$(VERSION)/src
	cp -r DESCRIPTION COPYING INDEX NEWS README.md inst doc $(BUILD)/dist/$(NAME)-$(VERSION)/
	cp $(CORE_SRC) $(CORE_HDR) $(MEX_SRC) $(MEX_HDR) $(BUILD)/dist/$(NAME)-$(VERSION)/src/
	cp mex/Makefile.pkg $(BUILD)/dist/$(NAME)-$(VERSION)/src/Makefile
	tar -C $(BUILD)/dist -czf $@ $(NAME)-$(VERSION)

clean:
	rm -rf $(BUILD) $(NAME)-*.tar.gz
