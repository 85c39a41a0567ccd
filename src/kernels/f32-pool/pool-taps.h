// Window-tap ranges shared by the SIMD pooling kernels (internal to f32-pool).
#pragma once

#include <cstddef>

namespace litecnn {
namespace pool_internal {

// Taps [begin, end) of a window along one axis that land inside the input: tap k sits at padded
// coordinate out_index * stride + k * dilation, and the input covers [pad, pad + in). Clipping
// the range once per output pixel replaces a bounds test per tap.
struct TapRange {
  size_t begin, end;
};

inline TapRange InputTaps(size_t out_index, size_t stride, size_t dilation, size_t kernel,
                          size_t pad, size_t in) {
  const size_t start = out_index * stride;
  size_t begin = start < pad ? (pad - start + dilation - 1) / dilation : 0;
  size_t end = start < pad + in ? (pad + in - start + dilation - 1) / dilation : 0;
  if (end > kernel) end = kernel;
  if (begin > end) begin = end;
  return {begin, end};
}

// Number of taps inside the padded extent [0, padded): taps past it are ceil_mode overhang.
inline size_t PaddedTaps(size_t out_index, size_t stride, size_t dilation, size_t kernel,
                         size_t padded) {
  const size_t start = out_index * stride;
  if (start >= padded) return 0;
  const size_t count = (padded - start + dilation - 1) / dilation;
  return count < kernel ? count : kernel;
}

}  // namespace pool_internal
}  // namespace litecnn
