// What the f32_dwdeconv kernels share (included only by f32_dwdeconv_*.cc): the taps of one
// output pixel, found once per pixel so that the channel loop is a plain multiply-add chain over
// pointers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/f32-dwdeconv/f32-dwdeconv.h"

namespace litecnn {
namespace dwdeconv_internal {

// Taps per call of the channel loop: a pixel's taps are taken in chunks of this many, each
// chunk continuing from the sums the previous one stored (exact in float: the same additions in
// the same order), so any window fits in fixed stack arrays.
constexpr size_t kMaxTaps = 32;

// The input coordinate tap k reads for output coordinate out (padded position p = out + pad),
// or -1 when no input position lands there: i * stride + k * dilation == p.
inline ptrdiff_t TapSource(size_t p, size_t k, size_t stride, size_t dilation, size_t in) {
  const size_t kd = k * dilation;
  if (kd > p || (p - kd) % stride != 0) return -1;
  const size_t i = (p - kd) / stride;
  return i < in ? static_cast<ptrdiff_t>(i) : -1;
}

// Calls body(ntaps, inputs, weight_taps) for the taps of output pixel (oy, ox) in chunks of at
// most kMaxTaps, in increasing (ky, kx) order: inputs[t] points at channel 0 of the input pixel,
// weight_taps[t] is the tap index ky * kernel_w + kx. body gets first == true for the first
// chunk (also when the pixel has no tap: ntaps == 0) and last == true for the last.
template <class Body>
inline void ForPixelTaps(const DwdeconvGeometry& g, const float* input, size_t oy, size_t ox,
                         Body body) {
  const float* inputs[kMaxTaps];
  size_t taps[kMaxTaps];
  size_t n = 0;
  bool first = true;
  const size_t py = oy + g.pad_top, px = ox + g.pad_left;
  for (size_t ky = 0; ky < g.kernel_h; ++ky) {
    const ptrdiff_t iy = TapSource(py, ky, g.stride_h, g.dilation_h, g.in_h);
    if (iy < 0) continue;
    const float* row = input + static_cast<size_t>(iy) * g.in_w * g.channels;
    for (size_t kx = 0; kx < g.kernel_w; ++kx) {
      const ptrdiff_t ix = TapSource(px, kx, g.stride_w, g.dilation_w, g.in_w);
      if (ix < 0) continue;
      if (n == kMaxTaps) {
        body(n, inputs, taps, first, false);
        first = false;
        n = 0;
      }
      inputs[n] = row + static_cast<size_t>(ix) * g.channels;
      taps[n++] = ky * g.kernel_w + kx;
    }
  }
  body(n, inputs, taps, first, true);
}

}  // namespace dwdeconv_internal
}  // namespace litecnn
