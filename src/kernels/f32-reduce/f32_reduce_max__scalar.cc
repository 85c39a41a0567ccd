// Reference maximum over the middle axis of [outer][n][inner]. A NaN element makes its lane NaN
// (`v != v` takes it; nothing compares greater than NaN afterwards), as numpy's max does.
#include <cmath>

#include "kernels/f32-reduce/f32-reduce-scalar-impl.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

LITECNN_REDUCE_MINSIZE void f32_reduce_max__scalar(size_t outer, size_t n, size_t inner,
                                                   const float* x, float* y) {
  ReduceMiddleAxis(outer, n, inner, x, y, -INFINITY,
                   [](float acc, float v) { return v > acc || v != v ? v : acc; });
}

}  // namespace litecnn
