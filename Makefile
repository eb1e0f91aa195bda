# Tally: the two set-up commands (`make run`, `make test`) and helpers.
# Both install Debian's libblas-dev and liblapack-dev when they are missing (sudo only when not root).

SWIFT ?= swift
ELECTION ?= datasets/korea-national-2020
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test deps build release bench peers clean

deps:
	@if ! dpkg -s libblas-dev liblapack-dev >/dev/null 2>&1; then \
	  echo "Installing libblas-dev liblapack-dev..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libblas-dev liblapack-dev; \
	fi

build: deps
	$(SWIFT) build

# The release binary links the Swift runtime statically (Tally needs no Foundation), which takes
# several milliseconds off every process start; BLAS/LAPACK stay the system's shared libraries.
# It is linked at a fixed address (-no-pie): a position-independent one began every process by
# applying 47,000 relocations to 440 KB of pointers (1.1 MB of relocation records, ~150 page faults).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie

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
	rm -rf .build
