// Reference channel shuffle: per pixel, [groups][group_channels] -> [group_channels][groups].
#include <cstddef>
#include <cstdint>

#include "kernels/x32-shuffle/x32-shuffle.h"

namespace litecnn {

void x32_channel_shuffle__scalar(size_t pixels, size_t groups, size_t group_channels,
                                 const uint32_t* in, uint32_t* out) {
  const size_t channels = groups * group_channels;
  for (size_t p = 0; p < pixels; ++p) {
    for (size_t g = 0; g < groups; ++g) {
      for (size_t j = 0; j < group_channels; ++j) {
        out[j * groups + g] = in[g * group_channels + j];
      }
    }
    in += channels;
    out += channels;
  }
}

}  // namespace litecnn
