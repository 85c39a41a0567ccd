// Per-channel affine transform (inference BatchNormalization): x viewed as
// [outer][channels][inner]; y = x * scale[c] + shift[c]. Covers NCHW (inner = H*W) and
// NHWC (outer = N*H*W, inner = 1). x and y may alias.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_channel_affine__scalar(size_t outer, size_t channels, size_t inner, const float* x,
                                const float* scale, const float* shift, float* y);

}  // namespace litecnn
