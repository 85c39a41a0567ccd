// Which instruction sets this build can compile and run. Kernel lists (*.inc) wrap SIMD entries
// in `#if LITECNN_HAVE_WASMSIMD` so that native builds (tests, sanitizers) list only the scalar
// kernels and the wasm build lists both.
#pragma once

#if defined(__wasm_simd128__)
#define LITECNN_HAVE_WASMSIMD 1
#else
#define LITECNN_HAVE_WASMSIMD 0
#endif
