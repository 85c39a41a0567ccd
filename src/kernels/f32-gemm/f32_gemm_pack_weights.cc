#include <algorithm>
#include <cstring>

#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace litecnn {

size_t f32_gemm_packed_size(size_t nr, size_t n, size_t k) {
  return (n + nr - 1) / nr * nr * (k + 1);
}

namespace {

// One panel of `cols` (<= nr) output columns: bias row, then k rows of nr weights.
// Kept out of line: packing runs once per load, before V8 has tiered the wasm up, and V8 swaps
// in optimised code only between calls. One call per model would pack a classifier's 1.3M
// weights entirely in the baseline tier (measured: 23 of 28 ms of MobileNetV2's packing went
// to its first, largest Gemm); one call per panel is optimised after the first few panels.
__attribute__((noinline)) void PackPanel(size_t nr, size_t cols, size_t k, const float* w,
                                         const float* bias, float* packed) {
  if (cols < nr) std::fill(packed, packed + nr * (k + 1), 0.f);
  for (size_t j = 0; j < cols; ++j) packed[j] = bias ? bias[j] : 0.f;
  // Each weight row is read once, front to back, and scattered into its panel column: a
  // branch-free inner loop.
  for (size_t j = 0; j < cols; ++j) {
    const float* src = w + j * k;
    float* dst = packed + nr + j;
    for (size_t kk = 0; kk < k; ++kk) dst[kk * nr] = src[kk];
  }
}

}  // namespace

void f32_gemm_pack_weights(size_t nr, size_t n, size_t k, const float* w, const float* bias,
                           float* packed) {
  const size_t panel = nr * (k + 1);
  size_t n0 = 0;
  for (; n0 + nr <= n; n0 += nr, packed += panel) {
    PackPanel(nr, nr, k, w + n0 * k, bias ? bias + n0 : nullptr, packed);
  }
  // A second call site: binaryen (emcc's wasm optimiser) ignores noinline and inlines a
  // function called from one place.
  if (n0 < n) PackPanel(nr, n - n0, k, w + n0 * k, bias ? bias + n0 : nullptr, packed);
}

}  // namespace litecnn
