// Reference clamp (Relu / Relu6 / Clip).
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"
#include "kernels/minmax.h"

namespace litecnn {

void f32_vclamp__scalar(size_t n, const float* x, float* y, float min, float max) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = f32_minmax(v, min, max);
  }
}

}  // namespace litecnn
