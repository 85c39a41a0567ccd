// wasm SIMD softmax along the middle axis of [outer][n][inner], in three passes per lane (max,
// exp and sum, scale), like the reference.
// - inner == 1 (the axis is innermost, e.g. class scores): each row is vectorised along n,
//   8 floats per step.
// - inner > 1 (softmax over a non-innermost axis): 4 adjacent lanes (o, i..i+3) at once, stepping
//   j by inner, so every load is one contiguous v128 and each lane's max and sum run in the
//   reference's order; the last 1-3 lanes (and inner = 2, 3) go through a 4-float stack buffer.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstring>

#include "kernels/f32-softmax/f32-softmax.h"
#include "kernels/f32-vunary/f32-vexp-wasmsimd.h"

namespace litecnn {

namespace {

using vexp_internal::VExpNonPositive;

// pmax(a, b) is `a < b ? b : a`, the reference's `if (v > max) max = v`.
float HorizontalMax(v128_t v) {
  v = wasm_f32x4_pmax(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_pmax(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

float HorizontalSum(v128_t v) {
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

// Softmax of one contiguous row of n > 0 floats.
void SoftmaxRow(size_t n, const float* x, float* y) {
  v128_t vmax0 = wasm_f32x4_splat(x[0]);
  v128_t vmax1 = vmax0;
  size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    vmax0 = wasm_f32x4_pmax(vmax0, wasm_v128_load(x + j));
    vmax1 = wasm_f32x4_pmax(vmax1, wasm_v128_load(x + j + 4));
  }
  if (j + 4 <= n) {
    vmax0 = wasm_f32x4_pmax(vmax0, wasm_v128_load(x + j));
    j += 4;
  }
  float max = HorizontalMax(wasm_f32x4_pmax(vmax0, vmax1));
  for (; j < n; ++j) {
    if (x[j] > max) max = x[j];
  }

  const v128_t vmax = wasm_f32x4_splat(max);
  v128_t vsum0 = wasm_f32x4_splat(0.0f);
  v128_t vsum1 = vsum0;
  j = 0;
  for (; j + 8 <= n; j += 8) {
    const v128_t e0 = VExpNonPositive(wasm_f32x4_sub(wasm_v128_load(x + j), vmax));
    const v128_t e1 = VExpNonPositive(wasm_f32x4_sub(wasm_v128_load(x + j + 4), vmax));
    wasm_v128_store(y + j, e0);  // x[j..j+7] already read: safe in place
    wasm_v128_store(y + j + 4, e1);
    vsum0 = wasm_f32x4_add(vsum0, e0);
    vsum1 = wasm_f32x4_add(vsum1, e1);
  }
  if (j + 4 <= n) {
    const v128_t e = VExpNonPositive(wasm_f32x4_sub(wasm_v128_load(x + j), vmax));
    wasm_v128_store(y + j, e);
    vsum0 = wasm_f32x4_add(vsum0, e);
    j += 4;
  }
  float sum = HorizontalSum(wasm_f32x4_add(vsum0, vsum1));
  if (j < n) {
    // The tail goes through the same vector exp as the body, so equal inputs get equal outputs
    // wherever they sit in the row. Only the n - j real lanes enter the sum.
    const size_t rest = n - j;
    float tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, x + j, rest * sizeof(float));
    wasm_v128_store(tail, VExpNonPositive(wasm_f32x4_sub(wasm_v128_load(tail), vmax)));
    std::memcpy(y + j, tail, rest * sizeof(float));
    for (size_t k = 0; k < rest; ++k) sum += tail[k];
  }

  // sum >= 1 (the max element contributes exp(0)), so 1 / sum is a normal float and the
  // multiply is within 1 ulp of the reference's divide.
  const float scale = 1.0f / sum;
  const v128_t vscale = wasm_f32x4_splat(scale);
  j = 0;
  for (; j + 8 <= n; j += 8) {
    wasm_v128_store(y + j, wasm_f32x4_mul(wasm_v128_load(y + j), vscale));
    wasm_v128_store(y + j + 4, wasm_f32x4_mul(wasm_v128_load(y + j + 4), vscale));
  }
  if (j + 4 <= n) {
    wasm_v128_store(y + j, wasm_f32x4_mul(wasm_v128_load(y + j), vscale));
    j += 4;
  }
  for (; j < n; ++j) y[j] *= scale;  // the same multiply as the vector lanes
}

// `lanes` (1-4) adjacent floats at p; lanes past them read as 0 (their results are dropped).
template <bool kFull>
v128_t LoadLanes(const float* p, size_t lanes) {
  if (kFull) return wasm_v128_load(p);
  float buf[4] = {0, 0, 0, 0};
  std::memcpy(buf, p, lanes * sizeof(float));
  return wasm_v128_load(buf);
}

template <bool kFull>
void StoreLanes(float* p, size_t lanes, v128_t v) {
  if (kFull) {
    wasm_v128_store(p, v);
    return;
  }
  float buf[4];
  wasm_v128_store(buf, v);
  std::memcpy(p, buf, lanes * sizeof(float));
}

// Softmax of `lanes` adjacent lanes whose n > 0 elements are `stride` floats apart. Per lane,
// the max and the sum accumulate in j order, as in the reference.
template <bool kFull>
void SoftmaxLanes(size_t n, size_t stride, size_t lanes, const float* x, float* y) {
  v128_t vmax = LoadLanes<kFull>(x, lanes);
  for (size_t j = 1; j < n; ++j) {
    vmax = wasm_f32x4_pmax(vmax, LoadLanes<kFull>(x + j * stride, lanes));
  }
  v128_t vsum = wasm_f32x4_splat(0.0f);
  for (size_t j = 0; j < n; ++j) {
    const v128_t e = VExpNonPositive(wasm_f32x4_sub(LoadLanes<kFull>(x + j * stride, lanes), vmax));
    StoreLanes<kFull>(y + j * stride, lanes, e);
    vsum = wasm_f32x4_add(vsum, e);
  }
  // Every lane's sum is >= 1 (see SoftmaxRow), padding lanes' too (exp(0 - 0) = 1).
  const v128_t vscale = wasm_f32x4_div(wasm_f32x4_splat(1.0f), vsum);
  for (size_t j = 0; j < n; ++j) {
    float* row = y + j * stride;
    StoreLanes<kFull>(row, lanes, wasm_f32x4_mul(LoadLanes<kFull>(row, lanes), vscale));
  }
}

}  // namespace

void f32_softmax__wasmsimd(size_t outer, size_t n, size_t inner, const float* x, float* y) {
  if (n == 0) return;  // empty tensor
  if (inner == 1) {
    for (size_t o = 0; o < outer; ++o) SoftmaxRow(n, x + o * n, y + o * n);
    return;
  }
  for (size_t o = 0; o < outer; ++o) {
    const float* xo = x + o * n * inner;
    float* yo = y + o * n * inner;
    size_t i = 0;
    for (; i + 4 <= inner; i += 4) SoftmaxLanes<true>(n, inner, 4, xo + i, yo + i);
    if (i < inner) SoftmaxLanes<false>(n, inner, inner - i, xo + i, yo + i);
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
