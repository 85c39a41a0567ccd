// Softmax along an axis of length n: the tensor is viewed as [outer][n][inner].
// Numerically stable (subtracts the max). x and y may alias (in place); n == 0 writes nothing.
// Special values, as the reference computes them: a -inf element gives 0 when its lane has a
// finite max; a lane holding NaN or +inf, or only -inf, gives NaN throughout.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_softmax__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);

// Every softmax kernel is listed once in f32-softmax.inc; the SIMD ones keep the contract above.
// f32_softmax__wasmsimd: exp(x - max) by the range-reduced polynomial of f32-vexp-wasmsimd.h
// (within 3.14 ulp of exp over every float in [-87.34, 0], measured), then a multiply by
// 1 / sum instead of a divide (sum >= 1: the max contributes exp(0)). Where x - max < -87.34 the
// exact exp is under FLT_MIN and the kernel gives exactly 0, so its outputs differ from the
// reference's by under FLT_MIN there and by under 1e-5 relative elsewhere (against double
// precision: 4.8e-7 beyond the rounding of x - max that any float softmax has).
using f32_softmax_ukernel_fn = void (*)(size_t outer, size_t n, size_t inner, const float* x,
                                        float* y);

#define LITECNN_SOFTMAX_UKERNEL(fn) \
  void fn(size_t outer, size_t n, size_t inner, const float* x, float* y);
#include "kernels/f32-softmax/f32-softmax.inc"
#undef LITECNN_SOFTMAX_UKERNEL

}  // namespace litecnn
