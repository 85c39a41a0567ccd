// Every kernel listed in f32-vunary.inc against a double-precision formula, and against its
// scalar reference where the SIMD contract promises bit-identical results: sizes 1..1000 (body,
// 4-float step and 1-3 float tails), in place, guards after the output, special values, and
// dense sweeps of the sigmoid, ELU and tanh error bounds including large |x| and denormals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::Guarded;
using kernel_test::Listed;
using kernel_test::UniformData;

constexpr float kInf = std::numeric_limits<float>::infinity();
const size_t kSizes[] = {1, 3, 4, 15, 17, 64, 1000};

#define LITECNN_VCLAMP_UKERNEL(fn)
#define LITECNN_VHSWISH_UKERNEL(fn)
#define LITECNN_VHSIGMOID_UKERNEL(fn)
#define LITECNN_VSIGMOID_UKERNEL(fn)
#define LITECNN_VLRELU_UKERNEL(fn)
#define LITECNN_VELU_UKERNEL(fn)
#define LITECNN_VTANH_UKERNEL(fn)

#undef LITECNN_VCLAMP_UKERNEL
#define LITECNN_VCLAMP_UKERNEL(fn) Listed<f32_vclamp_ukernel_fn>{#fn, fn},
const Listed<f32_vclamp_ukernel_fn> kClamp[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VCLAMP_UKERNEL
#define LITECNN_VCLAMP_UKERNEL(fn)

#undef LITECNN_VHSWISH_UKERNEL
#define LITECNN_VHSWISH_UKERNEL(fn) Listed<f32_vhswish_ukernel_fn>{#fn, fn},
const Listed<f32_vhswish_ukernel_fn> kHSwish[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VHSWISH_UKERNEL
#define LITECNN_VHSWISH_UKERNEL(fn)

#undef LITECNN_VHSIGMOID_UKERNEL
#define LITECNN_VHSIGMOID_UKERNEL(fn) Listed<f32_vhsigmoid_ukernel_fn>{#fn, fn},
const Listed<f32_vhsigmoid_ukernel_fn> kHSigmoid[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VHSIGMOID_UKERNEL
#define LITECNN_VHSIGMOID_UKERNEL(fn)

#undef LITECNN_VSIGMOID_UKERNEL
#define LITECNN_VSIGMOID_UKERNEL(fn) Listed<f32_vsigmoid_ukernel_fn>{#fn, fn},
const Listed<f32_vsigmoid_ukernel_fn> kSigmoid[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VSIGMOID_UKERNEL
#define LITECNN_VSIGMOID_UKERNEL(fn)

#undef LITECNN_VLRELU_UKERNEL
#define LITECNN_VLRELU_UKERNEL(fn) Listed<f32_vlrelu_ukernel_fn>{#fn, fn},
const Listed<f32_vlrelu_ukernel_fn> kLRelu[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VLRELU_UKERNEL
#define LITECNN_VLRELU_UKERNEL(fn)

#undef LITECNN_VELU_UKERNEL
#define LITECNN_VELU_UKERNEL(fn) Listed<f32_velu_ukernel_fn>{#fn, fn},
const Listed<f32_velu_ukernel_fn> kElu[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VELU_UKERNEL
#define LITECNN_VELU_UKERNEL(fn)

#undef LITECNN_VTANH_UKERNEL
#define LITECNN_VTANH_UKERNEL(fn) Listed<f32_vtanh_ukernel_fn>{#fn, fn},
const Listed<f32_vtanh_ukernel_fn> kTanh[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};

#undef LITECNN_VCLAMP_UKERNEL
#undef LITECNN_VHSWISH_UKERNEL
#undef LITECNN_VHSIGMOID_UKERNEL
#undef LITECNN_VSIGMOID_UKERNEL
#undef LITECNN_VLRELU_UKERNEL
#undef LITECNN_VELU_UKERNEL
#undef LITECNN_VTANH_UKERNEL

template <typename Fn>
std::string ParamName(const ::testing::TestParamInfo<std::tuple<Listed<Fn>, size_t>>& info) {
  return std::string(std::get<0>(info.param).name) + "_n" + std::to_string(std::get<1>(info.param));
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

::testing::AssertionResult BitIdentical(const float* actual, const std::vector<float>& expected) {
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!SameBits(actual[i], expected[i])) {
      return ::testing::AssertionFailure()
             << "[" << i << "] actual " << actual[i] << " expected " << expected[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs fn out of place (guarded) and in place; both must match `expected` within tolerance.
template <typename Call>
void CheckOutAndInPlace(const std::vector<float>& x, const std::vector<float>& expected, Call call,
                        float rel, float abs) {
  const size_t n = x.size();
  Guarded<float> y(n);
  call(x.data(), y.data());
  EXPECT_TRUE(AllClose(y.data(), expected, rel, abs)) << "out of place";
  EXPECT_TRUE(y.GuardsIntact());
  Guarded<float> z(n);
  std::copy(x.begin(), x.end(), z.data());
  call(z.data(), z.data());
  EXPECT_TRUE(AllClose(z.data(), expected, rel, abs)) << "in place";
  EXPECT_TRUE(z.GuardsIntact());
}

// Special values cycled to length n: zeros of both signs, infinities, NaN, clamp bounds.
std::vector<float> SpecialData(size_t n) {
  const float specials[] = {-0.0f, 0.0f,    -kInf,    kInf,    std::nanf(""), 6.0f, -3.0f,
                            3.0f,  FLT_MIN, -FLT_MAX, FLT_MAX, 1e-30f,        -2.5f};
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = specials[i % (sizeof(specials) / sizeof(float))];
  return x;
}

// ---- clamp ----------------------------------------------------------------------------------

using ClampParam = std::tuple<Listed<f32_vclamp_ukernel_fn>, size_t>;
class KernelVClampUkernel : public ::testing::TestWithParam<ClampParam> {};

void CheckClamp(f32_vclamp_ukernel_fn fn, size_t n, float lo, float hi) {
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -8.0f, 8.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) expected[i] = std::min(std::max(x[i], lo), hi);
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out, lo, hi); }, 0.0f, 0.0f);
}

TEST_P(KernelVClampUkernel, Relu) {
  CheckClamp(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), 0.0f, kInf);
}
TEST_P(KernelVClampUkernel, Relu6) {
  CheckClamp(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), 0.0f, 6.0f);
}
TEST_P(KernelVClampUkernel, ClipNegativeBounds) {
  CheckClamp(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), -2.5f, -0.5f);
}
// ONNX Clip with min > max: every output is max, infinities included; a NaN stays NaN
// (kernels/minmax.h).
TEST_P(KernelVClampUkernel, MinGreaterThanMaxGivesMaxEverywhere) {
  const auto& [k, n] = GetParam();
  CheckClamp(k.fn, n, kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  const std::vector<float> x = SpecialData(n);
  Guarded<float> y(n);
  k.fn(n, x.data(), y.data(), kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) {
      EXPECT_TRUE(std::isnan(y[i])) << "[" << i << "] " << y[i];
    } else {
      EXPECT_EQ(y[i], kernel_test::kInvertedMax) << "[" << i << "] from " << x[i];
    }
  }
  EXPECT_TRUE(y.GuardsIntact());
}

TEST_P(KernelVClampUkernel, SpecialValuesBitIdenticalToScalar) {
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = SpecialData(n);
  std::vector<float> expected(n);
  f32_vclamp__scalar(n, x.data(), expected.data(), 0.0f, 6.0f);
  Guarded<float> y(n);
  std::get<0>(GetParam()).fn(n, x.data(), y.data(), 0.0f, 6.0f);
  EXPECT_TRUE(BitIdentical(y.data(), expected));
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVClampUkernel,
                         ::testing::Combine(::testing::ValuesIn(kClamp),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vclamp_ukernel_fn>);

// ---- hard-swish -----------------------------------------------------------------------------

using HSwishParam = std::tuple<Listed<f32_vhswish_ukernel_fn>, size_t>;
class KernelVHSwishUkernel : public ::testing::TestWithParam<HSwishParam> {};

TEST_P(KernelVHSwishUkernel, MatchesFormulaInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  // [-5, 5] covers both clamp knees (-3, 3) and the curved part between them.
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -5.0f, 5.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    expected[i] = static_cast<float>(v * std::min(std::max(v + 3.0, 0.0), 6.0) / 6.0);
  }
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out); }, 1e-6f, 1e-30f);
}

