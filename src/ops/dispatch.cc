#include "ops/dispatch.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace litecnn {
namespace {

// One mechanism for every family: the family's list (*.inc) becomes a table of this build's
// entries, each with its function pointer and tile parameters; a choice computes the key it
// wants (tile, window) from the shape, with the reason beside it, and takes the entry with that
// key. No two entries of a build share a key, and the kernels the rules name (and the windows
// the target models use) are asserted to be listed, so a dropped kernel stops the build; a
// renamed one fails tests/cpp/ops_dispatch_test.cc, which pins the names chosen.

constexpr bool kSimd = LITECNN_HAVE_WASMSIMD;

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

// The tables hold only the kernels of this build's instruction set: in SIMD builds a wasmsimd
// kernel covers every case a scalar one does, and is faster (measurements in each .inc), so the
// scalar ones get a null entry there, which the compiler folds, leaving them out of the download
// (2.1 KB gzipped). They stay the tests' references. Lookups skip null entries.
template <class Fn>
constexpr Fn ForThisBuild(const char* name, Fn fn) {
  return IsSimdName(name) || !LITECNN_HAVE_WASMSIMD ? fn : nullptr;
}

// An entry of a list without tile parameters.
template <class Fn>
struct Entry {
  const char* name;
  Fn fn;
};

// A key: tile parameters and window sizes, compared as size_t.
template <class... T>
constexpr auto Key(T... v) {
  return std::make_tuple(static_cast<size_t>(v)...);
}

// What a choice asks for: the tile parameters and window of each family. Lists without
// parameters hold one kernel per build, whose key is empty.
constexpr auto KeyOf(const GemmKernel& k) { return Key(k.mr, k.nr); }
constexpr auto KeyOf(const DwconvKernel& k) {
  return Key(k.kernel_h, k.kernel_w, k.stride, k.channel_tile);
}
constexpr auto KeyOf(const ConvHwcKernel& k) {
  return Key(k.kernel_h, k.kernel_w, k.stride, k.in_c, k.oc_tile);
}
constexpr auto KeyOf(const GemvKernel&) { return Key(); }
constexpr auto KeyOf(const DwdeconvKernel&) { return Key(); }
template <class Fn>
constexpr auto KeyOf(const Entry<Fn>&) {
  return Key();
}
constexpr std::tuple<> kThisBuildsOne{};

// The index of this build's entry with that key in `list`, or N if it has none.
template <class Kernel, size_t N, class KeyT>
constexpr size_t IndexOf(const Kernel (&list)[N], const KeyT& key) {
  for (size_t i = 0; i < N; ++i) {
    if (list[i].fn && KeyOf(list[i]) == key) return i;
  }
  return N;
}

// Whether this build has an entry with that key in `list`.
template <class Kernel, size_t N, class KeyT>
constexpr bool Lists(const Kernel (&list)[N], const KeyT& key) {
  return IndexOf(list, key) < N;
}

// This build's entry with that key, or one with fn == nullptr if none (a shape no kernel of the
// family handles, which the caller runs on another algorithm).
template <class Kernel, size_t N, class KeyT>
constexpr Kernel EntryOrNone(const Kernel (&list)[N], const KeyT& key) {
  const size_t i = IndexOf(list, key);
  return i < N ? list[i] : Kernel{};
}

// Whether no two entries of this build share a key, so that a key names one kernel.
template <class Kernel, size_t N>
constexpr bool KeysUnique(const Kernel (&list)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (list[i].fn && IndexOf(list, KeyOf(list[i])) != i) return false;
  }
  return true;
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

constexpr ConvHwcKernel kConvHwcKernels[] = {
#define LITECNN_CONV_HWC_MINMAX_UKERNEL(fn, kh, kw, stride, in_c, ot) \
  {#fn, ForThisBuild(#fn, fn), kh, kw, stride, in_c, ot},
#include "kernels/f32-conv-hwc/f32-conv-hwc-minmax.inc"
#undef LITECNN_CONV_HWC_MINMAX_UKERNEL
};

constexpr GemvKernel kGemvKernels[] = {
#define LITECNN_GEMV_MINMAX_UKERNEL(fn) {#fn, ForThisBuild(#fn, fn)},
#include "kernels/f32-gemv/f32-gemv-minmax.inc"
#undef LITECNN_GEMV_MINMAX_UKERNEL
};

constexpr Entry<f32_winograd_input_ukernel_fn> kWinogradInputs[] = {
#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn) {#fn, ForThisBuild(#fn, fn)},
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn)
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL
};

constexpr Entry<f32_winograd_output_ukernel_fn> kWinogradOutputs[] = {
#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn)
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn) {#fn, ForThisBuild(#fn, fn)},
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL
};

constexpr DwdeconvKernel kDwdeconvKernels[] = {
#define LITECNN_DWDECONV_MINMAX_UKERNEL(fn, ct) {#fn, ForThisBuild(#fn, fn), ct},
#include "kernels/f32-dwdeconv/f32-dwdeconv-minmax.inc"
#undef LITECNN_DWDECONV_MINMAX_UKERNEL
};

static_assert(KeysUnique(kGemmKernels), "two GEMM kernels of this build with one MR x NR tile");
static_assert(KeysUnique(kDwconvKernels), "two depthwise kernels of this build for one window");
static_assert(KeysUnique(kConvHwcKernels), "two conv-hwc kernels of this build for one window");
static_assert(KeysUnique(kGemvKernels), "more than one GEMV kernel in this build");
static_assert(KeysUnique(kDwdeconvKernels), "more than one depthwise deconv kernel in this build");
static_assert(KeysUnique(kWinogradInputs) && KeysUnique(kWinogradOutputs),
              "more than one Winograd transform of a kind in this build");

// GEMM tiles, measured with bench/kernels/gemm_bench.cc on MobileNetV2 / SqueezeNet pointwise
// shapes (2026-11-28):
//   2x16 wasmsimd: fastest wherever N is a multiple of 16 (21-26 GFLOP/s median on a loaded
//                  machine, 26-33 quiet);
//   3x8 wasmsimd:  as fast or faster when N % 16 is in (0, 8] (N = 24), where 2x16 would spend a
//                  third of its columns on padding;
//   4x4 scalar:    builds without SIMD, at any N (2x the 1x4 natively).
// More than 8 vector accumulators (5x8, 6x8, 4x16) spill in V8 and run at 9-20 GFLOP/s; 4x8 runs
// close to 3x8 and is not chosen.
constexpr size_t kGemmWide = IndexOf(kGemmKernels, kSimd ? Key(2, 16) : Key(4, 4));
constexpr size_t kGemmNarrowTail = IndexOf(kGemmKernels, kSimd ? Key(3, 8) : Key(4, 4));
// One row (a fully-connected layer at batch 1): every other tile would recompute its row MR times.
constexpr size_t kGemmSingleRow = IndexOf(kGemmKernels, kSimd ? Key(1, 16) : Key(1, 4));
static_assert(std::max({kGemmWide, kGemmNarrowTail, kGemmSingleRow}) < std::size(kGemmKernels),
              "a GEMM tile dispatch wants is not listed in f32-gemm-minmax.inc");

// The GEMM kernel for an [m x n] output.
constexpr size_t GemmKernelFor(size_t m, size_t n) {
  if (m == 1) return kGemmSingleRow;
  const bool narrow_tail = n % 16 != 0 && n % 16 <= 8;
  return narrow_tail ? kGemmNarrowTail : kGemmWide;
}

// Depthwise: one channel tile per build. In SIMD builds the 8-channel wasmsimd kernels, which
// beat scalar at any channel count (channels not a multiple of the tile run a masked tail inside
// the kernel); without SIMD the 1-channel scalar ones.
constexpr size_t kDwconvChannelTile = kSimd ? 8 : 1;
// MobileNet's 3x3 windows and MobileNetV3's / BlazeFace's 5x5 ones, at strides 1 and 2.
static_assert(Lists(kDwconvKernels, Key(3, 3, 1, kDwconvChannelTile)) &&
                  Lists(kDwconvKernels, Key(3, 3, 2, kDwconvChannelTile)) &&
                  Lists(kDwconvKernels, Key(5, 5, 1, kDwconvChannelTile)) &&
                  Lists(kDwconvKernels, Key(5, 5, 2, kDwconvChannelTile)),
              "a depthwise window dispatch wants is not listed in f32-dwconv-minmax.inc");

// Few-input-channel (first) convs: 8 output channels per tile in SIMD builds (8x4: 37-39 GFLOP/s
// on 16..96 outputs, against 25-34 for 16x2 and less for the other tiles measured; on 24 outputs
// a 16-wide tile would leave a third of its lanes idle: f32-conv-hwc-minmax.inc), 4 in the
// scalar kernel.
constexpr size_t kConvHwcOutputTile = kSimd ? 8 : 4;
// SIMD kernels only up to 64 outputs, the widest measured (faster than im2col + GEMM there:
// f32-conv-hwc-minmax.inc). Builds without SIMD keep the scalar kernel at any width
// (unmeasured there).
constexpr size_t kMaxSimdConvHwcOutputs = 64;
// MobileNet's, ShuffleNet's and SqueezeNet 1.1's 3x3 stride-2 RGB convs in every build;
// BlazeFace's 5x5 one in SIMD builds (without SIMD it runs on im2col + GEMM).
static_assert(Lists(kConvHwcKernels, Key(3, 3, 2, 3, kConvHwcOutputTile)) &&
                  (!kSimd || Lists(kConvHwcKernels, Key(5, 5, 2, 3, kConvHwcOutputTile))),
              "a first-conv window dispatch wants is not listed in f32-conv-hwc-minmax.inc");

// GEMV: this build's kernel; in SIMD builds the wasm SIMD one, which loads four weights per
// instruction (memory-bound like the 1x16 GEMM over packed weights, without their packed copy).
constexpr size_t kGemv = IndexOf(kGemvKernels, kThisBuildsOne);
static_assert(kGemv < std::size(kGemvKernels),
              "f32-gemv-minmax.inc lists no GEMV kernel for this build");

// Depthwise transposed conv: this build's kernel (the wasm SIMD one in SIMD builds).
constexpr size_t kDwdeconv = IndexOf(kDwdeconvKernels, kThisBuildsOne);
static_assert(kDwdeconv < std::size(kDwdeconvKernels),
              "f32-dwdeconv-minmax.inc lists no kernel for this build");

// Winograd: this build's transforms (the SIMD ones in SIMD builds).
constexpr size_t kWinogradInput = IndexOf(kWinogradInputs, kThisBuildsOne);
constexpr size_t kWinogradOutput = IndexOf(kWinogradOutputs, kThisBuildsOne);
static_assert(kWinogradInput < std::size(kWinogradInputs) &&
                  kWinogradOutput < std::size(kWinogradOutputs),
              "f32-winograd.inc lists no input or output transform for this build");

// Elementwise, pooling and data movement: one kernel per kind in each build, this build's one.
// Each list holds a scalar kernel and, in SIMD builds, a wasmsimd one, which is never slower
// (bench/kernels/elementwise_bench.cc). The elementwise kernels are memory-bound. Softmax is
// bound by exp, one libm call per element in the scalar kernel: 1000 classes 3.1 vs 15.6 us,
// 21 channels x 56x56 (inner axis) 0.28 vs 1.34 ms; channel affine NHWC 56x56x24 57 vs 450 us,
// NCHW 25 vs 33 us (2026-11-28, medians on a loaded 2-core machine).
struct ElementwiseTable {
  ElementwiseKernels kernels{};
  size_t set = 0;       // kinds given this build's kernel
  size_t repeated = 0;  // kinds given a second one

