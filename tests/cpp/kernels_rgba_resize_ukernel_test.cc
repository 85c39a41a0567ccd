// Every kernel listed in u8-rgba-resize.inc: against the scalar reference bit for bit, and
// against the bilinear formula in double precision, over output widths 1, 3, 4, 15, 17, 64
// (SIMD body, 4-pixel step and 1-3 pixel tails), up- and downscaling from odd widths and a 1-pixel
// source, planar and interleaved output, with guard floats after every output row.
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
#include "kernels/u8-rgba-resize/u8-rgba-resize.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;

using Listed = kernel_test::Listed<u8_rgba_to_f32_bilinear_ukernel_fn>;

#define LITECNN_RGBA_BILINEAR_UKERNEL(fn) Listed{#fn, fn},
const Listed kKernels[] = {
#include "kernels/u8-rgba-resize/u8-rgba-resize.inc"
};
#undef LITECNN_RGBA_BILINEAR_UKERNEL

const size_t kOutWidths[] = {1, 3, 4, 15, 17, 64};
// 1: a single source pixel (both taps the same); 5, 17: odd widths, up- or downscaled to the
// output widths above; 200: downscaling by up to 200x.
const size_t kSourceWidths[] = {1, 5, 17, 200};

// Two source rows of random RGBA bytes and the tables a half-pixel resize from `source_width`
// to `n` columns needs, built here independently of runtime/image.cc.
struct RowCase {
  std::vector<uint8_t> row0, row1;
  std::vector<uint32_t> x_offsets;
  std::vector<float> x_weights;

  RowCase(size_t source_width, size_t n, uint32_t seed)
      : row0(4 * source_width), row1(4 * source_width), x_offsets(2 * n), x_weights(n) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    for (uint8_t& b : row0) b = static_cast<uint8_t>(byte(rng));
    for (uint8_t& b : row1) b = static_cast<uint8_t>(byte(rng));
    for (size_t i = 0; i < n; ++i) {
      const double sx = double(source_width) / double(n);
      const double f = std::min(std::max((i + 0.5) * sx - 0.5, 0.0), double(source_width - 1));
      const size_t x0 = static_cast<size_t>(std::floor(f));
      const size_t x1 = std::min(x0 + 1, source_width - 1);
      x_offsets[2 * i] = static_cast<uint32_t>(4 * x0);
      x_offsets[2 * i + 1] = static_cast<uint32_t>(4 * x1);
      x_weights[i] = static_cast<float>(f - double(x0));
    }
  }
};

// ImageNet-like normalisation, different per channel so that a swapped channel shows.
const RgbaToF32Params kParams = {
    {1.0f / (255 * 0.229f), 1.0f / (255 * 0.224f), 1.0f / (255 * 0.225f)},
    {-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f}};

// Output of one kernel call: planar (three guarded rows) or interleaved (one guarded row).
struct Output {
  bool interleaved;
  size_t n;
  std::vector<Guarded<float>> planes;

  Output(bool interleaved_output, size_t pixels) : interleaved(interleaved_output), n(pixels) {
    if (interleaved) {
      planes.emplace_back(3 * n);
    } else {
      for (int c = 0; c < 3; ++c) planes.emplace_back(n);
    }
  }
  void Run(u8_rgba_to_f32_bilinear_ukernel_fn fn, const RowCase& rc, float wy) {
    float* y[3];
    for (size_t c = 0; c < 3; ++c) y[c] = interleaved ? planes[0].data() + c : planes[c].data();
    fn(n, rc.row0.data(), rc.row1.data(), wy, rc.x_offsets.data(), rc.x_weights.data(), &kParams, y,
       interleaved ? 3 : 1);
  }
  float At(size_t i, size_t c) const { return interleaved ? planes[0][3 * i + c] : planes[c][i]; }
  ::testing::AssertionResult GuardsIntact() const {
    for (const Guarded<float>& p : planes) {
      if (::testing::AssertionResult r = p.GuardsIntact(); !r) return r;
    }
    return ::testing::AssertionSuccess();
  }
};

using Param = std::tuple<Listed, size_t, size_t, bool>;  // kernel, n, source width, interleaved

