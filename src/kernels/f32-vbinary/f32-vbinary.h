// Elementwise binary ops with numpy broadcasting expressed as strides: the output is dense
// row-major over out_dims[0..rank); input element for output index (i0..ir) is at
// sum(ik * strides[k]) (stride 0 on broadcast axes; negative strides allowed, with a/b pointing
// at the element for index 0). rank <= kMaxBinaryRank. rank 0 is a single element (dims and
// strides are not read and may be null); a zero in any out_dims entry means no writes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

constexpr size_t kMaxBinaryRank = 6;

void f32_vadd_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
void f32_vmul_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
void f32_vsub_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
void f32_vdiv_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
// std::max(a, b), std::min(a, b) (Max, Min); a < 0 ? a * b : a (PRelu, b the slope).
void f32_vmax_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
void f32_vmin_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out);
void f32_vprelu_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                                const ptrdiff_t* a_strides, const float* b,
                                const ptrdiff_t* b_strides, float* out);
using f32_vstrided_ukernel_fn = void (*)(size_t rank, const size_t* out_dims, const float* a,
                                         const ptrdiff_t* a_strides, const float* b,
                                         const ptrdiff_t* b_strides, float* out);

// ---- Fast paths (dense, no strides), listed in f32-vbinary.inc ---------------------------------
// The strided kernels above are the general fallback; the ops pick these when the shapes allow.
// y may alias an input exactly (in place); n, rows or channels == 0 writes nothing. SIMD variants
// are bit-identical to the scalar ones (one IEEE add or multiply per element, no FMA).

// Same shape: y[i] = clamp(a[i] + b[i], min, max) for i < n. Residual adds pass -inf/+inf, or
// 0/+inf to fuse a following Relu. min <= max.
void f32_vadd_minmax__scalar(size_t n, const float* a, const float* b, float* y, float min,
                             float max);
// Same shape: y[i] = a[i] * b[i] for i < n.
void f32_vmul__scalar(size_t n, const float* a, const float* b, float* y);
// Row-vector broadcast over NHWC rows: y[r][c] = a[r][c] * b_vec[c] for r < rows, c < channels,
// a and y dense [rows][channels]. Squeeze-excitation: a is [H*W][C], b_vec the [C] gate of one
// image (call once per image for batch > 1).
void f32_vmul_rowvec__scalar(size_t rows, size_t channels, const float* a, const float* b_vec,
                             float* y);
// As above with y[r][c] = a[r][c] + b_vec[c] (bias add over NHWC rows).
void f32_vadd_rowvec__scalar(size_t rows, size_t channels, const float* a, const float* b_vec,
                             float* y);
// As above with y[r][c] = a[r][c] < 0 ? a[r][c] * b_vec[c] : a[r][c] (per-channel PRelu, also
// fused into convs; a select, so SIMD keeps -0 and NaN as the reference does).
void f32_vprelu_rowvec__scalar(size_t rows, size_t channels, const float* a, const float* b_vec,
                               float* y);

using f32_vadd_minmax_ukernel_fn = void (*)(size_t n, const float* a, const float* b, float* y,
                                            float min, float max);
using f32_vmul_ukernel_fn = void (*)(size_t n, const float* a, const float* b, float* y);
using f32_vrowvec_ukernel_fn = void (*)(size_t rows, size_t channels, const float* a,
                                        const float* b_vec, float* y);

#define LITECNN_VADD_MINMAX_UKERNEL(fn) \
  void fn(size_t n, const float* a, const float* b, float* y, float min, float max);
#define LITECNN_VMUL_UKERNEL(fn) void fn(size_t n, const float* a, const float* b, float* y);
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn) \
  void fn(size_t rows, size_t channels, const float* a, const float* b_vec, float* y);
#define LITECNN_VADD_ROWVEC_UKERNEL(fn) \
  void fn(size_t rows, size_t channels, const float* a, const float* b_vec, float* y);
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn) \
  void fn(size_t rows, size_t channels, const float* a, const float* b_vec, float* y);
#include "kernels/f32-vbinary/f32-vbinary.inc"
#undef LITECNN_VADD_MINMAX_UKERNEL
#undef LITECNN_VMUL_UKERNEL
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#undef LITECNN_VADD_ROWVEC_UKERNEL
#undef LITECNN_VPRELU_ROWVEC_UKERNEL

}  // namespace litecnn
