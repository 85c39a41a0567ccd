#include "ops/fire.h"
#include "passes/passes.h"

namespace litecnn {
namespace {

// The conv producing value v, if v has exactly `uses` readers and the conv has no addend.
ConvOp* ConvProducer(Graph& g, const std::vector<int>& use_counts, int v, int uses) {
  if (v < 0 || use_counts[v] != uses) return nullptr;
  const int p = g.values[v].producer;
  if (p < 0 || g.nodes[p].removed || g.nodes[p].inputs.size() > 3) return nullptr;
  // The concrete class, not a capability: the Fire op is made of ConvOps.
  return As<ConvOp>(g.nodes[p].op.get());
}

}  // namespace

// Concat(conv_a(s), conv_b(s)) on channels, with s = conv_squeeze(x) read only by the two
// expands, becomes one Fire node (the fire module of SqueezeNet).
Result<bool> FuseFireModules(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& concat : g.nodes) {
    if (concat.removed || concat.op_type != "Concat" || concat.inputs.size() != 2) continue;
    const int a = concat.inputs[0], b = concat.inputs[1], out = concat.outputs[0];
    if (a < 0 || b < 0 || a == b) continue;
    const Dims& da = g.values[a].desc.dims;
    const Dims& db = g.values[b].desc.dims;
    const Dims& dout = g.values[out].desc.dims;
    // Channels (axis 1) is the only axis that grows.
    if (da.size() != 4 || db.size() != 4 || dout.size() != 4 || dout[1] != da[1] + db[1] ||
        da[0] != dout[0] || da[2] != dout[2] || da[3] != dout[3] || db[0] != dout[0] ||
        db[2] != dout[2] || db[3] != dout[3]) {
      continue;
    }
    ConvOp* conv_a = ConvProducer(g, uses, a, 1);
    ConvOp* conv_b = ConvProducer(g, uses, b, 1);
    if (!conv_a || !conv_b) continue;
    Node& node_a = g.nodes[g.values[a].producer];
    Node& node_b = g.nodes[g.values[b].producer];
    const int s = node_a.inputs[0];
    if (node_b.inputs[0] != s) continue;
    ConvOp* squeeze = ConvProducer(g, uses, s, 2);
    if (!squeeze) continue;
    Node& node_s = g.nodes[g.values[s].producer];
    auto input = [](const Node& n, size_t i) { return i < n.inputs.size() ? n.inputs[i] : -1; };
    std::vector<int> inputs = {input(node_s, 0), input(node_s, 1), input(node_s, 2),
                               input(node_a, 1), input(node_a, 2), input(node_b, 1),
                               input(node_b, 2)};
    std::unique_ptr<ConvOp> ops[3];
    Node* nodes[3] = {&node_s, &node_a, &node_b};
    for (int k = 0; k < 3; ++k) {
      ops[k].reset(static_cast<ConvOp*>(nodes[k]->op.release()));
      nodes[k]->removed = true;
    }
    concat.op = CreateFire(std::move(ops[0]), std::move(ops[1]), std::move(ops[2]));
    concat.op_type = "Fire";
    concat.inputs = std::move(inputs);
    // The fused op's internal state (channel split) comes from Infer.
    std::vector<const TensorDesc*> in;
    for (int id : concat.inputs) in.push_back(id >= 0 ? &g.values[id].desc : nullptr);
    std::vector<TensorDesc> o(1);
    LITECNN_RETURN_IF_ERROR(concat.op->Infer(in, &o));
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
