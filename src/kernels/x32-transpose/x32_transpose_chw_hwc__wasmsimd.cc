// wasm SIMD planar-to-interleaved transpose, 4 pixels per step. 3 channels get their own path
// (the input of every image model): the 12 outputs of 4 RGB pixels are 3 whole vectors. Other
// counts transpose 4x4 blocks of (4 channels, 4 pixels); channels past the last multiple of 4,
// and pixels past the last multiple of 4, move one element at a time.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {

void x32_transpose_chw_hwc__wasmsimd(size_t channels, size_t pixels, const uint32_t* in,
                                     size_t in_stride, uint32_t* out) {
  size_t p = 0;
  if (channels == 3) {
    const uint32_t* r = in;
    const uint32_t* g = in + in_stride;
    const uint32_t* b = in + 2 * in_stride;
    for (; p + 4 <= pixels; p += 4) {
      const v128_t vr = wasm_v128_load(r + p), vg = wasm_v128_load(g + p);
      const v128_t vb = wasm_v128_load(b + p);
      const v128_t rg_lo = wasm_i32x4_shuffle(vr, vg, 0, 4, 1, 5);          // r0 g0 r1 g1
      const v128_t rg_hi = wasm_i32x4_shuffle(vr, vg, 2, 6, 3, 7);          // r2 g2 r3 g3
      const v128_t gb = wasm_i32x4_shuffle(rg_lo, vb, 3, 5, 0, 0);          // g1 b1 -  -
      wasm_v128_store(out, wasm_i32x4_shuffle(rg_lo, vb, 0, 1, 4, 2));      // r0 g0 b0 r1
      wasm_v128_store(out + 4, wasm_i32x4_shuffle(gb, rg_hi, 0, 1, 4, 5));  // g1 b1 r2 g2
      wasm_v128_store(out + 8, wasm_i32x4_shuffle(vb, rg_hi, 2, 6, 7, 3));  // b2 r3 g3 b3
      out += 12;
    }
  } else if (channels >= 4) {
    for (; p + 4 <= pixels; p += 4) {
      size_t c = 0;
      for (; c + 4 <= channels; c += 4) {
        const uint32_t* i0 = in + c * in_stride + p;
        const v128_t a = wasm_v128_load(i0), b = wasm_v128_load(i0 + in_stride);
        const v128_t e = wasm_v128_load(i0 + 2 * in_stride);
        const v128_t d = wasm_v128_load(i0 + 3 * in_stride);
        const v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);  // a0 b0 a1 b1
        const v128_t ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);  // a2 b2 a3 b3
        const v128_t ed_lo = wasm_i32x4_shuffle(e, d, 0, 4, 1, 5);
        const v128_t ed_hi = wasm_i32x4_shuffle(e, d, 2, 6, 3, 7);
        wasm_v128_store(out + c, wasm_i32x4_shuffle(ab_lo, ed_lo, 0, 1, 4, 5));
        wasm_v128_store(out + channels + c, wasm_i32x4_shuffle(ab_lo, ed_lo, 2, 3, 6, 7));
        wasm_v128_store(out + 2 * channels + c, wasm_i32x4_shuffle(ab_hi, ed_hi, 0, 1, 4, 5));
        wasm_v128_store(out + 3 * channels + c, wasm_i32x4_shuffle(ab_hi, ed_hi, 2, 3, 6, 7));
      }
      for (; c < channels; ++c) {
        for (size_t j = 0; j < 4; ++j) out[j * channels + c] = in[c * in_stride + p + j];
      }
      out += 4 * channels;
    }
  }
  for (; p < pixels; ++p) {
    for (size_t c = 0; c < channels; ++c) out[c] = in[c * in_stride + p];
    out += channels;
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
