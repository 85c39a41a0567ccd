// Reference same-shape product y[i] = a[i] * b[i].
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {

void f32_vmul__scalar(size_t n, const float* a, const float* b, float* y) {
  for (size_t i = 0; i < n; ++i) {
    y[i] = a[i] * b[i];
  }
}

}  // namespace litecnn
