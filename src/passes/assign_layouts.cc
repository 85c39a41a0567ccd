#include <map>

#include "ops/op_list.h"
#include "passes/passes.h"

namespace litecnn {
namespace {

// Inserts (once per value and target) a node converting `value` to `to`; returns the new id.
int Converted(Graph& g, std::vector<Node>* out_nodes, std::map<std::pair<int, Layout>, int>* cache,
              int value, Layout to) {
  auto key = std::make_pair(value, to);
  auto it = cache->find(key);
  if (it != cache->end()) return it->second;
  TensorDesc d = g.values[value].desc;
  d.layout = to;
  d.constant = nullptr;
  const int id = g.AddValue(g.values[value].name + "@" + LayoutName(to), std::move(d));
  Node n;
  n.name = g.values[value].name + "@" + LayoutName(to);
  n.op_type = "LayoutConvert";
  n.inputs = {value};
  n.outputs = {id};
  n.op = CreateLayoutConvert(to);
  out_nodes->push_back(std::move(n));
  (*cache)[key] = id;
  return id;
}

}  // namespace

Result<bool> AssignLayouts(Graph& g) {
  bool changed = false;
  std::vector<Node> nodes;
  std::map<std::pair<int, Layout>, int> cache;
  for (Node& node : g.nodes) {
    const LayoutPolicy policy = node.op->layout_policy();
    // Constants stay plain and are read as such (weights are packed at Prepare).
    auto needs = [&](int v, Layout want) {
      return v >= 0 && !g.values[v].desc.is_constant() && g.values[v].desc.layout != want;
    };
    Layout out_layout = Layout::kPlain;
    if (policy == LayoutPolicy::kNHWC) {
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        if (node.op->InputIsActivation(i) && needs(node.inputs[i], Layout::kNHWC)) {
          node.inputs[i] = Converted(g, &nodes, &cache, node.inputs[i], Layout::kNHWC);
          changed = true;
        }
      }
      out_layout = Layout::kNHWC;
    } else if (policy == LayoutPolicy::kPlain) {
      for (int& v : node.inputs) {
        if (needs(v, Layout::kPlain)) {
          v = Converted(g, &nodes, &cache, v, Layout::kPlain);
          changed = true;
        }
      }
    } else {
      const int first = node.inputs.empty() ? -1 : node.inputs[0];
      if (first >= 0 && g.values[first].desc.layout == Layout::kNHWC) out_layout = Layout::kNHWC;
    }
    for (int o : node.outputs) {
      g.values[o].desc.layout = g.values[o].desc.dims.size() == 4 ? out_layout : Layout::kPlain;
    }
    nodes.push_back(std::move(node));
  }
  for (int& v : g.outputs) {
    if (g.values[v].desc.layout != Layout::kPlain) {
      v = Converted(g, &nodes, &cache, v, Layout::kPlain);
      changed = true;
    }
  }
  g.nodes = std::move(nodes);
  g.Compact();
  return changed;
}

}  // namespace litecnn
