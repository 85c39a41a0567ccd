// Matrix-vector microkernels over unpacked weights, for fully-connected layers at batch 1:
//   y[j] = clamp(bias[j] + sum_i x[i] * w[j * kc + i], min, max)  for j < nc.
// w: nc rows of kc floats, row-major (ONNX Gemm's B with transB = 1, i.e. PyTorch's Linear
// weight, as stored in the file); bias: nc floats or nullptr (zero). nc >= 1, kc >= 1.
// A single row gains nothing from packing (every weight is read once either way), so the layer
// runs on the initializer itself: no packed copy of megabytes of weights at load.
// Each kernel is listed once in f32-gemv-minmax.inc.
#pragma once

#include <cstddef>

namespace litecnn {

using f32_gemv_minmax_ukernel_fn = void (*)(size_t nc, size_t kc, const float* x, const float* w,
                                            const float* bias, float* y, float min, float max);

#define LITECNN_GEMV_MINMAX_UKERNEL(fn)                                                      \
  void fn(size_t nc, size_t kc, const float* x, const float* w, const float* bias, float* y, \
          float min, float max);
#include "kernels/f32-gemv/f32-gemv-minmax.inc"
#undef LITECNN_GEMV_MINMAX_UKERNEL

}  // namespace litecnn
