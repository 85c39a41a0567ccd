// 5x5 stride 2 conv on 3 input channels (BlazeFace), wasm SIMD128: 8 output channels x 4 pixels
// per block (see f32-conv-hwc-wasmsimd-impl.h).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD

#include "kernels/f32-conv-hwc/f32-conv-hwc-wasmsimd-impl.h"

namespace litecnn {

void f32_conv_hwc_5x5_s2_c3_minmax_8x4__wasmsimd(const ConvHwcGeometry& g, const float* input,
                                                 const float* packed_w, float* output,
                                                 size_t out_y_begin, size_t out_y_end, float min,
                                                 float max) {
  conv_hwc_wasmsimd::ConvHwc<5, 5, 2, 3, 8, 4>(g, input, packed_w, output, out_y_begin, out_y_end,
                                               min, max);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
