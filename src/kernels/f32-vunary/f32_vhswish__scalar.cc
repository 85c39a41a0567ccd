// Reference hard-swish: x * relu6(x + 3) / 6.
#include <algorithm>
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vhswish__scalar(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float relu6 = std::min(std::max(v + 3.0f, 0.0f), 6.0f);
    y[i] = v * relu6 / 6.0f;
  }
}

}  // namespace litecnn
