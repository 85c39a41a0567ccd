// 1x16 GEMM minmax, wasm SIMD128: for one-row products (fully-connected layers at batch 1),
// where a 2-row tile would compute its aliased second row for nothing.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD

#include "kernels/f32-gemm/f32-gemm-minmax-wasmsimd-impl.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace litecnn {

void f32_gemm_minmax_ukernel_1x16__wasmsimd_loadsplat(size_t mr, size_t nc, size_t kc,
                                                      const float* a, size_t a_stride,
                                                      const float* packed_w, float* c,
                                                      size_t c_stride, float min, float max) {
  gemm_wasmsimd::Gemm<1, 16>(mr, nc, kc, a, a_stride, packed_w, c, c_stride, min, max);
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
