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
    for (size_t c = 0; c < channels; ++c) {
      float total = 0.0f;
      for (size_t p0 = 0; p0 < hw; p0 += kGavgpoolBlock) {
        const size_t p1 = std::min(hw, p0 + kGavgpoolBlock);
        float block = 0.0f;
        for (size_t p = p0; p < p1; ++p) block += image[p * channels + c];
        total += block;
      }
      out[c] = total / count;
    }
  }
}

}  // namespace litecnn
