// Window addressing for the f32_conv_hwc_* kernels (included only by their .cc files): TapRows
// (every kernel) gives an output row's input rows, null in the padding; TapPointers (the scalar
// kernel) gives each output pixel one pointer per window tap to the input pixel's in_c channels,
// or to a zero pixel when the tap falls in the padding, so one multiply-add chain serves
// interior and border pixels alike.
#pragma once

#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc.h"

namespace litecnn {
namespace conv_hwc_internal {

constexpr size_t kMaxInC = 8;
alignas(16) inline constexpr float kZeroPixel[kMaxInC] = {};

template <size_t KH, size_t S>
inline void TapRows(const ConvHwcGeometry& g, const float* input, size_t oy, const float** rows) {
  for (size_t ky = 0; ky < KH; ++ky) {
    const size_t py = oy * S + ky;  // padded coordinates
    rows[ky] = (py >= g.pad_top && py - g.pad_top < g.in_h)
                   ? input + (py - g.pad_top) * g.in_w * g.in_c
                   : nullptr;
  }
}

template <size_t KH, size_t KW, size_t S>
inline void TapPointers(const ConvHwcGeometry& g, const float* const* rows, size_t ox,
                        const float** taps) {
  for (size_t kx = 0; kx < KW; ++kx) {
    const size_t px = ox * S + kx;
    const bool col_ok = px >= g.pad_left && px - g.pad_left < g.in_w;
    const size_t offset = (px - g.pad_left) * g.in_c;
    for (size_t ky = 0; ky < KH; ++ky) {
      taps[ky * KW + kx] = (col_ok && rows[ky] != nullptr) ? rows[ky] + offset : kZeroPixel;
    }
  }
}

}  // namespace conv_hwc_internal
}  // namespace litecnn
