// Tests for the scalar reference softmax over the middle axis of [outer][n][inner].
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-softmax/f32-softmax.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::Guarded;
using kernel_test::UniformData;

// softmax(0, ln 3) = (1/4, 3/4).
TEST(KernelSoftmax, HandTwoElements) {
  const std::vector<float> x = {0.0f, std::log(3.0f)};
  Guarded<float> y(2);
  f32_softmax__scalar(1, 2, 1, x.data(), y.data());
  EXPECT_TRUE(AllClose(y.data(), {0.25f, 0.75f}, 1e-6f));
  EXPECT_TRUE(y.GuardsIntact());
}

// Shifting all inputs by a constant does not change the result: (1,2,3) == (101,102,103).
TEST(KernelSoftmax, HandShiftInvariant) {
  const double e1 = std::exp(-2.0), e2 = std::exp(-1.0), sum = e1 + e2 + 1.0;
  const std::vector<float> expected = {static_cast<float>(e1 / sum), static_cast<float>(e2 / sum),
                                       static_cast<float>(1.0 / sum)};
  for (const float shift : {0.0f, 100.0f, -50.0f}) {
    const std::vector<float> x = {1 + shift, 2 + shift, 3 + shift};
    Guarded<float> y(3);
    f32_softmax__scalar(1, 3, 1, x.data(), y.data());
    EXPECT_TRUE(AllClose(y.data(), expected, 1e-5f)) << shift;
    EXPECT_TRUE(y.GuardsIntact());
  }
}

// Inputs around +-1000 would overflow a naive exp; results stay finite and rows sum to 1.
TEST(KernelSoftmax, LargeInputsStayFinite) {
  const std::vector<float> x = {1000, 1000, 0, -1000, -1000, 999, -1000, -1000};
  Guarded<float> y(8);
  f32_softmax__scalar(2, 4, 1, x.data(), y.data());
  for (size_t i = 0; i < 8; ++i) EXPECT_TRUE(std::isfinite(y[i])) << i;
  EXPECT_TRUE(AllClose(y.data(), {0.5f, 0.5f, 0, 0, 0, 1, 0, 0}, 1e-6f));
  EXPECT_TRUE(y.GuardsIntact());
}

TEST(KernelSoftmax, SingleElementAxisIsOne) {
  const std::vector<float> x = {-3, 1000, 7};
  Guarded<float> y(3);
  f32_softmax__scalar(1, 1, 3, x.data(), y.data());
  EXPECT_EQ(y.payload(), (std::vector<float>{1, 1, 1}));
  EXPECT_TRUE(y.GuardsIntact());
}

// Softmax over the middle axis (inner > 1), n from the size matrix, against double precision;
// each lane sums to 1; also in place.
TEST(KernelSoftmax, MiddleAxisMatchesNaiveAndSumsToOne) {
  for (const size_t n : {1u, 3u, 4u, 15u, 17u, 64u}) {
    for (const size_t inner : {1u, 5u}) {
      SCOPED_TRACE("n=" + std::to_string(n) + " inner=" + std::to_string(inner));
      const size_t outer = 3;
      const std::vector<float> x =
          UniformData(outer * n * inner, static_cast<uint32_t>(n + inner), -20.0f, 20.0f);
      std::vector<float> expected(x.size());
      for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
          double max = -INFINITY, sum = 0;
          for (size_t j = 0; j < n; ++j) max = std::fmax(max, x[(o * n + j) * inner + i]);
          for (size_t j = 0; j < n; ++j) sum += std::exp(x[(o * n + j) * inner + i] - max);
          for (size_t j = 0; j < n; ++j)
            expected[(o * n + j) * inner + i] =
                static_cast<float>(std::exp(x[(o * n + j) * inner + i] - max) / sum);
        }
      Guarded<float> y(x.size());
      f32_softmax__scalar(outer, n, inner, x.data(), y.data());
      EXPECT_TRUE(AllClose(y.data(), expected, 1e-5f, 1e-7f));
      EXPECT_TRUE(y.GuardsIntact());
      for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
          double sum = 0;
          for (size_t j = 0; j < n; ++j) sum += y[(o * n + j) * inner + i];
          EXPECT_NEAR(sum, 1.0, 1e-5);
        }
      Guarded<float> z(x.size());
      std::copy(x.begin(), x.end(), z.data());
      f32_softmax__scalar(outer, n, inner, z.data(), z.data());
      EXPECT_EQ(z.payload(), y.payload());  // in place gives identical results
    }
  }
}

TEST(KernelSoftmax, EmptyWritesNothing) {
  const float dummy = 0;
  Guarded<float> y(0);
  f32_softmax__scalar(3, 0, 2, &dummy, y.data());
  f32_softmax__scalar(0, 3, 2, &dummy, y.data());
  f32_softmax__scalar(3, 2, 0, &dummy, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

}  // namespace
}  // namespace litecnn
