// Reference sum over the middle axis of [outer][n][inner], in j order.
#include "kernels/f32-reduce/f32-reduce-scalar-impl.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {

LITECNN_REDUCE_MINSIZE void f32_reduce_sum__scalar(size_t outer, size_t n, size_t inner,
                                                   const float* x, float* y) {
  ReduceMiddleAxis(outer, n, inner, x, y, 0.0f, [](float acc, float v) { return acc + v; });
}

}  // namespace litecnn
