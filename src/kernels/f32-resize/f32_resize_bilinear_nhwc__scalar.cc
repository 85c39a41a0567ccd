// Reference bilinear resize row over NHWC activations.
#include <cstddef>
#include <cstdint>

#include "kernels/f32-resize/f32-resize.h"

namespace litecnn {

void f32_resize_bilinear_nhwc__scalar(size_t out_w, size_t channels, const float* row0,
                                      const float* row1, float wy, const uint32_t* x_offsets,
                                      const float* x_weights, float* out) {
  for (size_t i = 0; i < out_w; ++i, out += channels) {
    const float* tl = row0 + x_offsets[2 * i];
    const float* tr = row0 + x_offsets[2 * i + 1];
    const float* bl = row1 + x_offsets[2 * i];
    const float* br = row1 + x_offsets[2 * i + 1];
    const float wx = x_weights[i];
    for (size_t c = 0; c < channels; ++c) {
      const float top = tl[c] + (tr[c] - tl[c]) * wx;
      const float bottom = bl[c] + (br[c] - bl[c]) * wx;
      out[c] = top + (bottom - top) * wy;
    }
  }
}

}  // namespace litecnn
