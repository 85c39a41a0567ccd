// wasm SIMD clamp (Relu / Relu6 / Clip), 8 floats per iteration; the 1-3 float tail goes through
// a 4-float stack buffer so it uses the same instructions as the body.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-vunary/f32-vunary-wasmsimd-impl.h"
#include "kernels/f32-vunary/f32-vunary.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_vclamp__wasmsimd(size_t n, const float* x, float* y, float min, float max) {
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  vunary_wasmsimd::Map(n, x, y, [&](v128_t v) { return f32x4_minmax(v, vmin, vmax); });
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
