#include "ops/op_list.h"
#include "passes/passes.h"

namespace litecnn {
namespace {

// The logical axes of a value in the order its bytes run, outermost first, without the axes of
// extent 1 (they move no byte).
std::vector<size_t> MemoryOrder(const TensorDesc& d) {
  std::vector<size_t> order(d.dims.size());
  for (size_t axis = 0; axis < d.dims.size(); ++axis) order[PhysicalAxis(axis, d.layout)] = axis;
  std::vector<size_t> moving;
  for (size_t axis : order) {
    if (d.dims[axis] != 1) moving.push_back(axis);
  }
  return moving;
}

// Whether `to`, whose logical axis i is axis source_axis[i] of `from`, has `from`'s bytes.
bool SameBytes(const TensorDesc& from, const std::vector<size_t>& source_axis,
               const TensorDesc& to) {
  std::vector<size_t> mapped;
  for (size_t axis : MemoryOrder(to)) mapped.push_back(source_axis[axis]);
  return mapped == MemoryOrder(from);
}

}  // namespace

// A layout conversion that leaves every byte where it was: of a value whose only moving axes keep
// their order ([N, C, 1, 1] pooled features before a Flatten), or of a Transpose the conversion
// undoes (an NHWC image transposed to NCHW for an ONNX graph, then stored NHWC for the convs:
// BlazeFace's input; NHWC conv outputs transposed to NHWC order, then stored plain: its heads).
// Each copies bytes to move none (the Transpose pair twice). The conversion becomes a View of
// the value that has its bytes, placed in that value's buffer; a Transpose goes if nothing else
// reads its output. Runs after AssignLayouts (it needs the conversions) and before
// WriteConcatsInPlace (which must see the placements).
Result<bool> ElideNoOpConversions(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& convert : g.nodes) {
    if (convert.removed || convert.op_type != "LayoutConvert") continue;
    const int y = convert.inputs[0], z = convert.outputs[0];
    const TensorDesc& zd = g.values[z].desc;
    // The value whose bytes z repeats: the Transpose's input first (the Transpose can then go
    // too: a one-channel image's Transpose(0, 3, 1, 2) leaves its own output the same bytes as
    // well), else y itself.
    // A placed value's bytes have another value's pixel stride, and a placement does not nest.
    const auto usable = [&](int v) {
      return !g.values[v].desc.is_constant() && g.values[v].placed_in < 0;
    };
    int source = -1;
    const int producer = g.values[y].producer;
    std::vector<int64_t> perm;
    const PermutationOp* permutation = producer >= 0 && !g.nodes[producer].removed
                                           ? As<PermutationOp>(g.nodes[producer].op.get())
                                           : nullptr;
    if (permutation && permutation->AsPermutation(&perm)) {
      const int x = g.nodes[producer].inputs[0];
      if (usable(x) &&
          SameBytes(g.values[x].desc, std::vector<size_t>(perm.begin(), perm.end()), zd)) {
        source = x;
      }
    }
    std::vector<size_t> identity(zd.dims.size());
    for (size_t i = 0; i < identity.size(); ++i) identity[i] = i;
    if (source < 0 && usable(y) && SameBytes(g.values[y].desc, identity, zd)) source = y;
    if (source < 0) continue;
    convert.op_type = "View";
    convert.op = CreateView(zd.dims);
    convert.inputs = {source};
    g.values[z].placed_in = source;
    g.values[z].placed_offset = 0;
    if (source != y && --uses[y] == 0) {
      g.nodes[producer].removed = true;
      --uses[source];  // the Transpose's read
    }
    ++uses[source];
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
