// Reference LRN across channels with a running sum of squares per pixel of the plane.
#include <cmath>
#include <cstddef>

#include "kernels/f32-lrn/f32-lrn.h"

namespace litecnn {

void f32_lrn__scalar(size_t outer, size_t channels, size_t inner, size_t size,
                     float alpha_over_size, float beta, float bias, const float* x, float* sum,
                     float* y) {
  const size_t before = (size - 1) / 2, after = size - 1 - before;
  for (size_t o = 0; o < outer; ++o) {
    const float* xo = x + o * channels * inner;
    float* yo = y + o * channels * inner;
    // S before channel 0: the channels [0, after) that channel 0's window reaches.
    for (size_t i = 0; i < inner; ++i) sum[i] = 0.0f;
    for (size_t k = 0; k < after && k < channels; ++k) {
      for (size_t i = 0; i < inner; ++i) sum[i] += xo[k * inner + i] * xo[k * inner + i];
    }
    for (size_t c = 0; c < channels; ++c) {
      // The window of c is [c - before, c + after]: channel c + after enters, c - before - 1
      // leaves.
      const float* in = c + after < channels ? xo + (c + after) * inner : nullptr;
      const float* out = c >= before + 1 ? xo + (c - before - 1) * inner : nullptr;
      const size_t first = c >= before ? c - before : 0;
      const size_t last = c + after < channels ? c + after : channels - 1;
      for (size_t i = 0; i < inner; ++i) {
        float s = sum[i];
        if (in) s = s + in[i] * in[i];
        if (out) s = s - out[i] * out[i];
        if (!std::isfinite(s)) {
          s = 0.0f;
          for (size_t k = first; k <= last; ++k) s += xo[k * inner + i] * xo[k * inner + i];
        }
        sum[i] = s;
        const float base = bias + alpha_over_size * (s < 0.0f ? 0.0f : s);
        yo[c * inner + i] = xo[c * inner + i] / std::pow(base, beta);
      }
    }
  }
}

}  // namespace litecnn
