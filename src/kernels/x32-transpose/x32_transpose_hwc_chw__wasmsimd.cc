// wasm SIMD interleaved-to-planar transpose: 4x4 blocks of 4 pixels by 4 channels. Pixels go in
// blocks of kBlock, and every channel group reads the block before the next one starts, so the
// input is read from memory once (a whole-image pass per channel group would read it
// channels / 4 times: each pixel's channels share cache lines).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <algorithm>

#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {

void x32_transpose_hwc_chw__wasmsimd(size_t channels, size_t pixels, const uint32_t* in,
                                     uint32_t* out, size_t out_stride) {
  constexpr size_t kBlock = 64;  // 64 pixels of 64 channels: 16 KB, in L1 with room to spare
  for (size_t p0 = 0; p0 < pixels; p0 += kBlock) {
    const size_t p1 = std::min(pixels, p0 + kBlock);
    size_t c = 0;
    for (; c + 4 <= channels; c += 4) {
      uint32_t* o0 = out + c * out_stride;
      uint32_t* o1 = o0 + out_stride;
      uint32_t* o2 = o1 + out_stride;
      uint32_t* o3 = o2 + out_stride;
      const uint32_t* i = in + c;
      size_t p = p0;
      for (; p + 4 <= p1; p += 4) {
        const v128_t a = wasm_v128_load(i + p * channels);  // pixel p, channels c..c+3
        const v128_t b = wasm_v128_load(i + (p + 1) * channels);
        const v128_t d = wasm_v128_load(i + (p + 2) * channels);
        const v128_t e = wasm_v128_load(i + (p + 3) * channels);
        const v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);  // a0 b0 a1 b1
        const v128_t ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);  // a2 b2 a3 b3
        const v128_t de_lo = wasm_i32x4_shuffle(d, e, 0, 4, 1, 5);
        const v128_t de_hi = wasm_i32x4_shuffle(d, e, 2, 6, 3, 7);
        wasm_v128_store(o0 + p, wasm_i32x4_shuffle(ab_lo, de_lo, 0, 1, 4, 5));
        wasm_v128_store(o1 + p, wasm_i32x4_shuffle(ab_lo, de_lo, 2, 3, 6, 7));
        wasm_v128_store(o2 + p, wasm_i32x4_shuffle(ab_hi, de_hi, 0, 1, 4, 5));
        wasm_v128_store(o3 + p, wasm_i32x4_shuffle(ab_hi, de_hi, 2, 3, 6, 7));
      }
      for (; p < p1; ++p) {
        const uint32_t* px = i + p * channels;
        o0[p] = px[0];
        o1[p] = px[1];
        o2[p] = px[2];
        o3[p] = px[3];
      }
    }
    for (; c < channels; ++c) {
      for (size_t p = p0; p < p1; ++p) out[c * out_stride + p] = in[p * channels + c];
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
