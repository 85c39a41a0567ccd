#include "passes/passes.h"

namespace litecnn {

Result<bool> DropIdentity(Graph& g) {
  bool changed = false;
  for (Node& node : g.nodes) {
    if (node.removed) continue;
    if (!As<IdentityOp>(node.op.get())) continue;
    if (node.outputs.size() != 1 || node.inputs.empty() || node.inputs[0] < 0) continue;
    const int in = node.inputs[0], out = node.outputs[0];
    // A graph input passed straight to a graph output keeps its copy: the runtime gives each
    // graph output its own buffer.
    bool in_is_graph_input = false;
    for (int id : g.inputs) in_is_graph_input = in_is_graph_input || id == in;
    bool out_is_graph_output = false;
    for (int id : g.outputs) out_is_graph_output = out_is_graph_output || id == out;
    if (in_is_graph_input && out_is_graph_output) continue;
    g.ReplaceUses(out, in);
    node.removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
