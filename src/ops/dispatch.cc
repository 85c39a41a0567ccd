#include "ops/dispatch.h"

#include <cstring>

namespace litecnn {
namespace {

// Whether a kernel's name says it is a wasm SIMD one.
constexpr bool IsSimdName(const char* name) {
  for (const char* p = name; *p != '\0'; ++p) {
    const char* q = p;
    const char* want = "__wasmsimd";
    while (*want != '\0' && *q == *want) ++q, ++want;
    if (*want == '\0') return true;
  }
  return false;
}

// The GEMM, depthwise and few-channel conv tables below hold only the kernels of this build's
// instruction set: in SIMD builds a wasmsimd kernel covers every case a scalar one does, and is
// faster (measurements in each .inc), so the scalar ones get a null entry there, which the
// compiler folds, leaving them out of the download (2.1 KB gzipped). They stay the tests.
// references. Choosers skip null entries.
template <class Fn>
constexpr Fn ForThisBuild(const char* name, Fn fn) {
  return IsSimdName(name) || !LITECNN_HAVE_WASMSIMD ? fn : nullptr;
}

constexpr GemmKernel kGemmKernels[] = {
#define LITECNN_GEMM_MINMAX_UKERNEL(fn, mr, nr) {#fn, ForThisBuild(#fn, fn), mr, nr},
#include "kernels/f32-gemm/f32-gemm-minmax.inc"
#undef LITECNN_GEMM_MINMAX_UKERNEL
};

constexpr DwconvKernel kDwconvKernels[] = {
    {},  // keeps the array non-empty while the list is
#define LITECNN_DWCONV_MINMAX_UKERNEL(fn, kh, kw, stride, ct) \
  {#fn, ForThisBuild(#fn, fn), kh, kw, stride, ct},
#include "kernels/f32-dwconv/f32-dwconv-minmax.inc"
#undef LITECNN_DWCONV_MINMAX_UKERNEL
};

// GEMM preference, best first; the first one this build has wins. Measured with
// bench/kernels/gemm_bench.cc on MobileNetV2 / SqueezeNet pointwise shapes (2026-11-28):
//   2x16 wasmsimd: fastest wherever N is a multiple of 16 (21-26 GFLOP/s median on a loaded
//                  machine, 26-33 quiet);
//   3x8 wasmsimd:  as fast or faster when N % 16 is in (0, 8] (N = 24), where 2x16 would spend a
//                  third of its columns on padding;
//   4x4 scalar:    builds without SIMD (2x the 1x4 natively).
// More than 8 vector accumulators (5x8, 6x8, 4x16) spill in V8 and run at 9-20 GFLOP/s.
const char* const kGemmPreferenceWide[] = {
    "f32_gemm_minmax_ukernel_2x16__wasmsimd_loadsplat",
    "f32_gemm_minmax_ukernel_3x8__wasmsimd_loadsplat",
    "f32_gemm_minmax_ukernel_4x4__scalar",
};
// One row (a fully-connected layer at batch 1): every other tile would recompute its row MR times.
const char* const kGemmPreferenceSingleRow[] = {
    "f32_gemm_minmax_ukernel_1x16__wasmsimd_loadsplat",
    "f32_gemm_minmax_ukernel_1x4__scalar",
};
const char* const kGemmPreferenceNarrow[] = {
    "f32_gemm_minmax_ukernel_3x8__wasmsimd_loadsplat",
    "f32_gemm_minmax_ukernel_2x16__wasmsimd_loadsplat",
    "f32_gemm_minmax_ukernel_4x4__scalar",
};

constexpr ConvHwcKernel kConvHwcKernels[] = {
#define LITECNN_CONV_HWC_MINMAX_UKERNEL(fn, kh, kw, stride, in_c, ot) \
  {#fn, ForThisBuild(#fn, fn), kh, kw, stride, in_c, ot},
#include "kernels/f32-conv-hwc/f32-conv-hwc-minmax.inc"
#undef LITECNN_CONV_HWC_MINMAX_UKERNEL
};

// Each list holds a scalar kernel and, in SIMD builds, a wasmsimd one after it, and the last
// listed one of each kind wins: the SIMD version is never slower
// (bench/kernels/elementwise_bench.cc). The elementwise kernels are memory-bound. Softmax is
// bound by exp, one libm call per element in the scalar kernel: 1000 classes 3.1 vs 15.6 us,
// 21 channels x 56x56 (inner axis) 0.28 vs 1.34 ms; channel affine NHWC 56x56x24 57 vs 450 us,
// NCHW 25 vs 33 us (2026-11-28, medians on a loaded 2-core machine).
ElementwiseKernels BuildElementwise() {
  ElementwiseKernels k{};
#define LITECNN_VCLAMP_UKERNEL(fn) k.clamp = fn;
#define LITECNN_VHSWISH_UKERNEL(fn) k.hswish = fn;
#define LITECNN_VHSIGMOID_UKERNEL(fn) k.hsigmoid = fn;
#define LITECNN_VSIGMOID_UKERNEL(fn) k.sigmoid = fn;
#include "kernels/f32-vunary/f32-vunary.inc"
#undef LITECNN_VCLAMP_UKERNEL
#undef LITECNN_VHSWISH_UKERNEL
#undef LITECNN_VHSIGMOID_UKERNEL
#undef LITECNN_VSIGMOID_UKERNEL
#define LITECNN_SOFTMAX_UKERNEL(fn) k.softmax = fn;
#include "kernels/f32-softmax/f32-softmax.inc"
#undef LITECNN_SOFTMAX_UKERNEL
#define LITECNN_CHANNEL_AFFINE_UKERNEL(fn) k.channel_affine = fn;
#include "kernels/f32-affine/f32-affine.inc"
#undef LITECNN_CHANNEL_AFFINE_UKERNEL
#define LITECNN_VADD_MINMAX_UKERNEL(fn) k.add_minmax = fn;
#define LITECNN_VMUL_UKERNEL(fn) k.mul = fn;
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn) k.mul_rowvec = fn;
#define LITECNN_VADD_ROWVEC_UKERNEL(fn) k.add_rowvec = fn;
#include "kernels/f32-vbinary/f32-vbinary.inc"
#undef LITECNN_VADD_MINMAX_UKERNEL
#undef LITECNN_VMUL_UKERNEL
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#undef LITECNN_VADD_ROWVEC_UKERNEL
#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn) k.maxpool = fn;
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn) k.avgpool = fn;
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn) k.gavgpool = fn;
#include "kernels/f32-pool/f32-pool.inc"
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL
#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn) k.channel_shuffle = fn;
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn) k.concat2_shuffle = fn;
#include "kernels/x32-shuffle/x32-shuffle.inc"
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL
#define LITECNN_TRANSPOSE_CHW_HWC_UKERNEL(fn) k.transpose_chw_hwc = fn;
#include "kernels/x32-transpose/x32-transpose.inc"
#undef LITECNN_TRANSPOSE_CHW_HWC_UKERNEL
#define LITECNN_RGBA_BILINEAR_UKERNEL(fn) k.rgba_bilinear = fn;
#include "kernels/u8-rgba-resize/u8-rgba-resize.inc"
#undef LITECNN_RGBA_BILINEAR_UKERNEL
  return k;
}

}  // namespace

