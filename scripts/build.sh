#!/usr/bin/env bash
# Builds twinorigin: build/ (optimised, with debug info) and, on request, build-asan/
# (--asan: AddressSanitizer + UndefinedBehaviorSanitizer, for the unit tests) and build-release/
# (--release: the Release flags packagers use, which must build warning-clean too).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
configure_and_build() {  # directory, then cmake options
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  ninja -C "$dir" -j "$jobs"
}
configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
for option in "$@"; do
  case "$option" in
    --asan) configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DTWIN_SANITIZE=ON ;;
    --release) configure_and_build build-release -DCMAKE_BUILD_TYPE=Release ;;
    *) echo "build.sh: unknown option $option (--asan, --release)" >&2; exit 2 ;;
  esac
done
