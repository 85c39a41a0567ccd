// wasm SIMD GEMV: four output rows at a time, four k per step (one f32x4 accumulator per row),
// the k % 4 tail in scalar, then one transposing reduction turns the four accumulators into the
// four outputs. Memory-bound at batch 1: each weight is loaded once.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <algorithm>

#include "kernels/f32-gemv/f32-gemv-minmax.h"

namespace litecnn {

namespace {
// Lane sums of one accumulator.
inline float HorizontalSum(v128_t v) {
  const v128_t pairs = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(wasm_f32x4_add(pairs, wasm_i32x4_shuffle(pairs, pairs, 1, 0, 3, 2)), 0);
}
}  // namespace

void f32_gemv_minmax_ukernel_4x4__wasmsimd(size_t nc, size_t kc, const float* x, const float* w,
                                           const float* bias, float* y, float min, float max) {
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  const size_t k4 = kc & ~size_t{3};
  size_t j = 0;
  for (; j + 4 <= nc; j += 4) {
    const float* w0 = w + j * kc;
    const float* w1 = w0 + kc;
    const float* w2 = w1 + kc;
    const float* w3 = w2 + kc;
    v128_t acc0 = wasm_f32x4_splat(0.f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    for (size_t i = 0; i < k4; i += 4) {
      const v128_t vx = wasm_v128_load(x + i);
      acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(vx, wasm_v128_load(w0 + i)));
      acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(vx, wasm_v128_load(w1 + i)));
      acc2 = wasm_f32x4_add(acc2, wasm_f32x4_mul(vx, wasm_v128_load(w2 + i)));
      acc3 = wasm_f32x4_add(acc3, wasm_f32x4_mul(vx, wasm_v128_load(w3 + i)));
    }
    // [acc0, acc1, acc2, acc3] lane sums, in output order.
    const v128_t t01 = wasm_f32x4_add(wasm_i32x4_shuffle(acc0, acc1, 0, 4, 2, 6),
                                      wasm_i32x4_shuffle(acc0, acc1, 1, 5, 3, 7));
    const v128_t t23 = wasm_f32x4_add(wasm_i32x4_shuffle(acc2, acc3, 0, 4, 2, 6),
                                      wasm_i32x4_shuffle(acc2, acc3, 1, 5, 3, 7));
    v128_t sum = wasm_f32x4_add(wasm_i32x4_shuffle(t01, t23, 0, 1, 4, 5),
                                wasm_i32x4_shuffle(t01, t23, 2, 3, 6, 7));
    if (k4 < kc) {
      float tail[4] = {0.f, 0.f, 0.f, 0.f};
      for (size_t i = k4; i < kc; ++i) {
        tail[0] += x[i] * w0[i];
        tail[1] += x[i] * w1[i];
        tail[2] += x[i] * w2[i];
        tail[3] += x[i] * w3[i];
      }
      sum = wasm_f32x4_add(sum, wasm_v128_load(tail));
    }
    if (bias) sum = wasm_f32x4_add(sum, wasm_v128_load(bias + j));
    wasm_v128_store(y + j, wasm_f32x4_pmin(wasm_f32x4_pmax(sum, vmin), vmax));
  }
  for (; j < nc; ++j) {
    const float* wj = w + j * kc;
    v128_t acc = wasm_f32x4_splat(0.f);
    for (size_t i = 0; i < k4; i += 4) {
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(wj + i)));
    }
    float s = HorizontalSum(acc);
    for (size_t i = k4; i < kc; ++i) s += x[i] * wj[i];
    y[j] = std::min(std::max(s + (bias ? bias[j] : 0.f), min), max);
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