class KernelRgbaBilinearUkernel : public ::testing::TestWithParam<Param> {};

// Row weights: the top row only, the bottom row only, and in between.
const float kRowWeights[] = {0.0f, 1.0f, 0.3f, 0.8125f};

TEST_P(KernelRgbaBilinearUkernel, BitIdenticalToScalar) {
  const auto& [kernel, n, source_width, interleaved] = GetParam();
  const RowCase rc(source_width, n, static_cast<uint32_t>(n * 1000 + source_width));
  for (float wy : kRowWeights) {
    Output actual(interleaved, n), expected(interleaved, n);
    actual.Run(kernel.fn, rc, wy);
    expected.Run(u8_rgba_to_f32_bilinear__scalar, rc, wy);
    for (size_t i = 0; i < n; ++i) {
      for (size_t c = 0; c < 3; ++c) {
        const float a = actual.At(i, c), e = expected.At(i, c);
        ASSERT_EQ(std::memcmp(&a, &e, sizeof(float)), 0)
            << "pixel " << i << " channel " << c << " wy " << wy << ": " << a << " vs " << e;
      }
    }
    EXPECT_TRUE(actual.GuardsIntact()) << "wy " << wy;
  }
}

TEST_P(KernelRgbaBilinearUkernel, MatchesBilinearInDouble) {
  const auto& [kernel, n, source_width, interleaved] = GetParam();
  const RowCase rc(source_width, n, static_cast<uint32_t>(n * 7 + source_width));
  for (float wy : kRowWeights) {
    Output actual(interleaved, n);
    actual.Run(kernel.fn, rc, wy);
    for (size_t i = 0; i < n; ++i) {
      const double wx = rc.x_weights[i];
      for (size_t c = 0; c < 3; ++c) {
        const auto tap = [&](const std::vector<uint8_t>& row, size_t k) {
          return double(row[rc.x_offsets[2 * i + k] + c]);
        };
        const double top = tap(rc.row0, 0) * (1 - wx) + tap(rc.row0, 1) * wx;
        const double bottom = tap(rc.row1, 0) * (1 - wx) + tap(rc.row1, 1) * wx;
        const double v = top * (1 - wy) + bottom * wy;
        const double expected = v * kParams.scale[c] + kParams.offset[c];
        EXPECT_NEAR(actual.At(i, c), expected, 2e-6 * (1 + std::fabs(expected)))
            << "pixel " << i << " channel " << c << " wy " << wy;
      }
    }
    EXPECT_TRUE(actual.GuardsIntact()) << "wy " << wy;
  }
}

// Alpha is dropped: a source whose alpha bytes differ gives the same floats.
TEST_P(KernelRgbaBilinearUkernel, IgnoresAlpha) {
  const auto& [kernel, n, source_width, interleaved] = GetParam();
  RowCase rc(source_width, n, 99);
  Output opaque(interleaved, n), varied(interleaved, n);
  for (size_t p = 3; p < rc.row0.size(); p += 4) rc.row0[p] = rc.row1[p] = 255;
  opaque.Run(kernel.fn, rc, 0.5f);
  for (size_t p = 3; p < rc.row0.size(); p += 4) rc.row0[p] = rc.row1[p] = uint8_t(p);
  varied.Run(kernel.fn, rc, 0.5f);
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < 3; ++c) ASSERT_EQ(opaque.At(i, c), varied.At(i, c)) << i;
  }
}

std::string CaseName(const ::testing::TestParamInfo<Param>& info) {
  const auto& [kernel, n, source_width, interleaved] = info.param;
  return std::string(kernel.name) + "_n" + std::to_string(n) + "_from" +
         std::to_string(source_width) + (interleaved ? "_interleaved" : "_planar");
}

INSTANTIATE_TEST_SUITE_P(, KernelRgbaBilinearUkernel,
                         ::testing::Combine(::testing::ValuesIn(kKernels),
                                            ::testing::ValuesIn(kOutWidths),
                                            ::testing::ValuesIn(kSourceWidths), ::testing::Bool()),
                         CaseName);

}  // namespace
}  // namespace litecnn
