#!/usr/bin/env bash
# Builds twinorigin: build/ (Release, the flags packagers use, warning-clean) and, on request,
# build-asan/ (--asan: AddressSanitizer + UndefinedBehaviorSanitizer, with debug info). One
# optimised build, not a RelWithDebInfo one beside a Release one: each takes about 10 minutes of
# CI's two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# ccache keys without the checkout's path, so that another clone of the same sources hits.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
configure_and_build() {  # directory, then cmake options
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  ninja -C "$dir" -j "$jobs"
}
configure_and_build build -DCMAKE_BUILD_TYPE=Release
for option in "$@"; do
  case "$option" in
    --asan) configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DTWIN_SANITIZE=ON ;;
    *) echo "build.sh: unknown option $option (--asan)" >&2; exit 2 ;;
  esac
done
