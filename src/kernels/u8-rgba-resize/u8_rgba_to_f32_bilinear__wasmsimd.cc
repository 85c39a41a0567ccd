// wasm SIMD RGBA-to-float bilinear row kernel: 4 output pixels per step, one per lane. Each tap
// is one 32-bit RGBA load per pixel (lane loads: the taps are not contiguous), and a channel is
// a shift and a mask of that word, so R, G and B come out as vectors over 4 pixels and planar
// output is one store per channel. The 1-3 pixel tail loads and stores only its own lanes.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "kernels/u8-rgba-resize/u8-rgba-resize.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {

namespace {

// The RGBA words at row + offsets[0], offsets[2], ... for `count` (1..4) pixels; lanes past
// count are zero. `offsets` points at the left or right tap of the first pixel.
inline v128_t GatherTaps(const uint8_t* row, const uint32_t* offsets, size_t count) {
  v128_t v = wasm_v128_load32_zero(row + offsets[0]);
  if (count > 1) v = wasm_v128_load32_lane(row + offsets[2], v, 1);
  if (count > 2) v = wasm_v128_load32_lane(row + offsets[4], v, 2);
  if (count > 3) v = wasm_v128_load32_lane(row + offsets[6], v, 3);
  return v;
}

// Byte `c` of every 32-bit lane as a float (RGBA in memory is R in the low byte).
inline v128_t Channel(v128_t rgba, int c) {
  return wasm_f32x4_convert_i32x4(
      wasm_v128_and(wasm_u32x4_shr(rgba, 8 * c), wasm_i32x4_splat(0xFF)));
}

// Lane i of v to p[i * stride], for the first `count` lanes.
inline void StoreStrided(float* p, size_t stride, v128_t v, size_t count) {
  wasm_v128_store32_lane(p, v, 0);
  if (count > 1) wasm_v128_store32_lane(p + stride, v, 1);
  if (count > 2) wasm_v128_store32_lane(p + 2 * stride, v, 2);
  if (count > 3) wasm_v128_store32_lane(p + 3 * stride, v, 3);
}

}  // namespace

void u8_rgba_to_f32_bilinear__wasmsimd(size_t n, const uint8_t* row0, const uint8_t* row1, float wy,
                                       const uint32_t* x_offsets, const float* x_weights,
                                       const RgbaToF32Params* params, float* const* y,
                                       size_t y_stride) {
  const v128_t vwy = wasm_f32x4_splat(wy);
  const v128_t vuy = wasm_f32x4_splat(1.0f - wy);
  const v128_t one = wasm_f32x4_splat(1.0f);
  float* out[3] = {y[0], y[1], y[2]};
  for (size_t i = 0; i < n; i += 4) {
    const size_t count = n - i < 4 ? n - i : 4;
    const uint32_t* xo = x_offsets + 2 * i;
    const v128_t tl = GatherTaps(row0, xo, count);
    const v128_t tr = GatherTaps(row0, xo + 1, count);
    const v128_t bl = GatherTaps(row1, xo, count);
    const v128_t br = GatherTaps(row1, xo + 1, count);
    const v128_t wx =
        count == 4 ? wasm_v128_load(x_weights + i) : wasmsimd::LoadPartial(x_weights + i, count);
    const v128_t ux = wasm_f32x4_sub(one, wx);
    for (int c = 0; c < 3; ++c) {
      // Same operations, same order as the scalar kernel: the results are bit-identical.
      const v128_t top =
          wasm_f32x4_add(wasm_f32x4_mul(Channel(tl, c), ux), wasm_f32x4_mul(Channel(tr, c), wx));
      const v128_t bottom =
          wasm_f32x4_add(wasm_f32x4_mul(Channel(bl, c), ux), wasm_f32x4_mul(Channel(br, c), wx));
      const v128_t v = wasm_f32x4_add(wasm_f32x4_mul(top, vuy), wasm_f32x4_mul(bottom, vwy));
      const v128_t result = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_f32x4_splat(params->scale[c])),
                                           wasm_f32x4_splat(params->offset[c]));
      float* dst = out[c] + i * y_stride;
      if (y_stride != 1) {
        StoreStrided(dst, y_stride, result, count);
      } else if (count == 4) {
        wasm_v128_store(dst, result);
      } else {
        wasmsimd::StorePartial(dst, result, count);
      }
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
