// Op: one ONNX operator (or a fused litecnn op). Lifecycle, driven by the graph passes and the
// runtime:
//   1. created from the node's attributes by the registry (attributes parsed and validated);
//   2. Infer(): output dtypes and logical dims from input descs (reading constant inputs such
//      as Reshape's shape); may also fill an output's `constant` directly (Shape);
//   3. layout_policy(): what layouts the op accepts, used by the layout pass;
//   4. Prepare(): once layouts are fixed, pack weights from constant inputs;
//   5. Run(): any number of times, on views of the value buffers.
// Ops compose kernels (src/kernels) and know nothing of the graph or the runtime. What a pass
// may ask of particular ops (fusing an activation, reading a channel slice in place, ...) is in
// ops/capabilities.h, not here.
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
  enum class Kind { kNone, kClamp, kHardSwish, kHardSigmoid, kLeakyRelu, kPRelu };
  Kind kind = Kind::kNone;
  float min = -INFINITY, max = INFINITY;  // for kClamp (Relu: [0, inf), Relu6: [0, 6])
  float alpha = 0.f, beta = 0.f;          // for kHardSigmoid: clamp(alpha * x + beta, 0, 1);
                                          // kLeakyRelu: x < 0 ? alpha * x : x
  std::vector<float> slopes;              // for kPRelu: x < 0 ? slopes[c] * x : x (per channel)
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

  // Whether input i is an activation that must share the layout of input 0 under kNHWC (a
  // fused residual addend is; weights and bias are not).
  virtual bool InputIsActivation(size_t i) const { return i == 0; }
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

  // The axis of output k whose length depends on the input values, not only on their dims
  // (NonMaxSuppression's selected boxes, TopK's outputs when K is fed at Run), or -1. Infer
  // gives that axis its largest length, which the memory plan reserves; Run writes the output
  // dense in its actual dims from the start of its buffer, and run_length(k) is then that
  // axis's length. The runtime lets such a value be a graph output only (src/README.md,
  // "Outputs of data-dependent length").
  virtual int dynamic_axis(size_t k) const {
    (void)k;
    return -1;
  }
  virtual int64_t run_length(size_t k) const {
    (void)k;
    return 0;
  }

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
