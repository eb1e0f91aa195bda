# Tally: the two set-up commands (`make run`, `make test`) and helpers.
# Both install Debian's libblas-dev and liblapack-dev when they are missing (sudo only when not root).

SWIFT ?= swift
ELECTION ?= datasets/korea-national-2020
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test deps static-deps build release release-shared layout-order bench peers clean

deps:
	@if ! dpkg -s libblas-dev liblapack-dev >/dev/null 2>&1; then \
	  echo "Installing libblas-dev liblapack-dev..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libblas-dev liblapack-dev; \
	fi

# The static release binary also needs gfortran's runtime as an archive (libgfortran.a, from the
# libgfortran-N-dev of the installed GCC; liblapack.a is Fortran). libquadmath.a comes with libgcc-N-dev.
GCC_MAJOR := $(or $(shell ls /usr/lib/gcc/x86_64-linux-gnu 2>/dev/null | sort -n | tail -1),12)
static-deps: deps
	@if ! dpkg -s libgfortran-$(GCC_MAJOR)-dev >/dev/null 2>&1; then \
	  echo "Installing libgfortran-$(GCC_MAJOR)-dev..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libgfortran-$(GCC_MAJOR)-dev; \
	fi

build: deps
	$(SWIFT) build

# The release binary is one static executable: the Swift runtime, glibc, and BLAS/LAPACK from the
# archives libblas-dev and liblapack-dev install (libblas.a, liblapack.a: Debian's reference netlib
# build unless the alternatives point elsewhere). With no program interpreter there is nothing to
# load, bind or relocate at start: `tally allocate` on a 1 KB file takes ~2 ms against ~3.5 ms for
# the dynamically linked binary (which loads libblas, liblapack, libgfortran, libquadmath,
# libstdc++, libm, libgcc_s and libc). BLASBackend reports `linking: static`.
#
# Both release binaries refer to the metadata of generic types by their accessors rather than by
# mangled names. A mangled name is resolved at run time on first use, and the generic requirements in
# it by looking each conformance up: the first lookup of a type's conformance scans all ~3,900
# conformance records in the binary (~0.1 ms). `tally allocate` made 3 to 7 such scans, `tally run` 2,
# each on the main thread; the accessor is handed the conformance it needs. Measured on a 20 KB
# Pabulib file: 2.32 -> 1.84 ms a process (median of 40).
ACCESSORS := -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
#
# The static release binary is linked by lld (shipped with the Swift toolchain) with every Swift and C
# function in a section of its own, and the code the quick commands run placed first, in the order of
# Benchmarks/layout/tally.order (`make layout-order` remakes it; see Benchmarks/layout/make_order.py).
# A process maps its code a 64 KB window at a time, at the first use of each (~3.3 us a fault here):
# `tally allocate` on Katowice 2020 took ~100 such faults on its main thread with gold's layout, 70
# with lld's, 31 with the order. The order then names the .bss and .data sections those commands
# write, between the markers `tally_hot_data_end` and `tally_hot_rwdata_begin`/`_end`, so that
# `tally` maps them in one call each at start (tally_populate_hot_data) rather than at a read and a
# copy-on-write fault a page. A symbol the code no longer has is skipped.
STATIC := --static-swift-stdlib -Xswiftc -static-executable -Xlinker -lgfortran -Xlinker -lquadmath -Xlinker -lm
SECTIONS := -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
LAYOUT := $(SECTIONS) -Xlinker --symbol-ordering-file=$(CURDIR)/Benchmarks/layout/tally.order \
  -Xlinker --no-warn-symbol-ordering
# (SwiftPM does not see the order file as an input of the link: a binary older than it is removed,
# so that the build links it again.)
release: static-deps
	@[ ! -e .build/release/tally ] || [ .build/release/tally -nt Benchmarks/layout/tally.order ] || rm -f .build/release/tally
	$(SWIFT) build -c release $(ACCESSORS) $(LAYOUT) $(STATIC)

# Remakes Benchmarks/layout/tally.order from an unordered link (.build-layout/) and valgrind's record of
# the functions a set of commands runs, and perf's record of the .bss pages they write (needs valgrind,
# perf for the .bss part, and the shared Pabulib files).
layout-order: static-deps
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind; }
	$(SWIFT) build -c release $(ACCESSORS) $(SECTIONS) $(STATIC) --build-path .build-layout \
	  -Xlinker --no-demangle -Xlinker -Map=$(CURDIR)/.build-layout/tally.map
	python3 Benchmarks/layout/make_order.py --tally .build-layout/release/tally --map .build-layout/tally.map

# A release binary that loads the system's shared BLAS/LAPACK (libblas.so.3, liblapack.so.3), so an
# implementation chosen with update-alternatives (OpenBLAS, say) is used without a rebuild. The Swift
# runtime is linked in, at a fixed address (-no-pie: a position-independent binary applies 47,000
# relocations at every start). The executable is .build-shared/release/tally.
release-shared: deps
	$(SWIFT) build -c release $(ACCESSORS) --build-path .build-shared --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie

run: release
	.build/release/tally run $(ELECTION)

test: deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

# Tally and the Python peers (pabutools, choix, pref_voting) side by side; makes its own venv.
peers: release
	python3 Benchmarks/peers/compare_peers.py

clean:
	rm -rf .build .build-shared
