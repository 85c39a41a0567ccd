// Reference arg-min/max over the middle axis of [outer][n][inner] (float data).
#include "kernels/f32-reduce/argminmax-scalar.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

void f32_argminmax__scalar(size_t outer, size_t n, size_t inner, const float* x, bool max,
                           bool last, int64_t* y) {
  reduce_internal::ArgMinMax(outer, n, inner, x, max, last, y);
}

}  // namespace litecnn
