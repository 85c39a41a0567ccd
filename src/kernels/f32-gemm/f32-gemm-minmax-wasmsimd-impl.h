// Shared body of the wasm SIMD128 GEMM minmax microkernels (contract: f32-gemm-minmax.h).
// Each f32_gemm_minmax_ukernel_<MR>x<NR>__wasmsimd_loadsplat.cc instantiates Gemm<MR, NR>, so
// every kernel is its own function with compile-time MR/NR: clang fully unrolls the row and
// column loops and keeps the MR x NR/4 accumulators in wasm locals (the k loop is loads, mul,
// add only; check with `llvm-objdump -d`), which V8 keeps in xmm registers.
//
// Per k step: MR v128.load32_splat of A (x64: vbroadcastss from memory, a load-port op that
// leaves the FP pipes to mul/add), NR/4 loads of packed weights, MR*NR/4 f32x4 mul+add.
// Variants measured and dropped (bench/kernels/gemm_bench.cc, Node 20 on a 2-core Zen 3 VM, same
// runs, GFLOP/s over the bench's shapes; the kept 2x16/3x8/4x8 did ~20-31 in those runs):
//  - more than 8 accumulators: 5x8 ~15-19, 6x8 ~14-16, 3x16 ~15-20, 4x16 ~9-14. Probably V8
//    spilling in the k loop (it allocates at most 15 xmm registers on x64); neither splatting
//    min/max after the k loop nor keeping the C row pointers in memory (fewer live GPRs) helped;
//  - A broadcast by one v128.load of 4 k + i32x4.shuffle per k (k unrolled by 4): 4x8 ~13-17,
//    2x16 ~12-19; the shuffles likely compete with mul/add for the FP pipes;
//  - k unrolled by 2 or 4 with load32_splat: 2x16 ~12-18, 4x8 ~10-16, 6x8 ~8-15.
// Only included from files wrapped in `#if LITECNN_HAVE_WASMSIMD`.
#pragma once

#include <wasm_simd128.h>

#include <cstddef>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/minmax.h"

namespace litecnn {
namespace gemm_wasmsimd {

template <size_t MR, size_t NR>
inline __attribute__((always_inline)) void Gemm(size_t mr, size_t nc, size_t kc, const float* a,
                                                size_t a_stride, const float* w, float* c,
                                                size_t c_stride, float min, float max) {
  static_assert(NR == 4 || NR == 8 || NR == 16, "NR / 4 is a power of two (remainder stores)");
  // Rows past mr alias the last valid row: they recompute it and store identical values to it,
  // so the body has no per-row branches and never touches memory beyond row mr - 1.
  const float* ar[MR];
  float* cr[MR];
  ar[0] = a;
  cr[0] = c;
  for (size_t i = 1; i < MR; ++i) {
    ar[i] = ar[i - 1] + a_stride;
    cr[i] = cr[i - 1] + c_stride;
    if (mr <= i) {
      ar[i] = ar[i - 1];
      cr[i] = cr[i - 1];
    }
  }
  const v128_t vmin = wasm_f32x4_splat(min);
  const v128_t vmax = wasm_f32x4_splat(max);
  // A panel narrower than NR (the last one when nc % NR != 0) is computed into this tile and
  // copied out, so that the block loop below only ever loads and stores whole vectors.
  float tile[MR][NR];
  float* tr[MR];
  for (size_t i = 0; i < MR; ++i) tr[i] = tile[i];

  do {
    float* const* dst = nc >= NR ? cr : tr;
    const float* panel_w = w + NR;  // the panel's kc rows of NR weights, after its NR biases
    // k in blocks of kGemmKBlock, each summed from zero, then the bias (f32-gemm-minmax.h says
    // why).
    for (size_t k0 = 0; k0 < kc; k0 += kGemmKBlock) {
      const size_t k1 = kc - k0 > kGemmKBlock ? k0 + kGemmKBlock : kc;
      v128_t acc[MR][NR / 4];
      for (size_t i = 0; i < MR; ++i) {
        for (size_t j = 0; j < NR / 4; ++j) acc[i][j] = wasm_f32x4_splat(0.f);
      }
      for (size_t k = k0; k < k1; ++k) {
        v128_t vw[NR / 4];
        for (size_t j = 0; j < NR / 4; ++j) vw[j] = wasm_v128_load(panel_w + 4 * j);
        panel_w += NR;
        for (size_t i = 0; i < MR; ++i) {
          const v128_t va = wasm_v128_load32_splat(ar[i] + k);
          for (size_t j = 0; j < NR / 4; ++j) {
            acc[i][j] = wasm_f32x4_add(acc[i][j], wasm_f32x4_mul(va, vw[j]));
          }
        }
      }
      for (size_t i = 0; i < MR; ++i) {
        for (size_t j = 0; j < NR / 4; ++j) {
          if (k0 != 0) acc[i][j] = wasm_f32x4_add(acc[i][j], wasm_v128_load(dst[i] + 4 * j));
          if (k1 == kc) {
            acc[i][j] = wasm_f32x4_add(acc[i][j], wasm_v128_load(w + 4 * j));  // the bias, last
            // pmin/pmax are single minps/maxps on x64 (min/max need NaN fix-ups).
            acc[i][j] = f32x4_minmax(acc[i][j], vmin, vmax);
          }
        }
      }
      // Highest row first: aliased rows store the same values, the real row last.
      for (size_t i = MR; i-- > 0;) {
        for (size_t j = 0; j < NR / 4; ++j) wasm_v128_store(dst[i] + 4 * j, acc[i][j]);
      }
    }
    w = panel_w;

    if (nc >= NR) {
      for (size_t i = 0; i < MR; ++i) cr[i] += NR;
      nc -= NR;
    } else {
      // 1 <= nc < NR: the tile's rows past mr repeat row mr - 1 and are not copied.
      for (size_t i = 0; i < mr; ++i) {
        for (size_t j = 0; j < nc; ++j) cr[i][j] = tile[i][j];
      }
      nc = 0;
    }
  } while (nc != 0);
}

}  // namespace gemm_wasmsimd
}  // namespace litecnn