const ElementwiseKernels& Elementwise() {
  static const ElementwiseKernels kernels = BuildElementwise();
  return kernels;
}

GemvKernel ChooseGemvKernel() {
  // The last one listed: the scalar reference, then in SIMD builds the wasm SIMD kernel, which
  // loads four weights per instruction (memory-bound like the 1x16 GEMM over packed weights,
  // without their packed copy).
  GemvKernel chosen;
#define LITECNN_GEMV_MINMAX_UKERNEL(fn) chosen = GemvKernel{#fn, fn};
#include "kernels/f32-gemv/f32-gemv-minmax.inc"
#undef LITECNN_GEMV_MINMAX_UKERNEL
  return chosen;
}

WinogradKernel ChooseWinogradKernel(size_t in_c, size_t out_c) {
  // Winograd F(4x4, 3x3) beat im2col + GEMM on every 3x3 stride-1 shape measured, with 8 or
  // more channels on each side (one-conv models, SIMD build, medians of 50 alternating runs,
  // 2026-12-02): 8->8 56x56 0.46x the time, 16->16 56x56 0.35x, 16->64 55x55 0.42x, 64->64
  // 14x14 0.58x, 256->256 7x7 0.44x, 512->512 4x4 0.65x, 64->64 3x3 0.92x (one tile).
  // With fewer channels the transforms outweigh the GEMMs they shrink; unmeasured, so im2col.
  WinogradKernel chosen;
  if (in_c < 8 || out_c < 8) return chosen;
    // The last ones listed: the SIMD transforms in SIMD builds.
#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn) \
  chosen.input_name = #fn;                 \
  chosen.input = fn;
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn) \
  chosen.output_name = #fn;                 \
  chosen.output = fn;
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL
  return chosen;
}

