// Reductions along one axis: x viewed as [outer][n][inner], y is [outer][inner]. Require n > 0;
// x and y must not overlap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

// Mean.
void f32_reduce_mean__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);

// Index (0..n-1) of the largest element (max) or the smallest (!max), the first of equals or,
// with last, the last. A NaN is both larger and smaller than any number (numpy's argmax and
// argmin): the first NaN wins, or the last with `last`. The s64 form is for int64 data (shape
// arithmetic).
void f32_argminmax__scalar(size_t outer, size_t n, size_t inner, const float* x, bool max,
                           bool last, int64_t* y);
void s64_argminmax__scalar(size_t outer, size_t n, size_t inner, const int64_t* x, bool max,
                           bool last, int64_t* y);

}  // namespace litecnn
