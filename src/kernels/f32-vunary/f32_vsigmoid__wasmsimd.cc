// wasm SIMD logistic sigmoid, 8 floats per iteration; the 1-3 float tail goes through a 4-float
// stack buffer. Error bound: see f32-vunary.h.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vexp-wasmsimd.h"
#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

namespace {
// Only exp(-|x|) in (0, 1] is evaluated, so nothing overflows: f = e / (1 + e) is sigmoid(-|x|),
// and sigmoid(x) = 1 - f for x > 0. f <= 0.5 there, so 1 - f loses no relative accuracy.
inline v128_t Sigmoid(v128_t v) {
  const v128_t z = wasm_v128_or(v, wasm_f32x4_splat(-0.0f));  // -|x|
  const v128_t e = vexp_internal::VExpNonPositive(z);
  const v128_t f = wasm_f32x4_div(e, wasm_f32x4_add(e, wasm_f32x4_splat(1.0f)));
  const v128_t positive = wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f));
  return wasm_v128_bitselect(wasm_f32x4_sub(wasm_f32x4_splat(1.0f), f), f, positive);
}
}  // namespace

void f32_vsigmoid__wasmsimd(size_t n, const float* x, float* y) {
  vunary_wasmsimd::Map(n, x, y, [](v128_t v) { return Sigmoid(v); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
