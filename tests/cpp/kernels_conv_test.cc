// Tests for the scalar reference convolution f32_conv_nhwc_minmax__scalar: hand-computed cases
// plus a sweep against an independent NCHW formulation on an explicitly zero-padded tensor.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-conv/f32-conv.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

constexpr float kInf = std::numeric_limits<float>::infinity();

size_t ConvOutSize(size_t in, size_t pad_before, size_t pad_after, size_t k, size_t s, size_t d) {
  return (in + pad_before + pad_after - d * (k - 1) - 1) / s + 1;
}

// Geometry with symmetric-by-default fields; callers override as needed.
ConvGeometry MakeGeometry(size_t batch, size_t in_h, size_t in_w, size_t in_c, size_t out_c,
                          size_t groups, size_t k_h, size_t k_w, size_t stride, size_t dilation,
                          size_t pad_top, size_t pad_left, size_t pad_bottom, size_t pad_right) {
  ConvGeometry g{};
  g.batch = batch;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_c = in_c;
  g.out_c = out_c;
  g.groups = groups;
  g.kernel_h = k_h;
  g.kernel_w = k_w;
  g.stride_h = g.stride_w = stride;
  g.dilation_h = g.dilation_w = dilation;
  g.pad_top = pad_top;
  g.pad_left = pad_left;
  g.out_h = ConvOutSize(in_h, pad_top, pad_bottom, k_h, stride, dilation);
  g.out_w = ConvOutSize(in_w, pad_left, pad_right, k_w, stride, dilation);
  return g;
}

size_t InputSize(const ConvGeometry& g) { return g.batch * g.in_h * g.in_w * g.in_c; }
size_t OutputSize(const ConvGeometry& g) { return g.batch * g.out_h * g.out_w * g.out_c; }
size_t WeightSize(const ConvGeometry& g) {
  return g.out_c * g.kernel_h * g.kernel_w * (g.in_c / g.groups);
}

// Independent formulation: transpose to NCHW / OIHW, copy into an explicitly zero-padded
// tensor large enough for every window (so no bounds checks), accumulate in double with the
// loops ordered (ic, kh, kw), clamp, transpose back to NHWC.
std::vector<float> NaiveConv(const ConvGeometry& g, const std::vector<float>& input_nhwc,
                             const std::vector<float>& weights_ohwi, const float* bias,
                             float out_min, float out_max) {
  const size_t icg = g.in_c / g.groups;
  const size_t ocg = g.out_c / g.groups;
  const size_t ph_size = std::max(g.pad_top + g.in_h,
                                  (g.out_h - 1) * g.stride_h + (g.kernel_h - 1) * g.dilation_h + 1);
  const size_t pw_size = std::max(g.pad_left + g.in_w,
                                  (g.out_w - 1) * g.stride_w + (g.kernel_w - 1) * g.dilation_w + 1);
  // padded[b][c][y][x]
  std::vector<double> padded(g.batch * g.in_c * ph_size * pw_size, 0.0);
  for (size_t b = 0; b < g.batch; ++b)
    for (size_t c = 0; c < g.in_c; ++c)
      for (size_t h = 0; h < g.in_h; ++h)
        for (size_t w = 0; w < g.in_w; ++w)
          padded[((b * g.in_c + c) * ph_size + h + g.pad_top) * pw_size + w + g.pad_left] =
              input_nhwc[((b * g.in_h + h) * g.in_w + w) * g.in_c + c];
  // oihw[oc][ic][kh][kw]
  std::vector<double> oihw(WeightSize(g));
  for (size_t oc = 0; oc < g.out_c; ++oc)
    for (size_t kh = 0; kh < g.kernel_h; ++kh)
      for (size_t kw = 0; kw < g.kernel_w; ++kw)
        for (size_t ic = 0; ic < icg; ++ic)
          oihw[((oc * icg + ic) * g.kernel_h + kh) * g.kernel_w + kw] =
              weights_ohwi[((oc * g.kernel_h + kh) * g.kernel_w + kw) * icg + ic];

  std::vector<float> out_nhwc(OutputSize(g));
  for (size_t b = 0; b < g.batch; ++b) {
    for (size_t oc = 0; oc < g.out_c; ++oc) {
      const size_t group = oc / ocg;
      for (size_t oh = 0; oh < g.out_h; ++oh) {
        for (size_t ow = 0; ow < g.out_w; ++ow) {
          double acc = bias != nullptr ? bias[oc] : 0.0;
          for (size_t ic = 0; ic < icg; ++ic) {
            const size_t c = group * icg + ic;
            for (size_t kh = 0; kh < g.kernel_h; ++kh) {
              for (size_t kw = 0; kw < g.kernel_w; ++kw) {
                const size_t y = oh * g.stride_h + kh * g.dilation_h;
                const size_t x = ow * g.stride_w + kw * g.dilation_w;
                acc += padded[((b * g.in_c + c) * ph_size + y) * pw_size + x] *
                       oihw[((oc * icg + ic) * g.kernel_h + kh) * g.kernel_w + kw];
              }
            }
          }
          const float v = std::min(std::max(static_cast<float>(acc), out_min), out_max);
          out_nhwc[((b * g.out_h + oh) * g.out_w + ow) * g.out_c + oc] = v;
        }
      }
    }
  }
  return out_nhwc;
}

