// Reference strided-to-strided copy of 32-bit elements (writes a piece into a larger buffer).
#include <cstddef>
#include <cstdint>

#include "kernels/x32-copy/copy-strided-scalar.h"
#include "kernels/x32-copy/x32-copy.h"

namespace litecnn {

void x32_copy_strided_to_strided__scalar(size_t rank, const size_t* dims, const uint32_t* in,
                                         const ptrdiff_t* in_strides, uint32_t* out,
                                         const ptrdiff_t* out_strides) {
  copy_internal::StridedCopy(rank, dims, in, in_strides, out, out_strides);
}

}  // namespace litecnn
