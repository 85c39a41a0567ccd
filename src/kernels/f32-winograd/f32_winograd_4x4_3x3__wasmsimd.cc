// wasm SIMD Winograd F(4x4, 3x3) transforms: four channels per step, the channel tail one at a
// time through the same body (bit-identical to the scalar kernels).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include "kernels/f32-winograd/f32-winograd-impl.h"
#include "kernels/f32-winograd/f32-winograd.h"
#include "kernels/minmax.h"

namespace litecnn {
namespace winograd {

template <>
struct Lanes<v128_t> {
  static constexpr size_t kWidth = 4;
  static v128_t Load(const float* p) { return wasm_v128_load(p); }
  static void Store(float* p, v128_t v) { wasm_v128_store(p, v); }
  static v128_t Splat(float v) { return wasm_f32x4_splat(v); }
  static v128_t Add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
  static v128_t Sub(v128_t a, v128_t b) { return wasm_f32x4_sub(a, b); }
  static v128_t Mul(v128_t a, float k) { return wasm_f32x4_mul(a, wasm_f32x4_splat(k)); }
  static v128_t MinMax(v128_t v, v128_t vmin, v128_t vmax) { return f32x4_minmax(v, vmin, vmax); }
};

}  // namespace winograd

void f32_winograd_4x4_3x3_input__wasmsimd(size_t channels, const float* const* in, float* v,
                                          size_t v_stride) {
  winograd::Input<v128_t>(channels, in, v, v_stride);
}

void f32_winograd_4x4_3x3_output_minmax__wasmsimd(size_t channels, const float* m, size_t m_stride,
                                                  const float* bias, float* y, size_t y_row_stride,
                                                  size_t y_pixel_stride, size_t rows, size_t cols,
                                                  float min, float max) {
  winograd::Output<v128_t>(channels, m, m_stride, bias, y, y_row_stride, y_pixel_stride, rows, cols,
                           min, max);
}

}  // namespace litecnn
#endif  // LITECNN_HAVE_WASMSIMD
