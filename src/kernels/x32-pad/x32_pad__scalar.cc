// Reference N-d pad of 32-bit elements (constant / reflect / edge / wrap).
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "kernels/x32-pad/x32-pad.h"

namespace litecnn {
namespace {

// Maps output coordinate `o` along one axis to the input coordinate it copies from. Returns
// false when `o` lies in constant padding (no source element).
bool SourceCoord(size_t o, size_t pre, size_t in_dim, PadMode mode, size_t* i) {
  if (o >= pre && o - pre < in_dim) {
    *i = o - pre;
    return true;
  }
  switch (mode) {
    case PadMode::kConstant:
      return false;
    case PadMode::kEdge:
      *i = o < pre ? 0 : in_dim - 1;
      return true;
    case PadMode::kReflect:
      // Before: distance pre - o from element 0, mirrored. After: p = o - pre >= in_dim,
      // mirrored about in_dim - 1.
      *i = o < pre ? pre - o : 2 * (in_dim - 1) - (o - pre);
      return true;
    case PadMode::kWrap:
      // Period in_dim: before, (o - pre) mod in_dim counted back from the end.
      *i = o < pre ? (in_dim - (pre - o) % in_dim) % in_dim : (o - pre) % in_dim;
      return true;
  }
  return false;
}

}  // namespace

void x32_pad__scalar(size_t rank, const size_t* in_dims, const size_t* pre, const size_t* post,
                     PadMode mode, uint32_t value, const uint32_t* in, uint32_t* out) {
  assert(rank <= kMaxPadRank);
  if (rank == 0) {  // scalar: nothing to pad
    out[0] = in[0];
    return;
  }
  size_t out_dims[kMaxPadRank] = {};
  size_t in_strides[kMaxPadRank] = {};  // dense row-major input strides
  size_t stride = 1;
  for (size_t k = rank; k-- > 0;) {
    out_dims[k] = in_dims[k] + pre[k] + post[k];
    in_strides[k] = stride;
    stride *= in_dims[k];
  }
  size_t outer_count = 1;
  for (size_t k = 0; k + 1 < rank; ++k) outer_count *= out_dims[k];
  const size_t last = rank - 1;
  const size_t inner = out_dims[last];
  if (outer_count == 0 || inner == 0) return;  // empty output
  for (size_t k = 0; k < rank; ++k) {
    assert(mode != PadMode::kReflect || (pre[k] < in_dims[k] && post[k] < in_dims[k]));
    assert((mode != PadMode::kEdge && mode != PadMode::kWrap) || in_dims[k] > 0);
  }

  size_t index[kMaxPadRank] = {};  // output index over the outer rank-1 axes
  for (size_t row = 0; row < outer_count; ++row) {
    uint32_t* out_row = out + row * inner;
    // Source row offset; a row with any outer coordinate in constant padding is all `value`.
    bool row_in_source = true;
    size_t in_offset = 0;
    for (size_t k = 0; k < last; ++k) {
      size_t i = 0;
      if (!SourceCoord(index[k], pre[k], in_dims[k], mode, &i)) {
        row_in_source = false;
        break;
      }
      in_offset += i * in_strides[k];
    }
    for (size_t j = 0; j < inner; ++j) {
      size_t i = 0;
      const bool found = row_in_source && SourceCoord(j, pre[last], in_dims[last], mode, &i);
      out_row[j] = found ? in[in_offset + i] : value;
    }
    // Advance the odometer over axes rank-2 .. 0.
    for (size_t k = last; k-- > 0;) {
      if (++index[k] < out_dims[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace litecnn
