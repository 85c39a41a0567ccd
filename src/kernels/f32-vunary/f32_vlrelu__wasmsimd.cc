// wasm SIMD leaky ReLU, 8 floats per iteration; the 1-3 float tail goes through a 4-float stack
// buffer. A select on the sign, not max(x, alpha * x): that would be wrong for alpha > 1 and
// does not keep -0 and NaN as the reference does; the select is bit-identical to it.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vlrelu__wasmsimd(size_t n, const float* x, float* y, float alpha) {
  const v128_t valpha = wasm_f32x4_splat(alpha);
  vunary_wasmsimd::Map(n, x, y, [&](v128_t v) {
    const v128_t negative = wasm_f32x4_lt(v, wasm_f32x4_splat(0.0f));
    return wasm_v128_bitselect(wasm_f32x4_mul(v, valpha), v, negative);
  });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
