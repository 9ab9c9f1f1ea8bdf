#!/usr/bin/env bash
# Storage benchmark: Azurite (in memory) and twinorigin (on disk, fsync on) on the same loopback
# workloads in one run, printing the ratios. Usage: bench/storage/run.sh [SECONDS_PER_WRK_RUN]
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
DURATION=${1:-10}
KEY_B=$(printf 'twinorigin-bench-key-for-account-b' | base64 -w0)

for tool in wrk bc; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done
[ -d node_modules/azurite ] || npm ci --no-audit --no-fund --loglevel=error
"$ROOT/scripts/build.sh" >/dev/null

source ../common.sh

PA=$(free_port); PT=$(free_port); PB=$(free_port)
# Each server is measured alone on the machine: Azurite first, then the two twinorigin processes.
node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort "$PA" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry --silent >"$TMP/azurite.log" 2>&1 &
PID_AZ=$!
PIDS+=($PID_AZ)
wait_port "$PA"
start_twins() {
  "$ROOT/build/twinorigin" serve --data "$TMP/a" --storage "127.0.0.1:$PT" --media 127.0.0.1:0 --streaming 127.0.0.1:0 2>"$TMP/a.log" >/dev/null &
  PIDS+=($!); PID_A=$!
  "$ROOT/build/twinorigin" serve --data "$TMP/b" --storage "127.0.0.1:$PB" --media 127.0.0.1:0 --streaming 127.0.0.1:0 \
    --storage-account "accountb:$KEY_B" 2>"$TMP/b.log" >/dev/null &
  PIDS+=($!); PID_B=$!
  wait_port "$PT"; wait_port "$PB"
}

head -c 1024 /dev/urandom >"$TMP/1k.bin"
head -c $((256 << 20)) /dev/urandom >"$TMP/256m.bin"

declare -A R
rps() { awk '/Requests\/sec/ {print $2}'; }
median3() { sort -n | sed -n 2p; }
mib_s() { awk -v b=$((256 << 20)) -v t="$1" 'BEGIN {printf "%.0f", b / t / 1048576}'; }

for name in azurite twin; do
  port=$PA
  if [ "$name" = twin ]; then
    kill "$PID_AZ"; wait "$PID_AZ" 2>/dev/null || true
    start_twins
    port=$PT
  fi
  base="http://127.0.0.1:$port/devstoreaccount1"
  sas=$(node sas.js "$base" bench --create)
  curl -sf -X PUT -H "x-ms-blob-type: BlockBlob" --data-binary @"$TMP/1k.bin" "$base/bench/one.bin?$sas" -o /dev/null
  R[$name.get]=$(wrk -t2 -c64 -d"${DURATION}s" "$base/bench/one.bin?$sas" | rps)
  R[$name.put]=$(SAS=$sas wrk -t2 -c64 -d"${DURATION}s" -s put.lua "$base/bench" | rps)
  R[$name.up]=$(for i in 1 2 3; do curl -sf -X PUT -H "x-ms-blob-type: BlockBlob" -H "Expect:" -T "$TMP/256m.bin" \
    "$base/bench/big.bin?$sas" -o /dev/null -w "%{time_total}\n"; done | median3)
  R[$name.down]=$(for i in 1 2 3; do curl -sf "$base/bench/big.bin?$sas" -o /dev/null -w "%{time_total}\n"; done | median3)
  read -r R[$name.sdkup] R[$name.sdkdown] < <(node sdk_transfer.js "$base")
  [ "$name" = twin ] && SAS_A=$sas
done