  template <class Fn>
  constexpr void Take(Fn& kind, const char* name, Fn fn) {
    const Fn mine = ForThisBuild(name, fn);
    if (!mine) return;
    if (kind) {
      ++repeated;
    } else {
      ++set;
    }
    kind = mine;
  }
};

constexpr ElementwiseTable BuildElementwise() {
  ElementwiseTable t;
  ElementwiseKernels& k = t.kernels;
#define LITECNN_VCLAMP_UKERNEL(fn) t.Take(k.clamp, #fn, fn);
#define LITECNN_VHSWISH_UKERNEL(fn) t.Take(k.hswish, #fn, fn);
#define LITECNN_VHSIGMOID_UKERNEL(fn) t.Take(k.hsigmoid, #fn, fn);
#define LITECNN_VSIGMOID_UKERNEL(fn) t.Take(k.sigmoid, #fn, fn);
#define LITECNN_VLRELU_UKERNEL(fn) t.Take(k.lrelu, #fn, fn);
#define LITECNN_VELU_UKERNEL(fn) t.Take(k.elu, #fn, fn);
#define LITECNN_VTANH_UKERNEL(fn) t.Take(k.tanh, #fn, fn);
#include "kernels/f32-vunary/f32-vunary.inc"
#undef LITECNN_VCLAMP_UKERNEL
#undef LITECNN_VHSWISH_UKERNEL
#undef LITECNN_VHSIGMOID_UKERNEL
#undef LITECNN_VSIGMOID_UKERNEL
#undef LITECNN_VLRELU_UKERNEL
#undef LITECNN_VELU_UKERNEL
#undef LITECNN_VTANH_UKERNEL
#define LITECNN_SOFTMAX_UKERNEL(fn) t.Take(k.softmax, #fn, fn);
#include "kernels/f32-softmax/f32-softmax.inc"
#undef LITECNN_SOFTMAX_UKERNEL
#define LITECNN_CHANNEL_AFFINE_UKERNEL(fn) t.Take(k.channel_affine, #fn, fn);
#include "kernels/f32-affine/f32-affine.inc"
#undef LITECNN_CHANNEL_AFFINE_UKERNEL
#define LITECNN_LRN_UKERNEL(fn) t.Take(k.lrn, #fn, fn);
#include "kernels/f32-lrn/f32-lrn.inc"
#undef LITECNN_LRN_UKERNEL
#define LITECNN_VADD_MINMAX_UKERNEL(fn) t.Take(k.add_minmax, #fn, fn);
#define LITECNN_VMUL_UKERNEL(fn) t.Take(k.mul, #fn, fn);
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn) t.Take(k.mul_rowvec, #fn, fn);
#define LITECNN_VADD_ROWVEC_UKERNEL(fn) t.Take(k.add_rowvec, #fn, fn);
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn) t.Take(k.prelu_rowvec, #fn, fn);
#include "kernels/f32-vbinary/f32-vbinary.inc"
#undef LITECNN_VADD_MINMAX_UKERNEL
#undef LITECNN_VMUL_UKERNEL
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#undef LITECNN_VADD_ROWVEC_UKERNEL
#undef LITECNN_VPRELU_ROWVEC_UKERNEL
#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn) t.Take(k.maxpool, #fn, fn);
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn) t.Take(k.avgpool, #fn, fn);
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn) t.Take(k.gavgpool, #fn, fn);
#include "kernels/f32-pool/f32-pool.inc"
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL
#define LITECNN_RESIZE_BILINEAR_UKERNEL(fn) t.Take(k.resize_bilinear, #fn, fn);
#define LITECNN_RESIZE_NEAREST_UKERNEL(fn) t.Take(k.resize_nearest, #fn, fn);
#include "kernels/f32-resize/f32-resize.inc"
#undef LITECNN_RESIZE_BILINEAR_UKERNEL
#undef LITECNN_RESIZE_NEAREST_UKERNEL
#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn) t.Take(k.channel_shuffle, #fn, fn);
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn) t.Take(k.concat2_shuffle, #fn, fn);
#include "kernels/x32-shuffle/x32-shuffle.inc"
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL
#define LITECNN_TRANSPOSE_CHW_HWC_UKERNEL(fn) t.Take(k.transpose_chw_hwc, #fn, fn);
#define LITECNN_TRANSPOSE_HWC_CHW_UKERNEL(fn) t.Take(k.transpose_hwc_chw, #fn, fn);
#include "kernels/x32-transpose/x32-transpose.inc"
#undef LITECNN_TRANSPOSE_CHW_HWC_UKERNEL
#undef LITECNN_TRANSPOSE_HWC_CHW_UKERNEL
#define LITECNN_RGBA_BILINEAR_UKERNEL(fn) t.Take(k.rgba_bilinear, #fn, fn);
#include "kernels/u8-rgba-resize/u8-rgba-resize.inc"
#undef LITECNN_RGBA_BILINEAR_UKERNEL
  return t;
}

constexpr ElementwiseTable kElementwise = BuildElementwise();
// Every member of ElementwiseKernels is one kind's kernel pointer.
static_assert(kElementwise.set == sizeof(ElementwiseKernels) / sizeof(f32_vclamp_ukernel_fn),
              "an elementwise kind has no kernel of this build in its list");
static_assert(kElementwise.repeated == 0, "an elementwise kind lists two kernels of this build");

}  // namespace

