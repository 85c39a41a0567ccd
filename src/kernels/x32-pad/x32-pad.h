// Pad a dense row-major tensor of 32-bit elements. out_dims[k] = in_dims[k] + pre[k] + post[k].
// pre/post are >= 0 (negative ONNX pads are handled by the op as a slice first).
// mode: constant writes `value` (bit pattern); reflect mirrors without repeating the edge
// (requires pre/post < in_dims); edge repeats the edge element; wrap continues from the other
// end, periodically (pads of any size); edge and wrap require in_dims > 0. These
// requirements apply only when the output is non-empty; constant mode accepts in_dims[k] == 0
// (the output is all `value`). rank 0 copies the single element; empty output: no writes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace litecnn {

constexpr size_t kMaxPadRank = 8;
enum class PadMode { kConstant, kReflect, kEdge, kWrap };

void x32_pad__scalar(size_t rank, const size_t* in_dims, const size_t* pre, const size_t* post,
                     PadMode mode, uint32_t value, const uint32_t* in, uint32_t* out);

}  // namespace litecnn
