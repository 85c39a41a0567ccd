#include "kernels/f32-dwconv/f32-dwconv-scalar-impl.h"
#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {

void f32_dwconv_3x3_s1_minmax__scalar(const DwconvGeometry& g, const float* input,
                                      const float* packed_w, float* output, size_t out_y_begin,
                                      size_t out_y_end, float min, float max) {
  dwconv_internal::DwconvScalar<3, 3, 1>(g, input, packed_w, output, out_y_begin, out_y_end, min,
                                         max);
}

}  // namespace litecnn
