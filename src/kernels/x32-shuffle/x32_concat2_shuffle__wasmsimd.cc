// wasm SIMD concat of two strided halves + 2-group channel shuffle: per pixel, 4 channels of
// each half are interleaved into 8 outputs with two i32x4 shuffles; the last half_channels % 4
// channels move one at a time.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "kernels/x32-shuffle/x32-shuffle.h"

namespace litecnn {

void x32_concat2_shuffle__wasmsimd(size_t pixels, size_t half_channels, const uint32_t* a,
                                   size_t a_stride, const uint32_t* b, size_t b_stride,
                                   uint32_t* out, size_t out_stride) {
  for (size_t p = 0; p < pixels; ++p) {
    size_t j = 0;
    for (; j + 4 <= half_channels; j += 4) {
      const v128_t va = wasm_v128_load(a + j);
      const v128_t vb = wasm_v128_load(b + j);
      wasm_v128_store(out + 2 * j, wasm_i32x4_shuffle(va, vb, 0, 4, 1, 5));
      wasm_v128_store(out + 2 * j + 4, wasm_i32x4_shuffle(va, vb, 2, 6, 3, 7));
    }
    for (; j < half_channels; ++j) {
      out[2 * j] = a[j];
      out[2 * j + 1] = b[j];
    }
    a += a_stride;
    b += b_stride;
    out += out_stride;
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
