// wasm SIMD GEMV: one output row at a time, eight k per step in two f32x4 accumulators (two
// independent add chains), then four, then the k % 4 tail in scalar. Memory-bound at batch 1:
// each weight is loaded once, and x (a few KB) stays in L1 across rows. A four-row tile with a
// transposing reduction ran about as fast (MobileNetV2's 1280 -> 1000 classifier: 0.63-0.68 vs
// 0.63-0.69 ms, alternating runs; the packed 1x16 GEMM it replaces: 0.75 ms) with 2.7 KB of code
// instead of 1 KB.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <algorithm>

#include "kernels/f32-gemv/f32-gemv-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_gemv_minmax_ukernel_1x8__wasmsimd(size_t nc, size_t kc, const float* x, const float* w,
                                           const float* bias, float* y, float min, float max) {
  for (size_t j = 0; j < nc; ++j, w += kc) {
    v128_t acc0 = wasm_f32x4_splat(0.f), acc1 = acc0;
    size_t i = 0;
    for (; i + 8 <= kc; i += 8) {
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(w + i)));
      acc1 = wasm_f32x4_add(acc1,
                            wasm_f32x4_mul(wasm_v128_load(x + i + 4), wasm_v128_load(w + i + 4)));
    }
    if (i + 4 <= kc) {
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(w + i)));
      i += 4;
    }
    const v128_t acc = wasm_f32x4_add(acc0, acc1);
    const v128_t pairs = wasm_f32x4_add(acc, wasm_i32x4_shuffle(acc, acc, 2, 3, 0, 1));
    float s = wasm_f32x4_extract_lane(pairs, 0) + wasm_f32x4_extract_lane(pairs, 1);
    for (; i < kc; ++i) s += x[i] * w[i];
    y[j] = f32_minmax(s + (bias ? bias[j] : 0.f), min, max);
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
