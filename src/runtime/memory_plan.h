// Memory planning: every non-constant value gets a buffer; values whose lifetimes do not
// overlap share one (greedy best fit by liveness over the topological node order). A value
// placed inside another (Value::placed_in: concat inputs, views) uses that value's buffer at its
// offset, and the host value is live from the first of its placed values' producers to the last
// of their readers.
#pragma once

#include <cstddef>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace litecnn {

struct MemoryPlan {
  std::vector<int> buffer_of_value;     // -1 for constants and unused values
  std::vector<size_t> offset_of_value;  // bytes into the buffer (non-zero for placed values)
  std::vector<size_t> buffer_bytes;
  size_t total_bytes() const;
};

Result<MemoryPlan> PlanMemory(const Graph& g);

}  // namespace litecnn
