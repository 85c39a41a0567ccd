// wasm SIMD same-shape sum with fused clamp, 8 floats per iteration; the 1-3 float tail goes
// through 4-float stack buffers so it uses the same instructions as the body.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/minmax.h"

namespace litecnn {

namespace {
// Bit-identical to the reference: both clamp with kernels/minmax.h.
inline v128_t AddClamp(v128_t a, v128_t b, v128_t vmin, v128_t vmax) {
  return f32x4_minmax(wasm_f32x4_add(a, b), vmin, vmax);
}
}  // namespace

void f32_vadd_minmax__wasmsimd(size_t n, const float* a, const float* b, float* y, float min,
                               float max) {
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  for (; n >= 8; n -= 8, a += 8, b += 8, y += 8) {
    const v128_t a0 = wasm_v128_load(a);
    const v128_t a1 = wasm_v128_load(a + 4);
    const v128_t b0 = wasm_v128_load(b);
    const v128_t b1 = wasm_v128_load(b + 4);
    wasm_v128_store(y, AddClamp(a0, b0, vmin, vmax));
    wasm_v128_store(y + 4, AddClamp(a1, b1, vmin, vmax));
  }
  if (n >= 4) {
    wasm_v128_store(y, AddClamp(wasm_v128_load(a), wasm_v128_load(b), vmin, vmax));
    n -= 4;
    a += 4;
    b += 4;
    y += 4;
  }
  if (n != 0) {
    float ta[4] = {0, 0, 0, 0};
    float tb[4] = {0, 0, 0, 0};
    std::memcpy(ta, a, n * sizeof(float));
    std::memcpy(tb, b, n * sizeof(float));
    wasm_v128_store(ta, AddClamp(wasm_v128_load(ta), wasm_v128_load(tb), vmin, vmax));
    std::memcpy(y, ta, n * sizeof(float));
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
