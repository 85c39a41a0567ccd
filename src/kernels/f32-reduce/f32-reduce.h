// Reductions along one axis: x viewed as [outer][n][inner], y is [outer][inner]; a reduction
// over several axes runs one of these per axis (each composes: the max of maxima, the sum of
// sums, the log-sum-exp of log-sum-exps). n == 0 (an empty axis) gives the reduction's identity:
// sum 0, product 1, max -inf, min +inf, log-sum-exp -inf, mean NaN (0 / 0). NaN propagates
// through every one of them. x and y must not overlap.
#pragma once

#include <cstddef>

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

}  // namespace litecnn