# Cross-account copy between two twinorigin processes, against curl fetching the same blob to disk.
SAS_B=$(ACCOUNT_KEY=$KEY_B node sas.js "http://127.0.0.1:$PB/accountb" copies --create)
SRC="http://127.0.0.1:$PT/devstoreaccount1/bench/big.bin?$SAS_A"
copy_once() {
  local dest="http://127.0.0.1:$PB/accountb/copies/big-$1.bin?$SAS_B" start end status
  start=$(date +%s.%N)
  curl -sf -X PUT -H "x-ms-copy-source: $SRC" -H "x-ms-version: 2021-10-04" -H "Content-Length: 0" "$dest" -o /dev/null
  while :; do
    status=$(curl -sf -I "$dest" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-ms-copy-status" {print $2}')
    [ "$status" != pending ] && break
    sleep 0.02
  done
  end=$(date +%s.%N)
  [ "$status" = success ] || { echo "copy ended $status" >&2; exit 1; }
  echo "$end - $start" | bc
}
R[copy]=$(for i in 1 2 3; do copy_once "$i"; done | median3)
R[curl]=$(for i in 1 2 3; do curl -sf "$SRC" -o "$TMP/curl-$i.bin" -w "%{time_total}\n"; done | median3)
# The copy ends with its bytes fsynced; so does this reference (curl, then fsync of the file).
curl_fsync_once() {
  local start end
  start=$(date +%s.%N)
  curl -sf "$SRC" -o "$TMP/curl-sync-$1.bin"
  sync "$TMP/curl-sync-$1.bin"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
R[curlsync]=$(for i in 1 2 3; do curl_fsync_once "$i"; done | median3)
# Memory stays flat for multi-GiB transfers: upload, download and copy one large blob.
LARGE_GIB=${LARGE_GIB:-2}
head -c $((LARGE_GIB << 30)) /dev/urandom >"$TMP/large.bin"
curl -sf -X PUT -H "x-ms-blob-type: BlockBlob" -H "Expect:" -T "$TMP/large.bin" \
  "http://127.0.0.1:$PT/devstoreaccount1/bench/large.bin?$SAS_A" -o /dev/null
rm -f "$TMP/large.bin"
curl -sf "http://127.0.0.1:$PT/devstoreaccount1/bench/large.bin?$SAS_A" -o /dev/null
SRC="http://127.0.0.1:$PT/devstoreaccount1/bench/large.bin?$SAS_A"
copy_once large >/dev/null
RSS_A=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$PID_A/status)
RSS_B=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$PID_B/status)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
line() { printf '%-40s %12s %12s %8sx   target %s\n' "$@"; }
echo
echo "storage benchmark, $(nproc) cores, wrk -t2 -c64 -d${DURATION}s, 256 MiB transfers (median of 3)"
line "workload" "azurite" "twinorigin" "ratio" ""
line "1 KiB GET (req/s, SAS)" "${R[azurite.get]}" "${R[twin.get]}" "$(ratio "${R[twin.get]}" "${R[azurite.get]}")" ">= 10"
line "1 KiB PUT (req/s, SAS)" "${R[azurite.put]}" "${R[twin.put]}" "$(ratio "${R[twin.put]}" "${R[azurite.put]}")" ">= 10"
line "256 MiB upload, curl (MiB/s)" "$(mib_s "${R[azurite.up]}")" "$(mib_s "${R[twin.up]}")" "$(ratio "${R[azurite.up]}" "${R[twin.up]}")" ">= 1.5"
line "256 MiB download, curl (MiB/s)" "$(mib_s "${R[azurite.down]}")" "$(mib_s "${R[twin.down]}")" "$(ratio "${R[azurite.down]}" "${R[twin.down]}")" ">= 3"
line "SDK upload, 8 x 8 MiB blocks (MiB/s)" "${R[azurite.sdkup]}" "${R[twin.sdkup]}" "$(ratio "${R[twin.sdkup]}" "${R[azurite.sdkup]}")" ">= 1.5"
line "SDK download, 8 x 8 MiB ranges (MiB/s)" "${R[azurite.sdkdown]}" "${R[twin.sdkdown]}" "$(ratio "${R[twin.sdkdown]}" "${R[azurite.sdkdown]}")" ">= 3"
line "copy vs curl + fsync (MiB/s)" "$(mib_s "${R[curlsync]}")" "$(mib_s "${R[copy]}")" "$(ratio "${R[curlsync]}" "${R[copy]}")" ">= 0.8"
line "copy vs curl, page cache only (MiB/s)" "$(mib_s "${R[curl]}")" "$(mib_s "${R[copy]}")" "$(ratio "${R[curl]}" "${R[copy]}")" "(for reference)"
echo "peak RSS over all of the above and a ${LARGE_GIB} GiB upload, download and copy:" \
  "twinorigin A ${RSS_A} MiB, B ${RSS_B} MiB (target < 200 MiB)"
