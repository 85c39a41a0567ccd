// wasm SIMD max pooling over NHWC activations, vectorised over channels. Per output pixel the
// window is clipped to the input once; then for each block of 8 (then 4) channels the taps are
// folded into registers, so each output element is stored once. Channels past the last multiple
// of 4 are folded one at a time. SqueezeNet (3x3 s2 ceil on 96..512 channels) and ShuffleNet
// (3x3 s2 pad 1 on 24 channels) run entirely in the 8-channel loop.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cassert>
#include <cstddef>
#include <limits>

#include "kernels/f32-pool/f32-pool.h"
#include "kernels/f32-pool/pool-taps.h"

namespace litecnn {

void f32_maxpool_nhwc__wasmsimd(const PoolGeometry& g, const float* input, float* output) {
  assert(g.stride_h != 0 && g.stride_w != 0 && g.dilation_h != 0 && g.dilation_w != 0);
  const size_t channels = g.channels;
  const size_t tap_row_step = g.dilation_h * g.in_w * channels;
  const size_t tap_col_step = g.dilation_w * channels;
  const float neg_inf = -std::numeric_limits<float>::infinity();
  const v128_t vneg_inf = wasm_f32x4_splat(neg_inf);
  for (size_t b = 0; b < g.batch; ++b) {
    const float* image = input + b * g.in_h * g.in_w * channels;
    for (size_t oh = 0; oh < g.out_h; ++oh) {
      const pool_internal::TapRange rows =
          pool_internal::InputTaps(oh, g.stride_h, g.dilation_h, g.kernel_h, g.pad_top, g.in_h);
      for (size_t ow = 0; ow < g.out_w; ++ow) {
        const pool_internal::TapRange cols =
            pool_internal::InputTaps(ow, g.stride_w, g.dilation_w, g.kernel_w, g.pad_left, g.in_w);
        const size_t n_rows = rows.end - rows.begin;
        const size_t n_cols = cols.end - cols.begin;
        float* out = output + ((b * g.out_h + oh) * g.out_w + ow) * channels;
        if (n_rows == 0 || n_cols == 0) {  // window entirely in padding
          for (size_t c = 0; c < channels; ++c) out[c] = neg_inf;
          continue;
        }
        const size_t ih = oh * g.stride_h + rows.begin * g.dilation_h - g.pad_top;
        const size_t iw = ow * g.stride_w + cols.begin * g.dilation_w - g.pad_left;
        const float* first_tap = image + (ih * g.in_w + iw) * channels;
        size_t c = 0;
        if (n_rows == 3 && n_cols == 3) {
          // A whole 3x3 window (ShuffleNet's and SqueezeNet's pools, all but the borders): the
          // taps unrolled, in the same order as below. The tap loops cost about as much as the
          // loads and maxes themselves here.
          for (; c + 8 <= channels; c += 8) {
            v128_t acc0 = vneg_inf;
            v128_t acc1 = vneg_inf;
            const float* row = first_tap + c;
            for (size_t i = 0; i < 3; ++i, row += tap_row_step) {
              acc0 = wasm_f32x4_pmax(acc0, wasm_v128_load(row));
              acc1 = wasm_f32x4_pmax(acc1, wasm_v128_load(row + 4));
              acc0 = wasm_f32x4_pmax(acc0, wasm_v128_load(row + tap_col_step));
              acc1 = wasm_f32x4_pmax(acc1, wasm_v128_load(row + tap_col_step + 4));
              acc0 = wasm_f32x4_pmax(acc0, wasm_v128_load(row + 2 * tap_col_step));
              acc1 = wasm_f32x4_pmax(acc1, wasm_v128_load(row + 2 * tap_col_step + 4));
            }
            wasm_v128_store(out + c, acc0);
            wasm_v128_store(out + c + 4, acc1);
          }
        }
        for (; c + 8 <= channels; c += 8) {
          v128_t acc0 = vneg_inf;
          v128_t acc1 = vneg_inf;
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc0 = wasm_f32x4_pmax(acc0, wasm_v128_load(tap));
              acc1 = wasm_f32x4_pmax(acc1, wasm_v128_load(tap + 4));
            }
          }
          wasm_v128_store(out + c, acc0);
          wasm_v128_store(out + c + 4, acc1);
        }
        if (c + 4 <= channels) {
          v128_t acc = vneg_inf;
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc = wasm_f32x4_pmax(acc, wasm_v128_load(tap));
            }
          }
          wasm_v128_store(out + c, acc);
          c += 4;
        }
        for (; c < channels; ++c) {
          float acc = neg_inf;
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc = acc < *tap ? *tap : acc;  // std::max(acc, *tap), as the reference
            }
          }
          out[c] = acc;
        }
      }
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
