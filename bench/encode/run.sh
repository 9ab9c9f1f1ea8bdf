#!/usr/bin/env bash
# Encoder benchmark: "H264 Multiple Bitrate 720p" on a generated 1080p source, twinorigin encode
# against one ffmpeg command line doing the same work (one decode, split, six libx264 encodes
# with the same settings, AAC), in one run. Prints the wall-time ratio and both peak RSS.
# Usage: bench/encode/run.sh [SECONDS] [X264_PRESET]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
SECONDS_OF_VIDEO=${1:-60}
X264_PRESET=${2:-medium}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
"$ROOT/scripts/build.sh" >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "generating a ${SECONDS_OF_VIDEO} s 1920x1080 25 fps source with audio"
ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$SECONDS_OF_VIDEO" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECONDS_OF_VIDEO" \
  -c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k "$TMP/source.mp4"

measure() {  # prints "seconds peak_rss_mib"
  /usr/bin/time -f "%e %M" -o "$TMP/time.txt" "$@" >/dev/null 2>"$TMP/stderr.txt" ||
    { cat "$TMP/stderr.txt" >&2; exit 1; }
  awk '{printf "%s %d\n", $1, $2 / 1024}' "$TMP/time.txt"
}

read -r OURS OURS_RSS < <(measure "$ROOT/build/twinorigin" encode "$TMP/source.mp4" \
  --preset "H264 Multiple Bitrate 720p" --x264-preset "$X264_PRESET" --out "$TMP/ours")

layers=("3400 1280 720" "2250 960 540" "1500 960 540" "1000 640 360" "650 640 360" "400 320 180")
filter="[0:v]split=6"
for i in 0 1 2 3 4 5; do filter+="[s$i]"; done
args=()
for i in 0 1 2 3 4 5; do
  read -r kbps w h <<<"${layers[$i]}"
  filter+=";[s$i]scale=${w}:${h}:flags=bicubic+accurate_rnd+bitexact[o$i]"
  args+=(-map "[o$i]" -c:v libx264 -preset "$X264_PRESET" -b:v "${kbps}k" -maxrate "${kbps}k"
         -bufsize "$((kbps * 5))k" -g 50 -keyint_min 50 -sc_threshold 0 -bf 3 -refs 3
         -x264-params "scenecut=0:open-gop=0:b-adapt=1" -flags +cgop -pix_fmt yuv420p
         -movflags +faststart "$TMP/ffmpeg_${w}x${h}_${kbps}.mp4")
done
args+=(-map 0:a -c:a aac -b:a 128k -ar 48000 -ac 2 -movflags +faststart "$TMP/ffmpeg_AAC_128.mp4")
read -r THEIRS THEIRS_RSS < <(measure ffmpeg -nostdin -loglevel error -y -i "$TMP/source.mp4" \
  -filter_complex "$filter" "${args[@]}")

echo
echo "encode benchmark: H264 Multiple Bitrate 720p, ${SECONDS_OF_VIDEO} s of 1080p25, x264 preset $X264_PRESET, $(nproc) cores"
printf '%-22s %10s %14s\n' "" "wall (s)" "peak RSS (MiB)"
printf '%-22s %10s %14s\n' "twinorigin encode" "$OURS" "$OURS_RSS"
printf '%-22s %10s %14s\n' "ffmpeg command line" "$THEIRS" "$THEIRS_RSS"
awk -v a="$OURS" -v b="$THEIRS" 'BEGIN {printf "ratio (ours / ffmpeg): %.2f   target <= 1.0, aim 0.8\n", a / b}'
