#!/usr/bin/env bash
# Installs what twinorigin needs on Debian 12: the build toolchain and libraries from Debian, the
# players the dashboard builds into the binary (web/, from npm), and, unless --no-test-clients,
# the end-to-end test clients (tests/e2e/, from npm; Chromium). Safe to run again; it installs
# only what is missing.
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
test_clients=true
[ "${1:-}" = "--no-test-clients" ] && test_clients=false
$test_clients && packages+=(chromium libxml2-utils)
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

# npm ci again whenever a dependency of a package.json is missing from its node_modules or is
# not the version pinned there.
npm_missing() {  # directory
  (cd "$1" && node -e '
    const deps = require("./package.json").dependencies;
    const fs = require("fs");
    const installed = (d) => { const f = "node_modules/" + d + "/package.json";
      return fs.existsSync(f) && JSON.parse(fs.readFileSync(f, "utf8")).version === deps[d]; };
    process.exit(Object.keys(deps).every(installed) ? 1 : 0);')
}
if npm_missing web; then
  echo "installing the dashboard's players from npm"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
if $test_clients && npm_missing tests/e2e; then
  echo "installing the end-to-end test clients from npm"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
