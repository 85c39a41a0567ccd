// Two directions of the same layout change, for any 32-bit element type (callers pass floats
// through reinterpret_cast).
//
// Planar to interleaved: a [channels][pixels] block of 32-bit elements (one image of an NCHW
// tensor) written as [pixels][channels] (NHWC). The model's input conversion: a 224x224 RGB image
// is 150k elements that the generic strided copy moved one at a time with stride-3 writes (0.11 ms:
// 4% of ShuffleNet 0.5's time). Inputs and output must not overlap; a zero size writes nothing.
// Every kernel is listed once in x32-transpose.inc under its direction; the *__scalar ones are the
// references.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

// out[p * channels + c] = in[c * in_stride + p] for p < pixels, c < channels; in_stride >=
// pixels (a range of an image's pixels is read with the whole image's plane stride), out dense.
using x32_transpose_chw_hwc_ukernel_fn = void (*)(size_t channels, size_t pixels,
                                                  const uint32_t* in, size_t in_stride,
                                                  uint32_t* out);

// Interleaved to planar, the other way: out[c * out_stride + p] = in[p * channels + c] for
// p < pixels, c < channels; out_stride >= pixels (a range of an image's pixels is written into
// the whole image's planes), in dense. The output conversion of a net whose output is a large
// map in NCHW (a segmentation net's [1, 21, 320, 320] class scores: the generic strided copy took
// 10 ms, 11% of LRASPP's time).
using x32_transpose_hwc_chw_ukernel_fn = void (*)(size_t channels, size_t pixels,
                                                  const uint32_t* in, uint32_t* out,
                                                  size_t out_stride);

#define LITECNN_TRANSPOSE_CHW_HWC_UKERNEL(fn) \
  void fn(size_t channels, size_t pixels, const uint32_t* in, size_t in_stride, uint32_t* out);
#define LITECNN_TRANSPOSE_HWC_CHW_UKERNEL(fn) \
  void fn(size_t channels, size_t pixels, const uint32_t* in, uint32_t* out, size_t out_stride);
#include "kernels/x32-transpose/x32-transpose.inc"
#undef LITECNN_TRANSPOSE_CHW_HWC_UKERNEL
#undef LITECNN_TRANSPOSE_HWC_CHW_UKERNEL

}  // namespace litecnn
