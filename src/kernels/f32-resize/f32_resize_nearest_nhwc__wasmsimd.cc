// wasm SIMD nearest-neighbour resize row over NHWC activations: each output pixel's channel run
// is copied 8 then 4 floats at a time; a 1-3 channel tail is one more 4-float copy ending at
// the last channel when there are 4 or more channels, else a partial load and store.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "kernels/f32-resize/f32-resize.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {

void f32_resize_nearest_nhwc__wasmsimd(size_t out_w, size_t channels, const float* row,
                                       const uint32_t* x_offsets, float* out) {
  if (channels == 1) {  // one float per pixel: a plain gather
    for (size_t i = 0; i < out_w; ++i) out[i] = row[x_offsets[i]];
    return;
  }
  for (size_t i = 0; i < out_w; ++i, out += channels) {
    const float* in = row + x_offsets[i];
    if (channels < 4) {
      wasmsimd::StorePartial(out, wasmsimd::LoadPartial(in, channels), channels);
      continue;
    }
    size_t c = 0;
    for (; c + 8 <= channels; c += 8) {
      const v128_t a = wasm_v128_load(in + c);
      const v128_t b = wasm_v128_load(in + c + 4);
      wasm_v128_store(out + c, a);
      wasm_v128_store(out + c + 4, b);
    }
    if (c + 4 <= channels) {
      wasm_v128_store(out + c, wasm_v128_load(in + c));
      c += 4;
    }
    if (c < channels) {
      c = channels - 4;
      wasm_v128_store(out + c, wasm_v128_load(in + c));
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
