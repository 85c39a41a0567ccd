// Reference strided elementwise out = a < 0 ? a * b : a (PRelu, b the slope) with
// stride-expressed broadcasting.
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vbinary/vbinary-strided-scalar.h"

namespace litecnn {

void f32_vprelu_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                                const ptrdiff_t* a_strides, const float* b,
                                const ptrdiff_t* b_strides, float* out) {
  vbinary_internal::StridedBinary(rank, out_dims, a, a_strides, b, b_strides, out,
                                  [](float x, float y) { return x < 0.0f ? x * y : x; });
}

}  // namespace litecnn
