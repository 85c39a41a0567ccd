// Shared loop of the scalar arg-min/max kernels (internal to f32-reduce; contract in
// f32-reduce.h). Walks each [n][inner] slab row by row, so the reads stay sequential; y holds
// the running indices, which also find the values to beat.
#pragma once

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace litecnn {
namespace reduce_internal {

template <typename T>
bool IsNaN(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

template <typename T>
void ArgMinMax(size_t outer, size_t n, size_t inner, const T* x, bool max, bool last, int64_t* y) {
  assert(n != 0);
  for (size_t o = 0; o < outer; ++o) {
    const T* slab = x + o * n * inner;
    int64_t* idx = y + o * inner;
    for (size_t i = 0; i < inner; ++i) idx[i] = 0;
    for (size_t j = 1; j < n; ++j) {
      const T* row = slab + j * inner;
      for (size_t i = 0; i < inner; ++i) {
        const T v = row[i], b = slab[static_cast<size_t>(idx[i]) * inner + i];
        // Once a NaN is held, only a later NaN under `last` replaces it.
        const bool take = IsNaN(b)   ? last && IsNaN(v)
                          : IsNaN(v) ? true
                                     : (max ? (last ? v >= b : v > b) : (last ? v <= b : v < b));
        if (take) idx[i] = static_cast<int64_t>(j);
      }
    }
  }
}

}  // namespace reduce_internal
}  // namespace litecnn
