// Reference arg-min/max over the middle axis of [outer][n][inner] (int64_t data).
#include "kernels/f32-reduce/argminmax-scalar.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

void s64_argminmax__scalar(size_t outer, size_t n, size_t inner, const int64_t* x, bool max,
                           bool last, int64_t* y) {
  reduce_internal::ArgMinMax(outer, n, inner, x, max, last, y);
}

}  // namespace litecnn
