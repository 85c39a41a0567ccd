// Every kernel listed in f32-vbinary.inc (dense fast paths) against the plain formula: sizes and
// channel counts 1..1000 (body, 4-float step and 1-3 float tails), rows 1, 2 and 7, in place on
// either input, fused clamp bounds, guards after the output. One IEEE operation per element, so
// every kernel must match the formula bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;
using kernel_test::Listed;
using kernel_test::UniformData;

constexpr float kInf = std::numeric_limits<float>::infinity();
const size_t kSizes[] = {1, 3, 4, 15, 17, 64, 1000};
const size_t kRows[] = {1, 2, 7};

#define LITECNN_VADD_MINMAX_UKERNEL(fn) Listed<f32_vadd_minmax_ukernel_fn>{#fn, fn},
#define LITECNN_VMUL_UKERNEL(fn)
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn)
#define LITECNN_VADD_ROWVEC_UKERNEL(fn)
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn)
const Listed<f32_vadd_minmax_ukernel_fn> kAddMinMax[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VADD_MINMAX_UKERNEL
#define LITECNN_VADD_MINMAX_UKERNEL(fn)

#undef LITECNN_VMUL_UKERNEL
#define LITECNN_VMUL_UKERNEL(fn) Listed<f32_vmul_ukernel_fn>{#fn, fn},
const Listed<f32_vmul_ukernel_fn> kMul[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VMUL_UKERNEL
#define LITECNN_VMUL_UKERNEL(fn)

#undef LITECNN_VMUL_ROWVEC_UKERNEL
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn) Listed<f32_vrowvec_ukernel_fn>{#fn, fn},
const Listed<f32_vrowvec_ukernel_fn> kMulRowVec[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn)

#undef LITECNN_VADD_ROWVEC_UKERNEL
#define LITECNN_VADD_ROWVEC_UKERNEL(fn) Listed<f32_vrowvec_ukernel_fn>{#fn, fn},
const Listed<f32_vrowvec_ukernel_fn> kAddRowVec[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VADD_ROWVEC_UKERNEL
#define LITECNN_VADD_ROWVEC_UKERNEL(fn)

#undef LITECNN_VPRELU_ROWVEC_UKERNEL
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn) Listed<f32_vrowvec_ukernel_fn>{#fn, fn},
const Listed<f32_vrowvec_ukernel_fn> kPReluRowVec[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};

#undef LITECNN_VADD_MINMAX_UKERNEL
#undef LITECNN_VMUL_UKERNEL
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#undef LITECNN_VADD_ROWVEC_UKERNEL
#undef LITECNN_VPRELU_ROWVEC_UKERNEL

template <typename Fn>
std::string ParamName(const ::testing::TestParamInfo<std::tuple<Listed<Fn>, size_t>>& info) {
  return std::string(std::get<0>(info.param).name) + "_n" + std::to_string(std::get<1>(info.param));
}

// Exact equality (no NaNs are produced from these inputs).
::testing::AssertionResult Equal(const float* actual, const std::vector<float>& expected) {
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!(actual[i] == expected[i])) {
      return ::testing::AssertionFailure()
             << "[" << i << "] actual " << actual[i] << " expected " << expected[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// ---- same-shape add with fused clamp --------------------------------------------------------

using AddMinMaxParam = std::tuple<Listed<f32_vadd_minmax_ukernel_fn>, size_t>;
class KernelVAddMinMaxUkernel : public ::testing::TestWithParam<AddMinMaxParam> {};

void CheckAddMinMax(f32_vadd_minmax_ukernel_fn fn, size_t n, float lo, float hi) {
  const std::vector<float> a = UniformData(n, static_cast<uint32_t>(n), -4.0f, 4.0f);
  const std::vector<float> b = UniformData(n, static_cast<uint32_t>(n + 100), -4.0f, 4.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) expected[i] = std::min(std::max(a[i] + b[i], lo), hi);
  {
    Guarded<float> y(n);
    fn(n, a.data(), b.data(), y.data(), lo, hi);
    EXPECT_TRUE(Equal(y.data(), expected)) << "out of place";
    EXPECT_TRUE(y.GuardsIntact());
  }
  {
    Guarded<float> y(n);  // y == a
    std::copy(a.begin(), a.end(), y.data());
    fn(n, y.data(), b.data(), y.data(), lo, hi);
    EXPECT_TRUE(Equal(y.data(), expected)) << "in place on a";
    EXPECT_TRUE(y.GuardsIntact());
  }
  {
    Guarded<float> y(n);  // y == b
    std::copy(b.begin(), b.end(), y.data());
    fn(n, a.data(), y.data(), y.data(), lo, hi);
    EXPECT_TRUE(Equal(y.data(), expected)) << "in place on b";
    EXPECT_TRUE(y.GuardsIntact());
  }
}

TEST_P(KernelVAddMinMaxUkernel, Unclamped) {
  CheckAddMinMax(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), -kInf, kInf);
}
TEST_P(KernelVAddMinMaxUkernel, FusedRelu) {
  CheckAddMinMax(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), 0.0f, kInf);
}
TEST_P(KernelVAddMinMaxUkernel, FusedRelu6) {
  CheckAddMinMax(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), 0.0f, 6.0f);
}
TEST_P(KernelVAddMinMaxUkernel, NarrowBounds) {
  CheckAddMinMax(std::get<0>(GetParam()).fn, std::get<1>(GetParam()), -0.5f, 0.75f);
}
// ONNX Clip with min > max: every output is max.
TEST_P(KernelVAddMinMaxUkernel, MinGreaterThanMaxGivesMaxEverywhere) {
  const auto& [k, n] = GetParam();
  CheckAddMinMax(k.fn, n, kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  const std::vector<float> a = UniformData(n, 1, -4.0f, 4.0f), b = UniformData(n, 2, -4.0f, 4.0f);
  Guarded<float> y(n);
  k.fn(n, a.data(), b.data(), y.data(), kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  EXPECT_TRUE(kernel_test::AllEqualTo(y.data(), n, kernel_test::kInvertedMax));
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVAddMinMaxUkernel,
                         ::testing::Combine(::testing::ValuesIn(kAddMinMax),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vadd_minmax_ukernel_fn>);

// ---- same-shape multiply --------------------------------------------------------------------

using MulParam = std::tuple<Listed<f32_vmul_ukernel_fn>, size_t>;
class KernelVMulUkernel : public ::testing::TestWithParam<MulParam> {};

TEST_P(KernelVMulUkernel, MatchesProductInAndOutOfPlace) {
  const auto fn = std::get<0>(GetParam()).fn;
  const size_t n = std::get<1>(GetParam());
  const std::vector<float> a = UniformData(n, static_cast<uint32_t>(n), -4.0f, 4.0f);
  const std::vector<float> b = UniformData(n, static_cast<uint32_t>(n + 100), -4.0f, 4.0f);
  std::vector<float> expected(n);
  for (size_t i = 0; i < n; ++i) expected[i] = a[i] * b[i];
  Guarded<float> y(n);
  fn(n, a.data(), b.data(), y.data());
  EXPECT_TRUE(Equal(y.data(), expected));
  EXPECT_TRUE(y.GuardsIntact());
  Guarded<float> z(n);
  std::copy(a.begin(), a.end(), z.data());
  fn(n, z.data(), b.data(), z.data());
  EXPECT_TRUE(Equal(z.data(), expected)) << "in place on a";
  Guarded<float> w(n);
  std::copy(b.begin(), b.end(), w.data());
  fn(n, a.data(), w.data(), w.data());
  EXPECT_TRUE(Equal(w.data(), expected)) << "in place on b";
  EXPECT_TRUE(z.GuardsIntact());
  EXPECT_TRUE(w.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(, KernelVMulUkernel,
                         ::testing::Combine(::testing::ValuesIn(kMul), ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vmul_ukernel_fn>);

// ---- row-vector broadcast (squeeze-excitation gate, bias) -----------------------------------

using RowVecParam = std::tuple<Listed<f32_vrowvec_ukernel_fn>, size_t>;
class KernelVMulRowVecUkernel : public ::testing::TestWithParam<RowVecParam> {};
class KernelVAddRowVecUkernel : public ::testing::TestWithParam<RowVecParam> {};
class KernelVPReluRowVecUkernel : public ::testing::TestWithParam<RowVecParam> {};

template <typename Op>
void CheckRowVec(f32_vrowvec_ukernel_fn fn, size_t channels, Op op) {
  for (const size_t rows : kRows) {
    SCOPED_TRACE("rows=" + std::to_string(rows));
    const std::vector<float> a =
        UniformData(rows * channels, static_cast<uint32_t>(rows * channels), -4.0f, 4.0f);
    const std::vector<float> gate = UniformData(channels, static_cast<uint32_t>(channels), 0, 1);
    std::vector<float> expected(rows * channels);
    for (size_t r = 0; r < rows; ++r)
      for (size_t c = 0; c < channels; ++c)
        expected[r * channels + c] = op(a[r * channels + c], gate[c]);
    Guarded<float> y(rows * channels);
    fn(rows, channels, a.data(), gate.data(), y.data());
    EXPECT_TRUE(Equal(y.data(), expected)) << "out of place";
    EXPECT_TRUE(y.GuardsIntact());
    Guarded<float> z(rows * channels);
    std::copy(a.begin(), a.end(), z.data());
    fn(rows, channels, z.data(), gate.data(), z.data());
    EXPECT_TRUE(Equal(z.data(), expected)) << "in place";
    EXPECT_TRUE(z.GuardsIntact());
  }
}

TEST_P(KernelVMulRowVecUkernel, RowsOneTwoSevenInAndOutOfPlace) {
  CheckRowVec(std::get<0>(GetParam()).fn, std::get<1>(GetParam()),
              [](float x, float g) { return x * g; });
}
TEST_P(KernelVAddRowVecUkernel, RowsOneTwoSevenInAndOutOfPlace) {
  CheckRowVec(std::get<0>(GetParam()).fn, std::get<1>(GetParam()),
              [](float x, float g) { return x + g; });
}

// Slopes in [0, 1) and inputs of both signs: the select takes each side.
TEST_P(KernelVPReluRowVecUkernel, RowsOneTwoSevenInAndOutOfPlace) {
  CheckRowVec(std::get<0>(GetParam()).fn, std::get<1>(GetParam()),
              [](float x, float s) { return x < 0 ? x * s : x; });
}

// -0 and +0 keep their signs (x < 0 is false for -0), NaN stays NaN, denormals are scaled, not
// flushed: bit for bit what the scalar reference gives. (No slope of 0: -inf * 0 would make a
// NaN whose bits wasm leaves unspecified.)
TEST_P(KernelVPReluRowVecUkernel, SpecialValuesBitIdenticalToScalar) {
  const size_t channels = std::get<1>(GetParam());
  const float specials[] = {-0.0f, 0.0f, -kInf, kInf, std::nanf(""), -1e-45f, -3.0f};
  std::vector<float> a(2 * channels), slope(channels);
  for (size_t i = 0; i < a.size(); ++i) a[i] = specials[i % 7];
  for (size_t c = 0; c < channels; ++c) slope[c] = 0.25f * static_cast<float>(c + 1);
  std::vector<float> expected(a.size());
  f32_vprelu_rowvec__scalar(2, channels, a.data(), slope.data(), expected.data());
  Guarded<float> y(a.size());
  std::get<0>(GetParam()).fn(2, channels, a.data(), slope.data(), y.data());
  EXPECT_EQ(std::memcmp(y.data(), expected.data(), a.size() * sizeof(float)), 0);
  EXPECT_TRUE(y.GuardsIntact());
}

TEST_P(KernelVMulRowVecUkernel, ZeroRowsWritesNothing) {
  const float dummy = 1.0f;
  Guarded<float> y(0);
  std::get<0>(GetParam()).fn(0, std::get<1>(GetParam()), &dummy, &dummy, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

INSTANTIATE_TEST_SUITE_P(, KernelVMulRowVecUkernel,
                         ::testing::Combine(::testing::ValuesIn(kMulRowVec),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vrowvec_ukernel_fn>);
INSTANTIATE_TEST_SUITE_P(, KernelVAddRowVecUkernel,
                         ::testing::Combine(::testing::ValuesIn(kAddRowVec),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vrowvec_ukernel_fn>);
INSTANTIATE_TEST_SUITE_P(, KernelVPReluRowVecUkernel,
                         ::testing::Combine(::testing::ValuesIn(kPReluRowVec),
                                            ::testing::ValuesIn(kSizes)),
                         ParamName<f32_vrowvec_ukernel_fn>);

}  // namespace
}  // namespace litecnn