TEST_P(KernelVHSwishUkernel, NearKneeMinus3) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  std::vector<float> x(n), expected(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = -3.0f + static_cast<float>(i) * 1e-5f;
    const double v = x[i];
    expected[i] = static_cast<float>(v * std::min(std::max(v + 3.0, 0.0), 6.0) / 6.0);
  }
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out); }, 1e-6f, 1e-30f);
}

INSTANTIATE_TEST_SUITE_P(, KernelVHSwishUkernel,
                         ::testing::Combine(::testing::ValuesIn(kHSwish),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vhswish_ukernel_fn>);

// ---- hard-sigmoid ---------------------------------------------------------------------------

using HSigmoidParam = std::tuple<Listed<f32_vhsigmoid_ukernel_fn>, size_t>;
class KernelVHSigmoidUkernel : public ::testing::TestWithParam<HSigmoidParam> {};

TEST_P(KernelVHSigmoidUkernel, OnnxDefaultsMatchFormula) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -4.0f, 4.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) {
    expected[i] = static_cast<float>(std::max(0.0, std::min(1.0, 0.2 * x[i] + 0.5)));
  }
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out, 0.2f, 0.5f); }, 1e-6f, 1e-7f);
}

// MobileNetV3's hard-sigmoid (alpha 1/6, beta 0.5), bit for bit against the scalar reference,
// special values included.
TEST_P(KernelVHSigmoidUkernel, MobileNetV3BitIdenticalToScalar) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  std::vector<float> x = UniformData(n, static_cast<uint32_t>(n + 1), -4.0f, 4.0f);
  const std::vector<float> specials = SpecialData(n);
  for (size_t i = 0; i < n; i += 3) x[i] = specials[i];
  std::vector<float> expected(n);
  f32_vhsigmoid__scalar(n, x.data(), expected.data(), 1.0f / 6.0f, 0.5f);
  Guarded<float> y(n);
  fn(n, x.data(), y.data(), 1.0f / 6.0f, 0.5f);
  EXPECT_TRUE(BitIdentical(y.data(), expected));
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVHSigmoidUkernel,
                         ::testing::Combine(::testing::ValuesIn(kHSigmoid),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vhsigmoid_ukernel_fn>);

