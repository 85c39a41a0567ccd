// wasm SIMD LRN across channels: the running sum of squares is a plane of `inner` floats, and
// every channel step (add the entering channel's squares, subtract the leaving one's, scale
// the channel) runs over the plane 4 pixels at a time, with the reference's operations in the
// reference's order. The 1-3 pixel tail of the plane goes through 4-float stack buffers so it
// uses the same instructions. A block whose sum is not finite in some lane has those lanes
// recomputed from their window (the contract's rule), as the reference does.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cmath>
#include <cstddef>
#include <cstring>

#include "kernels/f32-lrn/f32-lrn.h"

namespace litecnn {

namespace {

enum class Power { kThreeQuarters, kHalf, kOne, kOther };

// `lanes` (1-4) floats at p; lanes past them read as 0 (their results are dropped).
inline v128_t Load(const float* p, size_t lanes) {
  if (lanes == 4) return wasm_v128_load(p);
  float buf[4] = {0, 0, 0, 0};
  std::memcpy(buf, p, lanes * sizeof(float));
  return wasm_v128_load(buf);
}

inline void Store(float* p, size_t lanes, v128_t v) {
  if (lanes == 4) {
    wasm_v128_store(p, v);
    return;
  }
  float buf[4];
  wasm_v128_store(buf, v);
  std::memcpy(p, buf, lanes * sizeof(float));
}

// base ^ beta.
inline v128_t Pow(v128_t base, Power power, float beta) {
  switch (power) {
    case Power::kThreeQuarters: {
      const v128_t root = wasm_f32x4_sqrt(base);
      return wasm_f32x4_mul(root, wasm_f32x4_sqrt(root));
    }
    case Power::kHalf:
      return wasm_f32x4_sqrt(base);
    case Power::kOne:
      return base;
    case Power::kOther:
      break;
  }
  alignas(16) float b[4];
  wasm_v128_store(b, base);
  for (float& v : b) v = std::exp(beta * std::log(v));  // libm's powf would add 0.8 KB
  return wasm_v128_load(b);
}

}  // namespace

void f32_lrn__wasmsimd(size_t outer, size_t channels, size_t inner, size_t size,
                       float alpha_over_size, float beta, float bias, const float* x, float* sum,
                       float* y) {
  const size_t before = (size - 1) / 2, after = size - 1 - before;
  const Power power = beta == 0.75f  ? Power::kThreeQuarters
                      : beta == 0.5f ? Power::kHalf
                      : beta == 1.0f ? Power::kOne
                                     : Power::kOther;
  const v128_t vk = wasm_f32x4_splat(alpha_over_size);
  const v128_t vbias = wasm_f32x4_splat(bias);
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (size_t o = 0; o < outer; ++o) {
    const float* xo = x + o * channels * inner;
    float* yo = y + o * channels * inner;
    std::memset(sum, 0, inner * sizeof(float));
    for (size_t k = 0; k < after && k < channels; ++k) {
      for (size_t i = 0; i < inner; i += 4) {
        const size_t lanes = inner - i < 4 ? inner - i : 4;
        const v128_t v = Load(xo + k * inner + i, lanes);
        Store(sum + i, lanes, wasm_f32x4_add(Load(sum + i, lanes), wasm_f32x4_mul(v, v)));
      }
    }
    for (size_t c = 0; c < channels; ++c) {
      const float* in = c + after < channels ? xo + (c + after) * inner : nullptr;
      const float* out = c >= before + 1 ? xo + (c - before - 1) * inner : nullptr;
      const size_t first = c >= before ? c - before : 0;
      const size_t last = c + after < channels ? c + after : channels - 1;
      for (size_t i = 0; i < inner; i += 4) {
        const size_t lanes = inner - i < 4 ? inner - i : 4;
        v128_t s = Load(sum + i, lanes);
        if (in) {
          const v128_t v = Load(in + i, lanes);
          s = wasm_f32x4_add(s, wasm_f32x4_mul(v, v));
        }
        if (out) {
          const v128_t v = Load(out + i, lanes);
          s = wasm_f32x4_sub(s, wasm_f32x4_mul(v, v));
        }
        // s - s is 0 exactly where s is finite (padding lanes hold 0).
        if (wasm_v128_any_true(wasm_f32x4_ne(wasm_f32x4_sub(s, s), zero))) {
          alignas(16) float lane[4];
          wasm_v128_store(lane, s);
          for (size_t l = 0; l < lanes; ++l) {
            if (std::isfinite(lane[l])) continue;
            float r = 0.0f;
            for (size_t k = first; k <= last; ++k) {
              const float v = xo[k * inner + i + l];
              r += v * v;
            }
            lane[l] = r;
          }
          s = wasm_v128_load(lane);
        }
        Store(sum + i, lanes, s);
        // pmax(s, 0) is `s < 0 ? 0 : s`, the reference's clamp (NaN stays NaN).
        const v128_t base = wasm_f32x4_add(vbias, wasm_f32x4_mul(vk, wasm_f32x4_pmax(s, zero)));
        const v128_t xc = Load(xo + c * inner + i, lanes);
        Store(yo + c * inner + i, lanes, wasm_f32x4_div(xc, Pow(base, power, beta)));
      }
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
