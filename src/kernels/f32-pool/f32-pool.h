// Pooling over NHWC activations.
#pragma once

#include <cstddef>

namespace litecnn {

struct PoolGeometry {
  size_t batch, channels;
  size_t in_h, in_w;
  size_t out_h, out_w;
  size_t kernel_h, kernel_w;
  size_t stride_h, stride_w;
  size_t dilation_h, dilation_w;  // >= 1; honoured by max and average pooling
  size_t pad_top, pad_left;       // window positions outside [0,in) are padding
};

// Max over the window, ignoring padding; a window entirely in padding yields -inf.
void f32_maxpool_nhwc__scalar(const PoolGeometry& g, const float* input, float* output);

// Mean over the window. count_include_pad: divide by the number of window taps inside the padded
// extent [-pad_top, in_h + pad_bottom) x [-pad_left, in_w + pad_right) (kernel_h*kernel_w unless
// the window hangs past it); else by the number of in-bounds taps. Positions beyond
// pad_bottom/pad_right (ceil_mode overhang) are never counted: pass pad_bottom/pad_right so the
// kernel can tell them apart (PyTorch / onnxruntime semantics). A window with a zero divisor
// (entirely outside the input when excluding padding) yields 0.
void f32_avgpool_nhwc__scalar(const PoolGeometry& g, size_t pad_bottom, size_t pad_right,
                              bool count_include_pad, const float* input, float* output);

// output[b][c] = mean over hw positions of input[b][hw][c]  (input NHWC, output [batch][channels]).
// Requires hw > 0. Summed in blocks of kGavgpoolBlock positions, each block's sum added to the
// total: a float sum's rounding error grows with the number of additions into one accumulator,
// and one accumulator over 32x32 positions gave MobileNetV3's squeeze-excitation gates 3x the
// error of onnxruntime's (which a deep net amplifies layer by layer); blocks make it
// ~(kGavgpoolBlock + hw / kGavgpoolBlock) additions. Every kernel sums in this order.
inline constexpr size_t kGavgpoolBlock = 32;
void f32_gavgpool_nhwc__scalar(size_t batch, size_t hw, size_t channels, const float* input,
                               float* output);

// Every pooling kernel is listed once in f32-pool.inc under its kind; SIMD variants keep the
// scalar contracts above (input and output must not overlap) and vectorise over channels, the
// innermost NHWC axis. Max pooling is bit-identical to the reference (pmax is the wasm form of
// std::max, so NaN handling matches too); the average kernels sum in the reference's order and
// multiply by 1/divisor instead of dividing (within 2 ulp). They take a whole geometry: callers
// split work by passing a geometry cut to some output rows (ops/pool.cc) or batch = 1.
using f32_maxpool_nhwc_ukernel_fn = void (*)(const PoolGeometry& g, const float* input,
                                             float* output);
using f32_avgpool_nhwc_ukernel_fn = void (*)(const PoolGeometry& g, size_t pad_bottom,
                                             size_t pad_right, bool count_include_pad,
                                             const float* input, float* output);
using f32_gavgpool_nhwc_ukernel_fn = void (*)(size_t batch, size_t hw, size_t channels,
                                              const float* input, float* output);

#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn) \
  void fn(const PoolGeometry& g, const float* input, float* output);
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn)                                                      \
  void fn(const PoolGeometry& g, size_t pad_bottom, size_t pad_right, bool count_include_pad, \
          const float* input, float* output);
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn) \
  void fn(size_t batch, size_t hw, size_t channels, const float* input, float* output);
#include "kernels/f32-pool/f32-pool.inc"
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL

}  // namespace litecnn
