// Resize (ONNX Resize / Upsample) over NHWC activations: one output row per call. The op builds
// the coordinate tables once at Prepare (ops/resize.cc: source offsets and weights per output
// column, source rows and a weight per output row), so a kernel only gathers channel runs and
// blends them, vectorised over channels (the innermost NHWC axis). Every kernel is listed once
// in f32-resize.inc under its kind; the __scalar kernels are the references the SIMD ones are
// tested against (tests/cpp/kernels_resize_ukernel_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

// Bilinear: writes out_w pixels of `channels` floats. For output pixel i, the left and right
// taps start at row0 + x_offsets[2i] and row0 + x_offsets[2i + 1] (offsets in floats, so
// multiples of channels; likewise in row1), wx = x_weights[i] is the right tap's weight and wy
// row1's:
//   top = row0[l] + (row0[r] - row0[l]) wx,  bottom = row1[l] + (row1[r] - row1[l]) wx,
//   out = top + (bottom - top) wy,
// in that order (SIMD variants compute the same operations, so they are bit-identical).
// Nothing outside out[0, out_w * channels) is written; out must not overlap the rows.
using f32_resize_bilinear_nhwc_ukernel_fn = void (*)(size_t out_w, size_t channels,
                                                     const float* row0, const float* row1, float wy,
                                                     const uint32_t* x_offsets,
                                                     const float* x_weights, float* out);

// Nearest: out pixel i is a copy of the `channels` floats at row + x_offsets[i] (offsets in
// floats). Nothing outside out[0, out_w * channels) is written; out must not overlap row.
using f32_resize_nearest_nhwc_ukernel_fn = void (*)(size_t out_w, size_t channels, const float* row,
                                                    const uint32_t* x_offsets, float* out);

#define LITECNN_RESIZE_BILINEAR_UKERNEL(fn)                                              \
  void fn(size_t out_w, size_t channels, const float* row0, const float* row1, float wy, \
          const uint32_t* x_offsets, const float* x_weights, float* out);
#define LITECNN_RESIZE_NEAREST_UKERNEL(fn) \
  void fn(size_t out_w, size_t channels, const float* row, const uint32_t* x_offsets, float* out);
#include "kernels/f32-resize/f32-resize.inc"
#undef LITECNN_RESIZE_BILINEAR_UKERNEL
#undef LITECNN_RESIZE_NEAREST_UKERNEL

}  // namespace litecnn
