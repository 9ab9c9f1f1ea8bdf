#!/usr/bin/env bash
# The failover front against stock nginx and HAProxy (fault matrix, one real-time viewer each)
# and against nginx proxy_cache (cache hits with wrk). See run.js.
# Usage: bench/front/run.sh [CLIP_SECONDS] [WRK_SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
for tool in wrk nginx haproxy; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
"$ROOT/scripts/install-deps.sh" >/dev/null
"$ROOT/scripts/build.sh" >/dev/null
TWIN_BIN="$ROOT/build/twinorigin" exec node run.js "$@"
