// Reference per-channel affine: x viewed as [outer][channels][inner], y = x * scale[c] + shift[c].
#include <cstddef>

#include "kernels/f32-affine/f32-affine.h"

namespace litecnn {

void f32_channel_affine__scalar(size_t outer, size_t channels, size_t inner, const float* x,
                                const float* scale, const float* shift, float* y) {
  for (size_t o = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c) {
      const size_t base = (o * channels + c) * inner;
      const float s = scale[c];
      const float t = shift[c];
      for (size_t i = 0; i < inner; ++i) {
        y[base + i] = x[base + i] * s + t;
      }
    }
  }
}

}  // namespace litecnn
