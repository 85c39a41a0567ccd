#include <algorithm>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_gemm_minmax_ukernel_1x4__scalar(size_t mr, size_t nc, size_t kc, const float* a,
                                         size_t a_stride, const float* packed_w, float* c,
                                         size_t c_stride, float min, float max) {
  (void)mr;  // MR is 1
  (void)a_stride;
  (void)c_stride;
  for (size_t n0 = 0; n0 < nc; n0 += 4) {
    const float* bias = packed_w;
    packed_w += 4;
    float acc[4];
    // k in blocks of kGemmKBlock, then the bias, as in every GEMM kernel (f32-gemm-minmax.h).
    for (size_t k0 = 0; k0 < kc; k0 += kGemmKBlock) {
      const size_t k1 = std::min(kc, k0 + kGemmKBlock);
      float part[4];
      for (int j = 0; j < 4; ++j) part[j] = 0.f;
      for (size_t k = k0; k < k1; ++k) {
        const float va = a[k];
        for (int j = 0; j < 4; ++j) part[j] += va * packed_w[j];
        packed_w += 4;
      }
      for (int j = 0; j < 4; ++j) acc[j] = k0 == 0 ? part[j] : acc[j] + part[j];
    }
    const size_t cols = std::min<size_t>(4, nc - n0);
    for (size_t j = 0; j < cols; ++j) c[n0 + j] = f32_minmax(acc[j] + bias[j], min, max);
  }
}

}  // namespace litecnn
