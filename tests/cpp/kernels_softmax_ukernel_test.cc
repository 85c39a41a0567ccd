// Every kernel listed in f32-softmax.inc against the scalar reference f32_softmax__scalar: rows
// (inner = 1) of sizes 1..1000, softmax over a non-innermost axis with inner a multiple of 4 or
// not, underflow, -inf, large magnitudes, NaN and +inf lanes, in place, guards after the output.
// Native builds list only the scalar kernel (compared with itself and with double precision);
// the wasm build, run under Node, is where the SIMD kernel is compared.
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
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-softmax/f32-softmax.h"
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include "kernels/f32-vunary/f32-vexp-wasmsimd.h"
#endif

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::Guarded;
using kernel_test::UniformData;

constexpr float kInf = std::numeric_limits<float>::infinity();

using Listed = kernel_test::Listed<f32_softmax_ukernel_fn>;

const Listed kSoftmax[] = {
#define LITECNN_SOFTMAX_UKERNEL(fn) Listed{#fn, fn},
#include "kernels/f32-softmax/f32-softmax.inc"
#undef LITECNN_SOFTMAX_UKERNEL
};

// Against the reference: a few ulp of exp plus the multiply by 1 / sum and the SIMD sum order
// (f32-softmax.h); where x - max < -87.34 the kernel's 0 and the reference's subnormal differ
// by under FLT_MIN.
constexpr float kRelToScalar = 1e-5f;
constexpr float kAbsToScalar = FLT_MIN;

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

std::string Shape(size_t outer, size_t n, size_t inner) {
  return "outer=" + std::to_string(outer) + " n=" + std::to_string(n) +
         " inner=" + std::to_string(inner);
}

class KernelSoftmaxUkernel : public ::testing::TestWithParam<Listed> {
 protected:
  // Runs the kernel out of place (guarded) and in place on x; both must match the reference
  // within tolerance, NaN where the reference has NaN, and in place bit for bit as out of place.
  // Returns the out-of-place result.
  std::vector<float> Check(size_t outer, size_t n, size_t inner, const std::vector<float>& x) {
    SCOPED_TRACE(Shape(outer, n, inner));
    std::vector<float> ref(x.size());
    f32_softmax__scalar(outer, n, inner, x.data(), ref.data());
    Guarded<float> y(x.size());
    GetParam().fn(outer, n, inner, x.data(), y.data());
    EXPECT_TRUE(y.GuardsIntact());
    const std::vector<float> got = y.payload();
    // NaN positions must match; the numbers are compared with NaN lanes zeroed on both sides.
    std::vector<float> got_numbers = got;
    for (size_t i = 0; i < x.size(); ++i) {
      if (std::isnan(ref[i])) {
        EXPECT_TRUE(std::isnan(got[i])) << "[" << i << "] " << got[i] << ", reference NaN";
        ref[i] = got_numbers[i] = 0.0f;
      }
    }
    EXPECT_TRUE(AllClose(got_numbers.data(), ref, kRelToScalar, kAbsToScalar));
    Guarded<float> z(x.size());
    std::copy(x.begin(), x.end(), z.data());
    GetParam().fn(outer, n, inner, z.data(), z.data());
    EXPECT_TRUE(z.GuardsIntact());
    for (size_t i = 0; i < x.size(); ++i) {
      if (!SameBits(z[i], got[i])) {
        ADD_FAILURE() << "in place differs at [" << i << "]: " << z[i] << " vs " << got[i];
        break;
      }
    }
    return got;
  }
};

// Double-precision softmax of every lane of [outer][n][inner], and each element's x - max.
struct ExactSoftmax {
  std::vector<double> y, shifted;
};
ExactSoftmax Exact(size_t outer, size_t n, size_t inner, const std::vector<float>& x) {
  ExactSoftmax e{std::vector<double>(x.size()), std::vector<double>(x.size())};
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < inner; ++i) {
      const size_t base = o * n * inner + i;
      double max = -INFINITY, sum = 0.0;
      for (size_t j = 0; j < n; ++j) max = std::max(max, double{x[base + j * inner]});
      for (size_t j = 0; j < n; ++j) {
        e.shifted[base + j * inner] = x[base + j * inner] - max;
        sum += std::exp(e.shifted[base + j * inner]);
      }
      for (size_t j = 0; j < n; ++j)
        e.y[base + j * inner] = std::exp(e.shifted[base + j * inner]) / sum;
    }
  return e;
}

