// The loop the scalar reductions share: y[o][i] = fold of x[o][j][i] over j, from `init`.
#pragma once

#include <algorithm>
#include <cstddef>

// Compiled for size: at the kernels' -O3, clang unrolled and vectorised each fold kernel into
// 1.6-2.4 KB of wasm (8.4 KB in all). These reductions run on heads and shape arithmetic, not
// on the large activations the SIMD kernels are for (global average pooling, ReduceMean's hot
// case, has its own kernel).
#if defined(__clang__)
#define LITECNN_REDUCE_MINSIZE __attribute__((minsize))
#else
#define LITECNN_REDUCE_MINSIZE
#endif

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
