#!/usr/bin/env bash
# `npm test`: everything CI checks, from a fresh Debian 12 + Node 20 machine.
# Sets up and builds what is missing, then runs every check even if an earlier one failed, and
# exits non-zero if any did.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# The three wasm builds and the native build the tests run: the GoogleTest suite natively is
# run once, under ASan+UBSan (build-asan/, below), which also checks everything the Release
# build (`npm run build`) would; building both would cost CI minutes for no extra check.
bash scripts/build.sh wasm
node models/prepare.mjs  # the models tests/node/models.test.mjs compares; no-op when present

failed=()
check() {  # check NAME COMMAND...
  echo
  echo "=== $1"
  if "${@:2}"; then echo "=== $1: ok"; else echo "=== $1: FAILED"; failed+=("$1"); fi
}

check "clang-format" bash scripts/format.sh --check
check "op versions = ONNX's" /usr/bin/python3 scripts/onnx_op_versions.py --check
check "wasm tests (simd)" ctest --test-dir build-wasm --output-on-failure
check "wasm tests (simd-threads)" ctest --test-dir build-wasm-mt --output-on-failure
check "wasm tests (plain)" ctest --test-dir build-wasm-plain --output-on-failure
# The GoogleTest suite built natively with clang under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/, which also holds the libFuzzer targets), then each fuzz target for 30 s.
check "native tests (ASan+UBSan)" bash -c \
  'bash scripts/build.sh asan && ctest --test-dir build-asan --output-on-failure'
check "fuzz (short)" bash scripts/fuzz.sh 30
check "node tests" node --test tests/node/
check "browser tests" node --test tests/browser/
check "download size" node scripts/size.mjs
# The benchmark runs once in quick mode so that it cannot rot; it never asserts a speed.
check "bench (quick)" npm run bench -- --quick

echo
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
