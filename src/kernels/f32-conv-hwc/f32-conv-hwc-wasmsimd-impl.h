// Shared body of the wasm SIMD128 f32_conv_hwc_* kernels (contract: f32-conv-hwc.h); each
// f32_conv_hwc_<KH>x<KW>_s<S>_c<C>_minmax_<OT>x<PX>__wasmsimd.cc instantiates ConvHwc with its
// window, stride, input channels, output-channel tile OT and pixel block PX.
// Per group of OT output channels and block of PX output pixels: for each of the KH*KW*C input
// values of the window, OT/4 weight vectors are loaded once and used for all PX pixels (one
// v128.load32_splat per pixel), into PX * OT/4 accumulators (a GEMM of PX rows, see Block).
// Blocking pixels divides the weight loads per multiply-add by PX; the per-pixel kernel (PX = 1)
// was load-bound. OT is chosen per layer by the dispatch table so that few lanes compute padding
// (24 outputs: OT 8, not 16). Only included from files wrapped in `#if LITECNN_HAVE_WASMSIMD`.
#pragma once

#include <wasm_simd128.h>

#include <cassert>
#include <cstddef>

#include "kernels/f32-conv-hwc/f32-conv-hwc-impl.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/minmax.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {
namespace conv_hwc_wasmsimd {

using wasmsimd::StorePartial;

// One tile of OT output channels (n of them real) of a block of PX pixels, stored at out[p].
// w: the tile's packed weights. rows[ky]:
// pixel 0's window row ky (KW * C consecutive floats, HWC); pixel p's starts p * S * C later.
// Per window row this is a GEMM k loop over KW * C: OT/4 weight loads, then per pixel one
// v128.load32_splat and OT/4 mul+add. The k loop is kept rolled: unrolled (by C, as clang did
// when it kept a tap's C channels together), the weights of several k stay live beside the
// PX * OT/4 accumulators, past the 15 xmm registers V8 allocates on x64, and the spills halved
// the speed (~20 GFLOP/s against the GEMM kernels' ~42 on the same K = 27).
template <size_t KH, size_t KW, size_t S, size_t C, size_t OT, size_t PX>
inline __attribute__((always_inline)) void Block(size_t n, const float* w, float* const* out,
                                                 const float* const* rows, v128_t vmin,
                                                 v128_t vmax) {
  constexpr size_t kV = OT / 4;
  v128_t acc[PX][kV];
  for (size_t j = 0; j < kV; ++j) acc[0][j] = wasm_v128_load(w + 4 * j);
  for (size_t p = 1; p < PX; ++p) {
    for (size_t j = 0; j < kV; ++j) acc[p][j] = acc[0][j];
  }
  w += OT;
  for (size_t ky = 0; ky < KH; ++ky) {
    const float* a = rows[ky];
#pragma clang loop unroll(disable)
    for (size_t k = 0; k < KW * C; ++k) {
      v128_t vw[kV];
      for (size_t j = 0; j < kV; ++j) vw[j] = wasm_v128_load(w + 4 * j);
      w += OT;
      for (size_t p = 0; p < PX; ++p) {
        const v128_t v = wasm_v128_load32_splat(a + p * S * C + k);
        for (size_t j = 0; j < kV; ++j) {
          acc[p][j] = wasm_f32x4_add(acc[p][j], wasm_f32x4_mul(v, vw[j]));
        }
      }
    }
  }
  // Highest pixel first, and so it must stay: pixels past the row's end (see ConvHwc) store
  // other values to the last real pixel's address, which that pixel then overwrites.
  for (size_t p = PX; p-- > 0;) {
    for (size_t j = 0; j < kV && 4 * j < n; ++j) {
      const v128_t r = f32x4_minmax(acc[p][j], vmin, vmax);
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
  constexpr size_t kTileFloats = OT * (1 + KH * KW * C);
  constexpr size_t kPatchW = (PX - 1) * S + KW;  // input columns a block's windows span
  assert(g.in_c == C);
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[KH];
    conv_hwc_internal::TapRows<KH, S>(g, input, oy, rows);
    bool rows_inside = true;
    for (size_t ky = 0; ky < KH; ++ky) rows_inside = rows_inside && rows[ky] != nullptr;
    float* out_row = output + oy * g.out_w * g.out_c;
    // Pixel blocks outside, channel tiles inside: each block's output pixels are written whole
    // (out_c floats each) while they are in cache, and a border block's patch serves every tile.
    // Tiles outside and pixels inside (one tile's weights kept in L1 across the row) scaled
    // badly at 64 outputs: 2 threads 1.35x one, against 1.9x for im2col + GEMM, as each row's
    // outputs (28 KB) were written 8 times over in 32-byte pieces. All tiles' weights are small
    // for these windows (3x3x3 to 64 outputs: 7 KB); a 7x7 window to 96 outputs (56 KB) would
    // want the other order.
    for (size_t ox = 0; ox < g.out_w; ox += PX) {
      const size_t ix0 = ox * S;  // padded coordinates
      const float* block_rows[KH];
      // Border blocks read a copy of the windows' span with zeros wherever it leaves the image
      // (padding, and columns past the image that the pixels past the row's end read), so one
      // loop serves all blocks.
      float patch[KH][kPatchW * C];
      if (rows_inside && ox + PX <= g.out_w && ix0 >= g.pad_left &&
          ix0 - g.pad_left + kPatchW <= g.in_w) {
        // Interior block (most of the image): the windows read the image rows in place.
        for (size_t ky = 0; ky < KH; ++ky) block_rows[ky] = rows[ky] + (ix0 - g.pad_left) * C;
      } else {
        for (size_t ky = 0; ky < KH; ++ky) {
          for (size_t q = 0; q < kPatchW; ++q) {
            const size_t px = ix0 + q;
            const bool inside = rows[ky] != nullptr && px >= g.pad_left && px - g.pad_left < g.in_w;
            for (size_t i = 0; i < C; ++i) {
              patch[ky][q * C + i] = inside ? rows[ky][(px - g.pad_left) * C + i] : 0.0f;
            }
          }
          block_rows[ky] = patch[ky];
        }
      }
      // Pixels past the row's end write to the last pixel (whatever they compute: Block stores
      // the real pixel last), so the body has no per-pixel branches.
      float* px_out[PX];
      for (size_t p = 0; p < PX; ++p) {
        px_out[p] = out_row + (ox + p < g.out_w ? ox + p : g.out_w - 1) * g.out_c;
      }
      const float* w = packed_w;
      for (size_t o = 0; o < g.out_c; o += OT) {
        const size_t n = g.out_c - o < OT ? g.out_c - o : OT;
        float* out[PX];
        for (size_t p = 0; p < PX; ++p) out[p] = px_out[p] + o;
        Block<KH, KW, S, C, OT, PX>(n, w, out, block_rows, vmin, vmax);
        w += kTileFloats;
      }
    }
  }
}

}  // namespace conv_hwc_wasmsimd
}  // namespace litecnn
