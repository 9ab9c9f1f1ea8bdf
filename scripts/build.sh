#!/usr/bin/env bash
# Builds twinorigin: build/ (optimised, with debug info) and, with --asan, build-asan/
# (AddressSanitizer + UndefinedBehaviorSanitizer, for the unit tests).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j "$jobs"
if [ "${1:-}" = "--asan" ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTWIN_SANITIZE=ON >/dev/null
  ninja -C build-asan -j "$jobs"
fi
