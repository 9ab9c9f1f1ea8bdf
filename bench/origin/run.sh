#!/usr/bin/env bash
# Origin benchmark: wrk against twinorigin's streaming origin and against stock nginx serving the
# identical responses captured to files, one worker (I/O thread) each, in one run, per object
# class: a DASH manifest, an audio segment and a ~1.5 MB video segment. Prints the ratios.
# Usage: bench/origin/run.sh [SECONDS_PER_WRK_RUN] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DURATION=${1:-10}
CONNECTIONS=${2:-32}
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
"$ROOT/scripts/install-deps.sh" >/dev/null
"$ROOT/scripts/build.sh" >/dev/null

source ../common.sh

PS=$(free_port); PM=$(free_port); PO=$(free_port); PN=$(free_port)
MEDIA_KEY=bench-media-account-key-0123456789
cat >"$TMP/dc.toml" <<TOML
data_dir = "$TMP/dc"
threads = 1
[storage]
listen = "127.0.0.1:$PS"
[media]
listen = "127.0.0.1:$PM"
x264_preset = "veryfast"
[[media.accounts]]
name = "benchmedia"
key = "$MEDIA_KEY"
[streaming]
listen = "127.0.0.1:$PO"
TOML
"$ROOT/build/twinorigin" serve --config "$TMP/dc.toml" >"$TMP/dc.out" 2>"$TMP/dc.log" &
PIDS+=($!)
wait_port "$PO"

echo "encoding a 12 s 1080p clip with H264 Multiple Bitrate 1080p and publishing it"
ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=12" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=12" -c:v libx264 -preset ultrafast \
  -crf 18 -pix_fmt yuv420p -c:a aac -b:a 192k "$TMP/clip.mp4"
BASE=$(node publish.js "http://127.0.0.1:$PM" benchmedia "$MEDIA_KEY" "$TMP/clip.mp4")

# The objects: the MPD, the second audio and the second top-layer video segment.
MPD_URL="$BASE/manifest(format=mpd-time-csf)"
curl -sf "$MPD_URL" -o "$TMP/mpd.txt"
TOP=$(grep -o 'bandwidth="[0-9]*"' "$TMP/mpd.txt" | head -1 | tr -dc 0-9)
AUDIO_BW=$(grep -o 'bandwidth="[0-9]*"' "$TMP/mpd.txt" | tail -1 | tr -dc 0-9)
AUDIO_NAME=$(grep -o 'Fragments(aac_[^=]*' "$TMP/mpd.txt" | head -1 | sed 's/Fragments(//')
AUDIO_T=$(grep -A3 'contentType="audio"' "$TMP/mpd.txt" >/dev/null; awk '/contentType="audio"/,0' "$TMP/mpd.txt" | grep -o '<S t="0" d="[0-9]*"' | grep -o 'd="[0-9]*"' | tr -dc 0-9)
declare -A URL
URL[manifest]="$MPD_URL"
URL[audio]="$BASE/QualityLevels($AUDIO_BW)/Fragments($AUDIO_NAME=$AUDIO_T,format=mpd-time-csf)"
URL[video]="$BASE/QualityLevels($TOP)/Fragments(video=20000000,format=mpd-time-csf)"

mkdir -p "$TMP/www"
for k in manifest audio video; do curl -sf "${URL[$k]}" -o "$TMP/www/$k"; done
chmod 755 "$TMP" "$TMP/www" && chmod 644 "$TMP/www"/*  # nginx's workers run as www-data
cat >"$TMP/nginx.conf" <<NGINX
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  # As stock nginx does, and as twinorigin does (one log line per request): both log.
  access_log $TMP/nginx-access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$PN; root $TMP/www; }
}
NGINX
nginx -c "$TMP/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_port "$PN"

rps() { awk '/Requests\/sec/ {print $2}'; }
echo
echo "origin benchmark: wrk -t1 -c$CONNECTIONS -d${DURATION}s, one worker each, $(nproc) cores"
printf '%-10s %10s %12s %12s %8s\n' object bytes "nginx req/s" "twin req/s" ratio
for k in manifest audio video; do
  size=$(stat -c %s "$TMP/www/$k")
  cmp -s "$TMP/www/$k" <(curl -s "${URL[$k]}") || { echo "capture of $k differs" >&2; exit 1; }
  cmp -s "$TMP/www/$k" <(curl -s "http://127.0.0.1:$PN/$k") || { echo "nginx does not serve $k" >&2; exit 1; }
  n=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PN/$k" | rps)
  t=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${URL[$k]}" | rps)
  printf '%-10s %10s %12s %12s %8s\n' "$k" "$size" "$n" "$t" "$(awk -v a="$t" -v b="$n" 'BEGIN {printf "%.2f", a / b}')"
done
echo "targets: manifest and audio >= 1.0, video >= 0.8"
[ -z "${TWIN_BENCH_HOLD:-}" ] || { echo "${URL[audio]}" > "$TWIN_BENCH_HOLD"; echo "http://127.0.0.1:$PN/audio" >> "$TWIN_BENCH_HOLD"; sleep 900; }
