// Channel shuffle (ShuffleNet): channels viewed as [groups][C / groups] are transposed to
// [C / groups][groups]. Replaces the Reshape-Transpose-Reshape chain (passes/
// recognize_channel_shuffle.cc); with two inputs it also performs the Concat before it
// (ShuffleNetV2: groups = 2, one input per group), so neither the concat nor the transpose
// is ever materialised.
#pragma once

#include <memory>

#include "ops/op.h"

namespace litecnn {

std::unique_ptr<Op> CreateChannelShuffle(size_t groups);

}  // namespace litecnn
