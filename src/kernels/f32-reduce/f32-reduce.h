// Reductions along one axis: x viewed as [outer][n][inner], y is [outer][inner]; a reduction
// over several axes runs one of these per axis (each composes: the max of maxima, the sum of
// sums, the log-sum-exp of log-sum-exps). n == 0 (an empty axis) gives the reduction's identity:
// sum 0, product 1, max -inf, min +inf, log-sum-exp -inf, mean NaN (0 / 0). NaN propagates
// through every one of them. x and y must not overlap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

using f32_reduce_fn = void (*)(size_t outer, size_t n, size_t inner, const float* x, float* y);

void f32_reduce_mean__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);
void f32_reduce_sum__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);
void f32_reduce_prod__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);
void f32_reduce_max__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);
void f32_reduce_min__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);
// log(sum(exp(x))) computed as max + log(sum(exp(x - max))), so large x does not overflow; a
// lane whose max is infinite gives that max.
void f32_reduce_logsumexp__scalar(size_t outer, size_t n, size_t inner, const float* x, float* y);

// Index (0..n-1) of the largest element (max) or the smallest (!max), the first of equals or,
// with last, the last. A NaN is both larger and smaller than any number (numpy's argmax and
// argmin): the first NaN wins, or the last with `last`. The s64 form is for int64 data (shape
// arithmetic).
void f32_argminmax__scalar(size_t outer, size_t n, size_t inner, const float* x, bool max,
                           bool last, int64_t* y);
void s64_argminmax__scalar(size_t outer, size_t n, size_t inner, const int64_t* x, bool max,
                           bool last, int64_t* y);

}  // namespace litecnn
