// 3x8 GEMM minmax, wasm SIMD128, A broadcast by v128.load32_splat (fastest when N % 16 == 8,
// e.g. N = 24).
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD

#include "kernels/f32-gemm/f32-gemm-minmax-wasmsimd-impl.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace litecnn {

void f32_gemm_minmax_ukernel_3x8__wasmsimd_loadsplat(size_t mr, size_t nc, size_t kc,
                                                     const float* a, size_t a_stride,
                                                     const float* packed_w, float* c,
                                                     size_t c_stride, float min, float max) {
  gemm_wasmsimd::Gemm<3, 8>(mr, nc, kc, a, a_stride, packed_w, c, c_stride, min, max);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
