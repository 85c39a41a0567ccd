#include "runtime/memory_plan.h"

#include <algorithm>
#include <cstdint>
#include <functional>

namespace litecnn {

size_t MemoryPlan::total_bytes() const {
  size_t total = 0;
  for (size_t b : buffer_bytes) total += b;
  return total;
}

Result<MemoryPlan> PlanMemory(const Graph& g) {
  const size_t nv = g.values.size();
  const int kForever = static_cast<int>(g.nodes.size());
  // Liveness: a value is live from its producer (graph inputs: from the start) to its last
  // consumer (graph outputs: to the end).
  std::vector<int> first(nv, -1), last(nv, -1);
  for (int id : g.inputs) first[id] = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (int v : g.nodes[i].inputs) {
      if (v >= 0) last[v] = std::max(last[v], static_cast<int>(i));
    }
    for (int v : g.nodes[i].outputs) {
      if (first[v] < 0) first[v] = static_cast<int>(i);
      last[v] = std::max(last[v], static_cast<int>(i));
    }
  }
  for (int id : g.outputs) last[id] = kForever;
  for (int id : g.inputs) last[id] = std::max(last[id], 0);
  // A host value's buffer is taken from when its first placed value is written until its last
  // placed value is read (a View of it may outlive it).
  for (size_t v = 0; v < nv; ++v) {
    const int host = g.values[v].placed_in;
    if (host < 0 || first[v] < 0) continue;
    first[host] = std::min(first[host], first[v]);
    last[host] = std::max(last[host], last[v]);
  }

  MemoryPlan plan;
  plan.buffer_of_value.assign(nv, -1);
  plan.offset_of_value.assign(nv, 0);
  std::vector<int> buffer_free_after;  // node index after which the buffer is free again
  // Every value's bytes, checked: shape inference has bounded each value's elements by
  // Limits::max_tensor_elements, but the plan must not rely on that to be overflow-free.
  std::vector<size_t> value_bytes(nv, 1);
  for (size_t v = 0; v < nv; ++v) {
    const TensorDesc& d = g.values[v].desc;
    if (d.is_constant()) continue;
    int64_t n = 0, bytes = 0;
    Result<int64_t> count = CheckedElementCount(d.dims);
    if (!count.ok()) return count.status().WithContext("value '" + g.values[v].name + "'");
    n = count.value();
    if (!CheckedMul(n, static_cast<int64_t>(DataTypeSize(d.dtype)), &bytes) ||
        static_cast<uint64_t>(bytes) > SIZE_MAX / 2) {
      return LimitExceeded("value '" + g.values[v].name + "' " + DimsToString(d.dims) +
                           " does not fit in this platform's memory");
    }
    value_bytes[v] = std::max<size_t>(static_cast<size_t>(bytes), 1);
  }
  auto need_bytes = [&](int v) { return value_bytes[v]; };
  std::function<void(int, int)> assign = [&](int v, int step) {
    if (v < 0 || g.values[v].desc.is_constant() || plan.buffer_of_value[v] >= 0) return;
    if (const int host = g.values[v].placed_in; host >= 0) {
      assign(host, first[host]);
      plan.buffer_of_value[v] = plan.buffer_of_value[host];
      plan.offset_of_value[v] = g.values[v].placed_offset;
      return;
    }
    const size_t bytes = need_bytes(v);
    // Best fit among buffers free strictly before this step (inputs of the current node are
    // still being read, so an output never shares with them).
    int best = -1;
    for (size_t b = 0; b < plan.buffer_bytes.size(); ++b) {
      if (buffer_free_after[b] >= step) continue;
      if (best < 0) {
        best = static_cast<int>(b);
        continue;
      }
      const bool fits = plan.buffer_bytes[b] >= bytes;
      const bool best_fits = plan.buffer_bytes[best] >= bytes;
      if ((fits && (!best_fits || plan.buffer_bytes[b] < plan.buffer_bytes[best])) ||
          (!fits && !best_fits && plan.buffer_bytes[b] > plan.buffer_bytes[best])) {
        best = static_cast<int>(b);
      }
    }
    if (best < 0) {
      best = static_cast<int>(plan.buffer_bytes.size());
      plan.buffer_bytes.push_back(0);
      buffer_free_after.push_back(0);
    }
    plan.buffer_bytes[best] = std::max(plan.buffer_bytes[best], bytes);
    buffer_free_after[best] = last[v];
    plan.buffer_of_value[v] = best;
  };
  for (int id : g.inputs) assign(id, -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (int v : g.nodes[i].outputs) assign(v, static_cast<int>(i));
  }
  // Checked before the runtime allocates the buffers; a sum past int64 saturates (and is over
  // any limit) instead of wrapping.
  int64_t total = 0;
  for (size_t b : plan.buffer_bytes) {
    if (!CheckedAdd(total, static_cast<int64_t>(b), &total)) total = INT64_MAX;
  }
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxPlannedBytes", "the memory plan of one run", total,
                                     g.limits.max_planned_bytes, "bytes"));
  return plan;
}

}  // namespace litecnn
