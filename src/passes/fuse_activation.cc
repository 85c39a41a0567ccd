#include "passes/passes.h"

namespace litecnn {

Result<bool> FuseActivations(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& act_node : g.nodes) {
    if (act_node.removed) continue;
    Activation act;
    const ActivationOp* as_act = As<ActivationOp>(act_node.op.get());
    if (!as_act || !as_act->AsActivation(&act)) continue;
    const int v = act_node.inputs[0];
    if (v < 0 || uses[v] != 1) continue;  // someone else reads the pre-activation value
    const int p = g.values[v].producer;
    if (p < 0) continue;
    Node& producer = g.nodes[p];
    if (producer.removed || producer.outputs.size() != 1) continue;
    FusesActivation* fuser = As<FusesActivation>(producer.op.get());
    if (!fuser || !fuser->FuseActivation(act)) continue;
    // The producer now writes the activated value under the activation's output name.
    const int out = act_node.outputs[0];
    producer.outputs[0] = out;
    g.values[out].producer = p;
    act_node.removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
