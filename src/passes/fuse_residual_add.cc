#include "passes/passes.h"

namespace litecnn {
namespace {

bool IsAllZeroFloatConstant(const TensorDesc& d) {
  if (!d.is_constant() || d.dtype != DataType::kFloat32) return false;
  const float* p = d.constant->data<float>();
  for (int64_t i = 0; i < d.constant->num_elements(); ++i) {
    if (p[i] != 0.f) return false;
  }
  return true;
}

// If r is Concat(a, zeros...) on channels, read only by the Add being fused, where a is a
// computed 4-D value and every later input an all-zero constant, returns the Concat's node index
// (else -1) and sets *a. Adding r is adding a to the first channels and nothing to the rest, so the
// conv can read a directly and the Concat (a copy of a and the zeros on every run) goes away.
// BlazeFace pads its residuals this way when a block widens the channels.
int ZeroPaddingConcat(const Graph& g, const std::vector<int>& uses, int r, int* a) {
  // With other readers the Concat runs anyway, and reading its output costs the same as a.
  if (uses[r] != 1) return -1;
  const int p = g.values[r].producer;
  if (p < 0 || g.nodes[p].op_type != "Concat" || g.nodes[p].inputs.size() < 2) return -1;
  const Node& concat = g.nodes[p];
  const int first = concat.inputs[0];
  // Zeros must trail: the conv adds its addend from channel 0. Leading zeros would need an
  // addend channel offset, which no model we run uses.
  if (first < 0 || g.values[first].desc.is_constant()) return -1;
  const Dims& ad = g.values[first].desc.dims;
  const Dims& rd = g.values[r].desc.dims;
  // When a's dims differ from the Concat's only in channels, channels (axis 1) is the Concat's
  // axis (only the axis grows), so a lands in channels [0, a's channels).
  if (ad.size() != 4 || rd.size() != 4 || ad[0] != rd[0] || ad[2] != rd[2] || ad[3] != rd[3]) {
    return -1;
  }
  for (size_t k = 1; k < concat.inputs.size(); ++k) {
    const int z = concat.inputs[k];
    if (z < 0 || !IsAllZeroFloatConstant(g.values[z].desc)) return -1;
  }
  *a = first;
  return p;
}

}  // namespace

// Add(conv(x), r) -> conv(x) with addend r, when the shapes match exactly (no broadcast); when r
// is a zero-padding Concat(a, zeros) read only by the Add, the conv adds a to its first
// channels instead and the Concat is removed. The fused conv runs where the Add ran: by then r is
// computed (whatever order the producers came in), and the conv's own inputs were ready earlier. r
// cannot depend on conv(x), whose only reader is the Add.
Result<bool> FuseResidualAdds(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& add = g.nodes[i];
    if (add.removed || add.op_type != "Add" || add.inputs.size() != 2) continue;
    const int out = add.outputs[0];
    for (int side = 0; side < 2; ++side) {
      const int v = add.inputs[side], r = add.inputs[1 - side];
      if (v < 0 || r < 0 || v == r || uses[v] != 1) continue;
      const TensorDesc& vd = g.values[v].desc;
      if (vd.dims != g.values[r].desc.dims || vd.dims != g.values[out].desc.dims) continue;
      if (vd.dtype != DataType::kFloat32 || g.values[r].desc.dtype != DataType::kFloat32) continue;
      const int p = g.values[v].producer;
      if (p < 0 || g.nodes[p].outputs.size() != 1) continue;
      Node& producer = g.nodes[p];
      int addend = r;
      const int concat = ZeroPaddingConcat(g, uses, r, &addend);
      const Dims& addend_dims = g.values[addend].desc.dims;
      FusesAddend* fuser = As<FusesAddend>(producer.op.get());
      if (addend_dims.size() < 2 || !fuser || !fuser->FuseAddend(addend_dims[1])) continue;
      std::vector<int> inputs = producer.inputs;
      while (inputs.size() < 3) inputs.push_back(-1);
      inputs.push_back(addend);
      add.op = std::move(producer.op);
      add.op_type = producer.op_type;
      add.name = producer.name;
      add.inputs = std::move(inputs);
      producer.removed = true;
      // The Add was the Concat's only reader.
      if (concat >= 0) g.nodes[concat].removed = true;
      changed = true;
      break;
    }
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
