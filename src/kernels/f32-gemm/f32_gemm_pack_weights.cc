#include <algorithm>
#include <cstring>

#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace litecnn {

size_t f32_gemm_packed_size(size_t nr, size_t n, size_t k) {
  return (n + nr - 1) / nr * nr * (k + 1);
}

void f32_gemm_pack_weights(size_t nr, size_t n, size_t k, const float* w, const float* bias,
                           float* packed) {
  // Each weight row is read once, front to back, and scattered into its panel column: a
  // branch-free inner loop. Packing runs once per model load, mostly before V8 has tiered the
  // code up, so its loops are kept simple (MobileNetV2's 3.5M weights).
  const size_t panel = nr * (k + 1);
  for (size_t n0 = 0; n0 < n; n0 += nr, packed += panel) {
    const size_t cols = std::min(nr, n - n0);
    if (cols < nr) std::fill(packed, packed + panel, 0.f);
    for (size_t j = 0; j < cols; ++j) packed[j] = bias ? bias[n0 + j] : 0.f;
    for (size_t j = 0; j < cols; ++j) {
      const float* src = w + (n0 + j) * k;
      float* dst = packed + nr + j;
      for (size_t kk = 0; kk < k; ++kk) dst[kk * nr] = src[kk];
    }
  }
}

}  // namespace litecnn
