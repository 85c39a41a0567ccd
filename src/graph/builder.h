// Builds the graph IR from a decoded ONNX model: resolves each node's op to its version at the
// model's opset (1 to kNewestOpset; every op, version or domain litecnn lacks is named in one
// Unsupported error), resolves names to values, sorts nodes topologically (rejecting cycles and
// undefined inputs), creates each node's Op from the registry and fixes the graph inputs' dims.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/limits.h"
#include "core/status.h"
#include "graph/graph.h"
#include "onnx/model_proto.h"

namespace litecnn {

struct BuildOptions {
  // Dims for graph inputs, by name; symbolic dims of unlisted inputs become 1.
  std::vector<std::pair<std::string, Dims>> input_dims;
  // Graph inputs bound to known values: they become constants (see LoadOptions).
  std::vector<NamedTensor> constant_inputs;
  // Graph inputs that also have an initializer, to stay inputs (see LoadOptions).
  std::vector<std::string> fed_initializers;
  // Checked here for the inputs' dims, and kept in Graph::limits for the passes.
  Limits limits;
};

Result<Graph> BuildGraph(onnx::Model&& model, BuildOptions options = {});

}  // namespace litecnn