const ElementwiseKernels& Elementwise() { return kElementwise.kernels; }

GemvKernel ChooseGemvKernel() { return kGemvKernels[kGemv]; }

DwdeconvKernel ChooseDwdeconvKernel() { return kDwdeconvKernels[kDwdeconv]; }

GemmKernel ChooseGemmKernel(size_t m, size_t n, size_t k) {
  (void)k;
  return kGemmKernels[GemmKernelFor(m, n)];
}

WinogradKernel ChooseWinogradKernel(size_t in_c, size_t out_c) {
  // Winograd F(4x4, 3x3) beat im2col + GEMM on every 3x3 stride-1 shape measured, with 8 or
  // more channels on each side (one-conv models, SIMD build, medians of 50 alternating runs,
  // 2026-12-02): 8->8 56x56 0.46x the time, 16->16 56x56 0.35x, 16->64 55x55 0.42x, 64->64
  // 14x14 0.58x, 256->256 7x7 0.44x, 512->512 4x4 0.65x, 64->64 3x3 0.92x (one tile).
  // With fewer channels the transforms outweigh the GEMMs they shrink; unmeasured, so im2col.
  if (in_c < 8 || out_c < 8) return {};
  const auto& input = kWinogradInputs[kWinogradInput];
  const auto& output = kWinogradOutputs[kWinogradOutput];
  return {input.name, input.fn, output.name, output.fn};
}

ConvHwcKernel ChooseConvHwcKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t in_c,
                                  size_t out_c) {
  if (kSimd && out_c > kMaxSimdConvHwcOutputs) return {};
  return EntryOrNone(kConvHwcKernels, Key(kernel_h, kernel_w, stride, in_c, kConvHwcOutputTile));
}

DwconvKernel ChooseDwconvKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t channels) {
  (void)channels;  // the tile's masked tail handles any count
  return EntryOrNone(kDwconvKernels, Key(kernel_h, kernel_w, stride, kDwconvChannelTile));
}

}  // namespace litecnn
