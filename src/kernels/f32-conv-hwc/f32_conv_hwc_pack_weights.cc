#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc.h"

namespace litecnn {

size_t f32_conv_hwc_packed_size(size_t oc_tile, size_t kernel_h, size_t kernel_w, size_t in_c,
                                size_t out_c) {
  const size_t groups = (out_c + oc_tile - 1) / oc_tile;
  return groups * oc_tile * (1 + kernel_h * kernel_w * in_c);
}

void f32_conv_hwc_pack_weights(size_t oc_tile, size_t kernel_h, size_t kernel_w, size_t in_c,
                               size_t out_c, const float* w, const float* bias, float* packed) {
  for (size_t o0 = 0; o0 < out_c; o0 += oc_tile) {
    for (size_t j = 0; j < oc_tile; ++j) {
      const size_t o = o0 + j;
      *packed++ = (o < out_c && bias != nullptr) ? bias[o] : 0.0f;
    }
    for (size_t ky = 0; ky < kernel_h; ++ky) {
      for (size_t kx = 0; kx < kernel_w; ++kx) {
        for (size_t i = 0; i < in_c; ++i) {
          for (size_t j = 0; j < oc_tile; ++j) {
            const size_t o = o0 + j;
            *packed++ = o < out_c ? w[((o * in_c + i) * kernel_h + ky) * kernel_w + kx] : 0.0f;
          }
        }
      }
    }
  }
}

}  // namespace litecnn
