// Every kernel listed in f32-resize.inc: against the scalar reference bit for bit, and against
// the blend formula in double precision, over channels 1, 3, 4, 15, 17, 64 (8- and 4-channel
// steps, the overlapping 4-channel tail and the 1-3 channel partial path), up- and downscaling
// from odd widths and a 1-pixel source, with guard floats after every output row.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-resize/f32-resize.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;

using ListedBilinear = kernel_test::Listed<f32_resize_bilinear_nhwc_ukernel_fn>;
using ListedNearest = kernel_test::Listed<f32_resize_nearest_nhwc_ukernel_fn>;

#define LITECNN_RESIZE_BILINEAR_UKERNEL(fn) ListedBilinear{#fn, fn},
#define LITECNN_RESIZE_NEAREST_UKERNEL(fn)
const ListedBilinear kBilinear[] = {
#include "kernels/f32-resize/f32-resize.inc"
};
#undef LITECNN_RESIZE_BILINEAR_UKERNEL
#undef LITECNN_RESIZE_NEAREST_UKERNEL
#define LITECNN_RESIZE_BILINEAR_UKERNEL(fn)
#define LITECNN_RESIZE_NEAREST_UKERNEL(fn) ListedNearest{#fn, fn},
const ListedNearest kNearest[] = {
#include "kernels/f32-resize/f32-resize.inc"
};
#undef LITECNN_RESIZE_BILINEAR_UKERNEL
#undef LITECNN_RESIZE_NEAREST_UKERNEL

const size_t kChannels[] = {1, 3, 4, 15, 17, 64};
// (source width, output width): 2x and odd upscales, downscales, same size, a 1-pixel source.
const std::pair<size_t, size_t> kWidths[] = {{5, 10}, {5, 17}, {17, 5}, {9, 4}, {7, 7}, {1, 4}};

// Two random source rows and half-pixel tables, built here independently of ops/resize.cc.
struct RowCase {
  size_t in_w, out_w, channels;
  std::vector<float> row0, row1;
  std::vector<uint32_t> pairs, nearest;  // bilinear taps (2 per pixel), nearest taps
  std::vector<float> weights;

  RowCase(size_t in_width, size_t out_width, size_t c, uint32_t seed)
      : in_w(in_width),
        out_w(out_width),
        channels(c),
        row0(in_w * c),
        row1(in_w * c),
        pairs(2 * out_w),
        nearest(out_w),
        weights(out_w) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-4.f, 4.f);
    for (float& v : row0) v = u(rng);
    for (float& v : row1) v = u(rng);
    const double scale = double(out_w) / double(in_w);
    for (size_t i = 0; i < out_w; ++i) {
      const double x = std::min(std::max((i + 0.5) / scale - 0.5, 0.0), double(in_w - 1));
      const size_t x0 = static_cast<size_t>(std::floor(x));
      const size_t x1 = std::min(x0 + 1, in_w - 1);
      pairs[2 * i] = static_cast<uint32_t>(x0 * c);
      pairs[2 * i + 1] = static_cast<uint32_t>(x1 * c);
      weights[i] = static_cast<float>(x - double(x0));
      nearest[i] = static_cast<uint32_t>(static_cast<size_t>(std::lround(x)) * c);
    }
  }
};

const float kRowWeights[] = {0.0f, 1.0f, 0.25f, 0.7f};

using BilinearParam = std::tuple<ListedBilinear, size_t, std::pair<size_t, size_t>>;
class KernelResizeBilinearUkernel : public ::testing::TestWithParam<BilinearParam> {};

TEST_P(KernelResizeBilinearUkernel, BitIdenticalToScalarAndNearDouble) {
  const auto& [kernel, channels, widths] = GetParam();
  const RowCase rc(widths.first, widths.second, channels, uint32_t(channels * 100 + widths.first));
  for (float wy : kRowWeights) {
    Guarded<float> actual(rc.out_w * channels), expected(rc.out_w * channels);
    kernel.fn(rc.out_w, channels, rc.row0.data(), rc.row1.data(), wy, rc.pairs.data(),
              rc.weights.data(), actual.data());
    f32_resize_bilinear_nhwc__scalar(rc.out_w, channels, rc.row0.data(), rc.row1.data(), wy,
                                     rc.pairs.data(), rc.weights.data(), expected.data());
    EXPECT_TRUE(actual.GuardsIntact()) << "wy " << wy;
    for (size_t i = 0; i < rc.out_w; ++i) {
      const double wx = rc.weights[i];
      for (size_t c = 0; c < channels; ++c) {
        const size_t k = i * channels + c;
        ASSERT_EQ(std::memcmp(&actual[k], &expected[k], sizeof(float)), 0)
            << "pixel " << i << " channel " << c << " wy " << wy;
        const auto at = [&](const std::vector<float>& row, size_t tap) {
          return double(row[rc.pairs[2 * i + tap] + c]);
        };
        const double top = at(rc.row0, 0) * (1 - wx) + at(rc.row0, 1) * wx;
        const double bottom = at(rc.row1, 0) * (1 - wx) + at(rc.row1, 1) * wx;
        const double want = top * (1 - wy) + bottom * wy;
        ASSERT_NEAR(actual[k], want, 1e-5 * (1 + std::fabs(want))) << "pixel " << i << " c " << c;
      }
    }
  }
}

std::string BilinearName(const ::testing::TestParamInfo<BilinearParam>& info) {
  const auto& [kernel, channels, widths] = info.param;
  return std::string(kernel.name) + "_c" + std::to_string(channels) + "_w" +
         std::to_string(widths.first) + "_to" + std::to_string(widths.second);
}

INSTANTIATE_TEST_SUITE_P(, KernelResizeBilinearUkernel,
                         ::testing::Combine(::testing::ValuesIn(kBilinear),
                                            ::testing::ValuesIn(kChannels),
                                            ::testing::ValuesIn(kWidths)),
                         BilinearName);

using NearestParam = std::tuple<ListedNearest, size_t, std::pair<size_t, size_t>>;
class KernelResizeNearestUkernel : public ::testing::TestWithParam<NearestParam> {};

TEST_P(KernelResizeNearestUkernel, CopiesTheSourcePixels) {
  const auto& [kernel, channels, widths] = GetParam();
  const RowCase rc(widths.first, widths.second, channels, uint32_t(channels * 7 + widths.second));
  Guarded<float> actual(rc.out_w * channels);
  kernel.fn(rc.out_w, channels, rc.row0.data(), rc.nearest.data(), actual.data());
  EXPECT_TRUE(actual.GuardsIntact());
  for (size_t i = 0; i < rc.out_w; ++i) {
    for (size_t c = 0; c < channels; ++c) {
      const float want = rc.row0[rc.nearest[i] + c];
      ASSERT_EQ(std::memcmp(&actual[i * channels + c], &want, sizeof(float)), 0)
          << "pixel " << i << " channel " << c;
    }
  }
}

std::string NearestName(const ::testing::TestParamInfo<NearestParam>& info) {
  const auto& [kernel, channels, widths] = info.param;
  return std::string(kernel.name) + "_c" + std::to_string(channels) + "_w" +
         std::to_string(widths.first) + "_to" + std::to_string(widths.second);
}

INSTANTIATE_TEST_SUITE_P(, KernelResizeNearestUkernel,
                         ::testing::Combine(::testing::ValuesIn(kNearest),
                                            ::testing::ValuesIn(kChannels),
                                            ::testing::ValuesIn(kWidths)),
                         NearestName);

}  // namespace
}  // namespace litecnn
