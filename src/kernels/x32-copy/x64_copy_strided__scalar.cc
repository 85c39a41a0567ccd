// Reference strided gather of 64-bit elements into a dense row-major output.
#include <cstddef>
#include <cstdint>

#include "kernels/x32-copy/copy-strided-scalar.h"
#include "kernels/x32-copy/x32-copy.h"

namespace litecnn {

void x64_copy_strided__scalar(size_t rank, const size_t* dims, const uint64_t* in,
                              const ptrdiff_t* in_strides, uint64_t* out) {
  copy_internal::StridedCopy(rank, dims, in, in_strides, out, nullptr);
}

}  // namespace litecnn
