// Reference ELU family: x > 0 ? beta * x : alpha * expm1(x). Elu is (alpha, 1), Selu
// (alpha * gamma, gamma). expm1, not exp(x) - 1, which loses every significant bit near 0.
#include <cmath>
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_velu__scalar(size_t n, const float* x, float* y, float alpha, float beta) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = v > 0.0f ? beta * v : alpha * std::expm1(v);
  }
}

}  // namespace litecnn
