// WebAssembly SIMD depthwise body shared by the f32_dwconv_*__wasmsimd kernels. Include only
// under LITECNN_HAVE_WASMSIMD.
//
// Per output row: the pixels whose tap columns all lie inside the image go through DwconvRow
// (channel groups of 4 outside, pixels inside, weights in locals; padding tap rows read the zero
// row with a column step of 0, so top/bottom rows take the same path). The left/right border
// pixels and the channels % 4 tail go through DwconvPixel (one tap pointer per tap, zero row for
// padding taps; partial loads and stores), so no byte outside the input image or the output
// pixel is read or written.
#pragma once

#include <wasm_simd128.h>

#include <algorithm>
#include <cstddef>

#include "kernels/f32-dwconv/f32-dwconv-impl.h"
#include "kernels/minmax.h"
#include "kernels/wasmsimd-partial.h"

namespace litecnn {
namespace dwconv_internal {

using wasmsimd::LoadPartial;
using wasmsimd::StorePartial;

// Channels [c_from, channels) of output pixel ox, 4 at a time, through tap pointers (zero row
// for padding taps). Serves border pixels and the channels % 4 tail of interior pixels.
template <size_t KH, size_t KW, size_t S, size_t CT>
void DwconvPixel(const DwconvGeometry& g, const float* const* rows, size_t ox,
                 const float* packed_w, float* out_px, size_t c_from, v128_t vmin, v128_t vmax) {
  constexpr size_t kTaps = KH * KW;
  constexpr size_t kGroupFloats = CT * (kTaps + 1);
  for (size_t c0 = c_from - c_from % kDwconvZeroChunk; c0 < g.channels; c0 += kDwconvZeroChunk) {
    const size_t cn = std::min(kDwconvZeroChunk, g.channels - c0);
    const float* taps[kTaps];
    TapPointers<KH, KW, S>(g, rows, ox, c0, taps);
    size_t c = std::max(c_from, c0) - c0;
    for (; c + 4 <= cn; c += 4) {
      const float* wb = packed_w + (c0 + c) / CT * kGroupFloats + (c0 + c) % CT;
      v128_t acc = wasm_v128_load(wb);
      for (size_t t = 0; t < kTaps; ++t) {
        acc = wasm_f32x4_add(
            acc, wasm_f32x4_mul(wasm_v128_load(taps[t] + c), wasm_v128_load(wb + CT * (t + 1))));
      }
      wasm_v128_store(out_px + c0 + c, f32x4_minmax(acc, vmin, vmax));
    }
    if (c < cn) {
      const size_t n = cn - c;
      const float* wb = packed_w + (c0 + c) / CT * kGroupFloats + (c0 + c) % CT;
      v128_t acc = wasm_v128_load(wb);
      for (size_t t = 0; t < kTaps; ++t) {
        acc = wasm_f32x4_add(
            acc, wasm_f32x4_mul(LoadPartial(taps[t] + c, n), wasm_v128_load(wb + CT * (t + 1))));
      }
      StorePartial(out_px + c0 + c, f32x4_minmax(acc, vmin, vmax), n);
    }
  }
}

// Output pixels [x_begin, x_end) of one output row, channels [0, channels & ~3), where every
// tap column is inside the image; tap rows may lie in the padding (rows[ky] == nullptr) unless
// kAllRows. Blocks of x_block pixels (so the block's input lines stay in cache across channel
// groups); in a block, channel groups of 4 outside, pixels inside, one pixel per step with the
// group's KH*KW weight vectors and bias in locals (few enough live vectors that V8 keeps them in
// registers). A padding tap row reads the zero row with a column step of 0, so no branch and no
// per-pixel pointer setup remains in the pixel loop.
template <size_t KH, size_t KW, size_t S, size_t CT, bool kAllRows>
void DwconvRow(const DwconvGeometry& g, const float* const* rows, size_t x_begin, size_t x_end,
               size_t x_block, const float* packed_w, float* out_row, v128_t vmin, v128_t vmax) {
  constexpr size_t kTaps = KH * KW;
  constexpr size_t kGroupFloats = CT * (kTaps + 1);
  const size_t channels = g.channels;
  const size_t c4 = channels & ~size_t{3};
  // Per tap row: first input pixel of the row segment, column step between taps (dilation *
  // channels, or 0 on the zero row) and between neighbouring output pixels, and channel offset
  // multiplier.
  const size_t tap_step = g.dilation * channels;
  const float* base[KH];
  size_t col_step[KH], px_step[KH], c_mul[KH];
  for (size_t ky = 0; ky < KH; ++ky) {
    const bool in_image = kAllRows || rows[ky] != nullptr;
    base[ky] = in_image ? rows[ky] + (x_begin * S - g.pad_left) * channels : kDwconvZeros;
    col_step[ky] = in_image ? tap_step : 0;
    px_step[ky] = in_image ? S * channels : 0;
    c_mul[ky] = in_image ? 1 : 0;
  }
  for (size_t xb = x_begin; xb < x_end; xb += x_block) {
    const size_t xe = std::min(xb + x_block, x_end);
    const float* wg = packed_w;  // channel group of CT holding channel c
    for (size_t c = 0; c < c4; c += 4) {
      const float* wb = wg + c % CT;
      const v128_t vbias = wasm_v128_load(wb);
      v128_t vw[kTaps];
      for (size_t t = 0; t < kTaps; ++t) vw[t] = wasm_v128_load(wb + CT * (t + 1));
      const float* p[KH];
      for (size_t ky = 0; ky < KH; ++ky) {
        p[ky] = kAllRows ? base[ky] + (xb - x_begin) * S * channels + c
                         : base[ky] + (xb - x_begin) * px_step[ky] + c * c_mul[ky];
      }
      float* o = out_row + xb * channels + c;
      for (size_t x = xb; x < xe; ++x) {
        v128_t acc = vbias;
        for (size_t ky = 0; ky < KH; ++ky) {
          const size_t cs = kAllRows ? tap_step : col_step[ky];
          for (size_t kx = 0; kx < KW; ++kx) {
            acc = wasm_f32x4_add(acc,
                                 wasm_f32x4_mul(wasm_v128_load(p[ky] + kx * cs), vw[ky * KW + kx]));
          }
          p[ky] += kAllRows ? S * channels : px_step[ky];
        }
        wasm_v128_store(o, f32x4_minmax(acc, vmin, vmax));
        o += channels;
      }
      if (c % CT == CT - 4) wg += kGroupFloats;
    }
  }
}

template <size_t KH, size_t KW, size_t S, size_t CT>
void DwconvWasmsimd(const DwconvGeometry& g, const float* input, const float* packed_w,
                    float* output, size_t out_y_begin, size_t out_y_end, float min, float max) {
  static_assert(CT == 4 || CT == 8, "channel tile is 1 or 2 vectors");
  static_assert(kDwconvZeroChunk % CT == 0, "chunks hold whole channel groups");
  const size_t channels = g.channels;
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  // Output columns whose taps all lie inside the image: [x_lo, x_hi).
  const size_t span = (KW - 1) * g.dilation + 1;  // the window's width in input pixels
  const size_t x_lo = std::min(g.out_w, (g.pad_left + S - 1) / S);
  const size_t x_hi =
      g.in_w + g.pad_left >= span ? std::min(g.out_w, (g.in_w + g.pad_left - span) / S + 1) : 0;
  // Pixels per block of DwconvRow: the block's KH input line segments take about 64 KiB (L2;
  // smaller L1-sized blocks measured slower, larger ones no better).
  const size_t block_bytes = KH * S * channels * sizeof(float);
  const size_t x_block = std::max<size_t>(4, std::min<size_t>(1024, 65536 / block_bytes));
  for (size_t oy = out_y_begin; oy < out_y_end; ++oy) {
    const float* rows[KH];
    TapRows<KH, S>(g, input, oy, rows);
    bool rows_ok = true;
    for (size_t ky = 0; ky < KH; ++ky) rows_ok = rows_ok && rows[ky] != nullptr;
    float* out = output + oy * g.out_w * channels;
    for (size_t ox = 0; ox < x_lo; ++ox) {
      DwconvPixel<KH, KW, S, CT>(g, rows, ox, packed_w, out + ox * channels, 0, vmin, vmax);
    }
    if (x_lo < x_hi) {
      if (rows_ok) {
        DwconvRow<KH, KW, S, CT, true>(g, rows, x_lo, x_hi, x_block, packed_w, out, vmin, vmax);
      } else {
        DwconvRow<KH, KW, S, CT, false>(g, rows, x_lo, x_hi, x_block, packed_w, out, vmin, vmax);
      }
      if (channels % 4 != 0) {
        for (size_t ox = x_lo; ox < x_hi; ++ox) {
          DwconvPixel<KH, KW, S, CT>(g, rows, ox, packed_w, out + ox * channels,
                                     channels & ~size_t{3}, vmin, vmax);
        }
      }
    }
    for (size_t ox = std::max(x_lo, x_hi); ox < g.out_w; ++ox) {
      DwconvPixel<KH, KW, S, CT>(g, rows, ox, packed_w, out + ox * channels, 0, vmin, vmax);
    }
  }
}

}  // namespace dwconv_internal
}  // namespace litecnn
