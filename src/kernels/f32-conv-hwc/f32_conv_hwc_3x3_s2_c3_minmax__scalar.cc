#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc-impl.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/minmax.h"

namespace litecnn {

// Output-channel tile 4: four scalar accumulators per group.
void f32_conv_hwc_3x3_s2_c3_minmax__scalar(const ConvHwcGeometry& g, const float* input,
                                           const float* packed_w, float* output, size_t out_y_begin,
                                           size_t out_y_end, float min, float max) {
  constexpr size_t kH = 3, kW = 3, kS = 2, kC = 3, kOT = 4, kTaps = kH * kW;
  assert(g.in_c == kC);
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[kH];
    conv_hwc_internal::TapRows<kH, kS>(g, input, oy, rows);
    float* out = output + oy * g.out_w * g.out_c;
    for (size_t ox = 0; ox < g.out_w; ++ox) {
      const float* taps[kTaps];
      conv_hwc_internal::TapPointers<kH, kW, kS>(g, rows, ox, taps);
      const float* w = packed_w;
      for (size_t o = 0; o < g.out_c; o += kOT) {
        float acc[kOT];
        for (size_t j = 0; j < kOT; ++j) acc[j] = w[j];
        w += kOT;
        for (size_t t = 0; t < kTaps; ++t) {
          for (size_t i = 0; i < kC; ++i) {
            const float v = taps[t][i];
            for (size_t j = 0; j < kOT; ++j) acc[j] += v * w[j];
            w += kOT;
          }
        }
        const size_t n = std::min(kOT, g.out_c - o);
        for (size_t j = 0; j < n; ++j) out[o + j] = f32_minmax(acc[j], min, max);
      }
      out += g.out_c;
    }
  }
}

}  // namespace litecnn
