#!/usr/bin/env bash
# Makes sure this Debian 12 machine has what litecnn's build, tests and model generation need,
# then installs the npm dependencies. Fast (~0.1 s) when everything is already there.
#   As root: installs missing Debian packages with apt-get.
#   Otherwise: prints the apt-get command to run and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, by purpose:
#   native + wasm build:  cmake make g++ googletest emscripten (3.1.6, with its prebuilt libc)
#   format check:         clang-format
#   ASan+UBSan, fuzzing:  clang libclang-rt-14-dev (libFuzzer and the sanitizer runtimes)
#   model generation:     python3-torch python3-torchvision python3-onnx (models/prepare.mjs)
#   tests:                libonnx-testdata (ONNX node tests), chromium (tests/browser/, driven by
#                         playwright-core, which never downloads a browser)
# (The test photos from python3-skimage are committed in models/images/, so it is not needed.)
packages=(cmake make g++ googletest emscripten clang-format clang libclang-rt-14-dev python3-torch
  python3-torchvision python3-onnx libonnx-testdata chromium)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node and npm are checked as commands: Node 20 usually comes from NodeSource or a tarball,
# and Debian's own nodejs package (18) must not replace it.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "litecnn setup: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "litecnn setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # Recommends would add ~1 GB (libtorch-dev, ffmpeg via python3-av, dask) that nothing here uses.
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 18)); then
  echo "litecnn setup: Node $(node --version) is too old; litecnn needs Node >= 18 (20 is tested)" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "litecnn setup: npm ci"
  npm ci --no-audit --no-fund
fi
