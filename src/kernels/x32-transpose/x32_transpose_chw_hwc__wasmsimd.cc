// wasm SIMD planar-to-interleaved transpose for RGB images (the input of every image model), 4
// pixels per step: the 12 outputs of 4 RGB pixels are 3 whole vectors. Other channel counts, and
// the last pixels % 4, move one element at a time, as in the reference: a 4x4-block path for
// them measured nothing in the target models and cost download size.
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
  }
  for (; p < pixels; ++p) {
    for (size_t c = 0; c < channels; ++c) out[c] = in[c * in_stride + p];
    out += channels;
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
