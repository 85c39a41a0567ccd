#include "passes/passes.h"

namespace litecnn {

// Conv -> BatchNormalization with constant parameters becomes one Conv with scaled weights and
// a shifted bias (new constants: the originals may be shared).
Result<bool> FoldBatchNorm(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& bn : g.nodes) {
    if (bn.removed || bn.inputs.empty() || bn.inputs[0] < 0) continue;
    const int v = bn.inputs[0];
    if (uses[v] != 1) continue;
    const int p = g.values[v].producer;
    if (p < 0 || g.nodes[p].op_type != "Conv" || g.nodes[p].inputs.size() > 3) continue;
    Node& conv = g.nodes[p];
    const int w_id = conv.inputs[1];
    const int b_id = conv.inputs.size() > 2 ? conv.inputs[2] : -1;
    if (!g.values[w_id].desc.is_constant() || (b_id >= 0 && !g.values[b_id].desc.is_constant())) {
      continue;
    }
    std::vector<const TensorDesc*> bn_in;
    for (int id : bn.inputs) bn_in.push_back(id >= 0 ? &g.values[id].desc : nullptr);
    std::vector<float> scale, shift;
    if (!bn.op->AsChannelAffine(bn_in, &scale, &shift)) continue;

    const Tensor& w = *g.values[w_id].desc.constant;
    const int64_t m = w.dims()[0];
    if (static_cast<int64_t>(scale.size()) != m) continue;
    LITECNN_ASSIGN_OR_RETURN(Tensor new_w, w.Clone());
    const int64_t per_out = w.num_elements() / m;
    for (int64_t o = 0; o < m; ++o) {
      for (int64_t i = 0; i < per_out; ++i) new_w.data<float>()[o * per_out + i] *= scale[o];
    }
    LITECNN_ASSIGN_OR_RETURN(Tensor new_b, Tensor::Create(DataType::kFloat32, {m}));
    for (int64_t o = 0; o < m; ++o) {
      const float b = b_id >= 0 ? g.values[b_id].desc.constant->data<float>()[o] : 0.f;
      new_b.data<float>()[o] = b * scale[o] + shift[o];
    }
    TensorDesc wd = g.values[w_id].desc;
    wd.constant = std::make_shared<Tensor>(std::move(new_w));
    TensorDesc bd;
    bd.dtype = DataType::kFloat32;
    bd.dims = {m};
    bd.constant = std::make_shared<Tensor>(std::move(new_b));
    const std::string base = g.values[w_id].name + "@bn";
    const int nw = g.AddValue(base + "_w", std::move(wd));
    const int nb = g.AddValue(base + "_b", std::move(bd));
    Node& c = g.nodes[p];  // AddValue does not move nodes, but re-take the reference for clarity
    c.inputs.resize(3);
    c.inputs[1] = nw;
    c.inputs[2] = nb;
    c.outputs[0] = bn.outputs[0];
    g.values[bn.outputs[0]].producer = p;
    bn.removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