// Runs the kernel into a guarded buffer and checks it against NaiveConv.
void CheckAgainstNaive(const ConvGeometry& g, bool with_bias, float out_min, float out_max,
                       uint32_t seed) {
  const std::vector<float> input = DyadicData(InputSize(g), seed);
  const std::vector<float> weights = DyadicData(WeightSize(g), seed + 1);
  const std::vector<float> bias = DyadicData(g.out_c, seed + 2);
  const float* bias_ptr = with_bias ? bias.data() : nullptr;
  Guarded<float> out(OutputSize(g));
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), bias_ptr, out.data(), out_min,
                               out_max);
  EXPECT_TRUE(out.GuardsIntact());
  EXPECT_TRUE(AllClose(out.data(), NaiveConv(g, input, weights, bias_ptr, out_min, out_max)));
}

// ---- Hand-computed cases ------------------------------------------------------------------

// Input 1..9 (3x3, one channel), all-ones 3x3 kernel, pad 1: each output is the sum of the
// in-bounds 3x3 neighbourhood.
TEST(KernelConv, Hand3x3OnesPad1) {
  const ConvGeometry g = MakeGeometry(1, 3, 3, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1);
  ASSERT_EQ(g.out_h, 3u);
  ASSERT_EQ(g.out_w, 3u);
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> weights(9, 1.0f);
  Guarded<float> out(9);
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), nullptr, out.data(), -kInf, kInf);
  EXPECT_EQ(out.payload(), (std::vector<float>{12, 21, 16, 27, 45, 33, 24, 39, 28}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Sobel-x weights on 1..9 without padding: 1 - 3 + 2*4 - 2*6 + 7 - 9 = -8, plus bias 0.5.
TEST(KernelConv, Hand3x3SobelValidWithBias) {
  const ConvGeometry g = MakeGeometry(1, 3, 3, 1, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0);
  ASSERT_EQ(g.out_h * g.out_w, 1u);
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> weights = {1, 0, -1, 2, 0, -2, 1, 0, -1};
  const float bias = 0.5f;
  Guarded<float> out(1);
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), &bias, out.data(), -kInf, kInf);
  EXPECT_EQ(out[0], -7.5f);
  EXPECT_TRUE(out.GuardsIntact());
}

// Two pixels (1,2) and (-3,4); W = [[1,1],[2,-1]], bias (0,1):
// pixel0 -> (3, 1), pixel1 -> (1, -9); clamped to [-5, 2] -> (2, 1), (1, -5).
TEST(KernelConv, HandPointwiseBiasClamp) {
  const ConvGeometry g = MakeGeometry(1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  const std::vector<float> input = {1, 2, -3, 4};
  const std::vector<float> weights = {1, 1, 2, -1};
  const std::vector<float> bias = {0, 1};
  Guarded<float> out(4);
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), bias.data(), out.data(), -5.0f,
                               2.0f);
  EXPECT_EQ(out.payload(), (std::vector<float>{2, 1, 1, -5}));
  EXPECT_TRUE(out.GuardsIntact());
}

