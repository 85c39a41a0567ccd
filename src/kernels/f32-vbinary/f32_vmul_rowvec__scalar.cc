// Reference row-vector broadcast over NHWC rows: y[r][c] = a[r][c] * b_vec[c] (squeeze-excitation
// gate).
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {

void f32_vmul_rowvec__scalar(size_t rows, size_t channels, const float* a, const float* b_vec,
                             float* y) {
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < channels; ++c) {
      y[c] = a[c] * b_vec[c];
    }
    a += channels;
    y += channels;
  }
}

}  // namespace litecnn
