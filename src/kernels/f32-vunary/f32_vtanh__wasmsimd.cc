// wasm SIMD hyperbolic tangent, 8 floats per iteration; the 1-3 float tail goes through a
// 4-float stack buffer. Error bound: see f32-vunary.h.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vexp-wasmsimd.h"
#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

namespace {
// tanh(|x|) = -e / (2 + e) with e = expm1(-2|x|) in (-1, 0]: no overflow, and near 0, where
// e ~ -2|x|, expm1 keeps the relative accuracy that (1 - exp) / (1 + exp) would cancel away.
// Large |x| and infinities give e = -1, so exactly 1; the sign of x is put back (tanh(-0) = -0).
inline v128_t Tanh(v128_t v) {
  const v128_t sign = wasm_v128_and(v, wasm_f32x4_splat(-0.0f));
  const v128_t z = wasm_f32x4_mul(wasm_v128_or(v, wasm_f32x4_splat(-0.0f)), wasm_f32x4_splat(2.0f));
  const v128_t e = vexp_internal::VExpm1NonPositive(z);
  const v128_t t = wasm_f32x4_div(wasm_f32x4_neg(e), wasm_f32x4_add(e, wasm_f32x4_splat(2.0f)));
  return wasm_v128_or(wasm_f32x4_abs(t), sign);  // abs: -(+0) / 2 is -0
}
}  // namespace

void f32_vtanh__wasmsimd(size_t n, const float* x, float* y) {
  vunary_wasmsimd::Map(n, x, y, [](v128_t v) { return Tanh(v); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
