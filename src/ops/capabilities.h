// Capabilities: what a graph pass may ask of an op beyond the lifecycle in op.h. Each is a small
// interface that an op class implements only if it has that capability; a pass asks with
// `As<Capability>(op)`, which is null for ops without it. Adding a capability or an op that has
// one touches neither Op nor the other ops.
//
// Why interfaces and not op-type strings: a pass that fuses "an activation" should not list
// Relu, Clip, HardSwish and HardSigmoid (and every activation the breadth issue adds), and a pass
// that folds "an affine map into the producer's weights" should not know that only Conv can. Op
// types are still matched where the pattern is an ONNX operator itself (a Concat on channels,
// an Add of two values, a Reshape-Transpose-Reshape).
//
// Contract shared by all: the queries (As..., Can...) are valid after Infer and change nothing;
// the rewrites (Fuse..., Read..., Write...) are made after Infer and before Prepare, and a
// rewrite an op cannot absorb returns false and leaves the op unchanged.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/op.h"

namespace litecnn {

template <class Capability>
Capability* As(Op* op) {
  return dynamic_cast<Capability*>(op);
}
template <class Capability>
const Capability* As(const Op* op) {
  return dynamic_cast<const Capability*>(op);
}

// A standalone elementwise activation (Relu, Clip, HardSwish, HardSigmoid, LeakyRelu, PRelu):
// describes it, or returns false when it has no Activation form (a PRelu whose slope is not
// constant, or varies along H or W).
class ActivationOp {
 public:
  virtual ~ActivationOp() = default;
  virtual bool AsActivation(Activation* act) const = 0;
};

// An op that can apply an activation to its own output (convolutions). Ops with an addend
// apply it after the add.
class FusesActivation {
 public:
  virtual ~FusesActivation() = default;
  virtual bool FuseActivation(const Activation& act) = 0;
};

// An op that can take one more input, added to its output before the activation (a residual
// connection). The addend has the output's dims except that it has `channels` channels (axis
// 1): equal to the output's for a plain residual; fewer when the addend was zero-padded on
// channels and the padding dropped, in which case it is added to output channels [0, channels)
// and the other channels get nothing added.
class FusesAddend {
 public:
  virtual ~FusesAddend() = default;
  virtual bool FuseAddend(int64_t channels) = 0;
};

// A per-channel affine map of input 0 (y = x * scale[c] + shift[c] along axis 1): computes scale
// and shift when its parameters are constant, else returns false (BatchNormalization).
class ChannelAffineOp {
 public:
  virtual ~ChannelAffineOp() = default;
  virtual bool AsChannelAffine(const std::vector<const TensorDesc*>& inputs,
                               std::vector<float>* scale, std::vector<float>* shift) const = 0;
};

// An op whose output channel c is a linear function of its constant weights' slice for c plus
// bias[c], with nothing applied after the bias: a per-channel affine map of its output folds
// into new weights and bias. Gives the input indices of both (bias may be absent from the node's
// inputs), or false when something is applied after the bias (a fused addend or activation).
class FoldsOutputAffine {
 public:
  // Where output channel o's weights lie. axis 0 (Conv's [C_out, C_in / groups, kh, kw]): slice
  // o of axis 0. axis 1 (ConvTranspose's [C_in, C_out / groups, kh, kw]): slice
  // o % (C_out / groups) of axis 1, in the axis-0 rows of group o / (C_out / groups).
  struct OutputChannels {
    size_t axis = 0;
    size_t groups = 1;
  };

  virtual ~FoldsOutputAffine() = default;
  virtual bool OutputAffineInputs(size_t* weights, size_t* bias) const = 0;
  virtual OutputChannels OutputChannelsOfWeights() const { return {}; }
};

// A pass-through: output 0 is input 0 (Identity, Dropout at inference).
class IdentityOp {
 public:
  virtual ~IdentityOp() = default;
};

// A copy of channels [*begin, *begin + *count) of a 4-D input (a Slice on axis 1 with step 1):
// says so, or returns false for any other slice. Its readers may then read the channels in place.
class ChannelSliceOp {
 public:
  virtual ~ChannelSliceOp() = default;
  virtual bool AsChannelSlice(size_t* begin, size_t* count) const = 0;
};

// A permutation of the input's axes (Transpose).
class PermutationOp {
 public:
  virtual ~PermutationOp() = default;
  virtual bool AsPermutation(std::vector<int64_t>* perm) const = 0;
};

// Reads input i as channels [offset, offset + its channels) of a wider NHWC value whose pixels
// are `pixel_stride` floats apart, instead of a dense value: CanRead... asks, Read... commits
// (the input desc then describes the wider value).
class ReadsChannelSlices {
 public:
  virtual ~ReadsChannelSlices() = default;
  virtual bool CanReadInputChannelSlice(size_t i) const = 0;
  virtual void ReadInputChannelSlice(size_t i, size_t offset, size_t pixel_stride) = 0;
};

// Writes output 0 as a channel slice of a wider NHWC value: the output view then points at the
// slice's first channel, and pixels are `pixel_stride` floats apart. CanWrite... asks,
// Write... commits.
class WritesChannelSlices {
 public:
  virtual ~WritesChannelSlices() = default;
  virtual bool CanWriteOutputChannelSlice() const = 0;
  virtual void WriteOutputChannelSlice(size_t pixel_stride) = 0;
};

}  // namespace litecnn
