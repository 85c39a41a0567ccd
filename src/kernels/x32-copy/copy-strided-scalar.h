// Shared loop for the scalar strided copy kernels (internal to x32-copy).
// Walks dims row-major; the last axis is the inner loop, the others are an odometer.
#pragma once

#include <cassert>
#include <cstddef>

#include "kernels/x32-copy/x32-copy.h"

namespace litecnn {
namespace copy_internal {

// out_strides == nullptr means the output is dense row-major over dims.
template <typename T>
void StridedCopy(size_t rank, const size_t* dims, const T* in, const ptrdiff_t* in_strides, T* out,
                 const ptrdiff_t* out_strides) {
  assert(rank <= kMaxCopyRank);
  if (rank == 0) {  // scalar
    out[0] = in[0];
    return;
  }
  // Dense row-major strides for the output when none are given.
  ptrdiff_t dense_strides[kMaxCopyRank] = {};
  if (out_strides == nullptr) {
    ptrdiff_t stride = 1;
    for (size_t k = rank; k-- > 0;) {
      dense_strides[k] = stride;
      stride *= static_cast<ptrdiff_t>(dims[k]);
    }
    out_strides = dense_strides;
  }
  size_t outer_count = 1;
  for (size_t k = 0; k + 1 < rank; ++k) outer_count *= dims[k];
  const size_t inner = dims[rank - 1];
  if (outer_count == 0 || inner == 0) return;  // empty
  const ptrdiff_t in_inner_stride = in_strides[rank - 1];
  const ptrdiff_t out_inner_stride = out_strides[rank - 1];

  size_t index[kMaxCopyRank] = {};  // index over the outer rank-1 axes
  for (size_t row = 0; row < outer_count; ++row) {
    ptrdiff_t in_offset = 0;
    ptrdiff_t out_offset = 0;
    for (size_t k = 0; k + 1 < rank; ++k) {
      in_offset += static_cast<ptrdiff_t>(index[k]) * in_strides[k];
      out_offset += static_cast<ptrdiff_t>(index[k]) * out_strides[k];
    }
    // Not vectorised: clang's vectorised copy, with its runtime stride and overlap checks, was
    // ~2 KB of the download per element size, for the copies no specialised kernel covers.
#if defined(__clang__)
#pragma clang loop vectorize(disable) interleave(disable)
#endif
    for (size_t j = 0; j < inner; ++j) {
      const ptrdiff_t sj = static_cast<ptrdiff_t>(j);
      out[out_offset + sj * out_inner_stride] = in[in_offset + sj * in_inner_stride];
    }
    // Advance the odometer over axes rank-2 .. 0.
    for (size_t k = rank - 1; k-- > 0;) {
      if (++index[k] < dims[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace copy_internal
}  // namespace litecnn
