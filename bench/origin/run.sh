#!/usr/bin/env bash
# Origin benchmark: wrk against twinorigin's streaming origin and against stock nginx serving the
# identical responses captured to files, one worker (I/O thread) each, in one run, per object
# class: a DASH manifest, an audio segment and a ~1.5 MB video segment. Prints the ratios.
# Usage: bench/origin/run.sh [SECONDS_PER_WRK_RUN] [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DURATION=${1:-4}
CONNECTIONS=${2:-32}
ROUNDS=${3:-5}
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

TWIN_PID=${PIDS[0]}
NGINX_PID=$(pgrep -P "${PIDS[1]}" -f "nginx: worker")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# One wrk round against URL; appends "req/s cpu-us-per-request" (CPU of the server PID) to FILE.
round() {  # PID URL FILE
  local before after out
  before=$(cpu_ticks "$1")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$2")
  after=$(cpu_ticks "$1")
  awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" '
    /requests in/ {n = $1} /Requests\/sec/ {r = $2}
    END {printf "%s %.1f\n", r, t / hz * 1e6 / n}' <<<"$out" >>"$3"
}
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "origin benchmark: wrk -t1 -c$CONNECTIONS, $ROUNDS rounds of ${DURATION}s alternating nginx and"
echo "twinorigin, medians; one worker each, $(nproc) cores; CPU = the server's CPU time per request"
printf '%-9s %8s %11s %11s %6s %12s %12s\n' object bytes "nginx req/s" "twin req/s" ratio \
  "nginx CPU us" "twin CPU us"
for k in manifest audio video; do
  size=$(stat -c %s "$TMP/www/$k")
  cmp -s "$TMP/www/$k" <(curl -s "${URL[$k]}") || { echo "capture of $k differs" >&2; exit 1; }
  cmp -s "$TMP/www/$k" <(curl -s "http://127.0.0.1:$PN/$k") || { echo "nginx does not serve $k" >&2; exit 1; }
  : >"$TMP/n.txt"; : >"$TMP/t.txt"
  # Alternating short rounds: a slow spell of this shared machine falls on both servers alike.
  for _ in $(seq "$ROUNDS"); do
    round "$NGINX_PID" "http://127.0.0.1:$PN/$k" "$TMP/n.txt"
    round "$TWIN_PID" "${URL[$k]}" "$TMP/t.txt"
  done
  n=$(cut -d' ' -f1 "$TMP/n.txt" | median); t=$(cut -d' ' -f1 "$TMP/t.txt" | median)
  nc=$(cut -d' ' -f2 "$TMP/n.txt" | median); tc=$(cut -d' ' -f2 "$TMP/t.txt" | median)
  printf '%-9s %8s %11s %11s %6s %12s %12s\n' "$k" "$size" "$n" "$t" \
    "$(awk -v a="$t" -v b="$n" 'BEGIN {printf "%.2f", a / b}')" "$nc" "$tc"
done
echo "targets: manifest and audio >= 1.0, video >= 0.8"
[ -z "${TWIN_BENCH_HOLD:-}" ] || { echo "${URL[audio]}" > "$TWIN_BENCH_HOLD"; echo "http://127.0.0.1:$PN/audio" >> "$TWIN_BENCH_HOLD"; sleep 900; }
