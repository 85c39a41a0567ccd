#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include "kernels/f32-dwconv/f32-dwconv-wasmsimd-impl.h"
#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {

void f32_dwconv_3x3_s2_minmax__wasmsimd(const DwconvGeometry& g, const float* input,
                                        const float* packed_w, float* output, size_t out_y_begin,
                                        size_t out_y_end, float min, float max) {
  dwconv_internal::DwconvWasmsimd<3, 3, 2, 8>(g, input, packed_w, output, out_y_begin, out_y_end,
                                              min, max);
}

}  // namespace litecnn
#endif  // LITECNN_HAVE_WASMSIMD
