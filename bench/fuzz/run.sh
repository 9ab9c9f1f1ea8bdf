#!/usr/bin/env bash
# The long fuzzing run: every libFuzzer target for SECONDS each (default 3600), two at a time on
# a 2-core machine, each growing its corpus in build-fuzz/corpus/<target>/ (kept between runs).
# Prints per target the executions, the edge coverage, the corpus size and whether it crashed;
# a crash leaves its input in build-fuzz/crashes/<target>/ (make it a unit test, then fix it).
# Usage: [FUZZ_JOBS=N] bench/fuzz/run.sh [SECONDS] [TARGET...]  (nice 19 keeps other work first)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-3600}
shift || true
scripts/fuzz.sh 1 >/dev/null  # builds the targets and the generated seeds
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(find src -name '*_fuzz.cpp' -printf '%f\n' | sed 's/\.cpp$//' | sort)
fi
jobs=${FUZZ_JOBS:-$(nproc)}  # more than the cores share them: each target still runs its full time
# An hour beside other work on two cores: one input of mp4_packaging_fuzz that replays in 0.2 s
# of CPU once passed 10 s of wall time at nice 19 during a build (a false hang). 60 s still
# catches a real one.
export FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-60}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%s\n' "${targets[@]}" |
  FUZZ_SKIP_BUILD=1 xargs -P "$jobs" -I{} sh -c "scripts/fuzz.sh $seconds {} > '$out/{}.txt' 2>&1 || true"
printf '%-22s %8s %10s %6s %6s %s\n' target seconds runs cov corpus result
for t in "${targets[@]}"; do tail -n +2 "$out/$t.txt" | grep -v '^$' | head -3; done
