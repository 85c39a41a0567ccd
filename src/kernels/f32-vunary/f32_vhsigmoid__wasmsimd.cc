// wasm SIMD hard-sigmoid max(0, min(1, alpha * x + beta)), 8 floats per iteration; the 1-3 float
// tail goes through a 4-float stack buffer.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

namespace {
// pmin(1, v) is `v < 1 ? v : 1` = std::min(1, v) and pmax(0, u) = std::max(0, u): the result is
// bit-identical to the scalar reference (no FMA in wasm SIMD128).
inline v128_t HSigmoid(v128_t v, v128_t valpha, v128_t vbeta) {
  const v128_t u = wasm_f32x4_add(wasm_f32x4_mul(v, valpha), vbeta);
  return wasm_f32x4_pmax(wasm_f32x4_splat(0.0f), wasm_f32x4_pmin(wasm_f32x4_splat(1.0f), u));
}
}  // namespace

void f32_vhsigmoid__wasmsimd(size_t n, const float* x, float* y, float alpha, float beta) {
  const v128_t valpha = wasm_f32x4_splat(alpha);
  const v128_t vbeta = wasm_f32x4_splat(beta);
  vunary_wasmsimd::Map(n, x, y, [&](v128_t v) { return HSigmoid(v, valpha, vbeta); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
