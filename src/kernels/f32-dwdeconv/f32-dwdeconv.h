// Depthwise transposed convolution ("deconvolution") microkernels over one NHWC image: every
// channel scatters its own window into the output, which these kernels compute as a gather, one
// output pixel at a time (no col2im buffer, each output written once):
//   out[y][x][c] = clamp(bias[c] + sum over taps (ky, kx) with
//                  iy * stride_h + ky * dilation_h == y + pad_top and
//                  ix * stride_w + kx * dilation_w == x + pad_left, (iy, ix) inside the image,
//                  of in[iy][ix][c] * w[c][ky][kx], min, max)
// Taps are summed in increasing (ky, kx) order after the bias in every kernel, so the SIMD and
// scalar kernels give the same sums. The window and strides are runtime values: a transposed
// conv's output pixel reads at most ceil(kh / s) x ceil(kw / s) taps (4 for DCGAN's 4x4 at 2),
// so fixed-window kernels would buy little over one loop per pixel.
// Each call computes output rows [out_y_begin, out_y_end) (the op's threads split rows).
// packed_w: f32_dwconv_pack_weights's layout (kernels/f32-dwconv/f32-dwconv.h) with the
// kernel's channel tile: the weights [C, 1, kh, kw] of a depthwise ONNX ConvTranspose are the
// [channels][kh][kw] of a depthwise Conv.
// Each kernel is listed once in f32-dwdeconv-minmax.inc.
#pragma once

#include <cstddef>

namespace litecnn {

struct DwdeconvGeometry {
  size_t in_h, in_w, channels;
  size_t out_h, out_w;
  size_t kernel_h, kernel_w;
  size_t stride_h, stride_w;
  size_t dilation_h, dilation_w;
  size_t pad_top, pad_left;  // output (y, x) is (y + pad_top, x + pad_left) of the full result
};

using f32_dwdeconv_minmax_ukernel_fn = void (*)(const DwdeconvGeometry& g, const float* input,
                                                const float* packed_w, float* output,
                                                size_t out_y_begin, size_t out_y_end, float min,
                                                float max);

#define LITECNN_DWDECONV_MINMAX_UKERNEL(fn, channel_tile)                                      \
  void fn(const DwdeconvGeometry& g, const float* input, const float* packed_w, float* output, \
          size_t out_y_begin, size_t out_y_end, float min, float max);
#include "kernels/f32-dwdeconv/f32-dwdeconv-minmax.inc"
#undef LITECNN_DWDECONV_MINMAX_UKERNEL

}  // namespace litecnn
