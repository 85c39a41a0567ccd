// Reference same-shape sum with fused clamp: y[i] = clamp(a[i] + b[i], min, max).
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_vadd_minmax__scalar(size_t n, const float* a, const float* b, float* y, float min,
                             float max) {
  for (size_t i = 0; i < n; ++i) {
    const float v = a[i] + b[i];
    y[i] = f32_minmax(v, min, max);
  }
}

}  // namespace litecnn
