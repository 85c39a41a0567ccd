// Reference concat of two strided halves followed by a 2-group channel shuffle (interleave).
#include <cstddef>
#include <cstdint>

#include "kernels/x32-shuffle/x32-shuffle.h"

namespace litecnn {

void x32_concat2_shuffle__scalar(size_t pixels, size_t half_channels, const uint32_t* a,
                                 size_t a_stride, const uint32_t* b, size_t b_stride, uint32_t* out,
                                 size_t out_stride) {
  for (size_t p = 0; p < pixels; ++p) {
    for (size_t j = 0; j < half_channels; ++j) {
      out[2 * j] = a[j];
      out[2 * j + 1] = b[j];
    }
    a += a_stride;
    b += b_stride;
    out += out_stride;
  }
}

}  // namespace litecnn
