// Tests for the scalar reference activations: clamp, hard-swish, hard-sigmoid, sigmoid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::Guarded;
using kernel_test::UniformData;

constexpr float kInf = std::numeric_limits<float>::infinity();
const size_t kSizes[] = {1, 3, 4, 15, 17, 64};

TEST(KernelVUnary, ClampHandRelu) {
  const std::vector<float> x = {-2, -0.0f, 0, 0.5f, 7};
  Guarded<float> y(x.size());
  f32_vclamp__scalar(x.size(), x.data(), y.data(), 0.0f, kInf);
  EXPECT_EQ(y.payload(), (std::vector<float>{0, 0, 0, 0.5f, 7}));
  EXPECT_TRUE(y.GuardsIntact());
}

TEST(KernelVUnary, ClampHandRelu6) {
  const std::vector<float> x = {-2, 3, 6, 6.5f, -kInf, kInf};
  Guarded<float> y(x.size());
  f32_vclamp__scalar(x.size(), x.data(), y.data(), 0.0f, 6.0f);
  EXPECT_EQ(y.payload(), (std::vector<float>{0, 3, 6, 6, 0, 6}));
  EXPECT_TRUE(y.GuardsIntact());
}

// hswish(x) = x * min(max(x + 3, 0), 6) / 6.
TEST(KernelVUnary, HardSwishHand) {
  const std::vector<float> x = {-4, -3, -1.5f, 0, 1, 3, 4};
  const std::vector<float> expected = {0, 0, -0.375f, 0, 4.0f / 6.0f, 3, 4};
  Guarded<float> y(x.size());
  f32_vhswish__scalar(x.size(), x.data(), y.data());
  EXPECT_TRUE(AllClose(y.data(), expected));
  EXPECT_TRUE(y.GuardsIntact());
}

// alpha 0.2, beta 0.5 (ONNX default): -3 -> 0 (clamped from -0.1), 0 -> 0.5, 1 -> 0.7,
// 3 -> 1 (clamped from 1.1).
TEST(KernelVUnary, HardSigmoidHand) {
  const std::vector<float> x = {-3, 0, 1, 3};
  Guarded<float> y(x.size());
  f32_vhsigmoid__scalar(x.size(), x.data(), y.data(), 0.2f, 0.5f);
  EXPECT_TRUE(AllClose(y.data(), {0, 0.5f, 0.7f, 1}));
  EXPECT_TRUE(y.GuardsIntact());
}

TEST(KernelVUnary, SigmoidHandAndSaturation) {
  const std::vector<float> x = {0, std::log(3.0f), -100, 100, -1000, 1000};
  Guarded<float> y(x.size());
  f32_vsigmoid__scalar(x.size(), x.data(), y.data());
  EXPECT_TRUE(AllClose(y.data(), {0.5f, 0.75f, 0, 1, 0, 1}));
  for (size_t i = 0; i < x.size(); ++i) EXPECT_TRUE(std::isfinite(y[i])) << i;
  EXPECT_TRUE(y.GuardsIntact());
}

// Every kernel over the size matrix against a double-precision formula, out of place and in
// place (x == y), with guards.
TEST(KernelVUnary, AllOpsMatchFormulaOverSizesAndInPlace) {
  for (const size_t n : kSizes) {
    SCOPED_TRACE("n=" + std::to_string(n));
    const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -8.0f, 8.0f);
    std::vector<float> clamp(n), hswish(n), hsigmoid(n), sigmoid(n);
    for (size_t i = 0; i < n; ++i) {
      const double v = x[i];
      clamp[i] = static_cast<float>(std::min(std::max(v, -1.0), 2.5));
      hswish[i] = static_cast<float>(v * std::min(std::max(v + 3.0, 0.0), 6.0) / 6.0);
      hsigmoid[i] = static_cast<float>(std::max(0.0, std::min(1.0, 0.25 * v + 0.5)));
      sigmoid[i] = static_cast<float>(1.0 / (1.0 + std::exp(-v)));
    }
    const float rel = 1e-5f;
    {
      Guarded<float> y(n);
      f32_vclamp__scalar(n, x.data(), y.data(), -1.0f, 2.5f);
      EXPECT_TRUE(AllClose(y.data(), clamp));
      EXPECT_TRUE(y.GuardsIntact());
      Guarded<float> z(n);
      std::copy(x.begin(), x.end(), z.data());
      f32_vclamp__scalar(n, z.data(), z.data(), -1.0f, 2.5f);
      EXPECT_TRUE(AllClose(z.data(), clamp));
    }
    {
      Guarded<float> y(n);
      f32_vhswish__scalar(n, x.data(), y.data());
      EXPECT_TRUE(AllClose(y.data(), hswish, rel));
      EXPECT_TRUE(y.GuardsIntact());
      Guarded<float> z(n);
      std::copy(x.begin(), x.end(), z.data());
      f32_vhswish__scalar(n, z.data(), z.data());
      EXPECT_TRUE(AllClose(z.data(), hswish, rel));
    }
    {
      Guarded<float> y(n);
      f32_vhsigmoid__scalar(n, x.data(), y.data(), 0.25f, 0.5f);
      EXPECT_TRUE(AllClose(y.data(), hsigmoid, rel));
      EXPECT_TRUE(y.GuardsIntact());
      Guarded<float> z(n);
      std::copy(x.begin(), x.end(), z.data());
      f32_vhsigmoid__scalar(n, z.data(), z.data(), 0.25f, 0.5f);
      EXPECT_TRUE(AllClose(z.data(), hsigmoid, rel));
    }
    {
      Guarded<float> y(n);
      f32_vsigmoid__scalar(n, x.data(), y.data());
      EXPECT_TRUE(AllClose(y.data(), sigmoid, rel));
      EXPECT_TRUE(y.GuardsIntact());
      Guarded<float> z(n);
      std::copy(x.begin(), x.end(), z.data());
      f32_vsigmoid__scalar(n, z.data(), z.data());
      EXPECT_TRUE(AllClose(z.data(), sigmoid, rel));
    }
  }
}

TEST(KernelVUnary, ZeroLengthWritesNothing) {
  const float x = 1.0f;
  Guarded<float> y(0);
  f32_vclamp__scalar(0, &x, y.data(), 0, 1);
  f32_vhswish__scalar(0, &x, y.data());
  f32_vhsigmoid__scalar(0, &x, y.data(), 0.2f, 0.5f);
  f32_vsigmoid__scalar(0, &x, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

}  // namespace
}  // namespace litecnn
