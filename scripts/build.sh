#!/usr/bin/env bash
# Incremental builds. Usage: scripts/build.sh [all|native|wasm|module|asan]
#   native  build/       Release: the engine and the GoogleTest binary
#   asan    build-asan/  clang, ASan+UBSan: the GoogleTest binary and the libFuzzer targets
#                        (tests/fuzz; scripts/fuzz.sh runs them)
#   wasm    build-wasm/  the Embind module (litecnn.mjs + .wasm) and the wasm GoogleTest binary
#   module  build-wasm/  only the Embind module (what the JS API and the CLI need)
#   all     native + wasm (default)
# Each build dir is configured only when it has no CMake cache yet; make then rebuilds only
# what is out of date. The Embind module is copied to web/dist/, where web/src loads it.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=$(nproc)

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

build_wasm() {  # $@: cmake --build target options (none: everything)
  # emscripten 3.1.6 links at -O1+ through Debian's acorn, found only via NODE_PATH.
  export NODE_PATH=/usr/share/nodejs
  if [[ ! -f build-wasm/CMakeCache.txt ]]; then
    # emcmake's default emulator passes a Node flag that Node 20 rejects: set it ourselves.
    emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)"
  fi
  cmake --build build-wasm -j"$jobs" "$@"
  mkdir -p web/dist
  for f in litecnn.mjs litecnn.wasm; do
    cmp -s "build-wasm/$f" "web/dist/$f" || cp "build-wasm/$f" "web/dist/$f"
  done
}

case $what in
  all) build_native && build_wasm ;;
  native) build_native ;;
  wasm) build_wasm ;;
  module) build_wasm --target litecnn_wasm ;;
  asan) build_asan ;;
  *) echo "usage: $0 [all|native|wasm|module|asan]" >&2; exit 2 ;;
esac
