// Reference average pooling over NHWC activations.
#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {

void f32_avgpool_nhwc__scalar(const PoolGeometry& g, size_t pad_bottom, size_t pad_right,
                              bool count_include_pad, const float* input, float* output) {
  assert(g.stride_h != 0 && g.stride_w != 0 && g.dilation_h != 0 && g.dilation_w != 0);
  const size_t c_count = g.channels;
  // Padded extent: [0, padded_h) x [0, padded_w) in padded coordinates. Window positions past
  // it are ceil_mode overhang and never counted.
  const size_t padded_h = g.pad_top + g.in_h + pad_bottom;
  const size_t padded_w = g.pad_left + g.in_w + pad_right;
  for (size_t b = 0; b < g.batch; ++b) {
    const float* image = input + b * g.in_h * g.in_w * c_count;
    for (size_t oh = 0; oh < g.out_h; ++oh) {
      for (size_t ow = 0; ow < g.out_w; ++ow) {
        float* out = output + ((b * g.out_h + oh) * g.out_w + ow) * c_count;
        std::fill(out, out + c_count, 0.0f);
        size_t in_bounds = 0;      // window positions inside the input
        size_t inside_padded = 0;  // window positions inside input or explicit padding
        for (size_t kh = 0; kh < g.kernel_h; ++kh) {
          const size_t ph = oh * g.stride_h + kh * g.dilation_h;
          for (size_t kw = 0; kw < g.kernel_w; ++kw) {
            const size_t pw = ow * g.stride_w + kw * g.dilation_w;
            if (ph < padded_h && pw < padded_w) ++inside_padded;
            if (ph < g.pad_top || ph - g.pad_top >= g.in_h) continue;
            if (pw < g.pad_left || pw - g.pad_left >= g.in_w) continue;
            ++in_bounds;
            const float* in = image + ((ph - g.pad_top) * g.in_w + (pw - g.pad_left)) * c_count;
            for (size_t c = 0; c < c_count; ++c) {
              out[c] += in[c];
            }
          }
        }
        const size_t divisor = count_include_pad ? inside_padded : in_bounds;
        if (divisor == 0) continue;  // window entirely outside the input: output stays 0
        const float d = static_cast<float>(divisor);
        for (size_t c = 0; c < c_count; ++c) {
          out[c] /= d;
        }
      }
    }
  }
}

}  // namespace litecnn
