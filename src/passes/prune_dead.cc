#include "passes/passes.h"

namespace litecnn {

Result<bool> PruneDeadNodes(Graph& g) {
  bool changed = false;
  // Reverse order: removing a consumer can make its producers dead too.
  std::vector<int> uses = g.UseCounts();
  for (size_t i = g.nodes.size(); i-- > 0;) {
    Node& node = g.nodes[i];
    if (node.removed) continue;
    bool used = false;
    for (int o : node.outputs) used = used || uses[o] > 0;
    if (used) continue;
    node.removed = true;
    changed = true;
    for (int v : node.inputs) {
      if (v >= 0) --uses[v];
    }
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
