// wasm SIMD bilinear resize row over NHWC activations, vectorised over channels: per output
// pixel the four taps' channel runs are blended 8 then 4 channels at a time. A tail of 1-3
// channels is one more 4-channel step ending at the last channel (it rewrites up to 3 values
// with the same bits) when there are 4 or more channels, else partial loads and stores.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "kernels/f32-resize/f32-resize.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {
namespace {

inline v128_t Blend(v128_t tl, v128_t tr, v128_t bl, v128_t br, v128_t wx, v128_t wy) {
  const v128_t top = wasm_f32x4_add(tl, wasm_f32x4_mul(wasm_f32x4_sub(tr, tl), wx));
  const v128_t bottom = wasm_f32x4_add(bl, wasm_f32x4_mul(wasm_f32x4_sub(br, bl), wx));
  return wasm_f32x4_add(top, wasm_f32x4_mul(wasm_f32x4_sub(bottom, top), wy));
}

}  // namespace

void f32_resize_bilinear_nhwc__wasmsimd(size_t out_w, size_t channels, const float* row0,
                                        const float* row1, float wy, const uint32_t* x_offsets,
                                        const float* x_weights, float* out) {
  const v128_t vwy = wasm_f32x4_splat(wy);
  for (size_t i = 0; i < out_w; ++i, out += channels) {
    const float* tl = row0 + x_offsets[2 * i];
    const float* tr = row0 + x_offsets[2 * i + 1];
    const float* bl = row1 + x_offsets[2 * i];
    const float* br = row1 + x_offsets[2 * i + 1];
    const v128_t vwx = wasm_f32x4_splat(x_weights[i]);
    if (channels < 4) {
      const size_t n = channels;
      wasmsimd::StorePartial(
          out,
          Blend(wasmsimd::LoadPartial(tl, n), wasmsimd::LoadPartial(tr, n),
                wasmsimd::LoadPartial(bl, n), wasmsimd::LoadPartial(br, n), vwx, vwy),
          n);
      continue;
    }
    size_t c = 0;
    for (; c + 8 <= channels; c += 8) {
      const v128_t a = Blend(wasm_v128_load(tl + c), wasm_v128_load(tr + c), wasm_v128_load(bl + c),
                             wasm_v128_load(br + c), vwx, vwy);
      const v128_t b = Blend(wasm_v128_load(tl + c + 4), wasm_v128_load(tr + c + 4),
                             wasm_v128_load(bl + c + 4), wasm_v128_load(br + c + 4), vwx, vwy);
      wasm_v128_store(out + c, a);
      wasm_v128_store(out + c + 4, b);
    }
    if (c + 4 <= channels) {
      wasm_v128_store(out + c, Blend(wasm_v128_load(tl + c), wasm_v128_load(tr + c),
                                     wasm_v128_load(bl + c), wasm_v128_load(br + c), vwx, vwy));
      c += 4;
    }
    if (c < channels) {
      c = channels - 4;
      wasm_v128_store(out + c, Blend(wasm_v128_load(tl + c), wasm_v128_load(tr + c),
                                     wasm_v128_load(bl + c), wasm_v128_load(br + c), vwx, vwy));
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
