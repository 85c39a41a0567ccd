// wasm SIMD clamp (Relu / Relu6 / Clip), 8 floats per iteration; the 1-3 float tail goes through
// a 4-float stack buffer so it uses the same instructions as the body.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

namespace {
// pmax/pmin are the wasm forms of `a < b ? b : a` / `b < a ? b : a`, so the result is
// bit-identical to the scalar reference, NaN and -0.0 included.
inline v128_t Clamp(v128_t v, v128_t vmin, v128_t vmax) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(v, vmin), vmax);
}
}  // namespace

void f32_vclamp__wasmsimd(size_t n, const float* x, float* y, float min, float max) {
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  vunary_wasmsimd::Map(n, x, y, [&](v128_t v) { return Clamp(v, vmin, vmax); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
