// Tests for the scalar reference pooling kernels (max / average / global average, NHWC):
// hand-computed cases plus a sweep against a naive NCHW formulation on an explicitly padded
// tensor with a validity mask.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

constexpr float kInf = std::numeric_limits<float>::infinity();

// Output size as PyTorch / ONNX compute it, including the ceil_mode rule that the last window
// must start inside the input or the leading padding.
size_t PoolOutSize(size_t in, size_t pad_before, size_t pad_after, size_t k, size_t s, size_t d,
                   bool ceil_mode) {
  const size_t span = in + pad_before + pad_after - (d * (k - 1) + 1);
  size_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + pad_before) --out;
  return out;
}

struct PoolCase {
  PoolGeometry g;
  size_t pad_bottom, pad_right;
};

PoolCase MakePool(size_t batch, size_t channels, size_t in_h, size_t in_w, size_t k_h, size_t k_w,
                  size_t stride, size_t dilation, size_t pt, size_t pl, size_t pb, size_t pr,
                  bool ceil_mode) {
  PoolCase p{};
  p.g.batch = batch;
  p.g.channels = channels;
  p.g.in_h = in_h;
  p.g.in_w = in_w;
  p.g.kernel_h = k_h;
  p.g.kernel_w = k_w;
  p.g.stride_h = p.g.stride_w = stride;
  p.g.dilation_h = p.g.dilation_w = dilation;
  p.g.pad_top = pt;
  p.g.pad_left = pl;
  p.g.out_h = PoolOutSize(in_h, pt, pb, k_h, stride, dilation, ceil_mode);
  p.g.out_w = PoolOutSize(in_w, pl, pr, k_w, stride, dilation, ceil_mode);
  p.pad_bottom = pb;
  p.pad_right = pr;
  return p;
}

size_t InSize(const PoolGeometry& g) { return g.batch * g.in_h * g.in_w * g.channels; }
size_t OutSize(const PoolGeometry& g) { return g.batch * g.out_h * g.out_w * g.channels; }

enum class Reduce { kMax, kAvgIncludePad, kAvgExcludePad };

// Naive formulation: per (b, c) plane (NCHW), build a padded plane of extent
// (pad_top + in_h + pad_bottom) x (pad_left + in_w + pad_right) holding values and an
// "is input" mask. Window taps outside that plane are ceil-mode overhang and ignored.
std::vector<float> NaivePool(const PoolCase& p, const std::vector<float>& in_nhwc, Reduce op) {
  const PoolGeometry& g = p.g;
  const size_t hp = g.pad_top + g.in_h + p.pad_bottom;
  const size_t wp = g.pad_left + g.in_w + p.pad_right;
  std::vector<float> out(OutSize(g));
  std::vector<double> plane(hp * wp);
  std::vector<int> is_input(hp * wp);
  for (size_t b = 0; b < g.batch; ++b) {
    for (size_t c = 0; c < g.channels; ++c) {
      std::fill(plane.begin(), plane.end(), 0.0);
      std::fill(is_input.begin(), is_input.end(), 0);
      for (size_t h = 0; h < g.in_h; ++h) {
        for (size_t w = 0; w < g.in_w; ++w) {
          const size_t at = (h + g.pad_top) * wp + w + g.pad_left;
          plane[at] = in_nhwc[((b * g.in_h + h) * g.in_w + w) * g.channels + c];
          is_input[at] = 1;
        }
      }
      for (size_t oh = 0; oh < g.out_h; ++oh) {
        for (size_t ow = 0; ow < g.out_w; ++ow) {
          double max = -kInf, sum = 0.0;
          size_t taps_in_plane = 0, taps_in_input = 0;
          for (size_t kh = 0; kh < g.kernel_h; ++kh) {
            for (size_t kw = 0; kw < g.kernel_w; ++kw) {
              const size_t y = oh * g.stride_h + kh * g.dilation_h;
              const size_t x = ow * g.stride_w + kw * g.dilation_w;
              if (y >= hp || x >= wp) continue;  // overhang
              ++taps_in_plane;
              if (!is_input[y * wp + x]) continue;
              ++taps_in_input;
              sum += plane[y * wp + x];
              max = std::max(max, plane[y * wp + x]);
            }
          }
          float v = 0.0f;
          if (op == Reduce::kMax) {
            v = static_cast<float>(max);
          } else {
            const size_t count = op == Reduce::kAvgIncludePad ? taps_in_plane : taps_in_input;
            v = count == 0 ? 0.0f : static_cast<float>(sum / static_cast<double>(count));
          }
          out[((b * g.out_h + oh) * g.out_w + ow) * g.channels + c] = v;
        }
      }
    }
  }
  return out;
}

void CheckAll(const PoolCase& p, uint32_t seed) {
  const std::vector<float> input = DyadicData(InSize(p.g), seed);
  {
    SCOPED_TRACE("max");
    Guarded<float> out(OutSize(p.g));
    f32_maxpool_nhwc__scalar(p.g, input.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    EXPECT_TRUE(AllClose(out.data(), NaivePool(p, input, Reduce::kMax)));
  }
  for (const bool include : {true, false}) {
    SCOPED_TRACE(include ? "avg include pad" : "avg exclude pad");
    Guarded<float> out(OutSize(p.g));
    f32_avgpool_nhwc__scalar(p.g, p.pad_bottom, p.pad_right, include, input.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    EXPECT_TRUE(
        AllClose(out.data(),
                 NaivePool(p, input, include ? Reduce::kAvgIncludePad : Reduce::kAvgExcludePad)));
  }
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
  for (const size_t channels : {1u, 3u, 4u, 15u, 17u, 64u}) {
    SCOPED_TRACE("channels=" + std::to_string(channels));
    const PoolCase p = MakePool(2, channels, 7, 5, 7, 5, 1, 1, 0, 0, 0, 0, false);
    const std::vector<float> input = DyadicData(InSize(p.g), static_cast<uint32_t>(channels));
    Guarded<float> global(2 * channels);
    f32_gavgpool_nhwc__scalar(2, 35, channels, input.data(), global.data());
    EXPECT_TRUE(global.GuardsIntact());
    EXPECT_TRUE(AllClose(global.data(), NaivePool(p, input, Reduce::kAvgExcludePad)));
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
    ::testing::Combine(::testing::Values(1, 3, 4, 15, 17, 64), ::testing::Values(2, 3, 5),
                       ::testing::Values(1, 2), ::testing::Values(1, 2),
                       ::testing::Values(PadKind::kValid, PadKind::kSame, PadKind::kAsymmetric),
                       ::testing::Bool()),
    SweepName);

}  // namespace
}  // namespace litecnn
