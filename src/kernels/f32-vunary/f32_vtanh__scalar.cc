// Reference hyperbolic tangent.
#include <cmath>
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vtanh__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}

}  // namespace litecnn
