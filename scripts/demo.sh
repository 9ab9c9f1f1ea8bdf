#!/usr/bin/env bash
# The main job. Until the full demo lands, it runs one development data center on the embedded
# default (storage on 127.0.0.1:10000, account devstoreaccount1, data under ./data) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --no-npm
scripts/build.sh
exec build/twinorigin serve "$@"