// 5x5 input v(h,w) = 10h + w; ones 3x3 kernel with dilation 2 samples h,w in {0,2,4}:
// 3*10*(0+2+4) + 3*(0+2+4) = 198.
TEST(KernelConv, HandDilation2) {
  const ConvGeometry g = MakeGeometry(1, 5, 5, 1, 1, 1, 3, 3, 1, 2, 0, 0, 0, 0);
  ASSERT_EQ(g.out_h * g.out_w, 1u);
  std::vector<float> input(25);
  for (size_t h = 0; h < 5; ++h)
    for (size_t w = 0; w < 5; ++w) input[h * 5 + w] = static_cast<float>(10 * h + w);
  const std::vector<float> weights(9, 1.0f);
  Guarded<float> out(1);
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), nullptr, out.data(), -kInf, kInf);
  EXPECT_EQ(out[0], 198.0f);
  EXPECT_TRUE(out.GuardsIntact());
}

// 1x1 kernel with stride 2 on v(h,w) = 10h + w subsamples even rows and columns.
TEST(KernelConv, HandPointwiseStride2Subsamples) {
  const ConvGeometry g = MakeGeometry(1, 5, 5, 1, 1, 1, 1, 1, 2, 1, 0, 0, 0, 0);
  ASSERT_EQ(g.out_h, 3u);
  std::vector<float> input(25);
  for (size_t h = 0; h < 5; ++h)
    for (size_t w = 0; w < 5; ++w) input[h * 5 + w] = static_cast<float>(10 * h + w);
  const float weight = 1.0f;
  Guarded<float> out(9);
  f32_conv_nhwc_minmax__scalar(g, input.data(), &weight, nullptr, out.data(), -kInf, kInf);
  EXPECT_EQ(out.payload(), (std::vector<float>{0, 2, 4, 20, 22, 24, 40, 42, 44}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Depthwise 2x2 on two channels: ch0 = [1,2,3,4] with ones -> 10; ch1 = [5,6,7,8] with
// [1,0,0,-1] -> 5 - 8 = -3.
TEST(KernelConv, HandDepthwise2x2TwoChannels) {
  const ConvGeometry g = MakeGeometry(1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0);
  const std::vector<float> input = {1, 5, 2, 6, 3, 7, 4, 8};  // NHWC
  const std::vector<float> weights = {1, 1, 1, 1, 1, 0, 0, -1};
  Guarded<float> out(2);
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), nullptr, out.data(), -kInf, kInf);
  EXPECT_EQ(out.payload(), (std::vector<float>{10, -3}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Row [1,2,3], kernel [1,10]. Padding only on the right (implied by out_w = 3): 21, 32, 3.
// Padding only on the left: 10, 21, 32.
TEST(KernelConv, HandAsymmetricPadLeftVsRight) {
  const std::vector<float> input = {1, 2, 3};
  const std::vector<float> weights = {1, 10};
  {
    const ConvGeometry g = MakeGeometry(1, 1, 3, 1, 1, 1, 1, 2, 1, 1, 0, 0, 0, 1);
    ASSERT_EQ(g.out_w, 3u);
    Guarded<float> out(3);
    f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), nullptr, out.data(), -kInf, kInf);
    EXPECT_EQ(out.payload(), (std::vector<float>{21, 32, 3}));
    EXPECT_TRUE(out.GuardsIntact());
  }
  {
    const ConvGeometry g = MakeGeometry(1, 1, 3, 1, 1, 1, 1, 2, 1, 1, 0, 1, 0, 0);
    ASSERT_EQ(g.out_w, 3u);
    Guarded<float> out(3);
    f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), nullptr, out.data(), -kInf, kInf);
    EXPECT_EQ(out.payload(), (std::vector<float>{10, 21, 32}));
    EXPECT_TRUE(out.GuardsIntact());
  }
}

// ---- Named edge cases against the naive formulation ------------------------------------------

TEST(KernelConv, Depthwise3x3Stride2OddWidth) {
  const ConvGeometry g = MakeGeometry(2, 8, 11, 17, 17, 17, 3, 3, 2, 1, 1, 1, 1, 1);
  CheckAgainstNaive(g, true, -kInf, kInf, 11);
}

TEST(KernelConv, DepthwiseMultiplier2With5x5) {
  const ConvGeometry g = MakeGeometry(1, 9, 7, 4, 8, 4, 5, 5, 1, 1, 2, 2, 2, 2);
  CheckAgainstNaive(g, true, -kInf, kInf, 12);
}

TEST(KernelConv, Dense5x5Dilation2AsymmetricPad) {
  // pad_top 3 / bottom 1, pad_left 0 / right 4.
  const ConvGeometry g = MakeGeometry(1, 10, 9, 3, 5, 1, 5, 5, 1, 2, 3, 0, 1, 4);
  CheckAgainstNaive(g, true, -kInf, kInf, 13);
}

