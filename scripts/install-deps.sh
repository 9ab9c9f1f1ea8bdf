#!/usr/bin/env bash
# Installs what twinorigin needs on Debian 12: the build toolchain and libraries from Debian,
# the test clients from npm. Safe to run again; it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format clang libclang-rt-14-dev
  libboost1.81-dev libboost-url1.81-dev libssl-dev libsqlite3-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev ffmpeg
  rclone curl
)
# The end-to-end tests also need Debian's Chromium (for the players) and xmllint (DASH schema).
[ "${1:-}" = "--no-npm" ] || packages+=(chromium libxml2-utils)
# Node.js may come from elsewhere than Debian (this machine image ships its own): install
# Debian's only when there is none.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci again whenever a dependency of package.json is missing from node_modules.
npm_missing() {
  (cd tests/e2e && node -e '
    const deps = Object.keys(require("./package.json").dependencies);
    const fs = require("fs");
    process.exit(deps.every((d) => fs.existsSync("node_modules/" + d + "/package.json")) ? 1 : 0);')
}
if [ "${1:-}" != "--no-npm" ] && npm_missing; then
  echo "installing the end-to-end test clients from npm"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
