// Reference strided elementwise out = max(a, b) (Max) with stride-expressed broadcasting.
#include <algorithm>
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vbinary/vbinary-strided-scalar.h"

namespace litecnn {

void f32_vmax_strided__scalar(size_t rank, const size_t* out_dims, const float* a,
                              const ptrdiff_t* a_strides, const float* b,
                              const ptrdiff_t* b_strides, float* out) {
  vbinary_internal::StridedBinary(rank, out_dims, a, a_strides, b, b_strides, out,
                                  [](float x, float y) { return std::max(x, y); });
}

}  // namespace litecnn
