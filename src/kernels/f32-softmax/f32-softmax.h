// Softmax along an axis of length n: the tensor is viewed as [outer][n][inner].
// Numerically stable (subtracts the max). x and y may alias (in place); n == 0 writes nothing.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_softmax__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);

}  // namespace litecnn
