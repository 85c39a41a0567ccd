// wasm SIMD global average pooling: NHWC input -> [batch][channels]. For each block of 16
// channels (then 4) the hw positions are summed in four (one) register accumulators, in the
// reference's order (blocks of kGavgpoolBlock positions, see f32-pool.h), and scaled by 1/hw; a
// 16-float block is one cache line per position. Channels past the last multiple of 4 are summed
// one at a time.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <algorithm>
#include <cassert>
#include <cstddef>

#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {

void f32_gavgpool_nhwc__wasmsimd(size_t batch, size_t hw, size_t channels, const float* input,
                                 float* output) {
  assert(hw != 0);
  const float scale = 1.0f / static_cast<float>(hw);
  const v128_t vscale = wasm_f32x4_splat(scale);
  for (size_t b = 0; b < batch; ++b) {
    const float* image = input + b * hw * channels;
    float* out = output + b * channels;
    size_t c = 0;
    for (; c + 16 <= channels; c += 16) {
      v128_t acc0 = wasm_f32x4_splat(0.0f);
      v128_t acc1 = acc0;
      v128_t acc2 = acc0;
      v128_t acc3 = acc0;
      const float* in = image + c;
      for (size_t p0 = 0; p0 < hw; p0 += kGavgpoolBlock) {
        const size_t p1 = std::min(hw, p0 + kGavgpoolBlock);
        v128_t b0 = wasm_f32x4_splat(0.0f);
        v128_t b1 = b0;
        v128_t b2 = b0;
        v128_t b3 = b0;
        for (size_t p = p0; p < p1; ++p, in += channels) {
          b0 = wasm_f32x4_add(b0, wasm_v128_load(in));
          b1 = wasm_f32x4_add(b1, wasm_v128_load(in + 4));
          b2 = wasm_f32x4_add(b2, wasm_v128_load(in + 8));
          b3 = wasm_f32x4_add(b3, wasm_v128_load(in + 12));
        }
        acc0 = wasm_f32x4_add(acc0, b0);
        acc1 = wasm_f32x4_add(acc1, b1);
        acc2 = wasm_f32x4_add(acc2, b2);
        acc3 = wasm_f32x4_add(acc3, b3);
      }
      wasm_v128_store(out + c, wasm_f32x4_mul(acc0, vscale));
      wasm_v128_store(out + c + 4, wasm_f32x4_mul(acc1, vscale));
      wasm_v128_store(out + c + 8, wasm_f32x4_mul(acc2, vscale));
      wasm_v128_store(out + c + 12, wasm_f32x4_mul(acc3, vscale));
    }
    for (; c + 4 <= channels; c += 4) {
      v128_t acc = wasm_f32x4_splat(0.0f);
      const float* in = image + c;
      for (size_t p0 = 0; p0 < hw; p0 += kGavgpoolBlock) {
        const size_t p1 = std::min(hw, p0 + kGavgpoolBlock);
        v128_t block = wasm_f32x4_splat(0.0f);
        for (size_t p = p0; p < p1; ++p, in += channels)
          block = wasm_f32x4_add(block, wasm_v128_load(in));
        acc = wasm_f32x4_add(acc, block);
      }
      wasm_v128_store(out + c, wasm_f32x4_mul(acc, vscale));
    }
    for (; c < channels; ++c) {
      float acc = 0.0f;
      const float* in = image + c;
      for (size_t p0 = 0; p0 < hw; p0 += kGavgpoolBlock) {
        const size_t p1 = std::min(hw, p0 + kGavgpoolBlock);
        float block = 0.0f;
        for (size_t p = p0; p < p1; ++p, in += channels) block += *in;
        acc += block;
      }
      out[c] = acc * scale;
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
