// The graph IR: values (tensors with a TensorDesc: dtype, logical dims, layout, constant data)
// and nodes (an Op plus value ids), kept in topological order. Built from an onnx::Model by
// BuildGraph, rewritten by the passes (src/passes), executed by the runtime.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/layout.h"
#include "core/limits.h"
#include "core/status.h"
#include "ops/op.h"

namespace litecnn {

struct Value {
  std::string name;
  TensorDesc desc;
  int producer = -1;  // node index, -1 for graph inputs and constants
  // This value is stored inside value `placed_in`'s buffer, starting `placed_offset` bytes in.
  // Set by WriteConcatsInPlace (a Concat input: its producer writes it there, and the Concat
  // copies nothing for it) and by ElideNoOpConversions (a View: the host's own bytes).
  int placed_in = -1;
  size_t placed_offset = 0;
};

struct Node {
  std::string name;
  std::string op_type;
  std::vector<int> inputs;   // value ids; -1 for an omitted optional input
  std::vector<int> outputs;  // value ids (omitted outputs get unnamed values)
  std::unique_ptr<Op> op;
  bool removed = false;  // set by passes; Compact() drops removed nodes
};

class Graph {
 public:
  std::vector<Value> values;
  std::vector<Node> nodes;                      // topological order
  std::vector<int> inputs;                      // graph inputs fed at Run (non-constant)
  std::vector<std::string> initializer_inputs;  // graph inputs an initializer made constants
  std::vector<int> outputs;                     // graph outputs, in the model's order
  std::vector<std::string> output_names;        // the model's output names (values may be renamed)
  Limits limits;                                // what the passes may create (see core/limits.h)

  int AddValue(std::string name, TensorDesc desc);
  // "Conv node 'conv1'" (or "Conv node #3" for unnamed nodes), for error messages.
  std::string NodeLabel(size_t node_index) const;
  // Number of live consumers of each value (graph outputs count as one consumer).
  std::vector<int> UseCounts() const;
  // Replaces every use of value `from` (node inputs and graph outputs) with `to`.
  void ReplaceUses(int from, int to);
  // Drops removed nodes (values stay; unreferenced ones are simply never allocated).
  void Compact();
};

}  // namespace litecnn
