// Tests for the scalar reference pooling kernels (max / average / global average, NHWC):
// hand-computed cases plus a sweep against window_kernel_tester.h's naive formulation (every
// window tap tested against the input and the padded extent).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/f32-pool/f32-pool.h"
#include "window_kernel_tester.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::InCount;
using kernel_test::kInf;
using kernel_test::MakePool;
using kernel_test::NaivePool;
using kernel_test::PoolCase;
using kernel_test::PoolKind;

// The scalar max and average kernels on p, against the naive formulation.
void CheckAll(const PoolCase& p, uint32_t seed) {
  const std::vector<float> input = DyadicData(InCount(p.g), seed);
  {
    SCOPED_TRACE("max");
    kernel_test::ExpectMaxPoolMatchesNaive(f32_maxpool_nhwc__scalar, p, input);
  }
  kernel_test::ExpectAvgPoolMatchesNaive(f32_avgpool_nhwc__scalar, p, input);
}

std::vector<float> Iota(size_t n, float start) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

// ---- Max pooling ---------------------------------------------------------------------------

TEST(KernelPool, MaxHand2x2Stride2) {
  const PoolCase p = MakePool(1, 1, 4, 4, 2, 2, 2, 1, 0, 0, 0, 0, false);
  const std::vector<float> input = {1, 5, 2, 0, 3, 4, 8, 1, 0, -1, 2, 2, 6, -7, 3, 9};
  Guarded<float> out(4);
  f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{5, 8, 6, 9}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Two channels pooled independently (NHWC interleaving).
TEST(KernelPool, MaxHandTwoChannelsInterleaved) {
  const PoolCase p = MakePool(1, 2, 1, 3, 1, 3, 1, 1, 0, 0, 0, 0, false);
  const std::vector<float> input = {1, -1, 7, -7, 3, -3};  // ch0: 1 7 3, ch1: -1 -7 -3
  Guarded<float> out(2);
  f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{7, -1}));
  EXPECT_TRUE(out.GuardsIntact());
}

// 1x1 input (-3) with one row/column of leading padding and a 1x1 window: three of the four
// windows lie entirely in padding and yield -inf; padding never contributes a 0.
TEST(KernelPool, MaxWindowEntirelyInPaddingIsNegInf) {
  const PoolCase p = MakePool(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, false);
  ASSERT_EQ(p.g.out_h, 2u);
  const float input = -3.0f;
  Guarded<float> out(4);
  f32_maxpool_nhwc__scalar(p.g, &input, out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{-kInf, -kInf, -kInf, -3.0f}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Negative input with padding: max ignores padding instead of treating it as 0.
TEST(KernelPool, MaxPaddingIsNotZero) {
  const PoolCase p = MakePool(1, 1, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, false);
  const std::vector<float> input = {-4, -3, -2, -1};
  Guarded<float> out(4);
  f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{-1, -1, -1, -1}));
  EXPECT_TRUE(out.GuardsIntact());
}

// 5x5 input where the taps of a dilation-2 3x3 window (even rows and columns) hold 10h + w and
// every other position holds 100: the max must be 44, never 100.
TEST(KernelPool, MaxDilation2SkipsGaps) {
  const PoolCase p = MakePool(1, 1, 5, 5, 3, 3, 1, 2, 0, 0, 0, 0, false);
  ASSERT_EQ(p.g.out_h * p.g.out_w, 1u);
  std::vector<float> input(25);
  for (size_t h = 0; h < 5; ++h)
    for (size_t w = 0; w < 5; ++w)
      input[h * 5 + w] = (h % 2 == 1 || w % 2 == 1) ? 100.0f : static_cast<float>(10 * h + w);
  Guarded<float> out(1);
  f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
  EXPECT_EQ(out[0], 44.0f);
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelPool, MaxDilation2Stride2PaddedOddSize) {
  CheckAll(MakePool(2, 17, 11, 9, 3, 3, 2, 2, 2, 1, 2, 1, false), 31);
}

TEST(KernelPool, MaxCeilModeOverhang) {
  // 5 wide, k2 s2 ceil: last window covers column 4 and overhang column 5.
  const PoolCase p = MakePool(1, 1, 1, 5, 1, 2, 2, 1, 0, 0, 0, 0, true);
  ASSERT_EQ(p.g.out_w, 3u);
  const std::vector<float> input = {1, -2, 3, 0, -5};
  Guarded<float> out(3);
  f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{1, 3, -5}));
  EXPECT_TRUE(out.GuardsIntact());
}

// ---- Average pooling -----------------------------------------------------------------------

// 4x4 input 1..16, k3 s2 pad 1 (all sides), ceil_mode -> 3x3 output. Last windows cover input
// row/col 3, padding row/col 4 and overhang row/col 5 (never counted).
const std::vector<float> kCeilSums = {14, 30, 12, 57, 99, 36, 27, 45, 16};

TEST(KernelPool, AvgCeilModeIncludePad) {
  const PoolCase p = MakePool(1, 1, 4, 4, 3, 3, 2, 1, 1, 1, 1, 1, true);
  ASSERT_EQ(p.g.out_h, 3u);
  ASSERT_EQ(p.g.out_w, 3u);
  const std::vector<float> input = Iota(16, 1);
  const std::vector<float> counts = {9, 9, 6, 9, 9, 6, 6, 6, 4};
  std::vector<float> expected(9);
  for (size_t i = 0; i < 9; ++i) expected[i] = kCeilSums[i] / counts[i];
  Guarded<float> out(9);
  f32_avgpool_nhwc__scalar(p.g, p.pad_bottom, p.pad_right, true, input.data(), out.data());
  EXPECT_TRUE(AllClose(out.data(), expected));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelPool, AvgCeilModeExcludePad) {
  const PoolCase p = MakePool(1, 1, 4, 4, 3, 3, 2, 1, 1, 1, 1, 1, true);
  const std::vector<float> input = Iota(16, 1);
  Guarded<float> out(9);
  f32_avgpool_nhwc__scalar(p.g, p.pad_bottom, p.pad_right, false, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16}));
  EXPECT_TRUE(out.GuardsIntact());
}

