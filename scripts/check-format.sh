#!/usr/bin/env bash
# Fails when a C++ file is not formatted as .clang-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cpp' 'src/*.h' 'bench/*.cpp' 2>/dev/null || find src -name '*.cpp' -o -name '*.h')
clang-format --dry-run --Werror $files
echo "format: ok"
