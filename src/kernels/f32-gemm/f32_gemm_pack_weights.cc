#include <cstring>

#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace litecnn {

size_t f32_gemm_packed_size(size_t nr, size_t n, size_t k) {
  return (n + nr - 1) / nr * nr * (k + 1);
}

void f32_gemm_pack_weights(size_t nr, size_t n, size_t k, const float* w, const float* bias,
                           float* packed) {
  for (size_t n0 = 0; n0 < n; n0 += nr) {
    for (size_t j = 0; j < nr; ++j) {
      *packed++ = (bias && n0 + j < n) ? bias[n0 + j] : 0.f;
    }
    for (size_t kk = 0; kk < k; ++kk) {
      for (size_t j = 0; j < nr; ++j) {
        *packed++ = n0 + j < n ? w[(n0 + j) * k + kk] : 0.f;
      }
    }
  }
}

}  // namespace litecnn
