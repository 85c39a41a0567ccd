// Winograd F(4x4, 3x3) transforms (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2015; here with the better-conditioned points of f32-winograd-impl.h) for 3x3
// stride-1 convolutions on NHWC activations. A 6x6 input tile d and a
// 3x3 filter g give a 4x4 output tile Y = A^T [(G g G^T) . (B^T d B)] A: the elementwise product
// becomes 36 GEMMs (one per tile position xi, tiles as rows, channels as K), 2.25 multiply-adds
// per output and input channel instead of 9.
//   input:   v[xi * v_stride + c] = (B^T d_c B)[xi] for xi < 36, c < channels, where d_c[i][j] =
//            in[i * 6 + j][c]. in: 36 pointers, each to `channels` floats (an input pixel of the
//            tile, or zeros for padding).
//   output:  y[(i * y_row_stride + j * y_pixel_stride) + c] = clamp((A^T m_c A)[i][j] + bias[c],
//            min, max) for i < rows, j < cols (rows, cols in 1..4), c < channels, where
//            m_c[xi] = m[xi * m_stride + c]. bias: `channels` floats. Nothing else is written.
//   weights: (G g_oi G^T)[xi] from OIHW 3x3 weights, computed in double, written straight into
//            36 GEMM weight blocks `xi_stride` floats apart, each in f32_gemm_pack_weights's
//            layout for NR-column panels of the [out_c][in_c] matrix of point xi, with zero
//            biases (the output transform adds the bias). Packing in place, rather than
//            transforming into a temporary and packing that, halves the memory a model's
//            load touches for these weights (36/9 times the original).
// channels >= 1. Each kernel is listed once in f32-winograd.inc; a kernel and its scalar twin
// apply the same operations in the same order, so they agree bit for bit.
#pragma once

#include <cstddef>

namespace litecnn {

constexpr size_t kWinogradTile = 6;     // input tile side (4 outputs + 2 of the window)
constexpr size_t kWinogradOutTile = 4;  // output tile side
constexpr size_t kWinogradPoints = kWinogradTile * kWinogradTile;

using f32_winograd_input_ukernel_fn = void (*)(size_t channels, const float* const* in, float* v,
                                               size_t v_stride);
using f32_winograd_output_ukernel_fn = void (*)(size_t channels, const float* m, size_t m_stride,
                                                const float* bias, float* y, size_t y_row_stride,
                                                size_t y_pixel_stride, size_t rows, size_t cols,
                                                float min, float max);

void f32_winograd_4x4_3x3_pack_weights(size_t nr, size_t out_c, size_t in_c, const float* w,
                                       float* packed, size_t xi_stride);

#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn) \
  void fn(size_t channels, const float* const* in, float* v, size_t v_stride);
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn)                                                \
  void fn(size_t channels, const float* m, size_t m_stride, const float* bias, float* y,   \
          size_t y_row_stride, size_t y_pixel_stride, size_t rows, size_t cols, float min, \
          float max);
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL

}  // namespace litecnn