TEST(KernelConv, Pointwise64ChannelsNoBias) {
  const ConvGeometry g = MakeGeometry(2, 3, 5, 64, 64, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  CheckAgainstNaive(g, false, -kInf, kInf, 14);
}

TEST(KernelConv, NonSquareKernel1x3Stride2) {
  ConvGeometry g = MakeGeometry(1, 6, 9, 3, 4, 1, 1, 3, 2, 1, 0, 1, 0, 1);
  CheckAgainstNaive(g, true, -kInf, kInf, 15);
}

TEST(KernelConv, MixedStrideAndDilationPerAxis) {
  ConvGeometry g = MakeGeometry(1, 9, 10, 3, 4, 1, 3, 3, 1, 1, 1, 2, 1, 2);
  g.stride_h = 2;
  g.dilation_w = 2;
  g.out_h = ConvOutSize(g.in_h, 1, 1, 3, 2, 1);
  g.out_w = ConvOutSize(g.in_w, 2, 2, 3, 1, 2);
  CheckAgainstNaive(g, true, -kInf, kInf, 16);
}

TEST(KernelConv, ClampRelu6Range) {
  const ConvGeometry g = MakeGeometry(1, 7, 7, 15, 15, 1, 3, 3, 1, 1, 1, 1, 1, 1);
  CheckAgainstNaive(g, true, 0.0f, 6.0f, 17);
}

// ONNX Clip with min > max: every output is max.
TEST(KernelConv, MinGreaterThanMaxGivesMaxEverywhere) {
  const ConvGeometry g = MakeGeometry(1, 7, 7, 15, 15, 1, 3, 3, 1, 1, 1, 1, 1, 1);
  const std::vector<float> input = DyadicData(InputSize(g), 5);
  const std::vector<float> weights = DyadicData(WeightSize(g), 6);
  const std::vector<float> bias = DyadicData(g.out_c, 7);
  Guarded<float> out(OutputSize(g));
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), bias.data(), out.data(),
                               kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  EXPECT_TRUE(kernel_test::AllEqualTo(out.data(), out.size(), kernel_test::kInvertedMax));
  EXPECT_TRUE(out.GuardsIntact());
}

// Padding wider than the kernel: border outputs see only padding and equal the bias.
TEST(KernelConv, OutputsEntirelyInPaddingEqualBias) {
  const ConvGeometry g = MakeGeometry(1, 3, 3, 2, 3, 1, 1, 1, 1, 1, 2, 2, 2, 2);
  ASSERT_EQ(g.out_h, 7u);
  const std::vector<float> input = DyadicData(InputSize(g), 5);
  const std::vector<float> weights = DyadicData(WeightSize(g), 6);
  const std::vector<float> bias = {0.25f, -1.5f, 3.0f};
  Guarded<float> out(OutputSize(g));
  f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), bias.data(), out.data(), -kInf,
                               kInf);
  for (size_t oc = 0; oc < 3; ++oc) {
    EXPECT_EQ(out[oc], bias[oc]);                    // (0, 0)
    EXPECT_EQ(out[(7 * 7 - 1) * 3 + oc], bias[oc]);  // (6, 6)
  }
  EXPECT_TRUE(AllClose(out.data(), NaiveConv(g, input, weights, bias.data(), -kInf, kInf)));
  EXPECT_TRUE(out.GuardsIntact());
}

