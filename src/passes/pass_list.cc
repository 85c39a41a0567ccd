#include "passes/passes.h"

namespace litecnn {

Status RunLoadPasses(Graph& g) {
  // Order matters: folding needs shapes; identity removal and pruning work on the folded
  // graph; BatchNorm folds into a conv before anything else attaches to the conv; the residual
  // add fuses before the activation (the conv applies add, then activation); fire modules are
  // recognised once their convs carry their ReLUs; layouts are chosen on the nodes that will
  // actually run, and transposes undone by a conversion, slices read in place and concats written
  // in place can only be found once layouts (and their conversions) are known.
  using PassFn = Result<bool> (*)(Graph&);
  // clang-format off
  static constexpr PassFn kPasses[] = {
      InferShapesAndFold,
      DropIdentity,
      PruneDeadNodes,
      FoldBatchNorm,
      RecognizeHardSwish,
      FuseResidualAdds,
      FuseActivations,
      FuseFireModules,
      RecognizeChannelShuffle,
      AssignLayouts,
      ElideNoOpConversions,
      ReadChannelSlicesInPlace,
      WriteConcatsInPlace,
  };
  // clang-format on
  for (PassFn pass : kPasses) {
    LITECNN_RETURN_IF_ERROR(pass(g).status());
  }
  return Status::Ok();
}

}  // namespace litecnn
