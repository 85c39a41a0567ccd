// Reference nearest-neighbour resize row over NHWC activations: a gather of channel runs.
#include <cstddef>
#include <cstdint>

#include "kernels/f32-resize/f32-resize.h"

namespace litecnn {

void f32_resize_nearest_nhwc__scalar(size_t out_w, size_t channels, const float* row,
                                     const uint32_t* x_offsets, float* out) {
  for (size_t i = 0; i < out_w; ++i, out += channels) {
    const float* in = row + x_offsets[i];
    for (size_t c = 0; c < channels; ++c) out[c] = in[c];
  }
}

}  // namespace litecnn
