// The loop the scalar reductions share: y[o][i] = fold of x[o][j][i] over j, from `init`.
#pragma once

#include <algorithm>
#include <cstddef>

namespace litecnn {

template <class Fold>
inline void ReduceMiddleAxis(size_t outer, size_t n, size_t inner, const float* x, float* y,
                             float init, Fold fold) {
  for (size_t o = 0; o < outer; ++o) {
    float* out = y + o * inner;
    std::fill(out, out + inner, init);
    for (size_t j = 0; j < n; ++j) {
      const float* row = x + (o * n + j) * inner;
      for (size_t i = 0; i < inner; ++i) out[i] = fold(out[i], row[i]);
    }
  }
}

}  // namespace litecnn
