// Every kernel listed in x32-transpose.inc against the defining index formula, in both
// directions: channels 1..64 (the SIMD kernels' RGB path and 4x4 blocks, and their element-wise
// rest), pixel counts around the 4-pixel step and the 64-pixel block, a dense image and a range
// of a wider one (a plane stride > pixels); guards before and after the output must stay
// untouched (and, planar output into a wider image, the gaps between the planes).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;
using kernel_test::Listed;

#define LITECNN_TRANSPOSE_CHW_HWC_UKERNEL(fn) Listed<x32_transpose_chw_hwc_ukernel_fn>{#fn, fn},
#define LITECNN_TRANSPOSE_HWC_CHW_UKERNEL(fn)
const Listed<x32_transpose_chw_hwc_ukernel_fn> kTranspose[] = {
#include "kernels/x32-transpose/x32-transpose.inc"
};
#undef LITECNN_TRANSPOSE_CHW_HWC_UKERNEL
#undef LITECNN_TRANSPOSE_HWC_CHW_UKERNEL
#define LITECNN_TRANSPOSE_CHW_HWC_UKERNEL(fn)
#define LITECNN_TRANSPOSE_HWC_CHW_UKERNEL(fn) Listed<x32_transpose_hwc_chw_ukernel_fn>{#fn, fn},
const Listed<x32_transpose_hwc_chw_ukernel_fn> kToPlanar[] = {
#include "kernels/x32-transpose/x32-transpose.inc"
};
#undef LITECNN_TRANSPOSE_CHW_HWC_UKERNEL
#undef LITECNN_TRANSPOSE_HWC_CHW_UKERNEL

const size_t kChannels[] = {1, 2, 3, 4, 5, 15, 17, 21, 64};
const size_t kPixels[] = {1, 3, 4, 7, 13, 64, 67, 131};

uint32_t RandomNonSentinel(std::mt19937& rng) {
  uint32_t x;
  do x = static_cast<uint32_t>(rng());
  while (x == kernel_test::kSentinel32);
  return x;
}

class TransposeChwHwc : public ::testing::TestWithParam<
                            std::tuple<Listed<x32_transpose_chw_hwc_ukernel_fn>, size_t>> {};

TEST_P(TransposeChwHwc, MatchesIndexFormula) {
  const auto& [kernel, channels] = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(channels));
  for (size_t pixels : kPixels) {
    for (size_t extra : {size_t{0}, size_t{5}}) {  // a dense image, or a range of a wider one
      const size_t in_stride = pixels + extra;
      std::vector<uint32_t> in(channels * in_stride);
      for (uint32_t& x : in) x = RandomNonSentinel(rng);
      Guarded<uint32_t> out(channels * pixels);
      kernel.fn(channels, pixels, in.data(), in_stride, out.data());
      ASSERT_TRUE(out.GuardsIntact()) << pixels << " pixels, stride " << in_stride;
      for (size_t p = 0; p < pixels; ++p) {
        for (size_t c = 0; c < channels; ++c) {
          ASSERT_EQ(out[p * channels + c], in[c * in_stride + p])
              << "pixel " << p << " channel " << c << " of " << pixels << " pixels, stride "
              << in_stride;
        }
      }
    }
  }
}

TEST_P(TransposeChwHwc, ZeroPixelsWritesNothing) {
  const auto& [kernel, channels] = GetParam();
  std::vector<uint32_t> in(channels, 1u);
  Guarded<uint32_t> out(0);
  kernel.fn(channels, 0, in.data(), 1, out.data());
  EXPECT_TRUE(out.AllSentinel());
}

INSTANTIATE_TEST_SUITE_P(Kernels, TransposeChwHwc,
                         ::testing::Combine(::testing::ValuesIn(kTranspose),
                                            ::testing::ValuesIn(kChannels)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) + "_c" +
                                  std::to_string(std::get<1>(info.param));
                         });

class TransposeHwcChw : public ::testing::TestWithParam<
                            std::tuple<Listed<x32_transpose_hwc_chw_ukernel_fn>, size_t>> {};

TEST_P(TransposeHwcChw, MatchesIndexFormula) {
  const auto& [kernel, channels] = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(channels));
  for (size_t pixels : kPixels) {
    for (size_t extra : {size_t{0}, size_t{5}}) {  // dense planes, or a range of wider ones
      const size_t out_stride = pixels + extra;
      std::vector<uint32_t> in(pixels * channels);
      for (uint32_t& x : in) x = RandomNonSentinel(rng);
      Guarded<uint32_t> out(channels * out_stride - extra);
      kernel.fn(channels, pixels, in.data(), out.data(), out_stride);
      ASSERT_TRUE(out.GuardsIntact()) << pixels << " pixels, stride " << out_stride;
      for (size_t c = 0; c < channels; ++c) {
        for (size_t p = 0; p < out_stride && c * out_stride + p < out.size(); ++p) {
          const uint32_t want = p < pixels ? in[p * channels + c] : kernel_test::kSentinel32;
          ASSERT_EQ(out[c * out_stride + p], want)
              << "pixel " << p << " channel " << c << " of " << pixels << " pixels, stride "
              << out_stride << (p < pixels ? "" : " (a gap between planes)");
        }
      }
    }
  }
}

TEST_P(TransposeHwcChw, ZeroPixelsWritesNothing) {
  const auto& [kernel, channels] = GetParam();
  std::vector<uint32_t> in(channels, 1u);
  Guarded<uint32_t> out(0);
  kernel.fn(channels, 0, in.data(), out.data(), 1);
  EXPECT_TRUE(out.AllSentinel());
}

INSTANTIATE_TEST_SUITE_P(Kernels, TransposeHwcChw,
                         ::testing::Combine(::testing::ValuesIn(kToPlanar),
                                            ::testing::ValuesIn(kChannels)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) + "_c" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace litecnn
