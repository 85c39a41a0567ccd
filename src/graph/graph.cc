#include "graph/graph.h"

#include <algorithm>

namespace litecnn {

int Graph::AddValue(std::string name, TensorDesc desc) {
  Value v;
  v.name = std::move(name);
  v.desc = std::move(desc);
  values.push_back(std::move(v));
  return static_cast<int>(values.size()) - 1;
}

std::string Graph::NodeLabel(size_t i) const {
  const Node& n = nodes[i];
  return n.op_type + " node " + (n.name.empty() ? "#" + std::to_string(i) : "'" + n.name + "'");
}

std::vector<int> Graph::UseCounts() const {
  std::vector<int> uses(values.size(), 0);
  for (const Node& n : nodes) {
    if (n.removed) continue;
    for (int v : n.inputs) {
      if (v >= 0) ++uses[v];
    }
  }
  for (int v : outputs) ++uses[v];
  return uses;
}

void Graph::ReplaceUses(int from, int to) {
  for (Node& n : nodes) {
    std::replace(n.inputs.begin(), n.inputs.end(), from, to);
  }
  std::replace(outputs.begin(), outputs.end(), from, to);
}

void Graph::Compact() {
  nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [](const Node& n) { return n.removed; }),
              nodes.end());
  for (Value& v : values) v.producer = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (int o : nodes[i].outputs) {
      if (o >= 0) values[o].producer = static_cast<int>(i);
    }
  }
}

}  // namespace litecnn