// A grouped convolution equals the kernel run separately (groups = 1) on each group's slice
// of input channels and filters.
TEST(KernelConv, GroupedEqualsSeparateConvsPerGroup) {
  for (const size_t groups : {2u, 3u, 5u}) {
    SCOPED_TRACE("groups=" + std::to_string(groups));
    const size_t icg = 3, ocg = 2;
    const ConvGeometry g =
        MakeGeometry(2, 7, 6, icg * groups, ocg * groups, groups, 3, 3, 2, 1, 1, 0, 1, 2);
    const std::vector<float> input = DyadicData(InputSize(g), 21);
    const std::vector<float> weights = DyadicData(WeightSize(g), 22);
    const std::vector<float> bias = DyadicData(g.out_c, 23);
    Guarded<float> grouped(OutputSize(g));
    f32_conv_nhwc_minmax__scalar(g, input.data(), weights.data(), bias.data(), grouped.data(),
                                 -kInf, kInf);
    EXPECT_TRUE(grouped.GuardsIntact());

    ConvGeometry sg = g;  // one group's geometry
    sg.in_c = icg;
    sg.out_c = ocg;
    sg.groups = 1;
    const size_t pixels_in = g.batch * g.in_h * g.in_w;
    const size_t pixels_out = g.batch * g.out_h * g.out_w;
    for (size_t grp = 0; grp < groups; ++grp) {
      std::vector<float> slice(pixels_in * icg);
      for (size_t p = 0; p < pixels_in; ++p)
        for (size_t c = 0; c < icg; ++c) slice[p * icg + c] = input[p * g.in_c + grp * icg + c];
      const size_t filter_size = ocg * g.kernel_h * g.kernel_w * icg;
      Guarded<float> part(pixels_out * ocg);
      f32_conv_nhwc_minmax__scalar(sg, slice.data(), weights.data() + grp * filter_size,
                                   bias.data() + grp * ocg, part.data(), -kInf, kInf);
      for (size_t p = 0; p < pixels_out; ++p)
        for (size_t c = 0; c < ocg; ++c)
          ASSERT_EQ(grouped[p * g.out_c + grp * ocg + c], part[p * ocg + c])
              << "group " << grp << " pixel " << p << " channel " << c;
    }
    EXPECT_TRUE(AllClose(grouped.data(), NaiveConv(g, input, weights, bias.data(), -kInf, kInf)));
  }
}

// ---- Sweep: channels x kernel x stride x dilation x padding x dense/depthwise ---------------

enum class PadKind { kValid, kSame, kAsymmetric };
enum class ConvKind { kDense, kDepthwise };

using SweepParam = std::tuple<size_t, size_t, size_t, size_t, PadKind, ConvKind>;

class KernelConvSweep : public ::testing::TestWithParam<SweepParam> {};

TEST_P(KernelConvSweep, MatchesNaiveNchw) {
  const auto [channels, k, stride, dilation, pad_kind, conv_kind] = GetParam();
  const size_t half = dilation * (k - 1) / 2;
  size_t pt = 0, pl = 0, pb = 0, pr = 0;
  switch (pad_kind) {
    case PadKind::kValid:
      break;
    case PadKind::kSame:
      pt = pl = pb = pr = half;
      break;
    case PadKind::kAsymmetric:  // top > bottom, left < right
      pt = half + 1;
      pb = half > 0 ? half - 1 : 0;
      pl = 0;
      pr = half + 2;
      break;
  }
  const size_t groups = conv_kind == ConvKind::kDepthwise ? channels : 1;
  const size_t out_c = conv_kind == ConvKind::kDepthwise ? channels : (channels % 5) + 2;
  // 9 x 11 input (odd, non-square) fits the largest effective kernel (5x5, dilation 2 -> 9).
  const ConvGeometry g =
      MakeGeometry(2, 9, 11, channels, out_c, groups, k, k, stride, dilation, pt, pl, pb, pr);
  CheckAgainstNaive(g, true, -kInf, kInf, static_cast<uint32_t>(channels * 100 + k));
}

std::string SweepName(const ::testing::TestParamInfo<SweepParam>& info) {
  const auto [channels, k, stride, dilation, pad_kind, conv_kind] = info.param;
  const char* pad = pad_kind == PadKind::kValid  ? "Valid"
                    : pad_kind == PadKind::kSame ? "Same"
                                                 : "Asym";
  return "C" + std::to_string(channels) + "_K" + std::to_string(k) + "_S" + std::to_string(stride) +
         "_D" + std::to_string(dilation) + "_" + pad +
         (conv_kind == ConvKind::kDepthwise ? "_Depthwise" : "_Dense");
}

INSTANTIATE_TEST_SUITE_P(
    KernelConvMatrix, KernelConvSweep,
    ::testing::Combine(::testing::Values(1, 3, 4, 15, 17, 64), ::testing::Values(1, 3, 5),
                       ::testing::Values(1, 2), ::testing::Values(1, 2),
                       ::testing::Values(PadKind::kValid, PadKind::kSame, PadKind::kAsymmetric),
                       ::testing::Values(ConvKind::kDense, ConvKind::kDepthwise)),
    SweepName);

}  // namespace
}  // namespace litecnn
