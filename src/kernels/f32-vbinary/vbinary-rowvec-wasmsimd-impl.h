// Shared body of the wasm SIMD row-vector broadcast kernels y[r][c] = op(a[r][c], b_vec[c]) over
// NHWC rows (f32_vadd_rowvec__wasmsimd, f32_vmul_rowvec__wasmsimd,
// f32_vprelu_rowvec__wasmsimd). Per row: 8 channels per
// iteration, then 4, then a 1-3 channel tail through 4-float stack buffers. b_vec ([C] <= a few
// KB) stays in L1 across rows, so it is reloaded rather than kept in registers.
#pragma once

#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

namespace litecnn::vbinary_internal {

// Op: v128_t(v128_t, v128_t), e.g. wasm_f32x4_add.
template <v128_t (*Op)(v128_t, v128_t)>
inline void RowvecWasmSimd(size_t rows, size_t channels, const float* a, const float* b_vec,
                           float* y) {
  for (size_t r = 0; r < rows; ++r) {
    const float* b = b_vec;
    size_t c = channels;
    for (; c >= 8; c -= 8, a += 8, b += 8, y += 8) {
      const v128_t a0 = wasm_v128_load(a);
      const v128_t a1 = wasm_v128_load(a + 4);
      const v128_t b0 = wasm_v128_load(b);
      const v128_t b1 = wasm_v128_load(b + 4);
      wasm_v128_store(y, Op(a0, b0));
      wasm_v128_store(y + 4, Op(a1, b1));
    }
    if (c >= 4) {
      wasm_v128_store(y, Op(wasm_v128_load(a), wasm_v128_load(b)));
      c -= 4;
      a += 4;
      b += 4;
      y += 4;
    }
    if (c != 0) {
      float ta[4] = {0, 0, 0, 0};
      float tb[4] = {0, 0, 0, 0};
      std::memcpy(ta, a, c * sizeof(float));
      std::memcpy(tb, b, c * sizeof(float));
      wasm_v128_store(ta, Op(wasm_v128_load(ta), wasm_v128_load(tb)));
      std::memcpy(y, ta, c * sizeof(float));
      a += c;
      y += c;
    }
  }
}

inline v128_t Add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
inline v128_t Mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }
inline v128_t PRelu(v128_t a, v128_t slope) {
  return wasm_v128_bitselect(wasm_f32x4_mul(a, slope), a, wasm_f32x4_lt(a, wasm_f32x4_splat(0.0f)));
}

}  // namespace litecnn::vbinary_internal

#endif  // LITECNN_HAVE_WASMSIMD