// Rows: the body (8 floats), the 4-float step and 1-3 float tails, up to ImageNet's 1000 classes.
TEST_P(KernelSoftmaxUkernel, softmax_rows_match_scalar) {
  for (const size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 15u, 17u, 64u, 1000u}) {
    const std::vector<float> x = UniformData(3 * n, static_cast<uint32_t>(n), -20.0f, 20.0f);
    Check(3, n, 1, x);
  }
}

// Softmax over a non-innermost axis (e.g. channels of an NCHW map) with whole 4-lane blocks.
TEST_P(KernelSoftmaxUkernel, softmax_inner_multiple_of_4) {
  for (const size_t inner : {4u, 8u, 64u})
    for (const size_t n : {1u, 3u, 4u, 17u, 64u}) {
      const std::vector<float> x =
          UniformData(2 * n * inner, static_cast<uint32_t>(n * 131 + inner), -20.0f, 20.0f);
      Check(2, n, inner, x);
    }
}

// The last 1-3 lanes of each outer slice go through the partial-lane path; inner = 2, 3 have
// no whole block at all.
TEST_P(KernelSoftmaxUkernel, softmax_inner_not_multiple_of_4) {
  for (const size_t inner : {2u, 3u, 5u, 7u, 15u, 17u, 49u})
    for (const size_t n : {1u, 3u, 4u, 15u, 17u}) {
      const std::vector<float> x =
          UniformData(3 * n * inner, static_cast<uint32_t>(n * 131 + inner), -20.0f, 20.0f);
      Check(3, n, inner, x);
    }
}

// Elements 88 and more below their lane's max: exp is under FLT_MIN, so the output is a clean
// non-negative value under FLT_MIN (the SIMD kernel gives exactly 0, the reference a subnormal
// down to x - max = -103.9), exactly 0 from 105 below in every kernel; the max itself gets ~1.
TEST_P(KernelSoftmaxUkernel, softmax_large_negative_underflows_to_zero) {
  const float below[] = {-88.0f, -90.0f, -103.0f, -105.0f, -150.0f, -1e4f, -1e10f, -FLT_MAX};
  const size_t count = sizeof(below) / sizeof(float);
  const size_t n = count + 1;
  for (const size_t inner : {1u, 3u, 4u, 17u})
    for (const float top : {0.0f, 10.0f, -50.0f}) {
      std::vector<float> x(n * inner), offset(n * inner, 0.0f);
      for (size_t i = 0; i < inner; ++i) {
        // The max sits at a different j in each lane.
        for (size_t j = 0, k = 0; j < n; ++j) {
          if (j != i % n) offset[j * inner + i] = below[k++];
          x[j * inner + i] = top + offset[j * inner + i];
        }
      }
      const std::vector<float> y = Check(1, n, inner, x);
      for (size_t k = 0; k < y.size(); ++k) {
        if (offset[k] == 0.0f) {
          EXPECT_NEAR(y[k], 1.0f, 1e-6f) << k;
        } else {
          EXPECT_TRUE(y[k] >= 0.0f && y[k] < FLT_MIN) << k << ": " << y[k];
          if (offset[k] <= -105.0f) {
            EXPECT_TRUE(SameBits(y[k], 0.0f)) << k << ": " << y[k];
          }
        }
      }
    }
}

