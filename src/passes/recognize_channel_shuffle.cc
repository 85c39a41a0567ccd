#include "ops/channel_shuffle.h"
#include "passes/passes.h"

namespace litecnn {
namespace {

// The node producing v if v is read once and the node has the given type, else nullptr.
Node* SoleProducer(Graph& g, const std::vector<int>& uses, int v, const char* op_type) {
  if (v < 0 || uses[v] != 1) return nullptr;
  const int p = g.values[v].producer;
  if (p < 0 || g.nodes[p].removed || g.nodes[p].op_type != op_type) return nullptr;
  return &g.nodes[p];
}

// True if `concat` joins `n` inputs of equal dims on axis 1 into `out_dims`.
bool IsChannelConcatOfEqualParts(const Graph& g, const Node& concat, size_t n,
                                 const Dims& out_dims) {
  if (concat.inputs.size() != n) return false;
  const Dims& first = g.values[concat.inputs[0]].desc.dims;
  for (int v : concat.inputs) {
    if (v < 0 || g.values[v].desc.dims != first) return false;
  }
  return first.size() == 4 && first[0] == out_dims[0] && first[2] == out_dims[2] &&
         first[3] == out_dims[3] && first[1] * static_cast<int64_t>(n) == out_dims[1];
}

}  // namespace

// Reshape [N,C,H,W] -> [N,g,C/g,H,W], Transpose (0,2,1,3,4), Reshape back to [N,C,H,W]: a
// channel shuffle with g groups, run as one op that never materialises the 5-D transpose (and
// works on NHWC data, so no layout conversions surround it). When its input is a Concat of g
// equal parts on channels (ShuffleNetV2), the concat is absorbed too.
Result<bool> RecognizeChannelShuffle(Graph& g) {
  bool changed = false;
  std::vector<int> uses = g.UseCounts();
  for (Node& back : g.nodes) {
    if (back.removed || back.op_type != "Reshape") continue;
    Node* transpose = SoleProducer(g, uses, back.inputs[0], "Transpose");
    if (!transpose) continue;
    std::vector<int64_t> perm;
    const PermutationOp* permutation = As<PermutationOp>(transpose->op.get());
    if (!permutation || !permutation->AsPermutation(&perm) ||
        perm != std::vector<int64_t>{0, 2, 1, 3, 4}) {
      continue;
    }
    Node* split = SoleProducer(g, uses, transpose->inputs[0], "Reshape");
    if (!split) continue;
    const int x = split->inputs[0];
    const Dims& xd = g.values[x].desc.dims;
    const Dims& sd = g.values[split->outputs[0]].desc.dims;
    if (xd.size() != 4 || sd.size() != 5 || g.values[back.outputs[0]].desc.dims != xd) continue;
    if (sd[0] != xd[0] || sd[1] * sd[2] != xd[1] || sd[3] != xd[2] || sd[4] != xd[3]) continue;
    const size_t groups = static_cast<size_t>(sd[1]);

    std::vector<int> inputs = {x};
    if (Node* concat = SoleProducer(g, uses, x, "Concat")) {
      if (IsChannelConcatOfEqualParts(g, *concat, groups, xd)) {
        inputs = concat->inputs;
        concat->removed = true;
      }
    }
    back.op = CreateChannelShuffle(groups);
    back.op_type = "ChannelShuffle";
    back.inputs = std::move(inputs);
    // The new op learns its input count (plain or concat form) from Infer.
    std::vector<const TensorDesc*> in;
    for (int id : back.inputs) in.push_back(&g.values[id].desc);
    std::vector<TensorDesc> out(1);
    LITECNN_RETURN_IF_ERROR(back.op->Infer(in, &out));
    transpose->removed = true;
    split->removed = true;
    changed = true;
  }
  g.Compact();
  return changed;
}

}  // namespace litecnn
