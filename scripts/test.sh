#!/usr/bin/env bash
# The whole test run (docs/testing.md): dependencies, formatting check, Release and sanitizer
# builds (warnings are errors in both), unit tests under the optimised and
# sanitizer builds, a short fuzzing run of every parser, then the end-to-end tests with real
# clients against the optimised build and again against the sanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh
scripts/build.sh --asan
echo "== unit tests (ASan/UBSan build)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
echo "== unit tests (optimised build)"
ctest --test-dir build --output-on-failure -j "$(nproc)"
echo "== fuzzing (every target ${FUZZ_SECONDS:-15} s)"
scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
cd tests/e2e
echo "== end-to-end tests"
TWIN_BIN="$PWD/../../build/twinorigin" node --test --test-concurrency=1 ./*.test.js
echo "== end-to-end tests against the ASan/UBSan build"
# The same suite, so that memory errors on network paths surface; of the failover matrix the
# faults that end connections abruptly (front_failover.test.js); of the steering player tests the
# refusals, not the timed fault drills (front_steering_players.test.js).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 TWIN_FAILOVER_FAULTS=abrupt \
  TWIN_STEERING_DRILLS=refusals TWIN_BIN="$PWD/../../build-asan/twinorigin" \
  node --test --test-concurrency=1 ./*.test.js
