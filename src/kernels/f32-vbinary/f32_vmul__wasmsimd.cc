// wasm SIMD same-shape product, 8 floats per iteration; the 1-3 float tail goes through 4-float
// stack buffers.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {

void f32_vmul__wasmsimd(size_t n, const float* a, const float* b, float* y) {
  for (; n >= 8; n -= 8, a += 8, b += 8, y += 8) {
    const v128_t a0 = wasm_v128_load(a);
    const v128_t a1 = wasm_v128_load(a + 4);
    const v128_t b0 = wasm_v128_load(b);
    const v128_t b1 = wasm_v128_load(b + 4);
    wasm_v128_store(y, wasm_f32x4_mul(a0, b0));
    wasm_v128_store(y + 4, wasm_f32x4_mul(a1, b1));
  }
  if (n >= 4) {
    wasm_v128_store(y, wasm_f32x4_mul(wasm_v128_load(a), wasm_v128_load(b)));
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
    wasm_v128_store(ta, wasm_f32x4_mul(wasm_v128_load(ta), wasm_v128_load(tb)));
    std::memcpy(y, ta, n * sizeof(float));
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
