// The one output clamp of every *_minmax kernel and of Clip: max(x, min) first, then
// min(that, max), as ONNX's Clip defines it. So min > max makes every output max, and a NaN
// stays NaN, in every build. The SIMD form is the same expression lane by lane: wasm's
// pmax(a, b) is `a < b ? b : a`, which is std::max(a, b), and pmin(a, b) is `b < a ? b : a`,
// which is std::min(a, b); both are single maxps/minps on x64.
#pragma once

#include <algorithm>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace litecnn {

inline float f32_minmax(float x, float min, float max) { return std::min(std::max(x, min), max); }

#if defined(__wasm_simd128__)
inline v128_t f32x4_minmax(v128_t x, v128_t vmin, v128_t vmax) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(x, vmin), vmax);
}
#endif

}  // namespace litecnn
