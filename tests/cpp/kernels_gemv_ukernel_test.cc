// Every kernel listed in f32-gemv-minmax.inc against a double-precision reference: the edge-case
// matrix of output rows (nc) and inner sizes (kc) 1, 3, 4, 15, 17, 64 (and a classifier's
// 1000 x 1280), with and without bias, clamping, and guards after the output. Dyadic data keep
// every sum exact, so kernels with different summation orders must agree bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-gemv/f32-gemv-minmax.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

using Listed = kernel_test::Listed<f32_gemv_minmax_ukernel_fn>;

const Listed kKernels[] = {
#define LITECNN_GEMV_MINMAX_UKERNEL(fn) {#fn, fn},
#include "kernels/f32-gemv/f32-gemv-minmax.inc"
#undef LITECNN_GEMV_MINMAX_UKERNEL
};

const size_t kSizes[] = {1, 3, 4, 15, 17, 64};

std::vector<float> Reference(size_t nc, size_t kc, const std::vector<float>& x,
                             const std::vector<float>& w, const float* bias, float min, float max) {
  std::vector<float> y(nc);
  for (size_t j = 0; j < nc; ++j) {
    double acc = bias ? bias[j] : 0.0;
    for (size_t i = 0; i < kc; ++i) acc += static_cast<double>(x[i]) * w[j * kc + i];
    y[j] = std::min(std::max(static_cast<float>(acc), min), max);
  }
  return y;
}

::testing::AssertionResult Check(const Listed& k, size_t nc, size_t kc, bool with_bias, float min,
                                 float max) {
  const std::vector<float> x = DyadicData(kc, 1 + nc);
  const std::vector<float> w = DyadicData(nc * kc, 2 + kc);
  const std::vector<float> bias = DyadicData(nc, 3);
  const float* b = with_bias ? bias.data() : nullptr;
  Guarded<float> y(nc);
  k.fn(nc, kc, x.data(), w.data(), b, y.data(), min, max);
  if (auto r = y.GuardsIntact(); !r) return r;
  return AllClose(y.data(), Reference(nc, kc, x, w, b, min, max), 0.f, 0.f);
}

class GemvUkernel : public ::testing::TestWithParam<std::tuple<Listed, size_t, size_t>> {};

TEST_P(GemvUkernel, matches_reference_with_and_without_bias) {
  const auto& [k, nc, kc] = GetParam();
  constexpr float kInf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(Check(k, nc, kc, true, -kInf, kInf));
  EXPECT_TRUE(Check(k, nc, kc, false, -kInf, kInf));
}

TEST_P(GemvUkernel, clamps_to_min_and_max) {
  const auto& [k, nc, kc] = GetParam();
  EXPECT_TRUE(Check(k, nc, kc, true, -0.5f, 0.75f));
  EXPECT_TRUE(Check(k, nc, kc, true, 0.f, 6.f));  // Relu6
}

TEST_P(GemvUkernel, min_greater_than_max_gives_max_everywhere) {
  const auto& [k, nc, kc] = GetParam();
  const std::vector<float> x = DyadicData(kc, 1), w = DyadicData(nc * kc, 2), b = DyadicData(nc, 3);
  Guarded<float> y(nc);
  k.fn(nc, kc, x.data(), w.data(), b.data(), y.data(), kernel_test::kInvertedMin,
       kernel_test::kInvertedMax);
  EXPECT_TRUE(y.GuardsIntact());
  EXPECT_TRUE(kernel_test::AllEqualTo(y.data(), nc, kernel_test::kInvertedMax));
}

INSTANTIATE_TEST_SUITE_P(EdgeSizes, GemvUkernel,
                         ::testing::Combine(::testing::ValuesIn(kKernels),
                                            ::testing::ValuesIn(kSizes),
                                            ::testing::ValuesIn(kSizes)),
                         [](const ::testing::TestParamInfo<GemvUkernel::ParamType>& info) {
                           return std::string(std::get<0>(info.param).name) + "_nc" +
                                  std::to_string(std::get<1>(info.param)) + "_kc" +
                                  std::to_string(std::get<2>(info.param));
                         });

TEST(GemvUkernelClassifier, mobilenet_v2_classifier_shape) {
  for (const Listed& k : kKernels) {
    SCOPED_TRACE(k.name);
    constexpr float kInf = std::numeric_limits<float>::infinity();
    EXPECT_TRUE(Check(k, 1000, 1280, true, -kInf, kInf));
  }
}

TEST(GemvUkernelList, every_kernel_agrees_with_the_scalar_reference_bitwise) {
  // Sums of dyadic values are exact, so any order of summation gives the same bits.
  const size_t nc = 37, kc = 83;
  const std::vector<float> x = DyadicData(kc, 7), w = DyadicData(nc * kc, 8), b = DyadicData(nc, 9);
  std::vector<float> want(nc);
  kKernels[0].fn(nc, kc, x.data(), w.data(), b.data(), want.data(), -1.f, 1.f);
  for (const Listed& k : kKernels) {
    SCOPED_TRACE(k.name);
    Guarded<float> y(nc);
    k.fn(nc, kc, x.data(), w.data(), b.data(), y.data(), -1.f, 1.f);
    EXPECT_TRUE(y.GuardsIntact());
    EXPECT_TRUE(AllClose(y.data(), want, 0.f, 0.f));
  }
}

}  // namespace
}  // namespace litecnn
