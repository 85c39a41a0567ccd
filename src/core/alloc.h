// The allocations whose size a model decides (tensors, packed weights, scratch, activation
// buffers): they return null when memory runs out, never abort (in wasm, exception catching is
// off and libc++'s operator new calls abort() when malloc fails), so each caller can report a
// Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace litecnn {

// 64-byte aligned storage of at least `bytes` bytes (rounded up to 64), or null. Free with
// std::free (AlignedPtr does).
void* AlignedAllocOrNull(size_t bytes);

// Storage for n floats as above, or null; also null when n floats would not fit in size_t
// bytes (wasm32: 2^30 floats), so callers need not check the product themselves.
inline float* AlignedFloatsOrNull(size_t n) {
  if (n > SIZE_MAX / sizeof(float)) return nullptr;
  return static_cast<float*>(AlignedAllocOrNull(n * sizeof(float)));
}

struct FreeDeleter {
  void operator()(void* p) const;
};
template <typename T>
using AlignedPtr = std::unique_ptr<T, FreeDeleter>;

// Testing: makes the nth AlignedAllocOrNull from now return null (0: none), so that a test can
// fail every allocation a load or a run makes in turn and check each comes back as a Status.
// Returns how many allocations were still to come before the one armed earlier failed (<= 0:
// it failed), so the test can tell a failure nobody reported from one that never came.
int64_t FailNthAllocationForTesting(int64_t nth);

}  // namespace litecnn
