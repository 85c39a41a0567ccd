// Scratch buffers for the ops of one model: im2col matrices and Winograd transforms, one buffer
// per part of a parallel region. A model runs its ops one at a time, so they all share one
// Scratch (sized by the largest need) instead of each keeping its own: SqueezeNet's eight fire
// modules would otherwise hold 8 x 512 KB per thread of Winograd scratch between runs.
#pragma once

#include <cstddef>
#include <vector>

namespace litecnn {

class Scratch {
 public:
  // Makes buffers 0 .. parts - 1 hold at least `floats` floats each. Call on the thread that
  // runs the op, before its region: workers never allocate (in wasm, growing memory from a
  // worker would leave the main thread's views stale).
  void Reserve(size_t parts, size_t floats) {
    if (parts_.size() < parts) parts_.resize(parts);
    for (size_t i = 0; i < parts; ++i) {
      if (parts_[i].size() < floats) parts_[i].resize(floats);
    }
  }
  // Buffer i (i < the parts reserved), valid until the next Reserve.
  float* part(size_t i) { return parts_[i].data(); }

 private:
  std::vector<std::vector<float>> parts_;
};

}  // namespace litecnn
