// Elementwise unary activations over n contiguous floats; x and y may alias.
#pragma once

#include <cstddef>

namespace litecnn {

void f32_vclamp__scalar(size_t n, const float* x, float* y, float min, float max);  // Relu, Clip
void f32_vhswish__scalar(size_t n, const float* x, float* y);  // x * relu6(x + 3) / 6
void f32_vhsigmoid__scalar(size_t n, const float* x, float* y, float alpha,
                           float beta);                         // max(0, min(1, alpha * x + beta))
void f32_vsigmoid__scalar(size_t n, const float* x, float* y);  // 1 / (1 + exp(-x))

}  // namespace litecnn
