// Channel shuffle on NHWC activations, for 32-bit elements of any type (callers pass floats
// through reinterpret_cast). Within a pixel the channels, viewed as [groups][group_channels],
// are transposed to [group_channels][groups]: that is ShuffleNet's Reshape-Transpose-Reshape
// chain, which on NHWC data is a per-pixel permutation of a contiguous row.
// Inputs and output must not overlap (no in-place); a zero size writes nothing. Every kernel is
// listed once in x32-shuffle.inc under its kind; the *__scalar ones are the references.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

// out[p][j * groups + g] = in[p][g * group_channels + j] for p < pixels, g < groups,
// j < group_channels; in and out dense [pixels][groups * group_channels].
void x32_channel_shuffle__scalar(size_t pixels, size_t groups, size_t group_channels,
                                 const uint32_t* in, uint32_t* out);

// ShuffleNetV2's concat + channel shuffle (groups = 2) in one pass, reading the halves where
// they lie: out[p][2 * j] = a[p * a_stride + j], out[p][2 * j + 1] = b[p * b_stride + j] for
// j < half_channels, row p of out at out + p * out_stride. Strides are in elements and
// >= half_channels (a may be the second half of the previous unit's output: a_stride =
// 2 * half_channels); out_stride >= 2 * half_channels lets the result land in a wider buffer.
void x32_concat2_shuffle__scalar(size_t pixels, size_t half_channels, const uint32_t* a,
                                 size_t a_stride, const uint32_t* b, size_t b_stride, uint32_t* out,
                                 size_t out_stride);

// SIMD variants: groups 2, 3 and 4 (ShuffleNet V1/V2 use 2, 3, 4 and 8) transpose 4 channels of
// every group per step with i32x4 shuffles; other group counts, and the last group_channels % 4
// channels, move one element at a time. Results are bit-identical (pure data movement).
using x32_channel_shuffle_ukernel_fn = void (*)(size_t pixels, size_t groups, size_t group_channels,
                                                const uint32_t* in, uint32_t* out);
using x32_concat2_shuffle_ukernel_fn = void (*)(size_t pixels, size_t half_channels,
                                                const uint32_t* a, size_t a_stride,
                                                const uint32_t* b, size_t b_stride, uint32_t* out,
                                                size_t out_stride);

#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn) \
  void fn(size_t pixels, size_t groups, size_t group_channels, const uint32_t* in, uint32_t* out);
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn)                                        \
  void fn(size_t pixels, size_t half_channels, const uint32_t* a, size_t a_stride, \
          const uint32_t* b, size_t b_stride, uint32_t* out, size_t out_stride);
#include "kernels/x32-shuffle/x32-shuffle.inc"
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL

}  // namespace litecnn
