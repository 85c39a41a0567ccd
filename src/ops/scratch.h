// Scratch buffers for the ops of one model: im2col matrices and Winograd transforms, one buffer
// per part of a parallel region. A model runs its ops one at a time, so they all share one
// Scratch (sized by the largest need) instead of each keeping its own: SqueezeNet's eight fire
// modules would otherwise hold 8 x 512 KB per thread of Winograd scratch between runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/alloc.h"
#include "core/status.h"

namespace litecnn {

class Scratch {
 public:
  // Makes buffers 0 .. parts - 1 hold at least `floats` floats each; fails, keeping the buffers
  // it had, when memory runs out. Call on the thread that runs the op, before its region:
  // workers never allocate (in wasm, growing memory from a worker would leave the main
  // thread's views stale).
  Status Reserve(size_t parts, size_t floats) {
    if (parts_.size() < parts) parts_.resize(parts);
    for (size_t i = 0; i < parts; ++i) {
      if (parts_[i].size >= floats) continue;
      AlignedPtr<float> data(AlignedFloatsOrNull(floats));
      if (!data) return OutOfMemory(uint64_t{floats} * sizeof(float), "convolution scratch");
      std::memset(data.get(), 0, floats * sizeof(float));  // as vector::resize did
      parts_[i] = {std::move(data), floats};
    }
    return Status::Ok();
  }
  // Buffer i (i < the parts reserved), valid until the next Reserve.
  float* part(size_t i) { return parts_[i].data.get(); }

 private:
  struct Part {
    AlignedPtr<float> data;
    size_t size = 0;
  };
  std::vector<Part> parts_;
};

}  // namespace litecnn
