#include <cmath>

#include "ops/op_list.h"
#include "passes/passes.h"

namespace litecnn {

// torch.onnx.export below opset 14 writes hardswish(x) as Mul(x, HardSigmoid(x, 1/6, 0.5)).
// One HardSwish reads x once instead of twice, and can then fuse into the producing conv.
Result<bool> RecognizeHardSwish(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& mul : g.nodes) {
    if (mul.removed || mul.op_type != "Mul" || mul.inputs.size() != 2) continue;
    for (int side = 0; side < 2; ++side) {
      const int x = mul.inputs[side], hs = mul.inputs[1 - side];
      if (x < 0 || hs < 0 || uses[hs] != 1) continue;
      const int p = g.values[hs].producer;
      if (p < 0 || g.nodes[p].inputs[0] != x) continue;
      Activation act;
      const ActivationOp* as_act = As<ActivationOp>(g.nodes[p].op.get());
      if (!as_act || !as_act->AsActivation(&act) || act.kind != Activation::Kind::kHardSigmoid) {
        continue;
      }
      if (std::fabs(act.alpha - 1.f / 6.f) > 1e-6f || std::fabs(act.beta - 0.5f) > 1e-6f) continue;
      auto hswish = CreateHardSwish(Attributes(nullptr, /*version=*/14));
      if (!hswish.ok()) return hswish.status();
      mul.op = std::move(hswish).value();
      mul.op_type = "HardSwish";
      mul.inputs = {x};
      g.nodes[p].removed = true;
      changed = true;
      break;
    }
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
