// wasm SIMD clamp (Relu / Relu6 / Clip), 8 floats per iteration; the 1-3 float tail goes through
// a 4-float stack buffer so it uses the same instructions as the body.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

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
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    const v128_t v0 = wasm_v128_load(x);
    const v128_t v1 = wasm_v128_load(x + 4);
    wasm_v128_store(y, Clamp(v0, vmin, vmax));
    wasm_v128_store(y + 4, Clamp(v1, vmin, vmax));
  }
  if (n >= 4) {
    wasm_v128_store(y, Clamp(wasm_v128_load(x), vmin, vmax));
    n -= 4;
    x += 4;
    y += 4;
  }
  if (n != 0) {
    float tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, x, n * sizeof(float));
    wasm_v128_store(tail, Clamp(wasm_v128_load(tail), vmin, vmax));
    std::memcpy(y, tail, n * sizeof(float));
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