// ---- sigmoid --------------------------------------------------------------------------------

using SigmoidParam = std::tuple<Listed<f32_vsigmoid_ukernel_fn>, size_t>;
class KernelVSigmoidUkernel : public ::testing::TestWithParam<SigmoidParam> {};

// The documented bound (f32-vunary.h): relative error <= 1e-6; below x = -87.3 the exact value
// is under FLT_MIN and 0 is accepted (the absolute tolerance).
constexpr float kSigmoidRel = 1e-6f;
constexpr float kSigmoidAbs = FLT_MIN;

float ExactSigmoid(float x) { return static_cast<float>(1.0 / (1.0 + std::exp(-double{x}))); }

TEST_P(KernelVSigmoidUkernel, MatchesFormulaInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -20.0f, 20.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) expected[i] = ExactSigmoid(x[i]);
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out); }, kSigmoidRel, kSigmoidAbs);
}

TEST_P(KernelVSigmoidUkernel, LargeMagnitudesSaturateFinite) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const float big[] = {-kInf, -FLT_MAX, -1e10f, -1000.0f, -104.0f, -88.0f,  -87.0f,
                       87.0f, 88.0f,    104.0f, 1000.0f,  1e10f,   FLT_MAX, kInf};
  std::vector<float> x(n), expected(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = big[i % (sizeof(big) / sizeof(float))];
    expected[i] = ExactSigmoid(x[i]);
  }
  Guarded<float> y(n);
  fn(n, x.data(), y.data());
  EXPECT_TRUE(AllClose(y.data(), expected, kSigmoidRel, kSigmoidAbs));
  for (size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(y[i] >= 0.0f && y[i] <= 1.0f) << "x=" << x[i] << " y=" << y[i];
    if (std::isinf(x[i])) {
      EXPECT_EQ(y[i], x[i] > 0 ? 1.0f : 0.0f);
    }
  }
  EXPECT_TRUE(y.GuardsIntact());
}

