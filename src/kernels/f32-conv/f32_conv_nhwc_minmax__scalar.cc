// Reference direct convolution (NHWC activations, OHWI weights). Test oracle: clarity first.
#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-conv/f32-conv.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_conv_nhwc_minmax__scalar(const ConvGeometry& g, const float* input, const float* weights,
                                  const float* bias, float* output, float output_min,
                                  float output_max) {
  assert(g.groups != 0 && g.in_c % g.groups == 0 && g.out_c % g.groups == 0);
  assert(g.stride_h != 0 && g.stride_w != 0 && g.dilation_h != 0 && g.dilation_w != 0);
  const size_t group_in_c = g.in_c / g.groups;
  const size_t group_out_c = g.out_c / g.groups;

  for (size_t b = 0; b < g.batch; ++b) {
    const float* image = input + b * g.in_h * g.in_w * g.in_c;
    for (size_t oh = 0; oh < g.out_h; ++oh) {
      for (size_t ow = 0; ow < g.out_w; ++ow) {
        float* out_pixel = output + ((b * g.out_h + oh) * g.out_w + ow) * g.out_c;
        for (size_t oc = 0; oc < g.out_c; ++oc) {
          const size_t group = oc / group_out_c;
          const float* filter = weights + oc * g.kernel_h * g.kernel_w * group_in_c;
          float acc = bias != nullptr ? bias[oc] : 0.0f;
          for (size_t kh = 0; kh < g.kernel_h; ++kh) {
            // Row in padded coordinates; rows before pad_top or past in_h are padding (zero).
            const size_t ph = oh * g.stride_h + kh * g.dilation_h;
            if (ph < g.pad_top || ph - g.pad_top >= g.in_h) continue;
            const size_t ih = ph - g.pad_top;
            for (size_t kw = 0; kw < g.kernel_w; ++kw) {
              const size_t pw = ow * g.stride_w + kw * g.dilation_w;
              if (pw < g.pad_left || pw - g.pad_left >= g.in_w) continue;
              const size_t iw = pw - g.pad_left;
              const float* in_px = image + (ih * g.in_w + iw) * g.in_c + group * group_in_c;
              const float* w_px = filter + (kh * g.kernel_w + kw) * group_in_c;
              for (size_t ic = 0; ic < group_in_c; ++ic) {
                acc += in_px[ic] * w_px[ic];
              }
            }
          }
          out_pixel[oc] = f32_minmax(acc, output_min, output_max);
        }
      }
    }
  }
}

}  // namespace litecnn
