// Reference per-channel PRelu over NHWC rows: y[r][c] = a[r][c] < 0 ? a[r][c] * slope[c] : a[r][c].
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {

void f32_vprelu_rowvec__scalar(size_t rows, size_t channels, const float* a, const float* slope,
                               float* y) {
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < channels; ++c) {
      const float v = a[c];
      y[c] = v < 0.0f ? v * slope[c] : v;
    }
    a += channels;
    y += channels;
  }
}

}  // namespace litecnn