// -inf elements in a lane with a finite max give exactly 0 and leave the others untouched.
TEST_P(KernelSoftmaxUkernel, softmax_minus_inf_inputs_give_zero) {
  for (const size_t inner : {1u, 4u, 5u})
    for (const size_t n : {2u, 4u, 9u, 17u}) {
      std::vector<float> x = UniformData(n * inner, static_cast<uint32_t>(n + inner), -3.0f, 3.0f);
      for (size_t j = 1; j < n; j += 2)
        for (size_t i = 0; i < inner; ++i) x[j * inner + i] = -kInf;
      const std::vector<float> y = Check(1, n, inner, x);
      for (size_t k = 0; k < x.size(); ++k) {
        EXPECT_FALSE(std::isnan(y[k])) << k;
        if (std::isinf(x[k])) {
          EXPECT_TRUE(SameBits(y[k], 0.0f)) << k;
        }
      }
    }
}

// Inputs near +-1000 and +-FLT_MAX: x - max never overflows exp (it is <= 0), results finite.
TEST_P(KernelSoftmaxUkernel, softmax_large_magnitude_inputs_stay_finite) {
  const float big[] = {1000.0f, -1000.0f, 999.0f, 1e30f, -1e30f, FLT_MAX, -FLT_MAX, 3e38f, 1000.0f};
  const size_t count = sizeof(big) / sizeof(float);
  for (const size_t inner : {1u, 4u, 3u})
    for (const size_t n : {3u, 9u, 20u}) {
      std::vector<float> x(n * inner);
      for (size_t k = 0; k < x.size(); ++k) x[k] = big[(k * 7 + n) % count];
      const std::vector<float> y = Check(1, n, inner, x);
      for (size_t k = 0; k < y.size(); ++k) {
        EXPECT_TRUE(std::isfinite(y[k]) && y[k] >= 0.0f && y[k] <= 1.0f) << k << ": " << y[k];
      }
    }
}

// Lanes holding NaN or +inf, or only -inf, are NaN throughout, as in the reference; the lanes
// beside them are unaffected (Check compares NaN positions with the reference).
TEST_P(KernelSoftmaxUkernel, softmax_nan_and_inf_lanes_match_scalar) {
  const float specials[] = {std::nanf(""), kInf, -kInf};
  for (const size_t inner : {1u, 4u, 6u})
    for (const size_t n : {1u, 5u, 12u}) {
      const size_t outer = 4;
      std::vector<float> x =
          UniformData(outer * n * inner, static_cast<uint32_t>(n * inner), -5.0f, 5.0f);
      // Outer slice s < 3 gets specials[s] in its first lane at j = n / 2; slice 2 is all -inf
      // in that lane. Slice 3 stays finite.
      for (size_t s = 0; s < 3; ++s) {
        for (size_t j = 0; j < n; ++j) {
          if (s == 2 || j == n / 2) x[(s * n + j) * inner] = specials[s];
        }
      }
      const std::vector<float> y = Check(outer, n, inner, x);
      for (size_t s = 0; s < 3; ++s) {
        EXPECT_TRUE(std::isnan(y[s * n * inner])) << "slice " << s;
      }
    }
}

