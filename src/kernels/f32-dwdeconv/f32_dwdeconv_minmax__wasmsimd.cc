#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include "kernels/f32-dwdeconv/f32-dwdeconv-impl.h"
#include "kernels/f32-dwdeconv/f32-dwdeconv.h"
#include "kernels/minmax.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {

// Channel tile 8 (two vectors of f32_dwconv_pack_weights's groups), 4 channels per step; the
// channels % 4 tail through partial loads and stores, so nothing outside the pixel is touched.
void f32_dwdeconv_minmax__wasmsimd(const DwdeconvGeometry& g, const float* input,
                                   const float* packed_w, float* output, size_t out_y_begin,
                                   size_t out_y_end, float min, float max) {
  using wasmsimd::LoadPartial;
  using wasmsimd::StorePartial;
  constexpr size_t kTile = 8;
  const size_t channels = g.channels, group_floats = kTile * (g.kernel_h * g.kernel_w + 1);
  const v128_t vmin = wasm_f32x4_splat(min), vmax = wasm_f32x4_splat(max);
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    float* out = output + oy * g.out_w * channels;
    for (size_t ox = 0; ox < g.out_w; ++ox, out += channels) {
      dwdeconv_internal::ForPixelTaps(
          g, input, oy, ox,
          [&](size_t n, const float* const* in, const size_t* taps, bool first, bool last) {
            size_t c = 0;
            for (; c + 4 <= channels; c += 4) {
              const float* w = packed_w + c / kTile * group_floats + c % kTile;
              v128_t acc = first ? wasm_v128_load(w) : wasm_v128_load(out + c);
              for (size_t t = 0; t < n; ++t) {
                acc =
                    wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(in[t] + c),
                                                       wasm_v128_load(w + kTile * (1 + taps[t]))));
              }
              wasm_v128_store(out + c, last ? f32x4_minmax(acc, vmin, vmax) : acc);
            }
            if (c < channels) {
              const size_t r = channels - c;
              const float* w = packed_w + c / kTile * group_floats + c % kTile;
              v128_t acc = first ? wasm_v128_load(w) : LoadPartial(out + c, r);
              for (size_t t = 0; t < n; ++t) {
                acc =
                    wasm_f32x4_add(acc, wasm_f32x4_mul(LoadPartial(in[t] + c, r),
                                                       wasm_v128_load(w + kTile * (1 + taps[t]))));
              }
              StorePartial(out + c, last ? f32x4_minmax(acc, vmin, vmax) : acc, r);
            }
          });
    }
  }
}

}  // namespace litecnn
#endif  // LITECNN_HAVE_WASMSIMD
