// GEMM microkernels over packed weights, the engine of pointwise (1x1) convolution on NHWC
// activations and of fully-connected layers:
//   C[i][j] = clamp(bias[j] + sum_k A[i][k] * W[j][k], min, max)  for i < mr, j < nc.
// A: row i at a + i * a_stride (elements), kc floats per row. C: row i at c + i * c_stride.
// packed_w: produced by f32_gemm_pack_weights with this kernel's NR: for each block of NR
// output columns, NR biases then kc rows of NR weights; columns past nc are zero-padded.
// 1 <= mr <= the kernel's MR; nc >= 1; kc >= 1. The kernel loops over all nc columns itself.
// Every kernel sums k in blocks of kGemmKBlock, each from zero, adds them in order, and adds the
// bias last: float32 rounding error then grows with kGemmKBlock + kc / kGemmKBlock rather than
// kc, and at the scale of the products, not of the bias (BN-folded biases are often much larger
// than the sum they shift; one running sum started from the bias rounded every step at the
// bias's ulp). Measured on M-LSD tiny: its convs' error went from 2-8x onnxruntime-web's to
// about the same. Results do not depend on MR or NR.
#pragma once

#include <cstddef>

namespace litecnn {

inline constexpr size_t kGemmKBlock = 64;

using f32_gemm_minmax_ukernel_fn = void (*)(size_t mr, size_t nc, size_t kc, const float* a,
                                            size_t a_stride, const float* packed_w, float* c,
                                            size_t c_stride, float min, float max);

// Floats needed to pack n x k weights for a kernel with the given NR.
size_t f32_gemm_packed_size(size_t nr, size_t n, size_t k);

// w: [n][k] row-major (ONNX Conv OIHW with 1x1 kernels is exactly this); bias: [n] or nullptr.
void f32_gemm_pack_weights(size_t nr, size_t n, size_t k, const float* w, const float* bias,
                           float* packed);

#define LITECNN_GEMM_MINMAX_UKERNEL(fn, mr, nr)                              \
  void fn(size_t mr_, size_t nc, size_t kc, const float* a, size_t a_stride, \
          const float* packed_w, float* c, size_t c_stride, float min, float max);
#include "kernels/f32-gemm/f32-gemm-minmax.inc"
#undef LITECNN_GEMM_MINMAX_UKERNEL

}  // namespace litecnn
