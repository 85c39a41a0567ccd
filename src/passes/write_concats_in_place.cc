#include <algorithm>

#include "passes/passes.h"

namespace litecnn {
namespace {

// The one axis along which the Concat's inputs differ from its output, or -1.
int ConcatAxis(const Graph& g, const Node& concat) {
  const Dims& y = g.values[concat.outputs[0]].desc.dims;
  int axis = -1;
  for (int v : concat.inputs) {
    const Dims& x = g.values[v].desc.dims;
    if (x.size() != y.size()) return -1;
    for (size_t d = 0; d < y.size(); ++d) {
      if (x[d] == y[d]) continue;
      if (axis >= 0 && axis != static_cast<int>(d)) return -1;
      axis = static_cast<int>(d);
    }
  }
  return axis;
}

// Whether value v may live inside another value's buffer: computed at run time by a producer
// with one output, read by nothing but this Concat (once), not a graph input or output, and not
// hosting placed values itself nor placed already (offsets and pixel strides do not nest).
bool Placeable(const Graph& g, const std::vector<int>& uses, const std::vector<bool>& is_host,
               int v) {
  const Value& val = g.values[v];
  if (val.desc.is_constant() || is_host[v] || val.placed_in >= 0 || val.producer < 0) return false;
  if (uses[v] != 1 || g.nodes[val.producer].outputs.size() != 1) return false;
  return std::find(g.outputs.begin(), g.outputs.end(), v) == g.outputs.end();
}

}  // namespace

// Two ways an input x of y = Concat(..., x, ...) can be stored in place:
//  - contiguous: every dimension laid out outside the concat axis has extent 1 (plain [1, n, k]
//    tensors on axis 1, as BlazeFace's box and score heads; NHWC channels of a 1x1 map), so x is
//    one run of y's bytes and any producer writes it there unchanged;
//  - channel slice: y is NHWC and the axis is channels; x's producer writes every pixel's
//    channels with y's pixel stride (Op::WriteOutputChannelSlice: dense convs).
// Constant inputs are still copied by the Concat (the buffer is shared with other values
// outside the Concat's live range). Runs last: it needs final layouts and producers.
Result<bool> WriteConcatsInPlace(Graph& g) {
  bool changed = false;
  const std::vector<int> uses = g.UseCounts();
  std::vector<bool> is_host(g.values.size(), false);  // including hosts of earlier passes' Views
  for (const Value& v : g.values) {
    if (v.placed_in >= 0) is_host[v.placed_in] = true;
  }
  for (Node& concat : g.nodes) {
    if (concat.removed || concat.op_type != "Concat" || concat.inputs.size() < 2) continue;
    const int y = concat.outputs[0];
    const TensorDesc& yd = g.values[y].desc;
    if (g.values[y].placed_in >= 0) continue;  // placement does not nest
    const int axis = ConcatAxis(g, concat);
    if (axis < 0) continue;
    const std::vector<ptrdiff_t> ys = LogicalStrides(yd.dims, yd.layout);
    bool contiguous = true;
    for (size_t d = 0; d < yd.dims.size(); ++d) {
      if (static_cast<int>(d) != axis && yd.dims[d] > 1 && ys[d] > ys[axis]) contiguous = false;
    }
    const bool channel_slices = yd.layout == Layout::kNHWC && axis == 1;
    if (!contiguous && !channel_slices) continue;
    const size_t esize = DataTypeSize(yd.dtype);
    int64_t offset = 0;
    for (int x : concat.inputs) {
      const TensorDesc& xd = g.values[x].desc;
      const size_t bytes = static_cast<size_t>(offset * ys[axis]) * esize;
      offset += xd.dims[axis];
      if (!Placeable(g, uses, is_host, x) || xd.dtype != yd.dtype || xd.layout != yd.layout)
        continue;
      if (!contiguous) {
        WritesChannelSlices* writer =
            As<WritesChannelSlices>(g.nodes[g.values[x].producer].op.get());
        if (!writer || !writer->CanWriteOutputChannelSlice()) continue;
        writer->WriteOutputChannelSlice(static_cast<size_t>(yd.dims[1]));
      }
      is_host[y] = true;
      g.values[x].placed_in = y;
      g.values[x].placed_offset = bytes;
      changed = true;
    }
  }
  return changed;
}

}  // namespace litecnn
