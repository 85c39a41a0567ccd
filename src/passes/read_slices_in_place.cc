#include <algorithm>

#include "passes/passes.h"

namespace litecnn {

// A Slice of channels [b, b + n) of an NHWC value, whose readers can all read such a slice in
// place (pointwise convs as strided GEMM rows, the concat form of ChannelShuffle), is removed:
// its readers read the sliced value directly. ShuffleNetV2 splits every unit's input this way.
// Runs after AssignLayouts: it needs the layouts, and adds no conversions.
Result<bool> ReadChannelSlicesInPlace(Graph& g) {
  bool changed = false;
  for (Node& slice : g.nodes) {
    size_t begin = 0, count = 0;
    if (slice.removed) continue;
    const ChannelSliceOp* as_slice = As<ChannelSliceOp>(slice.op.get());
    if (!as_slice || !as_slice->AsChannelSlice(&begin, &count)) continue;
    const int x = slice.inputs[0], v = slice.outputs[0];
    const TensorDesc& xd = g.values[x].desc;
    if (xd.layout != Layout::kNHWC || xd.dtype != DataType::kFloat32 || xd.is_constant()) continue;
    if (std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end()) continue;
    std::vector<std::pair<Node*, size_t>> readers;
    bool all_can = true;
    for (Node& n : g.nodes) {
      if (n.removed) continue;
      for (size_t i = 0; i < n.inputs.size(); ++i) {
        if (n.inputs[i] != v) continue;
        readers.emplace_back(&n, i);
        const ReadsChannelSlices* reader = As<ReadsChannelSlices>(n.op.get());
        all_can = all_can && reader && reader->CanReadInputChannelSlice(i);
      }
    }
    if (!all_can || readers.empty()) continue;
    const size_t pixel_stride = static_cast<size_t>(xd.dims[1]);
    for (auto& [n, i] : readers) {
      As<ReadsChannelSlices>(n->op.get())->ReadInputChannelSlice(i, begin, pixel_stride);
      n->inputs[i] = x;
    }
    slice.removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