// No padding at all: ceil-mode overhang is excluded even with count_include_pad.
TEST(KernelPool, AvgCeilModeNoPadOverhangNeverCounted) {
  const PoolCase p = MakePool(1, 1, 3, 3, 2, 2, 2, 1, 0, 0, 0, 0, true);
  ASSERT_EQ(p.g.out_h, 2u);
  const std::vector<float> input = Iota(9, 1);
  for (const bool include : {true, false}) {
    Guarded<float> out(4);
    f32_avgpool_nhwc__scalar(p.g, 0, 0, include, input.data(), out.data());
    EXPECT_EQ(out.payload(), (std::vector<float>{3, 4.5f, 7.5f, 9})) << include;
    EXPECT_TRUE(out.GuardsIntact());
  }
}

// Symmetric padding without ceil mode: include-pad divides corners by 9, exclude-pad by 4.
TEST(KernelPool, AvgPaddedCornerIncludeVsExclude) {
  const PoolCase p = MakePool(1, 1, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, false);
  const std::vector<float> input = {1, 2, 3, 6};  // sum 12
  Guarded<float> incl(4), excl(4);
  f32_avgpool_nhwc__scalar(p.g, 1, 1, true, input.data(), incl.data());
  f32_avgpool_nhwc__scalar(p.g, 1, 1, false, input.data(), excl.data());
  EXPECT_TRUE(AllClose(incl.data(), std::vector<float>(4, 12.0f / 9.0f)));
  EXPECT_EQ(excl.payload(), (std::vector<float>(4, 3.0f)));
  EXPECT_TRUE(incl.GuardsIntact());
  EXPECT_TRUE(excl.GuardsIntact());
}

TEST(KernelPool, AvgAsymmetricPadStride2Channels15) {
  CheckAll(MakePool(2, 15, 8, 7, 3, 3, 2, 1, 1, 0, 0, 1, false), 32);
}

// ---- Global average pooling ----------------------------------------------------------------

TEST(KernelPool, GlobalAvgHand) {
  // batch 2, 3 positions, 2 channels.
  const std::vector<float> input = {1, 10, 2, 20, 3, 30, -1, 0, -2, 0, -6, 3};
  Guarded<float> out(4);
  f32_gavgpool_nhwc__scalar(2, 3, 2, input.data(), out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{2, 20, -3, 1}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelPool, GlobalAvgMatchesFullWindowAvgPool) {
  for (const size_t channels : kernel_test::kEdgeChannels) {
    SCOPED_TRACE("channels=" + std::to_string(channels));
    const PoolCase p = MakePool(2, channels, 7, 5, 7, 5, 1, 1, 0, 0, 0, 0, false);
    const std::vector<float> input = DyadicData(InCount(p.g), static_cast<uint32_t>(channels));
    Guarded<float> global(2 * channels);
    f32_gavgpool_nhwc__scalar(2, 35, channels, input.data(), global.data());
    EXPECT_TRUE(global.GuardsIntact());
    EXPECT_TRUE(AllClose(global.data(), NaivePool(p, input, PoolKind::kAvgExcludePad)));
  }
}

// ---- Sweep ---------------------------------------------------------------------------------

enum class PadKind { kValid, kSame, kAsymmetric };
using SweepParam = std::tuple<size_t, size_t, size_t, size_t, PadKind, bool>;

class KernelPoolSweep : public ::testing::TestWithParam<SweepParam> {};

TEST_P(KernelPoolSweep, MatchesNaiveNchw) {
  const auto [channels, k, stride, dilation, pad_kind, ceil_mode] = GetParam();
  const size_t half = dilation * (k - 1) / 2;
  size_t pt = 0, pl = 0, pb = 0, pr = 0;
  if (pad_kind == PadKind::kSame) pt = pl = pb = pr = half;
  if (pad_kind == PadKind::kAsymmetric) {
    pt = half;
    pr = half;
  }
  CheckAll(MakePool(2, channels, 9, 10, k, k, stride, dilation, pt, pl, pb, pr, ceil_mode),
           static_cast<uint32_t>(channels + 7 * k));
}

std::string SweepName(const ::testing::TestParamInfo<SweepParam>& info) {
  const auto [channels, k, stride, dilation, pad_kind, ceil_mode] = info.param;
  const char* pad = pad_kind == PadKind::kValid  ? "Valid"
                    : pad_kind == PadKind::kSame ? "Same"
                                                 : "Asym";
  return "C" + std::to_string(channels) + "_K" + std::to_string(k) + "_S" + std::to_string(stride) +
         "_D" + std::to_string(dilation) + "_" + pad + (ceil_mode ? "_Ceil" : "_Floor");
}

INSTANTIATE_TEST_SUITE_P(
    KernelPoolMatrix, KernelPoolSweep,
    ::testing::Combine(::testing::ValuesIn(kernel_test::kEdgeChannels), ::testing::Values(2, 3, 5),
                       ::testing::Values(1, 2), ::testing::Values(1, 2),
                       ::testing::Values(PadKind::kValid, PadKind::kSame, PadKind::kAsymmetric),
                       ::testing::Bool()),
    SweepName);

}  // namespace
}  // namespace litecnn
