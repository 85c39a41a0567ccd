// Reference RGBA-to-float bilinear row kernel.
#include <cstddef>
#include <cstdint>

#include "kernels/u8-rgba-resize/u8-rgba-resize.h"

namespace litecnn {

void u8_rgba_to_f32_bilinear__scalar(size_t n, const uint8_t* row0, const uint8_t* row1, float wy,
                                     const uint32_t* x_offsets, const float* x_weights,
                                     const RgbaToF32Params* params, float* const* y,
                                     size_t y_stride) {
  const float uy = 1.0f - wy;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* tl = row0 + x_offsets[2 * i];
    const uint8_t* tr = row0 + x_offsets[2 * i + 1];
    const uint8_t* bl = row1 + x_offsets[2 * i];
    const uint8_t* br = row1 + x_offsets[2 * i + 1];
    const float wx = x_weights[i];
    const float ux = 1.0f - wx;
    for (size_t c = 0; c < 3; ++c) {
      const float top = static_cast<float>(tl[c]) * ux + static_cast<float>(tr[c]) * wx;
      const float bottom = static_cast<float>(bl[c]) * ux + static_cast<float>(br[c]) * wx;
      const float v = top * uy + bottom * wy;
      y[c][i * y_stride] = v * params->scale[c] + params->offset[c];
    }
  }
}

}  // namespace litecnn
