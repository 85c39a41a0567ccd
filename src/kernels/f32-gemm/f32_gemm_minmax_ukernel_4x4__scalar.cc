// 4x4 GEMM minmax, portable scalar: 16 accumulators, the fallback for builds without SIMD.
#include <algorithm>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_gemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc, const float* a,
                                         size_t a_stride, const float* packed_w, float* c,
                                         size_t c_stride, float min, float max) {
  // Rows past mr alias the last valid row (recomputed, stored identically), as in the SIMD kernels.
  const float* ar[4];
  float* cr[4];
  ar[0] = a;
  cr[0] = c;
  for (size_t i = 1; i < 4; ++i) {
    ar[i] = mr > i ? ar[i - 1] + a_stride : ar[i - 1];
    cr[i] = mr > i ? cr[i - 1] + c_stride : cr[i - 1];
  }
  const float* w = packed_w;
  for (size_t n0 = 0; n0 < nc; n0 += 4) {
    const float* bias = w;
    w += 4;
    float acc[4][4];
    // k in blocks of kGemmKBlock, each summed from zero, then the bias, as in the SIMD kernels
    // (f32-gemm-minmax.h says why).
    for (size_t k0 = 0; k0 < kc; k0 += kGemmKBlock) {
      const size_t k1 = std::min(kc, k0 + kGemmKBlock);
      float part[4][4];
      for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) part[i][j] = 0.f;
      }
      for (size_t k = k0; k < k1; ++k) {
        for (int i = 0; i < 4; ++i) {
          const float va = ar[i][k];
          for (int j = 0; j < 4; ++j) part[i][j] += va * w[j];
        }
        w += 4;
      }
      for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) acc[i][j] = k0 == 0 ? part[i][j] : acc[i][j] + part[i][j];
      }
    }
    const size_t cols = std::min<size_t>(4, nc - n0);
    // Highest row first: aliased rows store the same values, the real row last.
    for (int i = 3; i >= 0; --i) {
      for (size_t j = 0; j < cols; ++j) cr[i][n0 + j] = f32_minmax(acc[i][j] + bias[j], min, max);
    }
  }
}

}  // namespace litecnn
