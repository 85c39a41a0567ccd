// Reference: pixel-major, so the output is written once, in order (a channel-major loop writes
// every output line `channels` times with a stride).
#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {

void x32_transpose_chw_hwc__scalar(size_t channels, size_t pixels, const uint32_t* in,
                                   size_t in_stride, uint32_t* out) {
  for (size_t p = 0; p < pixels; ++p) {
    for (size_t c = 0; c < channels; ++c) out[c] = in[c * in_stride + p];
    out += channels;
  }
}

}  // namespace litecnn
