#!/usr/bin/env bash
# The whole test run: dependencies, formatting check, optimised, Release and sanitizer builds
# (warnings are errors in all three), unit tests under the optimised and sanitizer builds, then
# the end-to-end tests with real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh
scripts/build.sh --asan --release
echo "== unit tests (ASan/UBSan build)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
echo "== unit tests (optimised build)"
ctest --test-dir build --output-on-failure -j "$(nproc)"
echo "== end-to-end tests"
cd tests/e2e
TWIN_BIN="$PWD/../../build/twinorigin" node --test --test-concurrency=1 ./*.test.js