ConvHwcKernel ChooseConvHwcKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t in_c,
                                  size_t out_c) {
  // The output-channel tile that pads out_c least (24 outputs: the 8-wide tile, not a 16-wide
  // one with a third of its lanes idle); on a tie the one listed first (measurements in
  // f32-conv-hwc-minmax.inc).
  // SIMD kernels only up to 64 outputs, the widest measured (faster than im2col + GEMM there:
  // f32-conv-hwc-minmax.inc). Builds without SIMD keep the scalar kernel at any width
  // (unmeasured there).
  constexpr size_t kMaxSimdOutputs = 64;
  ConvHwcKernel found;
  const auto padding = [&](const ConvHwcKernel& k) {
    return (out_c + k.oc_tile - 1) / k.oc_tile * k.oc_tile - out_c;
  };
  for (const ConvHwcKernel& k : kConvHwcKernels) {
    if (!k.fn || k.kernel_h != kernel_h || k.kernel_w != kernel_w || k.stride != stride ||
        k.in_c != in_c || (LITECNN_HAVE_WASMSIMD && out_c > kMaxSimdOutputs)) {
      continue;
    }
    if (!found.fn || padding(k) < padding(found)) found = k;
  }
  return found;
}

GemmKernel ChooseGemmKernel(size_t m, size_t n, size_t k) {
  (void)k;
  const bool narrow_tail = n % 16 != 0 && n % 16 <= 8;
  const auto find = [](const char* want) -> const GemmKernel* {
    for (const GemmKernel& g : kGemmKernels) {
      if (g.fn && std::strcmp(g.name, want) == 0) return &g;
    }
    return nullptr;
  };
  if (m == 1) {
    for (const char* want : kGemmPreferenceSingleRow)
      if (const GemmKernel* g = find(want)) return *g;
  }
  for (const char* want : narrow_tail ? kGemmPreferenceNarrow : kGemmPreferenceWide)
    if (const GemmKernel* g = find(want)) return *g;
  // Not in the preference table: the biggest tile.
  const GemmKernel* best = nullptr;
  for (const GemmKernel& g : kGemmKernels) {
    if (g.fn && (!best || g.mr * g.nr > best->mr * best->nr)) best = &g;
  }
  return *best;
}

DwconvKernel ChooseDwconvKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t channels) {
  (void)channels;
  // One kernel per window and stride in each build (ForThisBuild): in SIMD builds the wasmsimd
  // one, which beats scalar at any channel count (channels not a multiple of the tile run a
  // masked tail inside the kernel).
  for (const DwconvKernel& d : kDwconvKernels) {
    if (d.fn && d.kernel_h == kernel_h && d.kernel_w == kernel_w && d.stride == stride) return d;
  }
  return {};
}

}  // namespace litecnn
