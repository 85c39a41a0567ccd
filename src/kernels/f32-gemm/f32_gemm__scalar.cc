// Reference strided matrix multiply; y is dense row-major [m][n].
#include <cstddef>

#include "kernels/f32-gemm/f32-gemm.h"

namespace litecnn {

void f32_gemm__scalar(size_t m, size_t n, size_t k, const float* a, ptrdiff_t a_row_stride,
                      ptrdiff_t a_col_stride, const float* b, ptrdiff_t b_row_stride,
                      ptrdiff_t b_col_stride, float* y) {
  for (size_t i = 0; i < m; ++i) {
    const float* a_row = a + static_cast<ptrdiff_t>(i) * a_row_stride;
    float* y_row = y + i * n;
    for (size_t j = 0; j < n; ++j) {
      const float* b_col = b + static_cast<ptrdiff_t>(j) * b_col_stride;
      float acc = 0.0f;
      for (size_t p = 0; p < k; ++p) {
        const ptrdiff_t sp = static_cast<ptrdiff_t>(p);
        acc += a_row[sp * a_col_stride] * b_col[sp * b_row_stride];
      }
      y_row[j] = acc;
    }
  }
}

}  // namespace litecnn
