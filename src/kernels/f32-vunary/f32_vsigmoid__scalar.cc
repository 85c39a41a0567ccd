// Reference logistic sigmoid: 1 / (1 + exp(-x)). exp overflow for very negative x gives
// 1 / inf = 0, so the result is always finite in [0, 1] for finite x.
#include <cmath>
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vsigmoid__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) {
    y[i] = 1.0f / (1.0f + std::exp(-x[i]));
  }
}

}  // namespace litecnn
