// Strided copies of 32- and 64-bit elements: transposes, layout conversion (NCHW <-> NHWC),
// slices, and the pieces of concat / split. The output is dense row-major over dims; the input
// element for output index (i0..ir) is at in + sum(ik * in_strides[k]) (strides in elements,
// may be negative for reversed slices). rank <= kMaxCopyRank. rank 0 copies a single element
// (dims and strides are not read and may be null); a zero in any dims entry means no writes.
// Input and output must not overlap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

constexpr size_t kMaxCopyRank = 8;

void x32_copy_strided__scalar(size_t rank, const size_t* dims, const uint32_t* in,
                              const ptrdiff_t* in_strides, uint32_t* out);
void x64_copy_strided__scalar(size_t rank, const size_t* dims, const uint64_t* in,
                              const ptrdiff_t* in_strides, uint64_t* out);

// As above, but the output is also strided (out_strides in elements): used to write a piece
// into its place inside a larger buffer (concat).
void x32_copy_strided_to_strided__scalar(size_t rank, const size_t* dims, const uint32_t* in,
                                         const ptrdiff_t* in_strides, uint32_t* out,
                                         const ptrdiff_t* out_strides);

}  // namespace litecnn
