// Tests for the scalar reference reductions (mean, sum, product, max, min, log-sum-exp,
// arg-min/max) and the per-channel affine (BatchNorm) kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-affine/f32-affine.h"
#include "kernels/f32-reduce/f32-reduce.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

const size_t kSizes[] = {1, 3, 4, 15, 17, 64};

// x = [[1,2,3],[4,5,6]]: mean over axis 0 = (2.5, 3.5, 4.5); over axis 1 = (2, 5).
TEST(KernelReduce, MeanHandBothAxes) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  Guarded<float> axis0(3), axis1(2);
  f32_reduce_mean__scalar(1, 2, 3, x.data(), axis0.data());
  f32_reduce_mean__scalar(2, 3, 1, x.data(), axis1.data());
  EXPECT_EQ(axis0.payload(), (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_EQ(axis1.payload(), (std::vector<float>{2, 5}));
  EXPECT_TRUE(axis0.GuardsIntact());
  EXPECT_TRUE(axis1.GuardsIntact());
}

TEST(KernelReduce, MeanMatchesNaiveOverSizes) {
  for (const size_t n : kSizes)
    for (const size_t inner : {1u, 4u, 17u}) {
      SCOPED_TRACE("n=" + std::to_string(n) + " inner=" + std::to_string(inner));
      const size_t outer = 3;
      const std::vector<float> x = DyadicData(outer * n * inner, static_cast<uint32_t>(n));
      std::vector<float> expected(outer * inner);
      for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
          double sum = 0;
          for (size_t j = 0; j < n; ++j) sum += x[(o * n + j) * inner + i];
          expected[o * inner + i] = static_cast<float>(sum / static_cast<double>(n));
        }
      Guarded<float> y(outer * inner);
      f32_reduce_mean__scalar(outer, n, inner, x.data(), y.data());
      EXPECT_TRUE(AllClose(y.data(), expected));
      EXPECT_TRUE(y.GuardsIntact());
    }
}

struct NamedReduce {
  const char* name;
  f32_reduce_fn fn;
  // The naive fold of one lane's values, in double where it is a sum.
  std::function<double(const std::vector<double>&)> naive;
};

double NaiveSum(const std::vector<double>& v) {
  double s = 0;
  for (double e : v) s += e;
  return s;
}

const NamedReduce kReductions[] = {
    {"sum", f32_reduce_sum__scalar, NaiveSum},
    {"prod", f32_reduce_prod__scalar,
     [](const std::vector<double>& v) {
       double p = 1;
       for (double e : v) p *= e;
       return p;
     }},
    {"max", f32_reduce_max__scalar,
     [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }},
    {"min", f32_reduce_min__scalar,
     [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }},
    {"logsumexp", f32_reduce_logsumexp__scalar,
     [](const std::vector<double>& v) {
       double s = 0;
       for (double e : v) s += std::exp(e);
       return std::log(s);
     }},
};

// Each reduction against its naive fold over the middle axis, for n and inner from the kernel
// edge-case sizes; products stay in range (values near +-1).
TEST(KernelReduce, EveryReductionMatchesNaiveOverSizes) {
  for (const NamedReduce& r : kReductions)
    for (const size_t n : kSizes)
      for (const size_t inner : {1u, 4u, 17u}) {
        SCOPED_TRACE(std::string(r.name) + " n=" + std::to_string(n) +
                     " inner=" + std::to_string(inner));
        const size_t outer = 2;
        std::vector<float> x = kernel_test::UniformData(
            outer * n * inner, static_cast<uint32_t>(n + inner), 0.9f, 1.1f);
        for (size_t k = 0; k < x.size(); k += 3) x[k] = -x[k];
        std::vector<float> expected(outer * inner);
        for (size_t o = 0; o < outer; ++o)
          for (size_t i = 0; i < inner; ++i) {
            std::vector<double> lane;
            for (size_t j = 0; j < n; ++j) lane.push_back(x[(o * n + j) * inner + i]);
            expected[o * inner + i] = static_cast<float>(r.naive(lane));
          }
        Guarded<float> y(outer * inner);
        r.fn(outer, n, inner, x.data(), y.data());
        EXPECT_TRUE(AllClose(y.data(), expected, 1e-5f, 1e-6f));
        EXPECT_TRUE(y.GuardsIntact());
      }
}

