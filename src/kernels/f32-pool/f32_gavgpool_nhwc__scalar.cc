// Reference global average pooling: NHWC input -> [batch][channels].
#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {

void f32_gavgpool_nhwc__scalar(size_t batch, size_t hw, size_t channels, const float* input,
                               float* output) {
  assert(hw != 0);
  const float count = static_cast<float>(hw);
  for (size_t b = 0; b < batch; ++b) {
    const float* image = input + b * hw * channels;
    float* out = output + b * channels;
    std::fill(out, out + channels, 0.0f);
    for (size_t p = 0; p < hw; ++p) {
      const float* in = image + p * channels;
      for (size_t c = 0; c < channels; ++c) {
        out[c] += in[c];
      }
    }
    for (size_t c = 0; c < channels; ++c) {
      out[c] /= count;
    }
  }
}

}  // namespace litecnn
