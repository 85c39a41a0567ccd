#include <cstddef>

#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {

size_t f32_dwconv_packed_size(size_t channel_tile, size_t kernel_h, size_t kernel_w,
                              size_t channels) {
  const size_t groups = (channels + channel_tile - 1) / channel_tile;
  return groups * channel_tile * (1 + kernel_h * kernel_w);
}

void f32_dwconv_pack_weights(size_t channel_tile, size_t kernel_h, size_t kernel_w, size_t channels,
                             const float* w, const float* bias, float* packed) {
  const size_t taps = kernel_h * kernel_w;
  for (size_t c0 = 0; c0 < channels; c0 += channel_tile) {
    for (size_t j = 0; j < channel_tile; ++j) {
      const size_t c = c0 + j;
      *packed++ = (c < channels && bias != nullptr) ? bias[c] : 0.0f;
    }
    for (size_t t = 0; t < taps; ++t) {
      for (size_t j = 0; j < channel_tile; ++j) {
        const size_t c = c0 + j;
        *packed++ = c < channels ? w[c * taps + t] : 0.0f;
      }
    }
  }
}

}  // namespace litecnn
