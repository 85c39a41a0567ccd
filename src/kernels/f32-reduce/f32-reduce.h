// Mean along one axis: x viewed as [outer][n][inner], y is [outer][inner]. Requires n > 0;
// x and y must not overlap.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_reduce_mean__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);

}  // namespace litecnn
