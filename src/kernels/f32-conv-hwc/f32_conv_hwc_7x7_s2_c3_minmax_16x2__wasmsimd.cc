// 7x7 stride 2 conv on 3 input channels, wasm SIMD128: 16 output channels x 2 pixels
// per block (see f32-conv-hwc-wasmsimd-impl.h).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD

#include "kernels/f32-conv-hwc/f32-conv-hwc-wasmsimd-impl.h"

namespace litecnn {

void f32_conv_hwc_7x7_s2_c3_minmax_16x2__wasmsimd(const ConvHwcGeometry& g, const float* input,
                                                  const float* packed_w, float* output,
                                                  size_t out_y_begin, size_t out_y_end, float min,
                                                  float max) {
  conv_hwc_wasmsimd::ConvHwc<7, 7, 2, 3, 16, 2>(g, input, packed_w, output, out_y_begin, out_y_end,
                                                min, max);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
