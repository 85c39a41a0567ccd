// wasm SIMD row-vector broadcast y[r][c] = a[r][c] + b_vec[c] over NHWC rows (body shared with
// the other rowvec kernels in vbinary-rowvec-wasmsimd-impl.h).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vbinary/vbinary-rowvec-wasmsimd-impl.h"

namespace litecnn {

void f32_vadd_rowvec__wasmsimd(size_t rows, size_t channels, const float* a, const float* b_vec,
                               float* y) {
  vbinary_internal::RowvecWasmSimd<vbinary_internal::Add>(rows, channels, a, b_vec, y);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
