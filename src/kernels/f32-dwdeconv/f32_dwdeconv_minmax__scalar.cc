#include <algorithm>

#include "kernels/f32-dwdeconv/f32-dwdeconv-impl.h"
#include "kernels/f32-dwdeconv/f32-dwdeconv.h"
#include "kernels/minmax.h"

namespace litecnn {

// Channel tile 1: per channel, its bias then its kernel_h * kernel_w weights.
void f32_dwdeconv_minmax__scalar(const DwdeconvGeometry& g, const float* input,
                                 const float* packed_w, float* output, size_t out_y_begin,
                                 size_t out_y_end, float min, float max) {
  const size_t channels = g.channels, per_channel = g.kernel_h * g.kernel_w + 1;
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    float* out = output + oy * g.out_w * channels;
    for (size_t ox = 0; ox < g.out_w; ++ox, out += channels) {
      dwdeconv_internal::ForPixelTaps(
          g, input, oy, ox,
          [&](size_t n, const float* const* in, const size_t* taps, bool first, bool last) {
            const float* w = packed_w;
            for (size_t c = 0; c < channels; ++c, w += per_channel) {
              float acc = first ? w[0] : out[c];
              for (size_t t = 0; t < n; ++t) acc += in[t][c] * w[1 + taps[t]];
              out[c] = last ? f32_minmax(acc, min, max) : acc;
            }
          });
    }
  }
}

}  // namespace litecnn
