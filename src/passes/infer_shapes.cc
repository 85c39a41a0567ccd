#include <cstring>

#include "passes/passes.h"

namespace litecnn {
namespace {

std::vector<TensorView> ConstantViews(const Graph& g, const std::vector<int>& ids) {
  std::vector<TensorView> views;
  for (int id : ids) {
    TensorView v;
    if (id >= 0) {
      // Ops never write through input views; the const_cast only fits the view type.
      v.data = const_cast<void*>(g.values[id].desc.constant->raw());
      v.dtype = g.values[id].desc.dtype;
      v.dims = g.values[id].desc.dims;
    }
    views.push_back(std::move(v));
  }
  return views;
}

// Runs the node on its constant inputs and stores constant outputs.
Status Fold(Graph& g, Node& node) {
  std::vector<const TensorDesc*> in_descs, out_descs;
  for (int id : node.inputs) in_descs.push_back(id >= 0 ? &g.values[id].desc : nullptr);
  for (int id : node.outputs) out_descs.push_back(&g.values[id].desc);
  LITECNN_RETURN_IF_ERROR(node.op->Prepare(in_descs, out_descs));
  std::vector<TensorView> in = ConstantViews(g, node.inputs);
  std::vector<Tensor> results;
  std::vector<TensorView> out;
  for (int id : node.outputs) {
    const TensorDesc& d = g.values[id].desc;
    LITECNN_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(d.dtype, d.dims));
    TensorView v;
    v.data = t.raw();
    v.dtype = d.dtype;
    v.dims = d.dims;
    out.push_back(v);
    results.push_back(std::move(t));
  }
  LITECNN_RETURN_IF_ERROR(node.op->Run(in, out));
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    TensorDesc& d = g.values[node.outputs[k]].desc;
    if (const int axis = node.op->dynamic_axis(k); axis >= 0) {
      // A length the values decide: the constant is the rows Run wrote, at the buffer's start,
      // and its consumers are inferred on those dims.
      d.dims[axis] = node.op->run_length(k);
      LITECNN_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(d.dtype, d.dims));
      if (t.byte_size() > results[k].byte_size()) return Internal("run length above its bound");
      if (t.byte_size()) std::memcpy(t.raw(), results[k].raw(), t.byte_size());
      results[k] = std::move(t);
    }
    d.constant = std::make_shared<Tensor>(std::move(results[k]));
  }
  return Status::Ok();
}

}  // namespace

Result<bool> InferShapesAndFold(Graph& g) {
  bool changed = false;
  // The node whose output each value of data-dependent length is, or -1 (Op::dynamic_axis).
  std::vector<int> dynamic_from(g.values.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& node = g.nodes[i];
    if (node.removed) continue;
    std::vector<const TensorDesc*> in;
    bool all_constant = true;
    for (int id : node.inputs) {
      in.push_back(id >= 0 ? &g.values[id].desc : nullptr);
      if (id >= 0 && !g.values[id].desc.is_constant()) all_constant = false;
      if (id >= 0 && dynamic_from[id] >= 0) {
        // Every op is inferred and prepared for dims fixed at load, and the memory plan places
        // values by those dims: a consumer would compute on the bound's unwritten rows.
        return Unsupported(g.NodeLabel(dynamic_from[id]) + " output '" + g.values[id].name +
                           "' has a length its values decide, and litecnn fixes every value's "
                           "dims at load: it can be a graph output, not an input of " +
                           g.NodeLabel(i));
      }
    }
    std::vector<TensorDesc> out(node.outputs.size());
    LITECNN_RETURN_IF_ERROR(node.op->Infer(in, &out).WithContext(g.NodeLabel(i)));
    bool infer_made_constants = true;
    for (size_t k = 0; k < out.size(); ++k) {
      // Before anything is allocated for the value (folding below, the memory plan later).
      LITECNN_RETURN_IF_ERROR(
          CheckTensorLimits(out[k].dims, g.limits, g.NodeLabel(i) + " output " + std::to_string(k))
              .status());
      if (!out[k].is_constant()) infer_made_constants = false;
      g.values[node.outputs[k]].desc = std::move(out[k]);
    }
    if (infer_made_constants) {
      node.removed = true;
      changed = true;
      continue;
    }
    if (all_constant && node.op->foldable()) {
      LITECNN_RETURN_IF_ERROR(Fold(g, node).WithContext(g.NodeLabel(i) + " (constant folding)"));
      node.removed = true;
      changed = true;
      continue;
    }
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      if (node.op->dynamic_axis(k) >= 0) dynamic_from[node.outputs[k]] = static_cast<int>(i);
    }
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
