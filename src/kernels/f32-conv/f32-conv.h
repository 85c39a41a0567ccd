// Direct convolution over NHWC activations. Reference (scalar) kernels are the test oracle for
// every faster conv kernel (pointwise GEMM, depthwise, im2col) added later.
#pragma once

#include <cstddef>

namespace litecnn {

struct ConvGeometry {
  size_t batch;
  size_t in_h, in_w, in_c;     // input NHWC: [batch][in_h][in_w][in_c]
  size_t out_h, out_w, out_c;  // output NHWC: [batch][out_h][out_w][out_c]
  size_t groups;               // in_c and out_c are multiples of groups
  size_t kernel_h, kernel_w;
  size_t stride_h, stride_w;
  size_t dilation_h, dilation_w;
  size_t pad_top, pad_left;  // bottom/right padding is implied by out_h/out_w
};

// weights: [out_c][kernel_h][kernel_w][in_c / groups] (OHWI), bias: [out_c] or nullptr.
// output = clamp(conv(input, weights) + bias, output_min, output_max). Padding reads as 0.
// stride and dilation >= 1; output must not overlap input or weights.
void f32_conv_nhwc_minmax__scalar(const ConvGeometry& g, const float* input, const float* weights,
                                  const float* bias, float* output, float output_min,
                                  float output_max);

}  // namespace litecnn