TEST_P(KernelVSigmoidUkernel, NaNStaysNaN) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x(n, std::nanf(""));
  Guarded<float> y(n);
  fn(n, x.data(), y.data());
  for (size_t i = 0; i < n; ++i) EXPECT_TRUE(std::isnan(y[i])) << i;
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVSigmoidUkernel,
                         ::testing::Combine(::testing::ValuesIn(kSigmoid),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vsigmoid_ukernel_fn>);

// Dense sweep of [-100, 100] in steps of 2^-10 plus every power of two up to 2^127 of both
// signs: the maximum relative error must stay within the documented bound (printed for the
// record).
class KernelVSigmoidErrorBound : public ::testing::TestWithParam<Listed<f32_vsigmoid_ukernel_fn>> {
};

TEST_P(KernelVSigmoidErrorBound, DenseSweepWithinDocumentedBound) {
  std::vector<float> x;
  for (int i = -102400; i <= 102400; ++i) x.push_back(static_cast<float>(i) / 1024.0f);
  for (int e = -126; e <= 127; ++e) {
    x.push_back(std::ldexp(1.0f, e));
    x.push_back(-std::ldexp(1.0f, e));
  }
  std::vector<float> y(x.size());
  GetParam().fn(x.size(), x.data(), y.data());
  double max_rel = 0.0;
  float worst_x = 0.0f;
  for (size_t i = 0; i < x.size(); ++i) {
    const double exact = 1.0 / (1.0 + std::exp(-double{x[i]}));
    ASSERT_TRUE(kernel_test::Close(y[i], static_cast<float>(exact), kSigmoidRel, kSigmoidAbs))
        << "x=" << x[i];
    if (exact >= FLT_MIN) {
      const double rel = std::fabs(y[i] - exact) / exact;
      if (rel > max_rel) {
        max_rel = rel;
        worst_x = x[i];
      }
    }
  }
  std::printf("[          ] %s: max relative error %.3g at x = %g\n", GetParam().name, max_rel,
              static_cast<double>(worst_x));
}

INSTANTIATE_TEST_SUITE_P(, KernelVSigmoidErrorBound, ::testing::ValuesIn(kSigmoid),
                         [](const ::testing::TestParamInfo<Listed<f32_vsigmoid_ukernel_fn>>& i) {
                           return std::string(i.param.name);
                         });

// ---- leaky ReLU -----------------------------------------------------------------------------

using LReluParam = std::tuple<Listed<f32_vlrelu_ukernel_fn>, size_t>;
class KernelVLReluUkernel : public ::testing::TestWithParam<LReluParam> {};

// ONNX's default alpha, a PRelu-style slope above 1, and a negative one: one multiply on the
// negative side, so exact.
TEST_P(KernelVLReluUkernel, MatchesFormulaInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -8.0f, 8.0f);
  for (const float alpha : {0.01f, 1.5f, -0.25f}) {
    std::vector<float> expected(n);
    for (size_t i = 0; i < n; ++i) expected[i] = x[i] < 0 ? x[i] * alpha : x[i];
    CheckOutAndInPlace(
        x, expected, [&](const float* in, float* out) { fn(n, in, out, alpha); }, 0.0f, 0.0f);
  }
}

