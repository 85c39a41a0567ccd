// Reference leaky ReLU: x < 0 ? alpha * x : x (ONNX LeakyRelu; PRelu with one slope).
#include <cstddef>

#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {

void f32_vlrelu__scalar(size_t n, const float* x, float* y, float alpha) {
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = v < 0.0f ? v * alpha : v;
  }
}

}  // namespace litecnn
