// Partial-vector loads and stores for the wasm SIMD128 kernels' channel tails. Only included
// from files wrapped in `#if LITECNN_HAVE_WASMSIMD`.
#pragma once

#include <wasm_simd128.h>

#include <cstddef>

namespace litecnn {
namespace wasmsimd {

// First n (1..3) floats at p into the low lanes, zeros above.
inline v128_t LoadPartial(const float* p, size_t n) {
  if (n == 1) return wasm_v128_load32_zero(p);
  const v128_t lo = wasm_v128_load64_zero(p);
  return n == 2 ? lo : wasm_v128_load32_lane(p + 2, lo, 2);
}

// The low n (1..3) lanes of v to p; nothing past p + n is written.
inline void StorePartial(float* p, v128_t v, size_t n) {
  if (n & 2) {
    wasm_v128_store64_lane(p, v, 0);
    v = wasm_i32x4_shuffle(v, v, 2, 3, 2, 3);
    p += 2;
  }
  if (n & 1) wasm_v128_store32_lane(p, v, 0);
}

}  // namespace wasmsimd
}  // namespace litecnn
