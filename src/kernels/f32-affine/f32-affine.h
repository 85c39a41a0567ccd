// Per-channel affine transform (inference BatchNormalization): x viewed as
// [outer][channels][inner]; y = x * scale[c] + shift[c]. Covers NCHW (inner = H*W) and
// NHWC (outer = N*H*W, inner = 1). x and y may alias.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_channel_affine__scalar(size_t outer, size_t channels, size_t inner, const float* x,
                                const float* scale, const float* shift, float* y);

// Every channel-affine kernel is listed once in f32-affine.inc. The SIMD ones keep the contract
// above and are bit-identical to the reference: one multiply then one add per element (wasm
// SIMD128 has no fused multiply-add), NaN and infinities included.
using f32_channel_affine_ukernel_fn = void (*)(size_t outer, size_t channels, size_t inner,
                                               const float* x, const float* scale,
                                               const float* shift, float* y);

#define LITECNN_CHANNEL_AFFINE_UKERNEL(fn)                                                 \
  void fn(size_t outer, size_t channels, size_t inner, const float* x, const float* scale, \
          const float* shift, float* y);
#include "kernels/f32-affine/f32-affine.inc"
#undef LITECNN_CHANNEL_AFFINE_UKERNEL

}  // namespace litecnn