TEST_P(KernelSoftmaxUkernel, softmax_empty_writes_nothing) {
  const float dummy = 0;
  Guarded<float> y(0);
  GetParam().fn(3, 0, 2, &dummy, y.data());
  GetParam().fn(0, 3, 2, &dummy, y.data());
  GetParam().fn(3, 2, 0, &dummy, y.data());
  GetParam().fn(0, 3, 1, &dummy, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

// Against double precision over rows and strided lanes, inputs spread over [-100, 20] (so some
// underflow). Any float softmax rounds x - max to float first, an error of up to
// |x - max| * 2^-24 in the exponent and so in the result; beyond that the kernel may add
// kExcessRel (exp, sum and scaling) wherever the exact value is a normal float, and stays within
// FLT_MIN absolute below that. Prints the measured maximum excess for the record.
constexpr double kExcessRel = 2e-6;

TEST_P(KernelSoftmaxUkernel, softmax_within_error_bound_of_exact) {
  double max_excess = 0.0;
  for (const size_t inner : {1u, 7u})
    for (const size_t n : {10u, 100u, 1000u}) {
      const size_t outer = 20000 / (n * inner) + 1;
      const std::vector<float> x =
          UniformData(outer * n * inner, static_cast<uint32_t>(n + inner), -100.0f, 20.0f);
      std::vector<float> y(x.size());
      GetParam().fn(outer, n, inner, x.data(), y.data());
      const ExactSoftmax exact = Exact(outer, n, inner, x);
      for (size_t k = 0; k < x.size(); ++k) {
        const double e = exact.y[k];
        if (e < FLT_MIN) {
          ASSERT_LT(std::fabs(y[k] - e), FLT_MIN) << Shape(outer, n, inner) << " k=" << k;
          continue;
        }
        const double excess =
            std::fabs(y[k] - e) / e - std::fabs(exact.shifted[k]) * std::ldexp(1.0, -24);
        ASSERT_LE(excess, kExcessRel) << Shape(outer, n, inner) << " k=" << k;
        max_excess = std::max(max_excess, excess);
      }
    }
  std::printf("[          ] %s: max relative error beyond rounding x - max: %.3g\n",
              GetParam().name, max_excess);
}

INSTANTIATE_TEST_SUITE_P(, KernelSoftmaxUkernel, ::testing::ValuesIn(kSoftmax),
                         [](const ::testing::TestParamInfo<Listed>& i) {
                           return std::string(i.param.name);
                         });

#if LITECNN_HAVE_WASMSIMD
// The SIMD exp the softmax (and sigmoid) kernels share, over the range softmax feeds it
// (x - max <= 0): a dense sweep of [-87.34, 0] in steps of 2^-12 plus every negative power of
// two stays within 4 ulp of exp (measured 3.14 ulp over every float of the range); below the
// range, -inf included, exactly 0; NaN stays NaN.
TEST(VExpWasmsimd, vexp_within_4_ulp_over_softmax_range) {
  using vexp_internal::kVExpMinInput;
  std::vector<float> z;
  for (float v = 0.0f; v >= kVExpMinInput; v -= 1.0f / 4096.0f) z.push_back(v);
  for (int e = -149; e <= 6; ++e) z.push_back(-std::ldexp(1.0f, e));
  z.push_back(kVExpMinInput);
  z.push_back(-0.0f);
  while (z.size() % 4 != 0) z.push_back(0.0f);
  double max_ulp = 0.0;
  float worst = 0.0f;
  for (size_t k = 0; k < z.size(); k += 4) {
    alignas(16) float out[4];
    wasm_v128_store(out, vexp_internal::VExpNonPositive(wasm_v128_load(z.data() + k)));
    for (size_t l = 0; l < 4; ++l) {
      const double exact = std::exp(double{z[k + l]});
      int exponent = 0;
      std::frexp(exact, &exponent);
      const double ulp = std::ldexp(1.0, std::max(exponent - 24, -149));
      const double err = std::fabs(out[l] - exact) / ulp;
      ASSERT_LE(err, 4.0) << "z=" << z[k + l] << " exp=" << out[l];
      if (err > max_ulp) {
        max_ulp = err;
        worst = z[k + l];
      }
    }
  }
  std::printf("[          ] VExpNonPositive: max error %.3g ulp at z = %.9g\n", max_ulp,
              static_cast<double>(worst));
  alignas(16) const float below[4] = {-87.34f, -104.0f, -FLT_MAX, -kInf};
  alignas(16) float out[4];
  wasm_v128_store(out, vexp_internal::VExpNonPositive(wasm_v128_load(below)));
  for (size_t l = 0; l < 4; ++l) EXPECT_TRUE(SameBits(out[l], 0.0f)) << below[l];
  wasm_v128_store(out, vexp_internal::VExpNonPositive(wasm_f32x4_splat(std::nanf(""))));
  EXPECT_TRUE(std::isnan(out[0]));
}
#endif  // LITECNN_HAVE_WASMSIMD

}  // namespace
}  // namespace litecnn
