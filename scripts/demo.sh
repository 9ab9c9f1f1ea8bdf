#!/usr/bin/env bash
# The main job: `twinorigin demo`, the whole failover scenario on this machine (two data centers
# as child processes, a front before their origins, the walkthrough on a generated 60 s 1080p
# mezzanine, the URLs to play, an outage drill), then running until Ctrl-C. Options go to the
# demo: scripts/demo.sh [MEZZANINE] [--no-drill] [--keep DIR] [--ports BASE].
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --no-test-clients
scripts/build.sh
exec build/twinorigin demo "$@"
