// Elementwise unary activations over n contiguous floats; x and y may alias (y == x, in place).
// n == 0 writes nothing. Every kernel is listed once in f32-vunary.inc under its op kind; the
// *__scalar kernels are the references the SIMD ones are tested against.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_vclamp__scalar(size_t n, const float* x, float* y, float min, float max);  // Relu, Clip
void f32_vhswish__scalar(size_t n, const float* x, float* y);  // x * relu6(x + 3) / 6
void f32_vhsigmoid__scalar(size_t n, const float* x, float* y, float alpha,
                           float beta);                         // max(0, min(1, alpha * x + beta))
void f32_vsigmoid__scalar(size_t n, const float* x, float* y);  // 1 / (1 + exp(-x))
void f32_vlrelu__scalar(size_t n, const float* x, float* y, float alpha);  // x < 0 ? alpha x : x
void f32_velu__scalar(size_t n, const float* x, float* y, float alpha,
                      float beta);                           // x > 0 ? beta x : alpha expm1(x)
void f32_vtanh__scalar(size_t n, const float* x, float* y);  // tanh(x)

// SIMD variants keep the scalar contracts, with these accuracy notes:
// - vclamp, vhsigmoid: bit-identical to the scalar kernels (NaN passes through clamp unchanged).
// - vhswish: computes x * relu6(x + 3) * (1/6); within 2 ulp of the scalar kernel.
// - vsigmoid__wasmsimd: exp(-|x|) by range reduction (x = n ln2 + r, |r| <= ln2/2) and a degree-5
//   polynomial (f32-vexp-wasmsimd.h), then e / (1 + e) mirrored for x > 0. Relative error
//   <= 1e-6 (measured ~3e-7) against the exact sigmoid for x >= -87.3; below that the exact value
//   is under FLT_MIN (1.2e-38) and the kernel returns 0. +-inf give exactly 1 and 0, NaN stays NaN.
// - vlrelu: bit-identical to the scalar kernel (a select on x < 0; -0 and NaN pass unchanged).
// - velu__wasmsimd, vtanh__wasmsimd: expm1 by range reduction and a degree-6 polynomial
//   (f32-vexp-wasmsimd.h), within 1.1 ulp of expm1; measured against double precision in
//   kernels_vunary_ukernel_test: ELU <= 2e-7 relative (plus alpha's rounding), tanh <= 2.5e-7
//   relative, denormals included (they come out unflushed). -inf gives -alpha and -1, +-inf
//   give +-1 for tanh, NaN stays NaN.
using f32_vclamp_ukernel_fn = void (*)(size_t n, const float* x, float* y, float min, float max);
using f32_vhswish_ukernel_fn = void (*)(size_t n, const float* x, float* y);
using f32_vhsigmoid_ukernel_fn = void (*)(size_t n, const float* x, float* y, float alpha,
                                          float beta);
using f32_vsigmoid_ukernel_fn = void (*)(size_t n, const float* x, float* y);
using f32_vlrelu_ukernel_fn = void (*)(size_t n, const float* x, float* y, float alpha);
using f32_velu_ukernel_fn = void (*)(size_t n, const float* x, float* y, float alpha, float beta);
using f32_vtanh_ukernel_fn = void (*)(size_t n, const float* x, float* y);

#define LITECNN_VCLAMP_UKERNEL(fn) \
  void fn(size_t n, const float* x, float* y, float min, float max);
#define LITECNN_VHSWISH_UKERNEL(fn) void fn(size_t n, const float* x, float* y);
#define LITECNN_VHSIGMOID_UKERNEL(fn) \
  void fn(size_t n, const float* x, float* y, float alpha, float beta);
#define LITECNN_VSIGMOID_UKERNEL(fn) void fn(size_t n, const float* x, float* y);
#define LITECNN_VLRELU_UKERNEL(fn) void fn(size_t n, const float* x, float* y, float alpha);
#define LITECNN_VELU_UKERNEL(fn) \
  void fn(size_t n, const float* x, float* y, float alpha, float beta);
#define LITECNN_VTANH_UKERNEL(fn) void fn(size_t n, const float* x, float* y);
#include "kernels/f32-vunary/f32-vunary.inc"
#undef LITECNN_VCLAMP_UKERNEL
#undef LITECNN_VHSWISH_UKERNEL
#undef LITECNN_VHSIGMOID_UKERNEL
#undef LITECNN_VSIGMOID_UKERNEL
#undef LITECNN_VLRELU_UKERNEL
#undef LITECNN_VELU_UKERNEL
#undef LITECNN_VTANH_UKERNEL

}  // namespace litecnn
