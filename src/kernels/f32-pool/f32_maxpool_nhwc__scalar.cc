// Reference max pooling over NHWC activations.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <limits>

#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {

void f32_maxpool_nhwc__scalar(const PoolGeometry& g, const float* input, float* output) {
  assert(g.stride_h != 0 && g.stride_w != 0 && g.dilation_h != 0 && g.dilation_w != 0);
  const size_t c_count = g.channels;
  for (size_t b = 0; b < g.batch; ++b) {
    const float* image = input + b * g.in_h * g.in_w * c_count;
    for (size_t oh = 0; oh < g.out_h; ++oh) {
      for (size_t ow = 0; ow < g.out_w; ++ow) {
        // The output pixel is the accumulator: start at -inf, fold in every in-bounds position.
        float* out = output + ((b * g.out_h + oh) * g.out_w + ow) * c_count;
        std::fill(out, out + c_count, -std::numeric_limits<float>::infinity());
        for (size_t kh = 0; kh < g.kernel_h; ++kh) {
          const size_t ph = oh * g.stride_h + kh * g.dilation_h;
          if (ph < g.pad_top || ph - g.pad_top >= g.in_h) continue;
          const size_t ih = ph - g.pad_top;
          for (size_t kw = 0; kw < g.kernel_w; ++kw) {
            const size_t pw = ow * g.stride_w + kw * g.dilation_w;
            if (pw < g.pad_left || pw - g.pad_left >= g.in_w) continue;
            const size_t iw = pw - g.pad_left;
            const float* in = image + (ih * g.in_w + iw) * c_count;
            for (size_t c = 0; c < c_count; ++c) {
              out[c] = std::max(out[c], in[c]);
            }
          }
        }
      }
    }
  }
}

}  // namespace litecnn
