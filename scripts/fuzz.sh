#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/: clang, ASan + UBSan) and runs each one for SECONDS
# (default 20) from its seeds: tests/data/fuzz/<target>/ and, for the MP4 target, small files
# made with ffmpeg. Prints one line per target (runs, coverage, corpus) and fails on the first
# crash, leak, timeout or out-of-memory, leaving the input in build-fuzz/crashes/<target>/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
seconds=${1:-20}
shift || true
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then  # set by bench/fuzz/run.sh, which builds once
  # Warnings as errors are the GCC builds' job; clang warns about other things.
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DTWIN_FUZZ=ON -DTWIN_WERROR=OFF >/dev/null
  ninja -C build-fuzz -j "$(nproc)" fuzz_targets >/dev/null
fi
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(find src -name '*_fuzz.cpp' -printf '%f\n' | sed 's/\.cpp$//' | sort)
fi

seeds_made=build-fuzz/seeds-made
if [ ! -d "$seeds_made/mp4_packaging_fuzz" ]; then
  mkdir -p "$seeds_made/mp4_packaging_fuzz"
  # Tiny real files: audio and video, video only, audio only, and one without faststart.
  lavfi=(-loglevel error -f lavfi -i testsrc2=size=64x36:rate=10 -f lavfi -i sine=frequency=440)
  x264=(-c:v libx264 -g 10 -bf 2 -preset ultrafast)
  ffmpeg "${lavfi[@]}" -t 1 "${x264[@]}" -c:a aac -movflags +faststart "$seeds_made/mp4_packaging_fuzz/av.mp4"
  ffmpeg "${lavfi[@]}" -t 1 "${x264[@]}" -an "$seeds_made/mp4_packaging_fuzz/video.mp4"
  ffmpeg "${lavfi[@]}" -t 1 -vn -c:a aac "$seeds_made/mp4_packaging_fuzz/audio.mp4"
fi

printf '%-22s %8s %10s %6s %6s %s\n' target seconds runs cov corpus result
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  crashes=build-fuzz/crashes/$t/
  mkdir -p "$corpus" "$crashes"
  dirs=("$corpus")
  for d in "tests/data/fuzz/$t" "$seeds_made/$t"; do [ -d "$d" ] && dirs+=("$d"); done
  log=build-fuzz/$t.log
  result=ok
  # -timeout: one input taking over FUZZ_TIMEOUT (10) s is a hang; -rss_limit_mb: memory must
  # stay bounded.
  if ! "build-fuzz/$t" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -max_len=262144 -print_final_stats=1 -artifact_prefix="$crashes" "${dirs[@]}" >"$log" 2>&1; then
    result="FAILED (see $log and $crashes)"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$done_line")
  printf '%-22s %8s %10s %6s %6s %s\n' "$t" "$seconds" "${runs:-?}" "${cov:-?}" "${corp:-?}" "$result"
  if [ "$result" != ok ]; then grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5; fi
done
exit "$status"
