// wasm SIMD ELU family x > 0 ? beta * x : alpha * expm1(x), 8 floats per iteration; the 1-3
// float tail goes through a 4-float stack buffer. Error bound: see f32-vunary.h.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vexp-wasmsimd.h"
#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_velu__wasmsimd(size_t n, const float* x, float* y, float alpha, float beta) {
  const v128_t valpha = wasm_f32x4_splat(alpha);
  const v128_t vbeta = wasm_f32x4_splat(beta);
  vunary_wasmsimd::Map(n, x, y, [&](v128_t v) {
    // expm1 of min(x, 0): the positive lanes' value is not used, and this keeps them in the
    // range the polynomial is for. NaN lanes take the expm1 side (not > 0) and stay NaN.
    const v128_t e = vexp_internal::VExpm1NonPositive(wasm_f32x4_pmin(v, wasm_f32x4_splat(0.0f)));
    const v128_t positive = wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f));
    return wasm_v128_bitselect(wasm_f32x4_mul(v, vbeta), wasm_f32x4_mul(e, valpha), positive);
  });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
