// Reference: channel-major, so each output plane is written once, in order.
#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {

void x32_transpose_hwc_chw__scalar(size_t channels, size_t pixels, const uint32_t* in,
                                   uint32_t* out, size_t out_stride) {
  for (size_t c = 0; c < channels; ++c) {
    for (size_t p = 0; p < pixels; ++p) out[c * out_stride + p] = in[p * channels + c];
  }
}

}  // namespace litecnn
