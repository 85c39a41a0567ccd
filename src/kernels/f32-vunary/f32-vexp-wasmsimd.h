// exp(z) and expm1(z) for z <= 0 on four lanes (internal to the f32-vunary and f32-softmax SIMD
// kernels).
// z = n * ln2 + r with n = round(z / ln2), |r| <= ln2 / 2 (ln2 split hi + lo so n * ln2_hi is
// exact), exp(r) by a degree-5 polynomial fitted at the Chebyshev nodes of [-ln2/2, ln2/2]
// (max relative error 1.7e-7 in exact arithmetic, plus float rounding of the Horner steps),
// times 2^n built in the exponent bits: within 3.14 ulp (2.5e-7 relative) of exp over every
// float z in [kVExpMinInput, 0], measured exhaustively (kernels_softmax_ukernel_test checks a
// dense sweep against 4 ulp; the sigmoid built on it measures 3.3e-7 relative). Lanes below
// kVExpMinInput (where exp(z) is under FLT_MIN), including -inf, give exactly 0; NaN stays NaN.
#pragma once

#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

namespace litecnn {
namespace vexp_internal {

constexpr float kVExpMinInput = -87.33654f;  // ~ln(FLT_MIN): keeps 2^n a normal float

inline v128_t VExpNonPositive(v128_t z) {
  const v128_t min_input = wasm_f32x4_splat(kVExpMinInput);
  const v128_t underflow = wasm_f32x4_lt(z, min_input);
  z = wasm_f32x4_pmax(z, min_input);  // pmax keeps NaN (first operand when unordered)
  const v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(z, wasm_f32x4_splat(1.44269504f)));
  v128_t r = wasm_f32x4_sub(z, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693145751953125f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(1.42860677e-6f)));
  v128_t p = wasm_f32x4_splat(0.008369148708879948f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.041917506605386734f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.16666504740715027f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.49998870491981506f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0000001192092896f));
  // n in [-126, 0]: (n + 127) << 23 is the bit pattern of 2^n. For NaN lanes trunc_sat gives
  // n = 0 (scale 1) and p is already NaN.
  const v128_t scale =
      wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, scale), underflow);
}

// expm1(z) for z <= 0 on four lanes (the ELU and tanh kernels). exp(z) - 1 would lose every
// significant bit near 0, where ELU and tanh live: z = n * ln2 + t as above, then
// expm1(z) = 2^n * expm1(t) + (2^n - 1), with expm1(t) = t + t^2 * q(t) and q a degree-4
// polynomial fitted to the relative error of expm1 on [-ln2/2, ln2/2] (float64 least squares,
// Lawson-reweighted toward minimax, coefficients rounded to float): 1.3e-8 in exact arithmetic.
// With s = 2^n a power of two, s - 1 and t * s are exact, so for n = 0 the result is t plus a
// small correction: small |z| keep full relative accuracy, denormals included. Within 1.08 ulp
// (9.7e-8 relative) of expm1 over every 7th float in [-17.5, 0] (a float32 emulation, no FMA);
// kernels_vunary_ukernel_test measures the kernels built on it. Below kVExpm1MinInput expm1
// rounds to -1 (e^z is under half an ulp of 1): those lanes, -inf included, give exactly -1;
// NaN stays NaN.
constexpr float kVExpm1MinInput = -17.32868f;

inline v128_t VExpm1NonPositive(v128_t z) {
  z = wasm_f32x4_pmax(z, wasm_f32x4_splat(kVExpm1MinInput));  // keeps NaN; n >= -25
  const v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(z, wasm_f32x4_splat(1.44269504f)));
  v128_t t = wasm_f32x4_sub(z, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693145751953125f)));
  t = wasm_f32x4_sub(t, wasm_f32x4_mul(n, wasm_f32x4_splat(1.42860677e-6f)));
  // NaN lanes: trunc_sat gives n = 0, s = 1, and t is NaN.
  const v128_t s =
      wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  v128_t q = wasm_f32x4_splat(0.0013882522471249104f);
  q = wasm_f32x4_add(wasm_f32x4_mul(q, t), wasm_f32x4_splat(0.00836651399731636f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, t), wasm_f32x4_splat(0.04166720062494278f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, t), wasm_f32x4_splat(0.1666654348373413f));
  q = wasm_f32x4_add(wasm_f32x4_mul(q, t), wasm_f32x4_splat(0.4999999701976776f));
  const v128_t ts = wasm_f32x4_mul(t, s);
  // s * (t + t^2 q) = (q * t) * (t * s) + t * s, then + (s - 1).
  const v128_t e = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(q, t), ts), ts);
  return wasm_f32x4_add(e, wasm_f32x4_sub(s, wasm_f32x4_splat(1.0f)));
}

}  // namespace vexp_internal
}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
