#!/usr/bin/env bash
# Builds a libFuzzer harness and runs it on its committed seed corpus.
#
# Usage: Tests/Fuzz/run.sh <target> [runs] [more libFuzzer flags...]   (default 10,000,000 executions)
# Targets: FuzzPabulib, FuzzBallots (projects + ballot CSV), FuzzPrefLib, FuzzElection (election.json
# + projects + ballots). The corpus is Corpus/<target without "Fuzz", lower case>.
#
# Environment:
#   FUZZ_SANITIZE  sanitizers (default fuzzer,address; "fuzzer" alone runs several times faster)
#   FUZZ_CPU       pin the build and the run to this CPU at the lowest priority (e.g. FUZZ_CPU=1)
#   FUZZ_MAX_LEN   -max_len (default 2048)
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-FuzzPabulib}
runs=${2:-10000000}
shift $(( $# > 2 ? 2 : $# ))
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
scratch=.build-fuzz-$(echo "$sanitize" | tr ',' '-')
corpus=Corpus/$(echo "${target#Fuzz}" | tr 'A-Z' 'a-z')
wrap=()
if [[ -n "${FUZZ_CPU:-}" ]]; then wrap=(nice -n 19 taskset -c "$FUZZ_CPU"); fi
"${wrap[@]}" swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize="$sanitize" -Xswiftc -parse-as-library \
  --product "$target"
mkdir -p "$corpus" ".work/$target"
# New inputs found go to .work/<target> (not committed); crashes to .work/crash-*. Swift's own
# backtracer is turned off so that libFuzzer catches the trap and saves the crashing input.
SWIFT_BACKTRACE=enable=no "${wrap[@]}" "$scratch/release/$target" -runs="$runs" -max_len="${FUZZ_MAX_LEN:-2048}" -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix=.work/ "$@" ".work/$target" "$corpus"
