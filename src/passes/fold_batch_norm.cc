#include <algorithm>

#include "passes/passes.h"

namespace litecnn {

// Conv or ConvTranspose (any op that folds an affine map of its output) -> BatchNormalization (any
// per-channel affine op) with constant parameters becomes one op with scaled weights and a shifted
// bias (new constants: the originals may be shared).
Result<bool> FoldBatchNorm(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& bn : g.nodes) {
    if (bn.removed || bn.inputs.empty() || bn.inputs[0] < 0) continue;
    const int v = bn.inputs[0];
    if (uses[v] != 1) continue;
    const int p = g.values[v].producer;
    if (p < 0 || g.nodes[p].removed || g.nodes[p].outputs.size() != 1) continue;
    const FoldsOutputAffine* folder = As<FoldsOutputAffine>(g.nodes[p].op.get());
    const ChannelAffineOp* affine = As<ChannelAffineOp>(bn.op.get());
    size_t w_in = 0, b_in = 0;
    if (!folder || !affine || !folder->OutputAffineInputs(&w_in, &b_in)) continue;
    const Node& producer = g.nodes[p];
    if (w_in >= producer.inputs.size() || producer.inputs[w_in] < 0) continue;
    const int w_id = producer.inputs[w_in];
    const int b_id = b_in < producer.inputs.size() ? producer.inputs[b_in] : -1;
    const TensorDesc& wd0 = g.values[w_id].desc;
    if (!wd0.is_constant() || wd0.dtype != DataType::kFloat32 || wd0.dims.empty() ||
        (b_id >= 0 && !g.values[b_id].desc.is_constant())) {
      continue;
    }
    std::vector<const TensorDesc*> bn_in;
    for (int id : bn.inputs) bn_in.push_back(id >= 0 ? &g.values[id].desc : nullptr);
    std::vector<float> scale, shift;
    if (!affine->AsChannelAffine(bn_in, &scale, &shift)) continue;

    const Tensor& w = *wd0.constant;
    const FoldsOutputAffine::OutputChannels oc = folder->OutputChannelsOfWeights();
    const Dims& wdims = w.dims();
    if ((oc.axis != 0 && oc.axis != 1) || wdims.size() <= oc.axis || oc.groups < 1 ||
        wdims[0] % static_cast<int64_t>(oc.groups) != 0) {
      continue;
    }
    // Output channel of weight element (i0, i1, rest): i0 on axis 0; on axis 1, i1 within the
    // group that row i0 belongs to.
    const int64_t groups = static_cast<int64_t>(oc.groups);
    const int64_t m = oc.axis == 0 ? wdims[0] : wdims[1] * groups;
    if (static_cast<int64_t>(scale.size()) != m) continue;
    LITECNN_ASSIGN_OR_RETURN(Tensor new_w, w.Clone());
    const int64_t per_row = w.num_elements() / wdims[0];
    const int64_t rest = oc.axis == 0 ? per_row : per_row / wdims[1];
    const int64_t rows_per_group = wdims[0] / groups;
    float* scaled = new_w.data<float>();
    for (int64_t i0 = 0; i0 < wdims[0]; ++i0) {
      for (int64_t j = 0; j < per_row; ++j) {
        const int64_t o = oc.axis == 0 ? i0 : i0 / rows_per_group * wdims[1] + j / rest;
        scaled[i0 * per_row + j] *= scale[o];
      }
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
    if (c.inputs.size() <= std::max(w_in, b_in)) c.inputs.resize(std::max(w_in, b_in) + 1, -1);
    c.inputs[w_in] = nw;
    c.inputs[b_in] = nb;
    c.outputs[0] = bn.outputs[0];
    g.values[bn.outputs[0]].producer = p;
    bn.removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
