// Op: one ONNX operator (or a fused litecnn op). Lifecycle, driven by the graph passes and the
// runtime:
//   1. created from the node's attributes by the registry (attributes parsed and validated);
//   2. Infer(): output dtypes and logical dims from input descs (reading constant inputs such
//      as Reshape's shape); may also fill an output's `constant` directly (Shape);
//   3. layout_policy(): what layouts the op accepts, used by the layout pass;
//   4. Prepare(): once layouts are fixed, pack weights from constant inputs;
//   5. Run(): any number of times, on views of the value buffers.
// Ops compose kernels (src/kernels) and know nothing of the graph or the runtime.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/layout.h"
#include "core/status.h"
#include "ops/scratch.h"
#include "parallel/thread_pool.h"

namespace litecnn {

enum class LayoutPolicy {
  kPlain,  // every input must be kPlain; outputs are kPlain
  kNHWC,   // input 0 must be kNHWC; outputs are kNHWC (spatial ops)
  kAny,    // inputs in any layout (read through strides); outputs rank 4 take kNHWC when
           // input 0 is kNHWC, else kPlain
};

// An activation an op can apply to its own output (set by the fusion passes).
struct Activation {
  enum class Kind { kNone, kClamp, kHardSwish, kHardSigmoid };
  Kind kind = Kind::kNone;
  float min = -INFINITY, max = INFINITY;  // for kClamp (Relu: [0, inf), Relu6: [0, 6])
  float alpha = 0.f, beta = 0.f;          // for kHardSigmoid: clamp(alpha * x + beta, 0, 1)
};

class Op {
 public:
  Op() = default;
  // Not copyable: an op refers to its own scratch until the runtime sets the model's.
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;
  virtual ~Op() = default;

  // inputs[i] is nullptr for an omitted optional input. outputs has one entry per node output.
  virtual Status Infer(const std::vector<const TensorDesc*>& inputs,
                       std::vector<TensorDesc>* outputs) = 0;

  virtual LayoutPolicy layout_policy() const { return LayoutPolicy::kPlain; }

  // False for ops whose outputs must not be computed at load time even if all inputs are
  // constant (none yet); folding runs Run() on Plain constant inputs.
  virtual bool foldable() const { return true; }

  virtual Status Prepare(const std::vector<const TensorDesc*>& inputs,
                         const std::vector<const TensorDesc*>& outputs) {
    (void)inputs;
    (void)outputs;
    return Status::Ok();
  }

  // Fusion hooks for the passes (called after Infer, before Prepare). An op that cannot absorb
  // the rewrite returns false and stays unchanged.
  // Apply `act` to the output. Ops with an addend apply it after the add.
  virtual bool FuseActivation(const Activation& act) {
    (void)act;
    return false;
  }
  // If this op is a standalone activation (Relu, Clip, HardSwish), describes it.
  virtual bool AsActivation(Activation* act) const {
    (void)act;
    return false;
  }
  // If this op is a per-channel affine map of input 0 (y = x * scale[c] + shift[c] along axis 1)
  // with constant parameters, computes them (BatchNormalization).
  virtual bool AsChannelAffine(const std::vector<const TensorDesc*>& inputs,
                               std::vector<float>* scale, std::vector<float>* shift) const {
    (void)inputs;
    (void)scale;
    (void)shift;
    return false;
  }
  // If this op copies channels [*begin, *begin + *count) of a 4-D input (a Slice on axis 1
  // with step 1), says so: consumers may then read those channels in place.
  virtual bool AsChannelSlice(size_t* begin, size_t* count) const {
    (void)begin;
    (void)count;
    return false;
  }
  // Reading input i as channels [offset, offset + its channels) of a wider NHWC value whose
  // pixels are `pixel_stride` floats apart, instead of a dense value: CanRead... asks (after
  // Infer), ReadInputChannelSlice commits (before Prepare; the input desc then describes the
  // wider value).
  virtual bool CanReadInputChannelSlice(size_t i) const {
    (void)i;
    return false;
  }
  virtual void ReadInputChannelSlice(size_t i, size_t offset, size_t pixel_stride) {
    (void)i;
    (void)offset;
    (void)pixel_stride;
  }
  // Writing output 0 as a channel slice of a wider NHWC value: the output view then points at the
  // slice's first channel, and pixels are `pixel_stride` floats apart. CanWrite... asks (after
  // Infer), WriteOutputChannelSlice commits (before Prepare).
  virtual bool CanWriteOutputChannelSlice() const { return false; }
  virtual void WriteOutputChannelSlice(size_t pixel_stride) { (void)pixel_stride; }
  // If this op is a Transpose, its permutation.
  virtual bool AsPermutation(std::vector<int64_t>* perm) const {
    (void)perm;
    return false;
  }
  // Whether input i is an activation that must share the layout of input 0 under kNHWC (a
  // fused residual addend is; weights and bias are not).
  virtual bool InputIsActivation(size_t i) const { return i == 0; }
  // Take one more input, added to the output before the activation (a residual connection).
  // The addend has the output's dims except that it has `channels` channels (axis 1): equal to
  // the output's for a plain residual; fewer when the addend was zero-padded on channels and the
  // padding dropped, in which case it is added to output channels [0, channels) and the other
  // channels get nothing added.
  virtual bool FuseAddend(int64_t channels) {
    (void)channels;
    return false;
  }

  // After Prepare: whether Run still reads constant input i (false once it is packed into the
  // op's own buffers). The runtime frees constants no op needs, so weights are not held twice.
  virtual bool NeedsConstantAtRun(size_t i) const {
    (void)i;
    return true;
  }

  // After Prepare: the microkernel(s) Run uses, for profiles and benchmarks ("" when the op
  // runs a plain loop or a reference kernel only).
  virtual std::string kernel_name() const { return ""; }
  // After Prepare: multiply-adds per Run of the op's convolutions / matrix products (0 for ops
  // without any), for model summaries.
  virtual int64_t macs() const { return 0; }

  // How Run may split its work (set by the runtime after Prepare; ops that split nothing ignore
  // it). Ops that compose other ops pass it on.
  virtual void SetParallelism(const Parallelism& par) { par_ = par; }
  // The model's shared scratch buffers (set by the runtime with the parallelism; until then, an
  // op's own). Ops that compose other ops pass it on.
  virtual void SetScratch(Scratch* scratch) { shared_scratch_ = scratch; }

  // inputs[i].data is nullptr for omitted inputs. Output buffers are preallocated to the
  // inferred dims in the assigned layout.
  virtual Status Run(const std::vector<TensorView>& inputs,
                     const std::vector<TensorView>& outputs) = 0;

 protected:
  Parallelism par_;  // one thread unless SetParallelism says otherwise
  Scratch* shared_scratch_ = &own_scratch_;

 private:
  Scratch own_scratch_;
};

}  // namespace litecnn
