// The kernel dispatch.cc chooses, pinned by name for the shapes its comments cite, in this
// build: natively and in the plain wasm build the scalar kernels, in the SIMD wasm builds the
// wasmsimd ones. A renamed or dropped kernel fails here instead of being replaced silently.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>

#include "kernels/isa.h"
#include "ops/dispatch.h"

namespace litecnn {
namespace {

constexpr bool kSimd = LITECNN_HAVE_WASMSIMD;

std::string Name(const char* name) { return name ? name : "(none)"; }

// The GEMM kernel's name for an [m x k] x [k x n] product.
std::string Gemm(size_t m, size_t n, size_t k = 64) { return Name(ChooseGemmKernel(m, n, k).name); }

const char* const kGemmWide = kSimd ? "f32_gemm_minmax_ukernel_2x16__wasmsimd_loadsplat"
                                    : "f32_gemm_minmax_ukernel_4x4__scalar";
const char* const kGemmNarrowTail = kSimd ? "f32_gemm_minmax_ukernel_3x8__wasmsimd_loadsplat"
                                          : "f32_gemm_minmax_ukernel_4x4__scalar";
const char* const kGemmSingleRow = kSimd ? "f32_gemm_minmax_ukernel_1x16__wasmsimd_loadsplat"
                                         : "f32_gemm_minmax_ukernel_1x4__scalar";

TEST(GemmDispatch, PointwiseNMultipleOf16) {
  // MobileNetV2's pointwise widths (112x112 down to 7x7 pixels) and SqueezeNet's.
  for (size_t n : {16, 32, 64, 96, 144, 160, 192, 320, 384, 576, 960, 1280}) {
    EXPECT_EQ(Gemm(112 * 112, n), kGemmWide) << "N = " << n;
    EXPECT_EQ(Gemm(7 * 7, n), kGemmWide) << "N = " << n;
  }
  for (size_t n : {48, 64, 128, 192, 256}) EXPECT_EQ(Gemm(55 * 55, n), kGemmWide) << "N = " << n;
}

TEST(GemmDispatch, N24) { EXPECT_EQ(Gemm(56 * 56, 24, 144), kGemmNarrowTail); }

TEST(GemmDispatch, NMod16InZeroToEight) {
  // N % 16 in (0, 8]: ShuffleNetV2's 116 and 232, MobileNetV3's 40, 72, 120, 200, SqueezeNet's
  // 1000-class conv (13x13 pixels), and the edges 1 and 8.
  for (size_t n : {1, 8, 40, 72, 116, 120, 200, 232, 1000}) {
    EXPECT_EQ(Gemm(13 * 13, n), kGemmNarrowTail) << "N = " << n;
  }
}

TEST(GemmDispatch, NMod16InNineToFifteen) {
  // N % 16 in (8, 16): 2x16 (ShuffleNetV2's 58-channel branches, the edges 9 and 15).
  for (size_t n : {9, 15, 58, 25}) EXPECT_EQ(Gemm(28 * 28, n), kGemmWide) << "N = " << n;
}

TEST(GemmDispatch, SingleRow) {
  // A fully-connected layer at batch 1, or a 1x1-pixel pointwise conv, whatever N is.
  for (size_t n : {1, 16, 24, 1000, 1280}) EXPECT_EQ(Gemm(1, n, 1280), kGemmSingleRow);
}

TEST(GemmDispatch, TwoRows) {
  // Two rows are no longer a single row: the pointwise tiles.
  EXPECT_EQ(Gemm(2, 1000, 1280), kGemmNarrowTail);
  EXPECT_EQ(Gemm(2, 1024, 1280), kGemmWide);
}

TEST(GemmDispatch, TileParametersMatchTheName) {
  const GemmKernel wide = ChooseGemmKernel(64, 32, 64);
  const GemmKernel tail = ChooseGemmKernel(64, 24, 64);
  const GemmKernel row = ChooseGemmKernel(1, 32, 64);
  EXPECT_EQ(wide.mr, kSimd ? 2u : 4u);
  EXPECT_EQ(wide.nr, kSimd ? 16u : 4u);
  EXPECT_EQ(tail.mr, kSimd ? 3u : 4u);
  EXPECT_EQ(tail.nr, kSimd ? 8u : 4u);
  EXPECT_EQ(row.mr, 1u);
  EXPECT_EQ(row.nr, kSimd ? 16u : 4u);
  for (const GemmKernel& g : {wide, tail, row}) EXPECT_NE(g.fn, nullptr) << g.name;
}

TEST(GemvDispatch, OneKernelPerBuild) {
  const GemvKernel g = ChooseGemvKernel();
  EXPECT_EQ(Name(g.name), kSimd ? "f32_gemv_minmax_ukernel_1x8__wasmsimd"
                                : "f32_gemv_minmax_ukernel_4x1__scalar");
  EXPECT_NE(g.fn, nullptr);
}

// The depthwise kernel's name for a window, or "(none)".
std::string Dwconv(size_t kh, size_t kw, size_t stride, size_t channels) {
  const DwconvKernel d = ChooseDwconvKernel(kh, kw, stride, channels);
  return d.fn ? Name(d.name) : "(none)";
}

std::string DwconvName(const char* window) {
  return std::string("f32_dwconv_") + window + (kSimd ? "_minmax__wasmsimd" : "_minmax__scalar");
}

TEST(DwconvDispatch, Depthwise3x3S1) {
  // MobileNetV2's 3x3 stride-1 blocks (144..960 channels) and odd counts (masked tails).
  for (size_t c : {1, 3, 17, 32, 144, 192, 384, 576, 960}) {
    EXPECT_EQ(Dwconv(3, 3, 1, c), DwconvName("3x3_s1")) << c << " channels";
  }
}

TEST(DwconvDispatch, Depthwise3x3S2) {
  for (size_t c : {1, 3, 17, 96, 144, 192, 576}) {
    EXPECT_EQ(Dwconv(3, 3, 2, c), DwconvName("3x3_s2")) << c << " channels";
  }
}

TEST(DwconvDispatch, Depthwise5x5) {
  // MobileNetV3's and BlazeFace's 5x5 windows.
  for (size_t c : {1, 24, 72, 120, 240, 480}) {
    EXPECT_EQ(Dwconv(5, 5, 1, c), DwconvName("5x5_s1")) << c << " channels";
    EXPECT_EQ(Dwconv(5, 5, 2, c), DwconvName("5x5_s2")) << c << " channels";
  }
}

TEST(DwconvDispatch, ChannelTile) {
  EXPECT_EQ(ChooseDwconvKernel(3, 3, 1, 32).channel_tile, kSimd ? 8u : 1u);
  EXPECT_EQ(ChooseDwconvKernel(5, 5, 2, 17).channel_tile, kSimd ? 8u : 1u);
}

TEST(DwconvDispatch, UnlistedWindowHasNoKernel) {
  // Windows and strides with no depthwise kernel run as im2col convs.
  EXPECT_EQ(Dwconv(7, 7, 1, 32), "(none)");
  EXPECT_EQ(Dwconv(3, 3, 3, 32), "(none)");
  EXPECT_EQ(Dwconv(3, 5, 1, 32), "(none)");
  EXPECT_EQ(Dwconv(1, 1, 1, 32), "(none)");
}

// The few-channel conv kernel's name, or "(none)".
std::string ConvHwc(size_t kh, size_t stride, size_t in_c, size_t out_c) {
  const ConvHwcKernel k = ChooseConvHwcKernel(kh, kh, stride, in_c, out_c);
  return k.fn ? Name(k.name) : "(none)";
}

const char* const kConvHwc3x3 =
    kSimd ? "f32_conv_hwc_3x3_s2_c3_minmax_8x4__wasmsimd" : "f32_conv_hwc_3x3_s2_c3_minmax__scalar";

TEST(ConvHwcDispatch, FirstConv3x3S2) {
  // MobileNetV3's 3->16, ShuffleNetV2's 3->24, MobileNetV2's 3->32, SqueezeNet 1.1's 3->64,
  // and the edges 1 and 8.
  for (size_t oc : {1, 8, 16, 24, 32, 64}) {
    EXPECT_EQ(ConvHwc(3, 2, 3, oc), kConvHwc3x3) << oc << " outputs";
  }
}

TEST(ConvHwcDispatch, FirstConv3x3S2PastSixtyFourOutputs) {
  // SIMD builds: im2col + GEMM past 64 outputs (65, and 96 not compared in a model); the scalar
  // kernel at any width.
  for (size_t oc : {65, 96, 128}) {
    EXPECT_EQ(ConvHwc(3, 2, 3, oc), kSimd ? "(none)" : kConvHwc3x3) << oc << " outputs";
  }
}

TEST(ConvHwcDispatch, FirstConv5x5S2) {
  // BlazeFace's 3->24: only SIMD builds list a 5x5 kernel.
  EXPECT_EQ(ConvHwc(5, 2, 3, 24), kSimd ? "f32_conv_hwc_5x5_s2_c3_minmax_8x4__wasmsimd" : "(none)");
}

TEST(ConvHwcDispatch, OutputChannelTile) {
  EXPECT_EQ(ChooseConvHwcKernel(3, 3, 2, 3, 24).oc_tile, kSimd ? 8u : 4u);
  EXPECT_EQ(ChooseConvHwcKernel(3, 3, 2, 3, 32).oc_tile, kSimd ? 8u : 4u);
}

TEST(ConvHwcDispatch, UnlistedWindowHasNoKernel) {
  // SqueezeNet 1.0's 7x7 3->96 stays on im2col + GEMM (measured: f32-conv-hwc-minmax.inc);
  // stride 1, four input channels and mismatched windows have no kernel.
  EXPECT_EQ(ConvHwc(7, 2, 3, 96), "(none)");
  EXPECT_EQ(ConvHwc(3, 1, 3, 32), "(none)");
  EXPECT_EQ(ConvHwc(3, 2, 4, 32), "(none)");
  EXPECT_EQ(ConvHwc(3, 2, 1, 32), "(none)");
  EXPECT_EQ(ChooseConvHwcKernel(3, 5, 2, 3, 32).fn, nullptr);
}

TEST(WinogradDispatch, EightOrMoreChannelsEachSide) {
  // The shapes measured faster than im2col + GEMM (dispatch.cc).
  const char* const in =
      kSimd ? "f32_winograd_4x4_3x3_input__wasmsimd" : "f32_winograd_4x4_3x3_input__scalar";
  const char* const out = kSimd ? "f32_winograd_4x4_3x3_output_minmax__wasmsimd"
                                : "f32_winograd_4x4_3x3_output_minmax__scalar";
  for (size_t c : {8, 16, 64, 256, 512}) {
    const WinogradKernel w = ChooseWinogradKernel(c, c);
    EXPECT_EQ(Name(w.input_name), in) << c;
    EXPECT_EQ(Name(w.output_name), out) << c;
    EXPECT_NE(w.input, nullptr);
    EXPECT_NE(w.output, nullptr);
  }
  EXPECT_EQ(Name(ChooseWinogradKernel(16, 64).input_name), in);
}

TEST(WinogradDispatch, FewerThanEightChannelsUseIm2col) {
  for (const auto& [ic, oc] : {std::pair<size_t, size_t>{7, 64}, {64, 7}, {3, 3}, {1, 16}}) {
    const WinogradKernel w = ChooseWinogradKernel(ic, oc);
    EXPECT_EQ(w.input, nullptr) << ic << "->" << oc;
    EXPECT_EQ(w.output, nullptr) << ic << "->" << oc;
  }
}

TEST(ElementwiseDispatch, ThisBuildsKernels) {
  const ElementwiseKernels& k = Elementwise();
#if LITECNN_HAVE_WASMSIMD
#define LITECNN_EXPECT_KERNEL(slot, base) EXPECT_EQ(k.slot, &base##__wasmsimd) << #slot
#else
#define LITECNN_EXPECT_KERNEL(slot, base) EXPECT_EQ(k.slot, &base##__scalar) << #slot
#endif
  LITECNN_EXPECT_KERNEL(clamp, f32_vclamp);
  LITECNN_EXPECT_KERNEL(hswish, f32_vhswish);
  LITECNN_EXPECT_KERNEL(hsigmoid, f32_vhsigmoid);
  LITECNN_EXPECT_KERNEL(sigmoid, f32_vsigmoid);
  LITECNN_EXPECT_KERNEL(softmax, f32_softmax);
  LITECNN_EXPECT_KERNEL(channel_affine, f32_channel_affine);
  LITECNN_EXPECT_KERNEL(add_minmax, f32_vadd_minmax);
  LITECNN_EXPECT_KERNEL(mul, f32_vmul);
  LITECNN_EXPECT_KERNEL(mul_rowvec, f32_vmul_rowvec);
  LITECNN_EXPECT_KERNEL(add_rowvec, f32_vadd_rowvec);
  LITECNN_EXPECT_KERNEL(maxpool, f32_maxpool_nhwc);
  LITECNN_EXPECT_KERNEL(avgpool, f32_avgpool_nhwc);
  LITECNN_EXPECT_KERNEL(gavgpool, f32_gavgpool_nhwc);
  LITECNN_EXPECT_KERNEL(channel_shuffle, x32_channel_shuffle);
  LITECNN_EXPECT_KERNEL(concat2_shuffle, x32_concat2_shuffle);
  LITECNN_EXPECT_KERNEL(transpose_chw_hwc, x32_transpose_chw_hwc);
  LITECNN_EXPECT_KERNEL(rgba_bilinear, u8_rgba_to_f32_bilinear);
#undef LITECNN_EXPECT_KERNEL
}

}  // namespace
}  // namespace litecnn
