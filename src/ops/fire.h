// The fire module (SqueezeNet) as one op: a squeeze conv into scratch, then two expand convs
// reading it and writing straight into their channel slices of the concatenated output, so the
// Concat copy never happens. Recognised by passes/fuse_fire.cc.
#pragma once

#include <memory>

#include "ops/conv.h"

namespace litecnn {

// Inputs: x, squeeze W, squeeze B, first W, first B, second W, second B (biases may be
// omitted). Output: Concat(first(s), second(s)) on channels, where s = squeeze(x).
std::unique_ptr<Op> CreateFire(std::unique_ptr<ConvOp> squeeze, std::unique_ptr<ConvOp> first,
                               std::unique_ptr<ConvOp> second);

}  // namespace litecnn
