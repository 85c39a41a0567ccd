#include "passes/passes.h"

namespace litecnn {

// Add(conv(x), r) -> conv(x) with addend r, when the shapes match exactly (no broadcast).
// The fused conv runs where the Add ran: by then r is computed (whatever order the producers
// came in), and the conv's own inputs were ready earlier. r cannot depend on conv(x), whose
// only reader is the Add.
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
      if (!producer.op->FuseAddend()) continue;
      std::vector<int> inputs = producer.inputs;
      while (inputs.size() < 3) inputs.push_back(-1);
      inputs.push_back(r);
      add.op = std::move(producer.op);
      add.op_type = producer.op_type;
      add.name = producer.name;
      add.inputs = std::move(inputs);
      producer.removed = true;
      changed = true;
      break;
    }
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
