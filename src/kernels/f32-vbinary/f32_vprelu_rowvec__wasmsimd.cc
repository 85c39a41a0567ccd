// wasm SIMD per-channel PRelu over NHWC rows (body shared with the other rowvec kernels in
// vbinary-rowvec-wasmsimd-impl.h): a select on the sign, bit-identical to the reference.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vbinary/vbinary-rowvec-wasmsimd-impl.h"

namespace litecnn {

void f32_vprelu_rowvec__wasmsimd(size_t rows, size_t channels, const float* a, const float* slope,
                                 float* y) {
  vbinary_internal::RowvecWasmSimd<vbinary_internal::PRelu>(rows, channels, a, slope, y);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
