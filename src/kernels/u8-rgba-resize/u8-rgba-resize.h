// Image preprocessing: one output row of a bilinear resize from RGBA bytes straight to
// normalised float channels. The caller builds the coordinate tables once per geometry
// (runtime/image.cc); the kernel only gathers, interpolates and applies y = v * scale + offset.
// Every kernel is listed once in u8-rgba-resize.inc; the __scalar kernel is the reference the
// SIMD one is tested against.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

// Per source channel (R, G, B): y = v * scale[c] + offset[c], v the interpolated byte value.
struct RgbaToF32Params {
  float scale[3];
  float offset[3];
};

// Writes n pixels of one output row. For pixel i:
//   left/right taps: byte offsets x_offsets[2i], x_offsets[2i + 1] into row0 and row1 (RGBA, so
//   multiples of 4); wx = x_weights[i] is the right tap's weight, wy row1's weight;
//   v = (row0[l] (1 - wx) + row0[r] wx) (1 - wy) + (row1[l] (1 - wx) + row1[r] wx) wy.
// Source channel c (0 = R, 1 = G, 2 = B) of pixel i goes to y[c][i * y_stride]: y_stride is 1 for
// planar (NCHW) output, 3 for interleaved (NHWC); the channel order is the choice of y's pointers.
// Alpha is never read into the result. Nothing outside those n * 3 floats is written.
using u8_rgba_to_f32_bilinear_ukernel_fn = void (*)(
    size_t n, const uint8_t* row0, const uint8_t* row1, float wy, const uint32_t* x_offsets,
    const float* x_weights, const RgbaToF32Params* params, float* const* y, size_t y_stride);

// SIMD variants compute the same products and sums in the same order as the scalar kernel, so
// their results are bit-identical to it.
#define LITECNN_RGBA_BILINEAR_UKERNEL(fn)                                                          \
  void fn(size_t n, const uint8_t* row0, const uint8_t* row1, float wy, const uint32_t* x_offsets, \
          const float* x_weights, const RgbaToF32Params* params, float* const* y,                  \
          size_t y_stride);
#include "kernels/u8-rgba-resize/u8-rgba-resize.inc"
#undef LITECNN_RGBA_BILINEAR_UKERNEL

}  // namespace litecnn
