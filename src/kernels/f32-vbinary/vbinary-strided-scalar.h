// Shared loop for the scalar strided binary kernels (internal to f32-vbinary).
// Walks the dense output row-major; the last axis is the inner loop, the others are an odometer.
#pragma once

#include <cassert>
#include <cstddef>

#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {
namespace vbinary_internal {

template <typename Op>
void StridedBinary(size_t rank, const size_t* out_dims, const float* a, const ptrdiff_t* a_strides,
                   const float* b, const ptrdiff_t* b_strides, float* out, Op op) {
  assert(rank <= kMaxBinaryRank);
  if (rank == 0) {  // scalar
    out[0] = op(a[0], b[0]);
    return;
  }
  size_t outer_count = 1;
  for (size_t k = 0; k + 1 < rank; ++k) outer_count *= out_dims[k];
  const size_t inner = out_dims[rank - 1];
  if (outer_count == 0 || inner == 0) return;  // empty output
  const ptrdiff_t a_inner_stride = a_strides[rank - 1];
  const ptrdiff_t b_inner_stride = b_strides[rank - 1];

  size_t index[kMaxBinaryRank] = {};  // index over the outer rank-1 axes
  for (size_t row = 0; row < outer_count; ++row) {
    ptrdiff_t a_offset = 0;
    ptrdiff_t b_offset = 0;
    for (size_t k = 0; k + 1 < rank; ++k) {
      a_offset += static_cast<ptrdiff_t>(index[k]) * a_strides[k];
      b_offset += static_cast<ptrdiff_t>(index[k]) * b_strides[k];
    }
    float* out_row = out + row * inner;
    // Not vectorised: the general fallback (broadcasts the ops' fast paths do not cover), where
    // clang's vectorised loop with its runtime stride and alias checks was 2.7 KB per operator
    // of the download.
#if defined(__clang__)
#pragma clang loop vectorize(disable) interleave(disable)
#endif
    for (size_t j = 0; j < inner; ++j) {
      const ptrdiff_t sj = static_cast<ptrdiff_t>(j);
      out_row[j] = op(a[a_offset + sj * a_inner_stride], b[b_offset + sj * b_inner_stride]);
    }
    // Advance the odometer over axes rank-2 .. 0.
    for (size_t k = rank - 1; k-- > 0;) {
      if (++index[k] < out_dims[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace vbinary_internal
}  // namespace litecnn
