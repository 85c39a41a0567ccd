// wasm SIMD average pooling over NHWC activations, vectorised over channels. Per output pixel
// the window is clipped to the input once and the divisor is counted from the clipped ranges
// (no per-tap tests); then for each block of 8 (then 4) channels the taps are summed in
// registers, in the reference's order, and scaled by 1/divisor. Channels past the last multiple
// of 4 are summed one at a time.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cassert>
#include <cstddef>

#include "kernels/f32-pool/f32-pool.h"
#include "kernels/f32-pool/pool-taps.h"

namespace litecnn {

void f32_avgpool_nhwc__wasmsimd(const PoolGeometry& g, size_t pad_bottom, size_t pad_right,
                                bool count_include_pad, const float* input, float* output) {
  assert(g.stride_h != 0 && g.stride_w != 0 && g.dilation_h != 0 && g.dilation_w != 0);
  const size_t channels = g.channels;
  const size_t padded_h = g.pad_top + g.in_h + pad_bottom;
  const size_t padded_w = g.pad_left + g.in_w + pad_right;
  const size_t tap_row_step = g.dilation_h * g.in_w * channels;
  const size_t tap_col_step = g.dilation_w * channels;
  for (size_t b = 0; b < g.batch; ++b) {
    const float* image = input + b * g.in_h * g.in_w * channels;
    for (size_t oh = 0; oh < g.out_h; ++oh) {
      const pool_internal::TapRange rows =
          pool_internal::InputTaps(oh, g.stride_h, g.dilation_h, g.kernel_h, g.pad_top, g.in_h);
      const size_t padded_rows =
          pool_internal::PaddedTaps(oh, g.stride_h, g.dilation_h, g.kernel_h, padded_h);
      for (size_t ow = 0; ow < g.out_w; ++ow) {
        const pool_internal::TapRange cols =
            pool_internal::InputTaps(ow, g.stride_w, g.dilation_w, g.kernel_w, g.pad_left, g.in_w);
        const size_t n_rows = rows.end - rows.begin;
        const size_t n_cols = cols.end - cols.begin;
        const size_t divisor =
            count_include_pad
                ? padded_rows *
                      pool_internal::PaddedTaps(ow, g.stride_w, g.dilation_w, g.kernel_w, padded_w)
                : n_rows * n_cols;
        float* out = output + ((b * g.out_h + oh) * g.out_w + ow) * channels;
        if (n_rows == 0 || n_cols == 0 || divisor == 0) {  // no input taps: the sum is 0
          for (size_t c = 0; c < channels; ++c) out[c] = 0.0f;
          continue;
        }
        const float scale = 1.0f / static_cast<float>(divisor);
        const v128_t vscale = wasm_f32x4_splat(scale);
        const size_t ih = oh * g.stride_h + rows.begin * g.dilation_h - g.pad_top;
        const size_t iw = ow * g.stride_w + cols.begin * g.dilation_w - g.pad_left;
        const float* first_tap = image + (ih * g.in_w + iw) * channels;
        size_t c = 0;
        for (; c + 8 <= channels; c += 8) {
          v128_t acc0 = wasm_f32x4_splat(0.0f);
          v128_t acc1 = wasm_f32x4_splat(0.0f);
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc0 = wasm_f32x4_add(acc0, wasm_v128_load(tap));
              acc1 = wasm_f32x4_add(acc1, wasm_v128_load(tap + 4));
            }
          }
          wasm_v128_store(out + c, wasm_f32x4_mul(acc0, vscale));
          wasm_v128_store(out + c + 4, wasm_f32x4_mul(acc1, vscale));
        }
        if (c + 4 <= channels) {
          v128_t acc = wasm_f32x4_splat(0.0f);
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc = wasm_f32x4_add(acc, wasm_v128_load(tap));
            }
          }
          wasm_v128_store(out + c, wasm_f32x4_mul(acc, vscale));
          c += 4;
        }
        for (; c < channels; ++c) {
          float acc = 0.0f;
          const float* row = first_tap + c;
          for (size_t i = 0; i < n_rows; ++i, row += tap_row_step) {
            const float* tap = row;
            for (size_t j = 0; j < n_cols; ++j, tap += tap_col_step) {
              acc += *tap;
            }
          }
          out[c] = acc * scale;
        }
      }
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
