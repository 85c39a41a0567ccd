// Local response normalisation across channels (ONNX LRN): x viewed as [outer][channels][inner]
// (NCHW: outer = N, inner = H*W);
//   y[o][c][i] = x[o][c][i] / (bias + alpha_over_size * S[o][c][i]) ^ beta,
//   S[o][c][i] = sum of x[o][k][i]^2 over k in [c - (size - 1) / 2, c + size / 2] within
//   [0, channels) (size - 1 - (size - 1) / 2 channels after c: an even window reaches further
//   forward, as ONNX's ceil((size - 1) / 2)).
// alpha_over_size is ONNX's alpha / size. S is a running sum over channels, one plane of
// `inner` floats in `sum` (caller's scratch): each channel adds the square of the one entering
// the window and subtracts the one leaving it, so the cost does not grow with size. A sum that
// is not finite (an inf or NaN input entered the window) is recomputed from the window itself,
// so a non-finite input affects only the outputs whose window holds it. The subtraction leaves
// the rounding of channels that have left the window in S (relative to the largest square seen,
// 2^-24 per step): negligible against bias (1 in every model-zoo net), and a sum rounded below
// 0 counts as 0. size >= 1; x, sum and y must not overlap.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_lrn__scalar(size_t outer, size_t channels, size_t inner, size_t size,
                     float alpha_over_size, float beta, float bias, const float* x, float* sum,
                     float* y);

// Every LRN kernel is listed once in f32-lrn.inc; the SIMD ones keep the contract above and
// compute S exactly as the reference does (the same adds in the same order, bit-identical).
// f32_lrn__wasmsimd vectorises over inner (4 pixels of a plane per step); with beta 0.75 (every
// model-zoo LRN: AlexNet, CaffeNet, GoogLeNet, ZFNet), 0.5 or 1 it raises the base by sqrt and
// multiplies, within 2 ulp of the reference's std::pow; other betas take exp(beta * log(base))
// per lane (within 1e-6 relative for bases up to e^8).
using f32_lrn_ukernel_fn = void (*)(size_t outer, size_t channels, size_t inner, size_t size,
                                    float alpha_over_size, float beta, float bias, const float* x,
                                    float* sum, float* y);

#define LITECNN_LRN_UKERNEL(fn)                                                            \
  void fn(size_t outer, size_t channels, size_t inner, size_t size, float alpha_over_size, \
          float beta, float bias, const float* x, float* sum, float* y);
#include "kernels/f32-lrn/f32-lrn.inc"
#undef LITECNN_LRN_UKERNEL

}  // namespace litecnn
