// Reference softmax along the middle axis of [outer][n][inner]: for each (outer, inner) lane,
// y = exp(x - max) / sum(exp(x - max)).
#include <cmath>
#include <cstddef>

#include "kernels/f32-softmax/f32-softmax.h"

namespace litecnn {

void f32_softmax__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y) {
  if (n == 0) return;  // empty tensor
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      // Lane (o, i): elements at base + j * inner for j < n.
      const size_t base = o * n * inner + i;
      float max_value = x[base];
      for (size_t j = 1; j < n; ++j) {
        const float v = x[base + j * inner];
        if (v > max_value) max_value = v;
      }
      float sum = 0.0f;
      for (size_t j = 0; j < n; ++j) {
        const float e = std::exp(x[base + j * inner] - max_value);  // reads x before y writes
        y[base + j * inner] = e;
        sum += e;
      }
      for (size_t j = 0; j < n; ++j) {
        y[base + j * inner] /= sum;
      }
    }
  }
}

}  // namespace litecnn
