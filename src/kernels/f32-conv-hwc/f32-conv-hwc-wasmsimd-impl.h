// Shared body of the wasm SIMD128 f32_conv_hwc_* kernels (contract: f32-conv-hwc.h); each
// f32_conv_hwc_<KH>x<KW>_s<S>_c<C>_minmax_<OT>x<PX>__wasmsimd.cc instantiates ConvHwc with its
// window, stride, input channels, output-channel tile OT and pixel block PX.
// Per group of OT output channels and block of PX output pixels: for each of the KH*KW*C input
// values of the window, OT/4 weight vectors are loaded once and used for all PX pixels (one
// v128.load32_splat per pixel), into PX * OT/4 accumulators. Blocking pixels divides the weight
// loads per multiply-add by PX; the per-pixel kernel (PX = 1) was load-bound. OT is chosen per
// layer by the dispatch table so that few lanes compute padding (24 outputs: OT 8, not 16).
// Only included from files wrapped in `#if LITECNN_HAVE_WASMSIMD`.
#pragma once

#include <wasm_simd128.h>

#include <cassert>
#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc-impl.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {
namespace conv_hwc_wasmsimd {

using wasmsimd::StorePartial;

// Output channels [o, o + OT) of a block of PX pixels. w: the tile's packed weights. tap(p, t)
// is the address of pixel p's window tap t (t = ky * KW + kx; C consecutive input channels).
template <size_t KH, size_t KW, size_t C, size_t OT, size_t PX, typename TapFn>
inline __attribute__((always_inline)) void Block(size_t n, const float* w, float* const* out,
                                                 const TapFn& tap, v128_t vmin, v128_t vmax) {
  constexpr size_t kTaps = KH * KW, kV = OT / 4;
  v128_t acc[PX][kV];
  for (size_t j = 0; j < kV; ++j) acc[0][j] = wasm_v128_load(w + 4 * j);
  for (size_t p = 1; p < PX; ++p) {
    for (size_t j = 0; j < kV; ++j) acc[p][j] = acc[0][j];
  }
  w += OT;
  for (size_t t = 0; t < kTaps; ++t) {
    for (size_t i = 0; i < C; ++i) {
      v128_t vw[kV];
      for (size_t j = 0; j < kV; ++j) vw[j] = wasm_v128_load(w + 4 * j);
      w += OT;
      for (size_t p = 0; p < PX; ++p) {
        const v128_t v = wasm_v128_load32_splat(tap(p, t) + i);
        for (size_t j = 0; j < kV; ++j) {
          acc[p][j] = wasm_f32x4_add(acc[p][j], wasm_f32x4_mul(v, vw[j]));
        }
      }
    }
  }
  // Highest pixel first: aliased pixels (see ConvHwc) store the same values, the real one last.
  for (size_t p = PX; p-- > 0;) {
    for (size_t j = 0; j < kV && 4 * j < n; ++j) {
      const v128_t r = wasm_f32x4_pmin(vmax, wasm_f32x4_pmax(vmin, acc[p][j]));
      if (n >= 4 * j + 4) {
        wasm_v128_store(out[p] + 4 * j, r);
      } else {
        StorePartial(out[p] + 4 * j, r, n - 4 * j);
      }
    }
  }
}

template <size_t KH, size_t KW, size_t S, size_t C, size_t OT, size_t PX>
inline __attribute__((always_inline)) void ConvHwc(const ConvHwcGeometry& g, const float* input,
                                                   const float* packed_w, float* output,
                                                   size_t out_y_begin, size_t out_y_end, float min,
                                                   float max) {
  static_assert(OT % 4 == 0 && PX >= 1, "whole vectors of outputs");
  constexpr size_t kTaps = KH * KW, kTileFloats = OT * (1 + kTaps * C);
  assert(g.in_c == C);
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[KH];
    conv_hwc_internal::TapRows<KH, S>(g, input, oy, rows);
    bool rows_inside = true;
    for (size_t ky = 0; ky < KH; ++ky) rows_inside = rows_inside && rows[ky] != nullptr;
    float* out_row = output + oy * g.out_w * g.out_c;
    // Channel tiles outside, pixels inside: one tile's weights stay in L1 across the row, where
    // all tiles' weights may not (a 7x7 window to 96 outputs: 56 KB; 2x slower pixel-outside).
    for (size_t o = 0; o < g.out_c; o += OT) {
      const float* w = packed_w + o / OT * kTileFloats;
      const size_t n = g.out_c - o < OT ? g.out_c - o : OT;
      for (size_t ox = 0; ox < g.out_w; ox += PX) {
        float* out[PX];
        // Pixels past the row's end alias the last pixel: they recompute it and store the same
        // values to it, so the body has no per-pixel branches.
        for (size_t p = 0; p < PX; ++p) {
          out[p] = out_row + (ox + p < g.out_w ? ox + p : g.out_w - 1) * g.out_c + o;
        }
        const size_t ix0 = ox * S;  // padded coordinates
        if (rows_inside && ox + PX <= g.out_w && ix0 >= g.pad_left &&
            ix0 - g.pad_left + (PX - 1) * S + KW <= g.in_w) {
          // Interior block (most of the image): taps at constant offsets from KH row pointers.
          const float* base[KH];
          for (size_t ky = 0; ky < KH; ++ky) base[ky] = rows[ky] + (ix0 - g.pad_left) * C;
          Block<KH, KW, C, OT, PX>(
              n, w, out, [&](size_t p, size_t t) { return base[t / KW] + (p * S + t % KW) * C; },
              vmin, vmax);
          continue;
        }
        // Border block: one pointer per tap, to the zero pixel where the tap is padding.
        const float* taps[PX][kTaps];
        for (size_t p = 0; p < PX; ++p) {
          const size_t x = ox + p < g.out_w ? ox + p : g.out_w - 1;
          conv_hwc_internal::TapPointers<KH, KW, S>(g, rows, x, taps[p]);
        }
        Block<KH, KW, C, OT, PX>(
            n, w, out, [&](size_t p, size_t t) { return taps[p][t]; }, vmin, vmax);
      }
    }
  }
}

}  // namespace conv_hwc_wasmsimd
}  // namespace litecnn
