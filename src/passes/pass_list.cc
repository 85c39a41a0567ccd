#include "passes/passes.h"

namespace litecnn {

Status RunLoadPasses(Graph& g) {
  // Order matters: folding needs shapes; identity removal and pruning work on the folded graph;
  // layouts are chosen last, on the nodes that will actually run.
  using PassFn = Result<bool> (*)(Graph&);
  static constexpr PassFn kPasses[] = {
      InferShapesAndFold,
      DropIdentity,
      PruneDeadNodes,
      AssignLayouts,
  };
  for (PassFn pass : kPasses) {
    LITECNN_RETURN_IF_ERROR(pass(g).status());
  }
  return Status::Ok();
}

}  // namespace litecnn
