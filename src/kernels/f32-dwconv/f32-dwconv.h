// Depthwise convolution microkernels over one NHWC image, for fixed kernel sizes and strides
// (named in the function: f32_dwconv_3x3_s2_minmax__wasmsimd). Each call computes output rows
// [out_y_begin, out_y_end): the op calls per band of rows, which keeps hot loops in short calls
// (V8 tiers up between calls) and lets the threads issue split rows.
//   out[y][x][c] = clamp(bias[c] + sum_{ky,kx} in[y*s - pad_top + ky*d][x*s - pad_left + kx*d][c]
//                        * w[c][ky][kx], min, max)   (out-of-image taps read 0; d: dilation)
// packed_w: from f32_dwconv_pack_weights with the kernel's channel tile CT: for each group of CT
// channels (zero-padded past `channels`), CT biases, then kernel_h*kernel_w taps of CT weights.
// Each kernel is listed once in f32-dwconv-minmax.inc.
#pragma once

#include <cstddef>

namespace litecnn {

struct DwconvGeometry {
  size_t in_h, in_w, channels;
  size_t out_h, out_w;
  size_t pad_top, pad_left;  // bottom/right padding is implied by out_h/out_w
  // Distance between taps, in pixels (both axes). A runtime value rather than a kernel per
  // dilation: it only changes pointer set-up outside the multiply-add loops, and the dilated
  // depthwise convs of segmentation backbones (DeepLab, LRASPP: 5x5 at 2) would otherwise go
  // through im2col + a GEMM per channel, 20x slower.
  size_t dilation = 1;
};

using f32_dwconv_minmax_ukernel_fn = void (*)(const DwconvGeometry& g, const float* input,
                                              const float* packed_w, float* output,
                                              size_t out_y_begin, size_t out_y_end, float min,
                                              float max);

size_t f32_dwconv_packed_size(size_t channel_tile, size_t kernel_h, size_t kernel_w,
                              size_t channels);
// w: [channels][kernel_h][kernel_w] (ONNX depthwise Conv weights [C, 1, kh, kw]); bias or null.
void f32_dwconv_pack_weights(size_t channel_tile, size_t kernel_h, size_t kernel_w, size_t channels,
                             const float* w, const float* bias, float* packed);

#define LITECNN_DWCONV_MINMAX_UKERNEL(fn, kernel_h, kernel_w, stride, channel_tile)          \
  void fn(const DwconvGeometry& g, const float* input, const float* packed_w, float* output, \
          size_t out_y_begin, size_t out_y_end, float min, float max);
#include "kernels/f32-dwconv/f32-dwconv-minmax.inc"
#undef LITECNN_DWCONV_MINMAX_UKERNEL

}  // namespace litecnn
