#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc-impl.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"

namespace litecnn {
namespace {

// First n (1..3) lanes of v to p.
inline void StorePartial(float* p, v128_t v, size_t n) {
  if (n & 2) {
    wasm_v128_store64_lane(p, v, 0);
    v = wasm_i32x4_shuffle(v, v, 2, 3, 2, 3);
    p += 2;
  }
  if (n & 1) wasm_v128_store32_lane(p, v, 0);
}

}  // namespace

// Output-channel tile 16 (4 vectors): per output pixel and group of 16 outputs, each of the 27
// input values is splatted once and multiplied into 4 accumulators.
void f32_conv_hwc_3x3_s2_c3_minmax__wasmsimd(const ConvHwcGeometry& g, const float* input,
                                             const float* packed_w, float* output,
                                             size_t out_y_begin, size_t out_y_end, float min,
                                             float max) {
  constexpr size_t kH = 3, kW = 3, kS = 2, kC = 3, kOT = 16, kTaps = kH * kW;
  assert(g.in_c == kC);
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[kH];
    conv_hwc_internal::TapRows<kH, kS>(g, input, oy, rows);
    float* out = output + oy * g.out_w * g.out_c;
    for (size_t ox = 0; ox < g.out_w; ++ox) {
      const float* taps[kTaps];
      conv_hwc_internal::TapPointers<kH, kW, kS>(g, rows, ox, taps);
      const float* w = packed_w;
      for (size_t o = 0; o < g.out_c; o += kOT) {
        v128_t acc[4];
        for (size_t j = 0; j < 4; ++j) acc[j] = wasm_v128_load(w + 4 * j);
        w += kOT;
        for (size_t t = 0; t < kTaps; ++t) {
          for (size_t i = 0; i < kC; ++i) {
            const v128_t v = wasm_v128_load32_splat(taps[t] + i);
            for (size_t j = 0; j < 4; ++j) {
              acc[j] = wasm_f32x4_add(acc[j], wasm_f32x4_mul(v, wasm_v128_load(w + 4 * j)));
            }
            w += kOT;
          }
        }
        const size_t n = std::min(kOT, g.out_c - o);
        for (size_t j = 0; j < 4 && 4 * j < n; ++j) {
          const v128_t r = wasm_f32x4_pmin(vmax, wasm_f32x4_pmax(vmin, acc[j]));
          if (n >= 4 * j + 4) {
            wasm_v128_store(out + o + 4 * j, r);
          } else {
            StorePartial(out + o + 4 * j, r, n - 4 * j);
          }
        }
      }
      out += g.out_c;
    }
  }
}

}  // namespace litecnn
#endif  // LITECNN_HAVE_WASMSIMD
