// 4x4 GEMM minmax, portable scalar: 16 accumulators, the fallback for builds without SIMD.
#include <algorithm>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_gemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc, const float* a,
                                         size_t a_stride, const float* packed_w, float* c,
                                         size_t c_stride, float min, float max) {
  // Rows past mr alias the last valid row (recomputed, stored identically), as in the SIMD kernels.
  const float* a0 = a;
  float* c0 = c;
  const float* a1 = mr > 1 ? a0 + a_stride : a0;
  float* c1 = mr > 1 ? c0 + c_stride : c0;
  const float* a2 = mr > 2 ? a1 + a_stride : a1;
  float* c2 = mr > 2 ? c1 + c_stride : c1;
  const float* a3 = mr > 3 ? a2 + a_stride : a2;
  float* c3 = mr > 3 ? c2 + c_stride : c2;
  const float* w = packed_w;
  for (size_t n0 = 0; n0 < nc; n0 += 4) {
    float acc0[4], acc1[4], acc2[4], acc3[4];
    for (int j = 0; j < 4; ++j) acc0[j] = acc1[j] = acc2[j] = acc3[j] = w[j];
    w += 4;
    for (size_t k = 0; k < kc; ++k) {
      const float va0 = a0[k], va1 = a1[k], va2 = a2[k], va3 = a3[k];
      for (int j = 0; j < 4; ++j) {
        acc0[j] += va0 * w[j];
        acc1[j] += va1 * w[j];
        acc2[j] += va2 * w[j];
        acc3[j] += va3 * w[j];
      }
      w += 4;
    }
    const size_t cols = std::min<size_t>(4, nc - n0);
    for (size_t j = 0; j < cols; ++j) {
      c3[n0 + j] = f32_minmax(acc3[j], min, max);
      c2[n0 + j] = f32_minmax(acc2[j], min, max);
      c1[n0 + j] = f32_minmax(acc1[j], min, max);
      c0[n0 + j] = f32_minmax(acc0[j], min, max);
    }
  }
}

}  // namespace litecnn
