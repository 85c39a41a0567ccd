#include "core/alloc.h"

#include <atomic>
#include <cstdlib>

namespace litecnn {
namespace {

std::atomic<int64_t> g_allocations_until_failure{0};

// True for the allocation FailNthAllocationForTesting chose.
bool InjectedFailure() {
  if (g_allocations_until_failure.load(std::memory_order_relaxed) <= 0) return false;
  return g_allocations_until_failure.fetch_sub(1, std::memory_order_relaxed) == 1;
}

}  // namespace

void* AlignedAllocOrNull(size_t bytes) {
  if (InjectedFailure()) return nullptr;
  const size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded < bytes) return nullptr;  // overflow
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

void FreeDeleter::operator()(void* p) const { std::free(p); }

int64_t FailNthAllocationForTesting(int64_t nth) {
  return g_allocations_until_failure.exchange(nth, std::memory_order_relaxed);
}

}  // namespace litecnn
