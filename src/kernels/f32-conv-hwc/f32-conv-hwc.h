// Dense convolution with few input channels over one NHWC image: the image-facing first conv of
// MobileNet-style nets (3x3 or 5x5, stride 2, 3 input channels, 16..96 outputs), for fixed
// window, stride and input channels, named in the function with the SIMD kernels' tile
// (f32_conv_hwc_3x3_s2_c3_minmax_8x4__wasmsimd: 8 output channels x 4 pixels).
// Each call computes output rows [out_y_begin, out_y_end) (the op calls per band of rows):
//   out[y][x][o] = clamp(bias[o] + sum_{ky,kx,i} in[y*s - pad_top + ky][x*s - pad_left + kx][i]
//                        * w[o][i][ky][kx], min, max)   (out-of-image taps read 0)
// Input [in_h][in_w][in_c], output [out_h][out_w][out_c], both dense; any out_c >= 1, any
// pad_top/pad_left (bottom/right padding is implied by out_h/out_w).
// packed_w: from f32_conv_hwc_pack_weights with the kernel's output-channel tile OT: for each
// group of OT output channels (zero-padded past out_c), OT biases, then for each (ky, kx, i) in
// that order, OT weights.
// Each kernel is listed once in f32-conv-hwc-minmax.inc.
#pragma once

#include <cstddef>

namespace litecnn {

struct ConvHwcGeometry {
  size_t in_h, in_w, in_c;  // in_c must equal the kernel's
  size_t out_h, out_w, out_c;
  size_t pad_top, pad_left;  // bottom/right padding is implied by out_h/out_w
};

using f32_conv_hwc_minmax_ukernel_fn = void (*)(const ConvHwcGeometry& g, const float* input,
                                                const float* packed_w, float* output,
                                                size_t out_y_begin, size_t out_y_end, float min,
                                                float max);

size_t f32_conv_hwc_packed_size(size_t oc_tile, size_t kernel_h, size_t kernel_w, size_t in_c,
                                size_t out_c);
// w: [out_c][in_c][kernel_h][kernel_w] (ONNX Conv weights, OIHW); bias: [out_c] or null.
void f32_conv_hwc_pack_weights(size_t oc_tile, size_t kernel_h, size_t kernel_w, size_t in_c,
                               size_t out_c, const float* w, const float* bias, float* packed);

#define LITECNN_CONV_HWC_MINMAX_UKERNEL(fn, kernel_h, kernel_w, stride, in_c, oc_tile)        \
  void fn(const ConvHwcGeometry& g, const float* input, const float* packed_w, float* output, \
          size_t out_y_begin, size_t out_y_end, float min, float max);
#include "kernels/f32-conv-hwc/f32-conv-hwc-minmax.inc"
#undef LITECNN_CONV_HWC_MINMAX_UKERNEL

}  // namespace litecnn