TEST_P(KernelVLReluUkernel, SpecialValuesBitIdenticalToScalar) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = SpecialData(n);
  std::vector<float> expected(n);
  f32_vlrelu__scalar(n, x.data(), expected.data(), 0.1f);
  Guarded<float> y(n);
  fn(n, x.data(), y.data(), 0.1f);
  EXPECT_TRUE(BitIdentical(y.data(), expected));
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVLReluUkernel,
                         ::testing::Combine(::testing::ValuesIn(kLRelu),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vlrelu_ukernel_fn>);

// ---- ELU and tanh: accuracy against double precision -----------------------------------------

// The documented bounds (f32-vunary.h), relative to the exact value; outputs below FLT_MIN
// (denormal results of denormal inputs) are held to a few denormal steps instead.
constexpr float kEluRel = 2e-7f;
constexpr float kTanhRel = 2.5e-7f;
constexpr float kDenormalAbs = 1e-44f;

double ExactElu(float x, double alpha, double beta) {
  return x > 0 ? beta * x : alpha * std::expm1(double{x});
}

// Every float in [-20, 20] at steps of 2^-12, all powers of two of both signs, a spread of
// denormals of both signs, and the values around where expm1 rounds to -1 and tanh to +-1.
std::vector<float> SweepData() {
  std::vector<float> x;
  for (int i = -81920; i <= 81920; ++i) x.push_back(static_cast<float>(i) / 4096.0f);
  for (int e = -149; e <= 127; ++e) {
    x.push_back(std::ldexp(1.0f, e));
    x.push_back(-std::ldexp(1.0f, e));
  }
  for (uint32_t bits = 1; bits < 0x00800000u; bits += 4099) {
    float d;
    std::memcpy(&d, &bits, sizeof(d));
    x.push_back(d);
    x.push_back(-d);
  }
  for (float v = -17.0f; v > -17.7f; v = std::nextafter(v, -kInf)) x.push_back(v);
  for (const float v : {-FLT_MAX, -1e10f, -1000.0f, -88.0f, FLT_MAX, 1e10f, 1000.0f, 88.0f}) {
    x.push_back(v);
  }
  return x;
}

// Max relative error of y against exact over the sweep (asserting the bound), printed.
template <typename Exact>
void CheckSweep(const char* name, const std::vector<float>& x, const std::vector<float>& y,
                Exact exact, float rel) {
  double max_rel = 0.0;
  float worst_x = 0.0f;
  for (size_t i = 0; i < x.size(); ++i) {
    const double e = exact(x[i]);
    ASSERT_TRUE(kernel_test::Close(y[i], static_cast<float>(e), rel, kDenormalAbs))
        << "x=" << x[i] << " exact " << e;
    if (std::fabs(e) >= FLT_MIN) {
      const double r = std::fabs(y[i] - e) / std::fabs(e);
      if (r > max_rel) {
        max_rel = r;
        worst_x = x[i];
      }
    }
  }
  std::printf("[          ] %s: max relative error %.3g at x = %g\n", name, max_rel,
              static_cast<double>(worst_x));
}

using EluParam = std::tuple<Listed<f32_velu_ukernel_fn>, size_t>;
class KernelVEluUkernel : public ::testing::TestWithParam<EluParam> {};

// Elu (alpha 1) and Selu's (alpha * gamma, gamma) parameters.
TEST_P(KernelVEluUkernel, EluAndSeluMatchFormulaInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -10.0f, 4.0f);
  const float params[][2] = {{1.0f, 1.0f}, {1.6732632f * 1.050701f, 1.050701f}};
  for (const auto& p : params) {
    std::vector<float> expected(n);
    for (size_t i = 0; i < n; ++i) {
      expected[i] = static_cast<float>(ExactElu(x[i], p[0], p[1]));
    }
    CheckOutAndInPlace(
        x, expected, [&](const float* in, float* out) { fn(n, in, out, p[0], p[1]); }, kEluRel,
        kDenormalAbs);
  }
}

