#!/usr/bin/env bash
# Fuzzes the model loader and the runtime with libFuzzer (clang, ASan+UBSan; build-asan/).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     each target for SECONDS (default 60)
#
# Targets (tests/fuzz/): fuzz_load (wire decoder + loader), fuzz_run (load, then run on a small
# input), fuzz_tflite (the .tflite reader). The seed corpus is made at run time from
# models/generated/*.onnx, ONNX's node tests and tests/fuzz/regressions/ (fuzz_tflite: the tests'
# .tflite models, tests/tools/tflite_seeds.cc, and any *.tflite in $TFLITE_SEEDS, e.g. MediaPipe's
# package/ directory); what the fuzzer finds is kept in build-asan/fuzz/corpus/TARGET
# (reused by the next run) and crashes go to build-asan/fuzz/crashes/TARGET/.
#
# A long campaign (what the README's numbers come from), e.g. one hour per target:
#   scripts/fuzz.sh 3600
# After fixing a crash, keep its input as a regression test:
#   cp build-asan/fuzz/crashes/fuzz_run/crash-... tests/fuzz/regressions/run/<what-it-pins>.onnx
# (tests/cpp/fuzz_regressions_test.cc replays them in every build.)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_load fuzz_run fuzz_tflite)

bash scripts/build.sh asan >/dev/null

work=build-asan/fuzz
seeds=$work/seeds
# The ONNX seeds only for the ONNX targets (they need models/generated/).
if [[ " ${targets[*]} " =~ " fuzz_load "|" fuzz_run " ]] && [[ ! -d $seeds ]]; then
  rm -rf "$seeds.tmp" && mkdir -p "$seeds.tmp"
  # The project's models as small graph prefixes (see the script), and ONNX's node tests.
  /usr/bin/python3 tests/fuzz/make_seeds.py "$seeds.tmp" models/generated/*.onnx
  for d in /usr/share/libonnx-testdata/data/node/*/; do
    [[ -f $d/model.onnx ]] && cp "$d/model.onnx" "$seeds.tmp/$(basename "$d").onnx"
  done
  mv "$seeds.tmp" "$seeds"
fi

tflite_seeds=$work/seeds-tflite
if [[ ! -d $tflite_seeds ]]; then
  rm -rf "$tflite_seeds.tmp" && mkdir -p "$tflite_seeds.tmp"
  cmake --build build-asan --target tflite_seeds >/dev/null
  build-asan/tflite_seeds "$tflite_seeds.tmp"
  mv "$tflite_seeds.tmp" "$tflite_seeds"
fi
if [[ -n ${TFLITE_SEEDS:-} ]]; then cp "$TFLITE_SEEDS"/*.tflite "$tflite_seeds/"; fi

status=0
for t in "${targets[@]}"; do
  corpus_seeds=$seeds
  [[ $t == fuzz_tflite ]] && corpus_seeds=$tflite_seeds
  regressions=tests/fuzz/regressions/${t#fuzz_}
  mkdir -p "$work/corpus/$t" "$work/crashes/$t" "$regressions"
  echo "=== $t: ${seconds}s"
  # -timeout: one input may take at most 10 s (a hang is a bug); -rss_limit_mb and
  # -malloc_limit_mb: a memory blow-up is a bug (the limits keep real allocations far below);
  # new inputs are written to the first corpus dir only.
  rc=0
  # FUZZ_ARGS: extra libFuzzer flags, e.g. for a long campaign that goes on after a crash:
  #   FUZZ_ARGS="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=1 "build-asan/$t" ${FUZZ_ARGS:-} -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$t/" \
    "$work/corpus/$t" "$corpus_seeds" "$regressions" >"$work/$t.log" 2>&1 || rc=$?
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" \
    "$work/$t.log" || true
  # Fork mode (FUZZ_ARGS=-fork=N) reports as it goes: its last line has the totals.
  grep -E "^#[0-9]+: cov:" "$work/$t.log" | tail -1 || true
  if ((rc != 0)); then
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$work/$t.log" | head -20 || true
    echo "=== $t: FAILED (exit $rc; log $work/$t.log, input in $work/crashes/$t/)"
    status=1
  fi
done
exit $status
