// f32x4 multiply+add throughput of this machine's wasm engine: the ceiling any SIMD kernel
// (litecnn's, XNNPACK's, MLAS's) can reach on one core. Built by bench/peak/peak.mjs:
//   em++ -O3 -msimd128 --no-entry -sSTANDALONE_WASM -sEXPORTED_FUNCTIONS=_peak_run
//
// kChains independent accumulators, each doing acc = acc * a + b per iteration (a f32x4.mul
// and a f32x4.add: 8 flops). Independent chains hide the mul/add latency; 12 of them plus the
// two operands fit x86-64's 16 vector registers, so V8 keeps everything in registers. Wasm
// SIMD has no FMA (relaxed-simd is not used by any runtime measured here), so mul+add is the
// fair peak. a and b come from JS so nothing constant-folds.

#include <wasm_simd128.h>

namespace {
constexpr int kChains = 12;
}  // namespace

extern "C" {

// Runs `iters` iterations; returns the lane sum so the work cannot be discarded.
// Flops = iters * kChains * 8.
__attribute__((used)) double peak_run(int iters, float a, float b) {
  const v128_t va = wasm_f32x4_splat(a);
  const v128_t vb = wasm_f32x4_splat(b);
  v128_t acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = wasm_f32x4_splat(static_cast<float>(c) * 0.001f);
  for (int i = 0; i < iters; ++i) {
#pragma clang loop unroll(full)
    for (int c = 0; c < kChains; ++c) acc[c] = wasm_f32x4_add(wasm_f32x4_mul(acc[c], va), vb);
  }
  v128_t sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = wasm_f32x4_add(sum, acc[c]);
  return static_cast<double>(wasm_f32x4_extract_lane(sum, 0)) + wasm_f32x4_extract_lane(sum, 1) +
         wasm_f32x4_extract_lane(sum, 2) + wasm_f32x4_extract_lane(sum, 3);
}

// Flops per iteration, so the JS side never hard-codes kChains.
__attribute__((used)) int peak_flops_per_iter() { return kChains * 8; }

}  // extern "C"
