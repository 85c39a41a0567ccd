#!/usr/bin/env bash
# Incremental builds. Usage: scripts/build.sh [all|native|wasm|module|asan]
#   native  build/       Release: the engine and the GoogleTest binary
#   asan    build-asan/  clang, ASan+UBSan: the GoogleTest binary and the libFuzzer targets
#                        (tests/fuzz; scripts/fuzz.sh runs them)
#   wasm    the three wasm builds, each the Embind module and a wasm GoogleTest binary:
#             build-wasm/        SIMD            litecnn.mjs + .wasm
#             build-wasm-mt/     SIMD + threads  litecnn-mt.mjs + .wasm + .worker.js
#             build-wasm-plain/  no SIMD         litecnn-plain.mjs + .wasm
#   module  only the three Embind modules (what the JS API and the CLI need)
#   all     native + wasm (default)
# Each build dir is configured only when it has no CMake cache yet; make then rebuilds only
# what is out of date. The Embind modules are copied to web/dist/, where web/src loads them.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
# One job more than cores: em++ is a Python wrapper, and a job in its start-up leaves a core idle.
jobs=$(($(nproc) + 1))

build_native() {
  if [[ ! -f build/CMakeCache.txt ]]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  fi
  cmake --build build -j"$jobs"
}

build_asan() {
  if [[ ! -f build-asan/CMakeCache.txt ]]; then
    # clang: libFuzzer comes with it. RelWithDebInfo: optimised, with symbols for the reports.
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DLITECNN_SANITIZE=ON -DLITECNN_FUZZ=ON
  fi
  cmake --build build-asan -j"$jobs"
}

build_wasm_variant() {  # DIR CMAKE_OPTIONS... -- cmake --build target options (none: everything)
  local dir=$1 opts=()
  shift
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  # emscripten 3.1.6 links at -O1+ through Debian's acorn, found only via NODE_PATH.
  export NODE_PATH=/usr/share/nodejs
  if [[ ! -f $dir/CMakeCache.txt ]]; then
    # emcmake's default emulator passes a Node flag that Node 20 rejects: set it ourselves.
    emcmake cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" "${opts[@]}"
  fi
  cmake --build "$dir" -j"$jobs" "$@"
  mkdir -p web/dist
  # The Embind module of this variant (not the test binary's files next to it).
  for f in "$dir"/litecnn{,-mt,-plain}.{mjs,wasm} "$dir"/litecnn-mt.worker.js; do
    [[ -e $f ]] || continue
    cmp -s "$f" "web/dist/${f##*/}" || cp "$f" "web/dist/${f##*/}"
  done
}

build_wasm() {  # $@: cmake --build target options (none: everything)
  build_wasm_variant build-wasm -- "$@"
  build_wasm_variant build-wasm-mt -DLITECNN_WASM_THREADS=ON -- "$@"
  build_wasm_variant build-wasm-plain -DLITECNN_WASM_SIMD=OFF -- "$@"
  # The pthread worker script is CommonJS (it require()s worker_threads in Node); the package's
  # "type": "module" would make Node load it as an ES module.
  echo '{ "type": "commonjs" }' >web/dist/package.json
}

case $what in
  all) build_native && build_wasm ;;
  native) build_native ;;
  wasm) build_wasm ;;
  module) build_wasm --target litecnn_wasm ;;
  asan) build_asan ;;
  *) echo "usage: $0 [all|native|wasm|module|asan]" >&2; exit 2 ;;
esac
