// Shared bodies of the depthwise microkernels (included only by f32_dwconv_*.cc).
//
// Design (scalar kernels, and the border pixels of the SIMD ones): for each output pixel, build one
// input pointer per tap (kernel_h * kernel_w of them): a pointer to the input pixel, or to a static
// zero row when the tap falls in the padding. The channel loop then runs the same unrolled
// multiply-add chain for interior and border pixels alike, with no bounds checks inside; this
// matters at 7x7 where half the pixels touch the border. Channels are processed in chunks of
// kDwconvZeroChunk so that the zero row always covers the chunk.
#pragma once

#include <cstddef>

#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {
namespace dwconv_internal {

// Multiple of every channel tile; channels beyond it are processed in several chunks.
constexpr size_t kDwconvZeroChunk = 2048;
alignas(16) inline constexpr float kDwconvZeros[kDwconvZeroChunk + 8] = {};

// rows[ky]: input row for tap row ky of output row oy, or nullptr when it lies in the padding.
template <size_t KH, size_t S>
inline void TapRows(const DwconvGeometry& g, const float* input, size_t oy, const float** rows) {
  const size_t row_stride = g.in_w * g.channels;
  for (size_t ky = 0; ky < KH; ++ky) {
    const size_t py = oy * S + ky * g.dilation;  // padded coordinates
    rows[ky] = (py >= g.pad_top && py - g.pad_top < g.in_h) ? input + (py - g.pad_top) * row_stride
                                                            : nullptr;
  }
}

// taps[ky * KW + kx]: channel c0 of the input pixel under tap (ky, kx) of output column ox, or
// the zero row.
template <size_t KH, size_t KW, size_t S>
inline void TapPointers(const DwconvGeometry& g, const float* const* rows, size_t ox, size_t c0,
                        const float** taps) {
  for (size_t kx = 0; kx < KW; ++kx) {
    const size_t px = ox * S + kx * g.dilation;
    const bool col_ok = px >= g.pad_left && px - g.pad_left < g.in_w;
    const size_t offset = (px - g.pad_left) * g.channels + c0;
    for (size_t ky = 0; ky < KH; ++ky) {
      taps[ky * KW + kx] = (col_ok && rows[ky] != nullptr) ? rows[ky] + offset : kDwconvZeros;
    }
  }
}

}  // namespace dwconv_internal
}  // namespace litecnn