// An empty axis gives each reduction's identity (sum 0, product 1, max -inf, min +inf,
// log-sum-exp -inf) and the mean NaN.
TEST(KernelReduce, EmptyAxisGivesIdentity) {
  const float inf = std::numeric_limits<float>::infinity();
  const float dummy = 0;
  const float identity[] = {0.0f, 1.0f, -inf, inf, -inf};
  for (size_t k = 0; k < std::size(kReductions); ++k) {
    Guarded<float> y(6);
    kReductions[k].fn(2, 0, 3, &dummy, y.data());
    EXPECT_TRUE(kernel_test::AllEqualTo(y.data(), 6, identity[k])) << kReductions[k].name;
    EXPECT_TRUE(y.GuardsIntact());
  }
  Guarded<float> mean(2);
  f32_reduce_mean__scalar(2, 0, 1, &dummy, mean.data());
  EXPECT_TRUE(std::isnan(mean[0]) && std::isnan(mean[1]));
}

// A NaN anywhere in a lane makes that lane NaN in every reduction, wherever it sits; the other
// lane is unaffected.
TEST(KernelReduce, NanPropagatesInEveryReduction) {
  for (const NamedReduce& r : kReductions)
    for (size_t at = 0; at < 4; ++at) {
      std::vector<float> x = {1, 5, 2, 6, 3, 7, 4, 8};  // [4][2]: lanes 1,2,3,4 and 5,6,7,8
      x[at * 2] = std::nanf("");
      float y[2];
      r.fn(1, 4, 2, x.data(), y);
      EXPECT_TRUE(std::isnan(y[0])) << r.name << " NaN at " << at;
      EXPECT_FALSE(std::isnan(y[1])) << r.name;
    }
}

// Log-sum-exp of large values does not overflow (max-shifted); an infinite max is the result.
TEST(KernelReduce, LogSumExpLargeAndInfiniteInputs) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {1000, -inf, 1000, -inf, 100, inf};  // [3][2]
  float y[2];
  f32_reduce_logsumexp__scalar(1, 3, 2, x.data(), y);
  EXPECT_NEAR(y[0], 1000.0f + std::log(2.0f), 1e-3f);
  EXPECT_EQ(y[1], inf);
  const std::vector<float> all_minus_inf = {-inf, -inf};
  f32_reduce_logsumexp__scalar(1, 2, 1, all_minus_inf.data(), y);
  EXPECT_EQ(y[0], -inf);
}

TEST(KernelReduce, EmptyOuterOrInnerWritesNothing) {
  const float dummy = 0;
  Guarded<float> y(0);
  f32_reduce_mean__scalar(0, 3, 2, &dummy, y.data());
  f32_reduce_mean__scalar(2, 3, 0, &dummy, y.data());
  for (const NamedReduce& r : kReductions) {
    r.fn(0, 3, 2, &dummy, y.data());
    r.fn(2, 3, 0, &dummy, y.data());
  }
  EXPECT_TRUE(y.AllSentinel());
}

// NCHW: one image, 2 channels of 2 pixels; scale (2, -1), shift (0.5, 10).
// The naive answer another way round: the extreme value of each column first (a NaN if any),
// then the first or last index holding it.
template <typename T>
std::vector<int64_t> NaiveArgMinMax(size_t outer, size_t n, size_t inner, const std::vector<T>& x,
                                    bool max, bool last) {
  std::vector<int64_t> y(outer * inner);
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < inner; ++i) {
      auto at = [&](size_t j) { return x[(o * n + j) * inner + i]; };
      bool nan = false;
      T extreme = at(0);
      for (size_t j = 0; j < n; ++j) {
        nan = nan || std::isnan(static_cast<double>(at(j)));
        extreme = max ? std::max(extreme, at(j)) : std::min(extreme, at(j));
      }
      auto hit = [&](size_t j) {
        return nan ? std::isnan(static_cast<double>(at(j))) : at(j) == extreme;
      };
      int64_t k = -1;
      for (size_t j = 0; j < n; ++j) {
        if (hit(j) && (last || k < 0)) k = static_cast<int64_t>(j);
      }
      y[o * inner + i] = k;
    }
  return y;
}

