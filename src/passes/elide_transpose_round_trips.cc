#include <algorithm>

#include "ops/op_list.h"
#include "passes/passes.h"

namespace litecnn {
namespace {

// order[k]: the logical axis that is the k-th outermost in the value's bytes.
std::vector<size_t> MemoryOrder(size_t rank, Layout layout) {
  std::vector<size_t> order(rank);
  for (size_t axis = 0; axis < rank; ++axis) order[PhysicalAxis(axis, layout)] = axis;
  return order;
}

}  // namespace

// A Transpose followed by a layout conversion that puts every byte back where it was in the
// Transpose's input: an NHWC image transposed to NCHW for an ONNX graph, then stored NHWC for
// the convs (BlazeFace's input); an NHWC conv output transposed to NHWC order, then stored plain
// (BlazeFace's heads). The pair copies each byte twice to move none. The conversion becomes a
// View of the Transpose's input, placed in its buffer; the Transpose goes if nothing else reads
// its output. Runs after AssignLayouts (it needs the conversions) and before WriteConcatsInPlace
// (which must see the placement).
Result<bool> ElideTransposeRoundTrips(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& convert : g.nodes) {
    if (convert.removed || convert.op_type != "LayoutConvert") continue;
    const int y = convert.inputs[0], z = convert.outputs[0];
    const int producer = g.values[y].producer;
    if (producer < 0) continue;
    Node& transpose = g.nodes[producer];
    std::vector<int64_t> perm;
    if (transpose.removed || !transpose.op->AsPermutation(&perm)) continue;
    const int x = transpose.inputs[0];
    const TensorDesc& xd = g.values[x].desc;
    const TensorDesc& zd = g.values[z].desc;
    if (xd.is_constant() || xd.dtype != zd.dtype || xd.dims.size() != perm.size()) continue;
    // A placed value's bytes have another value's pixel stride; a placement does not nest.
    if (g.values[x].placed_in >= 0 || g.values[z].placed_in >= 0) continue;
    // z's logical axis i is x's axis perm[i]: the bytes match when x's axes come in the same
    // memory order both ways.
    const std::vector<size_t> x_order = MemoryOrder(perm.size(), xd.layout);
    const std::vector<size_t> z_order = MemoryOrder(perm.size(), zd.layout);
    bool same_bytes = true;
    for (size_t k = 0; k < perm.size(); ++k) {
      same_bytes = same_bytes && static_cast<size_t>(perm[z_order[k]]) == x_order[k];
    }
    if (!same_bytes) continue;
    convert.op_type = "View";
    convert.op = CreateView(zd.dims);
    convert.inputs = {x};
    g.values[z].placed_in = x;
    g.values[z].placed_offset = 0;
    if (--uses[y] == 0) transpose.removed = true;
    ++uses[x];
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
