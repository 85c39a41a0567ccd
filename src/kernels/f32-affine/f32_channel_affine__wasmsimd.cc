// wasm SIMD per-channel affine y = x * scale[c] + shift[c] over [outer][channels][inner].
// NHWC (inner == 1): each pixel's channel run against the scale and shift vectors; NCHW
// (inner > 1): each channel plane with its scale and shift splat. Both step 8 floats, then 4;
// the 1-3 float tail goes through 4-float stack buffers so it uses the same instructions.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

#include "kernels/f32-affine/f32-affine.h"

namespace litecnn {

namespace {

// Multiply then add, as the reference (bit-identical: no fused multiply-add in wasm SIMD128).
inline v128_t Affine(v128_t v, v128_t s, v128_t t) {
  return wasm_f32x4_add(wasm_f32x4_mul(v, s), t);
}

// The n (< 4) floats at p in lanes 0..n-1.
inline v128_t LoadTail(const float* p, size_t n) {
  float buf[4] = {0, 0, 0, 0};
  std::memcpy(buf, p, n * sizeof(float));
  return wasm_v128_load(buf);
}

inline void StoreTail(float* p, size_t n, v128_t v) {
  float buf[4];
  wasm_v128_store(buf, v);
  std::memcpy(p, buf, n * sizeof(float));
}

// y[k] = x[k] * scale[k] + shift[k], k < n (one NHWC pixel).
void AffineRun(size_t n, const float* x, const float* scale, const float* shift, float* y) {
  for (; n >= 8; n -= 8, x += 8, scale += 8, shift += 8, y += 8) {
    const v128_t v0 = wasm_v128_load(x);
    const v128_t v1 = wasm_v128_load(x + 4);
    wasm_v128_store(y, Affine(v0, wasm_v128_load(scale), wasm_v128_load(shift)));
    wasm_v128_store(y + 4, Affine(v1, wasm_v128_load(scale + 4), wasm_v128_load(shift + 4)));
  }
  if (n >= 4) {
    wasm_v128_store(y, Affine(wasm_v128_load(x), wasm_v128_load(scale), wasm_v128_load(shift)));
    n -= 4;
    x += 4;
    scale += 4;
    shift += 4;
    y += 4;
  }
  if (n != 0) {
    StoreTail(y, n, Affine(LoadTail(x, n), LoadTail(scale, n), LoadTail(shift, n)));
  }
}

// y[k] = x[k] * s + t, k < n (one NCHW channel plane), s and t splat.
void AffinePlane(size_t n, const float* x, v128_t s, v128_t t, float* y) {
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    const v128_t v0 = wasm_v128_load(x);
    const v128_t v1 = wasm_v128_load(x + 4);
    wasm_v128_store(y, Affine(v0, s, t));
    wasm_v128_store(y + 4, Affine(v1, s, t));
  }
  if (n >= 4) {
    wasm_v128_store(y, Affine(wasm_v128_load(x), s, t));
    n -= 4;
    x += 4;
    y += 4;
  }
  if (n != 0) StoreTail(y, n, Affine(LoadTail(x, n), s, t));
}

}  // namespace

void f32_channel_affine__wasmsimd(size_t outer, size_t channels, size_t inner, const float* x,
                                  const float* scale, const float* shift, float* y) {
  if (inner == 1) {
    for (size_t o = 0; o < outer; ++o) {
      AffineRun(channels, x + o * channels, scale, shift, y + o * channels);
    }
    return;
  }
  for (size_t o = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c) {
      const size_t base = (o * channels + c) * inner;
      AffinePlane(inner, x + base, wasm_f32x4_splat(scale[c]), wasm_f32x4_splat(shift[c]),
                  y + base);
    }
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
