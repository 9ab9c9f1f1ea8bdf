#!/usr/bin/env bash
# Replication benchmark, on the 720p ladder of a generated 60 s 1080p mezzanine, in one run:
#  1. mezzanine to playable in both data centers (upload, encode job, publish, replicate, B's
#     HLS manifest answering) against `twinorigin encode` of the same file alone (same x264
#     settings); the issue asks for at most 1.2x;
#  2. the cross-data-center copy (`twinorigin replicate`, server-side Copy Blob, 4 at once,
#     written with fsync in B) against curl downloading the same blobs from A (4 at once, to
#     files, no fsync), 5 alternating rounds, medians; the issue asks for at least 0.8x curl's
#     throughput.
# Usage: bench/replicate/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
SECONDS_OF_VIDEO=${1:-60}
"$ROOT/scripts/build.sh" >/dev/null
[ -d "$ROOT/tests/e2e/node_modules" ] || (cd "$ROOT/tests/e2e" && npm ci --silent)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "generating a ${SECONDS_OF_VIDEO} s 1920x1080 25 fps mezzanine with audio"
ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$SECONDS_OF_VIDEO" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECONDS_OF_VIDEO" \
  -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k "$TMP/mezzanine.mp4"

echo "encoding it alone (twinorigin encode, H264 Multiple Bitrate 720p, x264 medium)"
start=$(date +%s.%N)
"$ROOT/build/twinorigin" encode "$TMP/mezzanine.mp4" --preset "H264 Multiple Bitrate 720p" \
  --out "$TMP/alone" >/dev/null 2>&1
ENCODE_SECONDS=$(awk "BEGIN { print $(date +%s.%N) - $start }")
rm -rf "$TMP/alone"
echo "  $ENCODE_SECONDS s"

TWIN_BIN="$ROOT/build/twinorigin" NODE_PATH="$ROOT/tests/e2e/node_modules" \
  node run.js "$TMP" "$ENCODE_SECONDS"
