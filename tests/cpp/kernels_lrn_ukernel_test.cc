// Every kernel listed in f32-lrn.inc against the scalar reference f32_lrn__scalar, over channels
// 1, 3, 4, 15, 17, 64, odd and even window sizes (also wider than the channels), planes of 1-49
// pixels (whole 4-pixel blocks and 1-3 pixel tails), several outer slices, each beta the SIMD
// kernel treats apart, with guards after the output; and the reference against a direct double
// precision sum of each window (no running sum), with non-finite inputs.
// Native builds list only the scalar kernel; the wasm build, run under Node, compares the SIMD one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-lrn/f32-lrn.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::Guarded;
using kernel_test::UniformData;

using Listed = kernel_test::Listed<f32_lrn_ukernel_fn>;

const Listed kLrn[] = {
#define LITECNN_LRN_UKERNEL(fn) Listed{#fn, fn},
#include "kernels/f32-lrn/f32-lrn.inc"
#undef LITECNN_LRN_UKERNEL
};

struct Case {
  size_t outer, channels, inner, size;
  float alpha, beta, bias;  // alpha as ONNX gives it (the kernel takes alpha / size)
};

std::string Describe(const Case& c) {
  return "outer=" + std::to_string(c.outer) + " channels=" + std::to_string(c.channels) +
         " inner=" + std::to_string(c.inner) + " size=" + std::to_string(c.size) +
         " beta=" + std::to_string(c.beta);
}

// ONNX's definition, window by window in double precision.
std::vector<float> Direct(const Case& c, const std::vector<float>& x) {
  std::vector<float> y(x.size());
  const size_t before = (c.size - 1) / 2, after = c.size / 2;
  for (size_t o = 0; o < c.outer; ++o)
    for (size_t ch = 0; ch < c.channels; ++ch)
      for (size_t i = 0; i < c.inner; ++i) {
        double s = 0;
        for (size_t k = ch >= before ? ch - before : 0; k <= ch + after && k < c.channels; ++k) {
          const double v = x[(o * c.channels + k) * c.inner + i];
          s += v * v;
        }
        const size_t at = (o * c.channels + ch) * c.inner + i;
        const double base = c.bias + c.alpha / static_cast<double>(c.size) * s;
        y[at] = static_cast<float>(x[at] / std::pow(base, static_cast<double>(c.beta)));
      }
  return y;
}

std::vector<float> RunLrn(f32_lrn_ukernel_fn fn, const Case& c, const std::vector<float>& x) {
  Guarded<float> y(x.size());
  Guarded<float> sum(c.inner);
  fn(c.outer, c.channels, c.inner, c.size, c.alpha / static_cast<float>(c.size), c.beta, c.bias,
     x.data(), sum.data(), y.data());
  EXPECT_TRUE(y.GuardsIntact());
  EXPECT_TRUE(sum.GuardsIntact());
  return y.payload();
}

class KernelLrnUkernel : public ::testing::TestWithParam<Listed> {};

// The edge-case matrix against the reference: the sums are the reference's bit for bit, so the
// outputs differ only by the power (sqrt products against std::pow: a few ulp).
TEST_P(KernelLrnUkernel, lrn_matches_scalar_over_edge_cases) {
  for (const size_t channels : {1u, 3u, 4u, 15u, 17u, 64u})
    for (const size_t size : {1u, 2u, 3u, 5u, 8u, 65u})
      for (const size_t inner : {1u, 3u, 4u, 7u, 17u, 49u})
        for (const float beta : {0.75f, 0.5f, 1.0f, 0.6f}) {
          const Case c{2, channels, inner, size, 0.5f, beta, 1.0f};
          SCOPED_TRACE(Describe(c));
          const std::vector<float> x =
              UniformData(c.outer * channels * inner,
                          static_cast<uint32_t>(channels * 1000 + size * 10 + inner), -4.0f, 4.0f);
          const std::vector<float> ref = RunLrn(f32_lrn__scalar, c, x);
          ASSERT_TRUE(AllClose(RunLrn(GetParam().fn, c, x).data(), ref, 1e-6f, 0.0f));
        }
}

