// Scalar depthwise body shared by the f32_dwconv_*__scalar kernels (channel tile 1: per channel,
// one bias then KH*KW weights).
#pragma once

#include <algorithm>
#include <cstddef>

#include "kernels/f32-dwconv/f32-dwconv-impl.h"
#include "kernels/minmax.h"

namespace litecnn {
namespace dwconv_internal {

template <size_t KH, size_t KW, size_t S>
void DwconvScalar(const DwconvGeometry& g, const float* input, const float* packed_w, float* output,
                  size_t out_y_begin, size_t out_y_end, float min, float max) {
  constexpr size_t kTaps = KH * KW;
  const size_t channels = g.channels;
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[KH];
    TapRows<KH, S>(g, input, oy, rows);
    float* out = output + oy * g.out_w * channels;
    for (size_t ox = 0; ox < g.out_w; ++ox) {
      for (size_t c0 = 0; c0 < channels; c0 += kDwconvZeroChunk) {
        const size_t cn = std::min(kDwconvZeroChunk, channels - c0);
        const float* taps[kTaps];
        TapPointers<KH, KW, S>(g, rows, ox, c0, taps);
        const float* w = packed_w + c0 * (kTaps + 1);
        for (size_t c = 0; c < cn; ++c) {
          float acc = w[0];
          for (size_t t = 0; t < kTaps; ++t) acc += taps[t][c] * w[1 + t];
          w += kTaps + 1;
          out[c0 + c] = f32_minmax(acc, min, max);
        }
      }
      out += channels;
    }
  }
}

}  // namespace dwconv_internal
}  // namespace litecnn
