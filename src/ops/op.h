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

#include <memory>
#include <string>
#include <vector>

#include "core/layout.h"
#include "core/status.h"

namespace litecnn {

enum class LayoutPolicy {
  kPlain,  // every input must be kPlain; outputs are kPlain
  kNHWC,   // input 0 must be kNHWC; outputs are kNHWC (spatial ops)
  kAny,    // inputs in any layout (read through strides); outputs rank 4 take kNHWC when
           // input 0 is kNHWC, else kPlain
};

class Op {
 public:
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

  // inputs[i].data is nullptr for omitted inputs. Output buffers are preallocated to the
  // inferred dims in the assigned layout.
  virtual Status Run(const std::vector<TensorView>& inputs,
                     const std::vector<TensorView>& outputs) = 0;
};

}  // namespace litecnn
