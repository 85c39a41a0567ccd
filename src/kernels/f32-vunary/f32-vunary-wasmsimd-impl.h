// Shared loop of the wasm SIMD128 elementwise unary kernels: y[i] = op(x[i]) over n floats, 8 at
// a time, then 4, then the last 1-3 through a stack vector (nothing past y + n is written, and
// nothing past x + n is read). Only included from files wrapped in `#if LITECNN_HAVE_WASMSIMD`.
#pragma once

#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

namespace litecnn {
namespace vunary_wasmsimd {

template <typename Op>
inline __attribute__((always_inline)) void Map(size_t n, const float* x, float* y, const Op& op) {
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    const v128_t v0 = wasm_v128_load(x);
    const v128_t v1 = wasm_v128_load(x + 4);
    wasm_v128_store(y, op(v0));
    wasm_v128_store(y + 4, op(v1));
  }
  if (n >= 4) {
    wasm_v128_store(y, op(wasm_v128_load(x)));
    n -= 4;
    x += 4;
    y += 4;
  }
  if (n != 0) {
    float tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, x, n * sizeof(float));
    wasm_v128_store(tail, op(wasm_v128_load(tail)));
    std::memcpy(y, tail, n * sizeof(float));
  }
}

}  // namespace vunary_wasmsimd
}  // namespace litecnn
