// The allocations whose size a model decides (tensors, packed weights, scratch, activation
// buffers): they return null when memory runs out, never throw (exceptions are off in wasm, so
// a std::bad_alloc would reach JS as a bare number), so each caller can report a Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace litecnn {

// 64-byte aligned storage of at least `bytes` bytes (rounded up to 64), or null. Free with
// std::free (AlignedPtr does).
void* AlignedAllocOrNull(size_t bytes);

struct FreeDeleter {
  void operator()(void* p) const;
};
template <typename T>
using AlignedPtr = std::unique_ptr<T, FreeDeleter>;

// Testing: makes the nth AlignedAllocOrNull from now return null (0: none), so that a test can
// fail every allocation a load or a run makes in turn and check each comes back as a Status.
void FailNthAllocationForTesting(int64_t nth);

}  // namespace litecnn
