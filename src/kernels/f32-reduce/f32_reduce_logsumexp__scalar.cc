// Reference log-sum-exp over the middle axis of [outer][n][inner]: the lane's max m (the max
// kernel), then m + log(sum_j exp(x_j - m)). An infinite m is the answer itself (exp(x - m)
// would be NaN or 0 there), and an empty lane keeps the max kernel's -inf.
#include <cmath>

#include "kernels/f32-reduce/f32-reduce-scalar-impl.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

LITECNN_REDUCE_MINSIZE void f32_reduce_logsumexp__scalar(size_t outer, size_t n, size_t inner,
                                                         const float* x, float* y) {
  f32_reduce_max__scalar(outer, n, inner, x, y);
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      const float m = y[o * inner + i];
      if (std::isinf(m) || n == 0) continue;  // NaN falls through and stays NaN
      float sum = 0.0f;
      for (size_t j = 0; j < n; ++j) sum += std::exp(x[(o * n + j) * inner + i] - m);
      y[o * inner + i] = m + std::log(sum);
    }
  }
}

}  // namespace litecnn
