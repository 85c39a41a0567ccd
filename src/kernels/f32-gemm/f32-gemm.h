// Matrix multiply reference: y[i][j] = sum_k a(i,k) * b(k,j) for i<m, j<n, where
// a(i,k) = a[i*a_row_stride + k*a_col_stride] and b(k,j) = b[k*b_row_stride + j*b_col_stride]
// (strides express transposes; 0 and negative strides allowed). y is dense row-major [m][n]
// and must not overlap a or b. k == 0 writes zeros.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_gemm__scalar(size_t m, size_t n, size_t k, const float* a, ptrdiff_t a_row_stride,
                      ptrdiff_t a_col_stride, const float* b, ptrdiff_t b_row_stride,
                      ptrdiff_t b_col_stride, float* y);

}  // namespace litecnn