TEST_P(KernelVEluUkernel, SpecialValues) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = SpecialData(n);
  Guarded<float> y(n);
  fn(n, x.data(), y.data(), 0.5f, 2.0f);
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) {
      EXPECT_TRUE(std::isnan(y[i])) << i;
    } else if (x[i] == -kInf || x[i] == -FLT_MAX) {
      EXPECT_EQ(y[i], -0.5f) << x[i];
    } else if (x[i] == 0.0f) {
      EXPECT_EQ(y[i], 0.0f) << x[i];
    } else {
      EXPECT_TRUE(kernel_test::Close(y[i], static_cast<float>(ExactElu(x[i], 0.5, 2.0)), kEluRel,
                                     kDenormalAbs))
          << x[i];
    }
  }
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVEluUkernel,
                         ::testing::Combine(::testing::ValuesIn(kElu), ::testing::ValuesIn(kSizes)),
                         ParamName<f32_velu_ukernel_fn>);

using TanhParam = std::tuple<Listed<f32_vtanh_ukernel_fn>, size_t>;
class KernelVTanhUkernel : public ::testing::TestWithParam<TanhParam> {};

TEST_P(KernelVTanhUkernel, MatchesFormulaInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = UniformData(n, static_cast<uint32_t>(n), -6.0f, 6.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) expected[i] = static_cast<float>(std::tanh(double{x[i]}));
  CheckOutAndInPlace(
      x, expected, [&](const float* in, float* out) { fn(n, in, out); }, kTanhRel, kDenormalAbs);
}

// +-inf give exactly +-1, zeros keep their sign, NaN stays NaN.
TEST_P(KernelVTanhUkernel, SpecialValues) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> x = SpecialData(n);
  Guarded<float> y(n);
  fn(n, x.data(), y.data());
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i])) {
      EXPECT_TRUE(std::isnan(y[i])) << i;
    } else if (std::isinf(x[i])) {
      EXPECT_EQ(y[i], x[i] > 0 ? 1.0f : -1.0f);
    } else if (x[i] == 0.0f) {
      EXPECT_TRUE(SameBits(y[i], x[i])) << x[i] << " -> " << y[i];
    } else {
      EXPECT_TRUE(kernel_test::Close(y[i], static_cast<float>(std::tanh(double{x[i]})), kTanhRel,
                                     kDenormalAbs))
          << x[i];
    }
  }
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVTanhUkernel,
                         ::testing::Combine(::testing::ValuesIn(kTanh),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vtanh_ukernel_fn>);

class KernelVEluErrorBound : public ::testing::TestWithParam<Listed<f32_velu_ukernel_fn>> {};

TEST_P(KernelVEluErrorBound, DenseSweepWithinDocumentedBound) {
  const std::vector<float> x = SweepData();
  std::vector<float> y(x.size());
  GetParam().fn(x.size(), x.data(), y.data(), 1.0f, 1.0f);
  CheckSweep(
      GetParam().name, x, y, [](float v) { return ExactElu(v, 1.0, 1.0); }, kEluRel);
}

INSTANTIATE_TEST_SUITE_P(, KernelVEluErrorBound, ::testing::ValuesIn(kElu),
                         [](const ::testing::TestParamInfo<Listed<f32_velu_ukernel_fn>>& i) {
                           return std::string(i.param.name);
                         });

class KernelVTanhErrorBound : public ::testing::TestWithParam<Listed<f32_vtanh_ukernel_fn>> {};

TEST_P(KernelVTanhErrorBound, DenseSweepWithinDocumentedBound) {
  const std::vector<float> x = SweepData();
  std::vector<float> y(x.size());
  GetParam().fn(x.size(), x.data(), y.data());
  CheckSweep(
      GetParam().name, x, y, [](float v) { return std::tanh(double{v}); }, kTanhRel);
}

INSTANTIATE_TEST_SUITE_P(, KernelVTanhErrorBound, ::testing::ValuesIn(kTanh),
                         [](const ::testing::TestParamInfo<Listed<f32_vtanh_ukernel_fn>>& i) {
                           return std::string(i.param.name);
                         });

}  // namespace
}  // namespace litecnn
