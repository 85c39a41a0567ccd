// Reference hard-sigmoid: max(0, min(1, alpha * x + beta)).
#include <algorithm>
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vhsigmoid__scalar(size_t n, const float* x, float* y, float alpha, float beta) {
  for (size_t i = 0; i < n; ++i) {
    y[i] = std::max(0.0f, std::min(1.0f, alpha * x[i] + beta));
  }
}

}  // namespace litecnn
