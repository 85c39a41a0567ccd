// wasm SIMD hard-swish x * relu6(x + 3) / 6, 8 floats per iteration; the 1-3 float tail goes
// through a 4-float stack buffer.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

namespace {
// x + 3 first (exact near x = -3, where x / 6 + 0.5 would cancel), then a multiply by 1/6
// instead of the reference's divide: within 2 ulp of it.
inline v128_t HSwish(v128_t v) {
  v128_t r = wasm_f32x4_add(v, wasm_f32x4_splat(3.0f));
  r = wasm_f32x4_pmin(wasm_f32x4_pmax(r, wasm_f32x4_splat(0.0f)), wasm_f32x4_splat(6.0f));
  return wasm_f32x4_mul(wasm_f32x4_mul(v, r), wasm_f32x4_splat(1.0f / 6.0f));
}
}  // namespace

void f32_vhswish__wasmsimd(size_t n, const float* x, float* y) {
  vunary_wasmsimd::Map(n, x, y, [](v128_t v) { return HSwish(v); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
