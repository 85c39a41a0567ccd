// Scalar GEMV reference: four output rows at a time, so each x[i] is loaded once per four rows.
#include <algorithm>

#include "kernels/f32-gemv/f32-gemv-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_gemv_minmax_ukernel_4x1__scalar(size_t nc, size_t kc, const float* x, const float* w,
                                         const float* bias, float* y, float min, float max) {
  size_t j = 0;
  for (; j + 4 <= nc; j += 4) {
    const float* w0 = w + j * kc;
    float acc[4] = {0.f, 0.f, 0.f, 0.f};
    for (size_t i = 0; i < kc; ++i) {
      const float xi = x[i];
      for (size_t r = 0; r < 4; ++r) acc[r] += xi * w0[r * kc + i];
    }
    for (size_t r = 0; r < 4; ++r) {
      const float v = acc[r] + (bias ? bias[j + r] : 0.f);
      y[j + r] = f32_minmax(v, min, max);
    }
  }
  for (; j < nc; ++j) {
    const float* wj = w + j * kc;
    float acc = 0.f;
    for (size_t i = 0; i < kc; ++i) acc += x[i] * wj[i];
    y[j] = f32_minmax(acc + (bias ? bias[j] : 0.f), min, max);
  }
}

}  // namespace litecnn
