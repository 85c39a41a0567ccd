// Reference mean over the middle axis of [outer][n][inner]; y is [outer][inner].
#include <algorithm>
#include <cstddef>

#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

void f32_reduce_mean__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y) {
  const float count = static_cast<float>(n);
  for (size_t o = 0; o < outer; ++o) {
    float* out = y + o * inner;
    std::fill(out, out + inner, 0.0f);
    for (size_t j = 0; j < n; ++j) {
      const float* row = x + (o * n + j) * inner;
      for (size_t i = 0; i < inner; ++i) {
        out[i] += row[i];
      }
    }
    for (size_t i = 0; i < inner; ++i) {
      out[i] /= count;  // n == 0: 0 / 0 = NaN, numpy's mean of nothing
    }
  }
}

}  // namespace litecnn