// Values from a few levels so that ties are common; some float columns hold NaNs.
template <typename T, typename Kernel>
void CheckArgMinMax(Kernel kernel, bool with_nans) {
  for (const size_t n : kSizes)
    for (const size_t inner : {1u, 4u, 17u})
      for (const bool max : {false, true})
        for (const bool last : {false, true}) {
          SCOPED_TRACE("n=" + std::to_string(n) + " inner=" + std::to_string(inner) +
                       " max=" + std::to_string(max) + " last=" + std::to_string(last));
          const size_t outer = 3;
          std::vector<T> x(outer * n * inner);
          uint32_t s = static_cast<uint32_t>(n * 131 + inner);
          for (T& v : x) {
            s = s * 1664525u + 1013904223u;
            v = static_cast<T>(static_cast<int>(s >> 28) - 8);
            if (with_nans && (s >> 8) % 29 == 0) v = static_cast<T>(NAN);
          }
          Guarded<int64_t> y(outer * inner);
          kernel(outer, n, inner, x.data(), max, last, y.data());
          EXPECT_EQ(y.payload(), NaiveArgMinMax(outer, n, inner, x, max, last));
          EXPECT_TRUE(y.GuardsIntact());
        }
}

TEST(KernelReduce, ArgMinMaxF32MatchesNaiveWithTiesAndNaNs) {
  CheckArgMinMax<float>(f32_argminmax__scalar, true);
}
TEST(KernelReduce, ArgMinMaxS64MatchesNaiveWithTies) {
  CheckArgMinMax<int64_t>(s64_argminmax__scalar, false);
}

TEST(KernelAffine, HandNchw) {
  const std::vector<float> x = {1, 2, 3, 4}, scale = {2, -1}, shift = {0.5f, 10};
  Guarded<float> y(4);
  f32_channel_affine__scalar(1, 2, 2, x.data(), scale.data(), shift.data(), y.data());
  EXPECT_EQ(y.payload(), (std::vector<float>{2.5f, 4.5f, 7, 6}));
  EXPECT_TRUE(y.GuardsIntact());
}

// NHWC: 2 pixels of 3 channels (inner = 1); scale (1, 2, 3), shift (0, 0, -1).
TEST(KernelAffine, HandNhwc) {
  const std::vector<float> x = {1, 1, 1, 2, 3, 4}, scale = {1, 2, 3}, shift = {0, 0, -1};
  Guarded<float> y(6);
  f32_channel_affine__scalar(2, 3, 1, x.data(), scale.data(), shift.data(), y.data());
  EXPECT_EQ(y.payload(), (std::vector<float>{1, 2, 2, 2, 6, 11}));
  EXPECT_TRUE(y.GuardsIntact());
}

// Channels from the size matrix, NCHW and NHWC views, out of place and in place.
TEST(KernelAffine, MatchesNaiveOverChannelsAndInPlace) {
  for (const size_t c : kSizes)
    for (const bool nhwc : {false, true}) {
      SCOPED_TRACE("channels=" + std::to_string(c) + (nhwc ? " nhwc" : " nchw"));
      const size_t batch = 2, pixels = 5;
      const size_t outer = nhwc ? batch * pixels : batch, inner = nhwc ? 1 : pixels;
      const std::vector<float> x = DyadicData(batch * pixels * c, static_cast<uint32_t>(c));
      const std::vector<float> scale = DyadicData(c, 100), shift = DyadicData(c, 101);
      std::vector<float> expected(x.size());
      for (size_t i = 0; i < x.size(); ++i) {
        const size_t channel = nhwc ? i % c : (i / pixels) % c;
        expected[i] = x[i] * scale[channel] + shift[channel];  // exact for dyadic data
      }
      Guarded<float> y(x.size());
      f32_channel_affine__scalar(outer, c, inner, x.data(), scale.data(), shift.data(), y.data());
      EXPECT_EQ(y.payload(), expected);
      EXPECT_TRUE(y.GuardsIntact());
      Guarded<float> z(x.size());
      std::copy(x.begin(), x.end(), z.data());
      f32_channel_affine__scalar(outer, c, inner, z.data(), scale.data(), shift.data(), z.data());
      EXPECT_EQ(z.payload(), expected);
      EXPECT_TRUE(z.GuardsIntact());
    }
}

}  // namespace
}  // namespace litecnn
