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

}  // namespace litecnn