// AlexNet's LRN (size 5, alpha 1e-4, beta 0.75, bias 1) and GoogLeNet's (bias 2, alpha 2e-5)
// on activations of ReLU-like magnitude.
TEST_P(KernelLrnUkernel, lrn_model_zoo_parameters_match_scalar) {
  for (const Case& c :
       {Case{1, 96, 55, 5, 1e-4f, 0.75f, 1.0f}, Case{2, 64, 13, 5, 2e-5f, 0.75f, 2.0f}}) {
    SCOPED_TRACE(Describe(c));
    const std::vector<float> x = UniformData(c.outer * c.channels * c.inner, 7, 0.0f, 300.0f);
    EXPECT_TRUE(
        AllClose(RunLrn(GetParam().fn, c, x).data(), RunLrn(f32_lrn__scalar, c, x), 1e-6f, 0.0f));
  }
}

// Non-finite inputs: an inf or NaN affects only the outputs whose window holds it (the running
// sum is recomputed once it leaves), as in the reference.
TEST_P(KernelLrnUkernel, lrn_non_finite_input_stays_in_its_window) {
  const float inf = std::numeric_limits<float>::infinity();
  for (const float special : {inf, -inf, std::nanf("")}) {
    const Case c{1, 17, 5, 3, 1.0f, 0.75f, 1.0f};
    std::vector<float> x = UniformData(c.channels * c.inner, 3, -2.0f, 2.0f);
    x[4 * c.inner + 2] = special;  // channel 4, pixel 2: windows of channels 3, 4, 5
    const std::vector<float> y = RunLrn(GetParam().fn, c, x);
    const std::vector<float> ref = RunLrn(f32_lrn__scalar, c, x);
    for (size_t ch = 0; ch < c.channels; ++ch)
      for (size_t i = 0; i < c.inner; ++i) {
        const size_t at = ch * c.inner + i;
        const bool touched = i == 2 && ch >= 3 && ch <= 5;
        if (!touched) {
          EXPECT_TRUE(std::isfinite(y[at])) << "channel " << ch << " pixel " << i;
          EXPECT_TRUE(kernel_test::Close(y[at], ref[at], 1e-6f, 0.0f)) << ch << " " << i;
        } else if (ch == 4 || std::isnan(special)) {
          EXPECT_TRUE(std::isnan(y[at])) << "channel " << ch << ": " << y[at];  // inf / inf
        } else {
          EXPECT_EQ(y[at], 0.0f) << "channel " << ch;  // finite / inf
        }
      }
  }
}

INSTANTIATE_TEST_SUITE_P(, KernelLrnUkernel, ::testing::ValuesIn(kLrn),
                         [](const ::testing::TestParamInfo<Listed>& i) {
                           return std::string(i.param.name);
                         });

// The reference's running sum against the direct window sums of ONNX's definition, in double:
// within the float rounding of up to 64 running adds and subtracts and of std::pow (1e-5).
TEST(KernelLrn, scalar_matches_direct_window_sums) {
  for (const size_t channels : {1u, 3u, 4u, 15u, 17u, 64u})
    for (const size_t size : {1u, 2u, 3u, 4u, 5u, 9u, 100u}) {
      const Case c{3, channels, 7, size, 0.7f, 0.75f, 1.5f};
      SCOPED_TRACE(Describe(c));
      const std::vector<float> x =
          UniformData(3 * channels * 7, static_cast<uint32_t>(size), -5, 5);
      EXPECT_TRUE(AllClose(RunLrn(f32_lrn__scalar, c, x).data(), Direct(c, x), 1e-5f, 1e-7f));
    }
}

// Large values leaving the window beside small ones: the sum left behind stays close to the
// direct one (the rounding of the large squares is negligible against bias).
TEST(KernelLrn, scalar_running_sum_after_large_channels) {
  const Case c{1, 32, 4, 3, 1e-4f, 0.75f, 1.0f};
  std::vector<float> x = UniformData(32 * 4, 11, 0.0f, 1e-3f);
  for (size_t i = 0; i < 4; ++i) x[5 * 4 + i] = 3e3f;  // channel 5
  EXPECT_TRUE(AllClose(RunLrn(f32_lrn__scalar, c, x).data(), Direct(c, x), 1e-6f, 1e-9f));
}

TEST(KernelLrn, scalar_empty_writes_nothing) {
  const float dummy = 0;
  float sum[4];
  Guarded<float> y(0);
  f32_lrn__scalar(0, 3, 2, 3, 1, 0.75f, 1, &dummy, sum, y.data());
  f32_lrn__scalar(2, 0, 2, 3, 1, 0.75f, 1, &dummy, sum, y.data());
  f32_lrn__scalar(2, 3, 0, 3, 1, 0.75f, 1, &dummy, sum, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

}  // namespace
}  // namespace litecnn
