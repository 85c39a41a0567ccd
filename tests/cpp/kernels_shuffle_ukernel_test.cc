// Every kernel listed in x32-shuffle.inc against the defining index formula: group channels
// 1..1000 (4-channel SIMD steps and 1-3 channel tails), groups 1, 2, 3, 4 and 8, 1 and 7 pixels;
// concat2 with dense, strided (second half of a wider buffer) and wider-output layouts. Guards
// after every output, and output gaps left by out_stride must stay untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/x32-shuffle/x32-shuffle.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;
using kernel_test::IsSentinel;
using kernel_test::Listed;

const size_t kGroupChannels[] = {1, 3, 4, 15, 17, 64, 1000};
const size_t kPixels[] = {1, 7};

#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn) Listed<x32_channel_shuffle_ukernel_fn>{#fn, fn},
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn)
const Listed<x32_channel_shuffle_ukernel_fn> kShuffle[] = {
#include "kernels/x32-shuffle/x32-shuffle.inc"
};
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL
#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn)
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn) Listed<x32_concat2_shuffle_ukernel_fn>{#fn, fn},
const Listed<x32_concat2_shuffle_ukernel_fn> kConcat2[] = {
#include "kernels/x32-shuffle/x32-shuffle.inc"
};
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL

template <typename Fn>
std::string ParamName(const ::testing::TestParamInfo<std::tuple<Listed<Fn>, size_t>>& info) {
  return std::string(std::get<0>(info.param).name) + "_gc" +
         std::to_string(std::get<1>(info.param));
}

// Distinct random words; none equals the sentinel's bit pattern.
std::vector<uint32_t> RandomWords(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> v(n);
  for (uint32_t& x : v) {
    do x = static_cast<uint32_t>(rng());
    while (x == kernel_test::kSentinel32);
  }
  return v;
}

// ---- channel shuffle ------------------------------------------------------------------------

using ShuffleParam = std::tuple<Listed<x32_channel_shuffle_ukernel_fn>, size_t>;
class KernelChannelShuffleUkernel : public ::testing::TestWithParam<ShuffleParam> {
 protected:
  void Check(size_t groups) {
    const size_t gc = std::get<1>(GetParam());
    const size_t channels = groups * gc;
    for (const size_t pixels : kPixels) {
      SCOPED_TRACE("pixels=" + std::to_string(pixels));
      const std::vector<uint32_t> in =
          RandomWords(pixels * channels, static_cast<uint32_t>(channels + pixels));
      Guarded<uint32_t> out(pixels * channels);
      std::get<0>(GetParam()).fn(pixels, groups, gc, in.data(), out.data());
      ASSERT_TRUE(out.GuardsIntact());
      for (size_t p = 0; p < pixels; ++p)
        for (size_t g = 0; g < groups; ++g)
          for (size_t j = 0; j < gc; ++j)
            ASSERT_EQ(out[p * channels + j * groups + g], in[p * channels + g * gc + j])
                << "p=" << p << " g=" << g << " j=" << j;
    }
  }
};

TEST_P(KernelChannelShuffleUkernel, Groups1IsCopy) { Check(1); }
TEST_P(KernelChannelShuffleUkernel, Groups2) { Check(2); }
TEST_P(KernelChannelShuffleUkernel, Groups3) { Check(3); }
TEST_P(KernelChannelShuffleUkernel, Groups4) { Check(4); }
TEST_P(KernelChannelShuffleUkernel, Groups8) { Check(8); }

TEST_P(KernelChannelShuffleUkernel, ZeroPixelsWritesNothing) {
  const uint32_t dummy = 1;
  Guarded<uint32_t> out(0);
  std::get<0>(GetParam()).fn(0, 2, std::get<1>(GetParam()), &dummy, out.data());
  EXPECT_TRUE(out.AllSentinel());
}

INSTANTIATE_TEST_SUITE_P(, KernelChannelShuffleUkernel,
                         ::testing::Combine(::testing::ValuesIn(kShuffle),
                                            ::testing::ValuesIn(kGroupChannels)),
                         ParamName<x32_channel_shuffle_ukernel_fn>);

// ---- concat2 + shuffle ----------------------------------------------------------------------

using Concat2Param = std::tuple<Listed<x32_concat2_shuffle_ukernel_fn>, size_t>;
class KernelConcat2ShuffleUkernel : public ::testing::TestWithParam<Concat2Param> {
 protected:
  // a and b are read from rows of a_stride / b_stride words starting at a_offset / b_offset;
  // out rows are out_stride words apart, the words past 2 * half in each row must stay sentinel.
  void Check(size_t a_stride, size_t a_offset, size_t b_stride, size_t out_stride) {
    const size_t half = std::get<1>(GetParam());
    for (const size_t pixels : kPixels) {
      SCOPED_TRACE("pixels=" + std::to_string(pixels));
      const std::vector<uint32_t> a = RandomWords(pixels * a_stride, 1);
      const std::vector<uint32_t> b = RandomWords(pixels * b_stride, 2);
      const size_t out_size = (pixels - 1) * out_stride + 2 * half;
      Guarded<uint32_t> out(out_size);
      std::get<0>(GetParam())
          .fn(pixels, half, a.data() + a_offset, a_stride, b.data(), b_stride, out.data(),
              out_stride);
      ASSERT_TRUE(out.GuardsIntact());
      for (size_t p = 0; p < pixels; ++p) {
        for (size_t j = 0; j < half; ++j) {
          ASSERT_EQ(out[p * out_stride + 2 * j], a[p * a_stride + a_offset + j]) << p << " " << j;
          ASSERT_EQ(out[p * out_stride + 2 * j + 1], b[p * b_stride + j]) << p << " " << j;
        }
        for (size_t k = p * out_stride + 2 * half; k < std::min(out_size, (p + 1) * out_stride);
             ++k)
          ASSERT_TRUE(IsSentinel(out[k])) << "gap written at " << k;
      }
    }
  }
  size_t Half() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelConcat2ShuffleUkernel, DenseHalves) { Check(Half(), 0, Half(), 2 * Half()); }
// ShuffleNetV2 stride-1 unit: a is the second half of the previous unit's [2 * half] output.
TEST_P(KernelConcat2ShuffleUkernel, AIsSecondHalfOfWiderRows) {
  Check(2 * Half(), Half(), Half(), 2 * Half());
}
TEST_P(KernelConcat2ShuffleUkernel, OddStridesAndWiderOutput) {
  Check(Half() + 3, 1, Half() + 5, 2 * Half() + 7);
}

INSTANTIATE_TEST_SUITE_P(, KernelConcat2ShuffleUkernel,
                         ::testing::Combine(::testing::ValuesIn(kConcat2),
                                            ::testing::ValuesIn(kGroupChannels)),
                         ParamName<x32_concat2_shuffle_ukernel_fn>);

}  // namespace
}  // namespace litecnn
