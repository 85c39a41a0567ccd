// wasm SIMD row-vector broadcast y[r][c] = a[r][c] * b_vec[c] over NHWC rows. Per row: 8
// channels per iteration, then 4, then a 1-3 channel tail through 4-float stack buffers. b_vec
// ([C] <= a few KB) stays in L1 across rows, so it is reloaded rather than kept in registers.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {

void f32_vmul_rowvec__wasmsimd(size_t rows, size_t channels, const float* a, const float* b_vec,
                               float* y) {
  for (size_t r = 0; r < rows; ++r) {
    const float* b = b_vec;
    size_t c = channels;
    for (; c >= 8; c -= 8, a += 8, b += 8, y += 8) {
      const v128_t a0 = wasm_v128_load(a);
      const v128_t a1 = wasm_v128_load(a + 4);
      const v128_t b0 = wasm_v128_load(b);
      const v128_t b1 = wasm_v128_load(b + 4);
      wasm_v128_store(y, wasm_f32x4_mul(a0, b0));
      wasm_v128_store(y + 4, wasm_f32x4_mul(a1, b1));
    }
    if (c >= 4) {
      wasm_v128_store(y, wasm_f32x4_mul(wasm_v128_load(a), wasm_v128_load(b)));
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
      wasm_v128_store(ta, wasm_f32x4_mul(wasm_v128_load(ta), wasm_v128_load(tb)));
      std::memcpy(y, ta, c * sizeof(float));
      a += c;
      y += c;
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
