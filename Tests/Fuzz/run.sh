#!/usr/bin/env bash
# Builds a libFuzzer harness and runs it on its committed seed corpus.
# Usage: Tests/Fuzz/run.sh FuzzPabulib [runs]   (default 10,000,000 executions)
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-FuzzPabulib}
runs=${2:-10000000}
corpus=Corpus/$(echo "${target#Fuzz}" | tr 'A-Z' 'a-z')
swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  --product "$target"
mkdir -p "$corpus" .work
# New inputs found go to .work (not committed); crashes to .work/crash-*.
.build-fuzz/release/"$target" -runs="$runs" -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix=.work/ .work "$corpus"
