// Every kernel listed in f32-pool.inc against a naive per-plane formulation and against the
// scalar reference: channels 1..1000 (8- and 4-channel blocks and 1-3 channel tails), the
// geometries of the target nets (SqueezeNet 3x3 s2 ceil, ShuffleNet / ResNet 3x3 s2 pad 1,
// MobileNet 7x7 global pool) plus padding, dilation, asymmetric padding, ceil overhang and
// windows entirely in padding, odd sizes and batch 2; guards around every input and output. The
// naive formulation and the checks are window_kernel_tester.h's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/f32-pool/f32-pool.h"
#include "window_kernel_tester.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::InCount;
using kernel_test::kInf;
using kernel_test::Listed;
using kernel_test::MakePool;
using kernel_test::OutCount;
using kernel_test::PoolCase;
using kernel_test::UniformData;

const size_t kChannels[] = {1, 3, 4, 15, 17, 64, 1000};

#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn) Listed<f32_maxpool_nhwc_ukernel_fn>{#fn, fn},
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn)
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn)
const Listed<f32_maxpool_nhwc_ukernel_fn> kMax[] = {
#include "kernels/f32-pool/f32-pool.inc"
};
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn)

#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn) Listed<f32_avgpool_nhwc_ukernel_fn>{#fn, fn},
const Listed<f32_avgpool_nhwc_ukernel_fn> kAvg[] = {
#include "kernels/f32-pool/f32-pool.inc"
};
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn)

#undef LITECNN_GAVGPOOL_NHWC_UKERNEL
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn) Listed<f32_gavgpool_nhwc_ukernel_fn>{#fn, fn},
const Listed<f32_gavgpool_nhwc_ukernel_fn> kGlobal[] = {
#include "kernels/f32-pool/f32-pool.inc"
};

#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL

template <typename Fn>
std::string ParamName(const ::testing::TestParamInfo<std::tuple<Listed<Fn>, size_t>>& info) {
  return std::string(std::get<0>(info.param).name) + "_c" + std::to_string(std::get<1>(info.param));
}

// ---- max pooling ----------------------------------------------------------------------------

using MaxParam = std::tuple<Listed<f32_maxpool_nhwc_ukernel_fn>, size_t>;
class KernelMaxPoolUkernel : public ::testing::TestWithParam<MaxParam> {
 protected:
  // Max is exact: equal to the naive formula and bit-identical to the scalar reference.
  void Check(const PoolCase& p) {
    const std::vector<float> in = UniformData(InCount(p.g), 7, -3.0f, 3.0f);
    const std::vector<float> out =
        kernel_test::ExpectMaxPoolMatchesNaive(std::get<0>(GetParam()).fn, p, in);
    std::vector<float> ref(OutCount(p.g));
    f32_maxpool_nhwc__scalar(p.g, in.data(), ref.data());
    EXPECT_EQ(0, std::memcmp(out.data(), ref.data(), ref.size() * sizeof(float)));
  }
  size_t C() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelMaxPoolUkernel, K3S2CeilNoPadOdd13x13) {
  Check(MakePool(1, C(), 13, 13, 3, 3, 2, 1, 0, 0, 0, 0, true));
}
TEST_P(KernelMaxPoolUkernel, K3S2Pad1Batch2) {
  Check(MakePool(2, C(), 9, 10, 3, 3, 2, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K2S2Valid) {
  Check(MakePool(1, C(), 6, 7, 2, 2, 2, 1, 0, 0, 0, 0, false));
}
TEST_P(KernelMaxPoolUkernel, K3S1Same) {
  Check(MakePool(1, C(), 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K3Dilation2Stride2Padded) {
  Check(MakePool(1, C(), 9, 8, 3, 3, 2, 2, 2, 1, 2, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K5AsymmetricPadCeil) {
  Check(MakePool(1, C(), 7, 6, 5, 5, 2, 1, 2, 0, 0, 2, true));
}
// 1x1 input with a 1x1 window and one leading pad: three windows lie entirely in padding.
TEST_P(KernelMaxPoolUkernel, WindowEntirelyInPaddingIsNegInf) {
  const PoolCase p = MakePool(1, C(), 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, false);
  Check(p);
  const std::vector<float> in(C(), -3.0f);
  Guarded<float> out(OutCount(p.g));
  std::get<0>(GetParam()).fn(p.g, in.data(), out.data());
  for (size_t c = 0; c < C(); ++c) {
    EXPECT_EQ(out[c], -kInf);
    EXPECT_EQ(out[3 * C() + c], -3.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(, KernelMaxPoolUkernel,
                         ::testing::Combine(::testing::ValuesIn(kMax),
                                            ::testing::ValuesIn(kChannels)),
                         ParamName<f32_maxpool_nhwc_ukernel_fn>);

// Full-size layers of the target nets, one channel count each, against the scalar reference.
class KernelMaxPoolNetLayer : public ::testing::TestWithParam<Listed<f32_maxpool_nhwc_ukernel_fn>> {
 protected:
  void Check(const PoolCase& p) {
    const std::vector<float> in = UniformData(InCount(p.g), 11, -3.0f, 3.0f);
    Guarded<float> out(OutCount(p.g));
    GetParam().fn(p.g, in.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    std::vector<float> ref(OutCount(p.g));
    f32_maxpool_nhwc__scalar(p.g, in.data(), ref.data());
    EXPECT_EQ(0, std::memcmp(out.data(), ref.data(), ref.size() * sizeof(float)));
  }
};

TEST_P(KernelMaxPoolNetLayer, SqueezeNet111x111x96K3S2Ceil) {
  const PoolCase p = MakePool(1, 96, 111, 111, 3, 3, 2, 1, 0, 0, 0, 0, true);
  ASSERT_EQ(p.g.out_h, 55u);
  Check(p);
}
TEST_P(KernelMaxPoolNetLayer, ShuffleNet112x112x24K3S2Pad1) {
  const PoolCase p = MakePool(1, 24, 112, 112, 3, 3, 2, 1, 1, 1, 1, 1, false);
  ASSERT_EQ(p.g.out_h, 56u);
  Check(p);
}

INSTANTIATE_TEST_SUITE_P(
    , KernelMaxPoolNetLayer, ::testing::ValuesIn(kMax),
    [](const ::testing::TestParamInfo<Listed<f32_maxpool_nhwc_ukernel_fn>>& i) {
      return std::string(i.param.name);
    });

// ---- average pooling ------------------------------------------------------------------------

using AvgParam = std::tuple<Listed<f32_avgpool_nhwc_ukernel_fn>, size_t>;
class KernelAvgPoolUkernel : public ::testing::TestWithParam<AvgParam> {
 protected:
  void Check(const PoolCase& p) {
    kernel_test::ExpectAvgPoolMatchesNaive(std::get<0>(GetParam()).fn, p,
                                           DyadicData(InCount(p.g), 5));
  }
  size_t C() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelAvgPoolUkernel, K3S2Pad1CeilOverhang) {
  Check(MakePool(1, C(), 8, 8, 3, 3, 2, 1, 1, 1, 1, 1, true));
}
TEST_P(KernelAvgPoolUkernel, K3S2Pad1Batch2Odd) {
  Check(MakePool(2, C(), 9, 7, 3, 3, 2, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelAvgPoolUkernel, K2S2CeilNoPad) {
  Check(MakePool(1, C(), 5, 5, 2, 2, 2, 1, 0, 0, 0, 0, true));
}
TEST_P(KernelAvgPoolUkernel, K3S1Same) {
  Check(MakePool(1, C(), 4, 5, 3, 3, 1, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelAvgPoolUkernel, K3Dilation2AsymmetricPad) {
  Check(MakePool(1, C(), 9, 8, 3, 3, 1, 2, 2, 0, 0, 2, false));
}
// 1x1 input, 1x1 window, one leading pad: windows entirely in padding average to 0 under both
// divisor rules.
TEST_P(KernelAvgPoolUkernel, WindowEntirelyInPaddingIsZero) {
  Check(MakePool(1, C(), 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, false));
}
// A 7x7 window over a 7x7 input: the global pool as an average pool (MobileNet's last pool).
TEST_P(KernelAvgPoolUkernel, K7FullWindow) {
  Check(MakePool(1, C(), 7, 7, 7, 7, 1, 1, 0, 0, 0, 0, false));
}

INSTANTIATE_TEST_SUITE_P(, KernelAvgPoolUkernel,
                         ::testing::Combine(::testing::ValuesIn(kAvg),
                                            ::testing::ValuesIn(kChannels)),
                         ParamName<f32_avgpool_nhwc_ukernel_fn>);

// ---- global average pooling -----------------------------------------------------------------

using GlobalParam = std::tuple<Listed<f32_gavgpool_nhwc_ukernel_fn>, size_t>;
class KernelGlobalAvgPoolUkernel : public ::testing::TestWithParam<GlobalParam> {
 protected:
  void Check(size_t batch, size_t hw) {
    const size_t c = std::get<1>(GetParam());
    const std::vector<float> in = DyadicData(batch * hw * c, static_cast<uint32_t>(hw + c));
    std::vector<float> expected(batch * c);
    for (size_t b = 0; b < batch; ++b)
      for (size_t ch = 0; ch < c; ++ch) {
        double sum = 0;
        for (size_t q = 0; q < hw; ++q) sum += in[(b * hw + q) * c + ch];
        expected[b * c + ch] = static_cast<float>(sum / static_cast<double>(hw));
      }
    Guarded<float> out(batch * c);
    std::get<0>(GetParam()).fn(batch, hw, c, in.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    EXPECT_TRUE(AllClose(out.data(), expected));
  }
};

TEST_P(KernelGlobalAvgPoolUkernel, Hw1) { Check(1, 1); }
TEST_P(KernelGlobalAvgPoolUkernel, Hw49MobileNet7x7) { Check(1, 49); }
TEST_P(KernelGlobalAvgPoolUkernel, Hw169SqueezeNet13x13Batch2) { Check(2, 169); }
TEST_P(KernelGlobalAvgPoolUkernel, Hw15Batch3) { Check(3, 15); }
// Partial last block, and a single position past a block.
TEST_P(KernelGlobalAvgPoolUkernel, Hw1025PastBlocks) { Check(1, 1025); }

// 64x64 positions of values in [0.5, 1.5) that do not sum exactly: averaged over the channels,
// the mean is within 2.5 ulp of the exact one (one accumulator over the 4096 positions is 7-13 ulp
// off in most channels).
TEST_P(KernelGlobalAvgPoolUkernel, LongSumStaysAccurate) {
  const size_t c = std::get<1>(GetParam()), hw = 4096;
  std::vector<float> in(hw * c);
  uint32_t state = 12345;
  for (float& v : in) {
    state = state * 1664525u + 1013904223u;
    v = 0.5f + static_cast<float>(state >> 8) / 16777216.0f;
  }
  std::vector<float> out(c);
  std::get<0>(GetParam()).fn(1, hw, c, in.data(), out.data());
  double ulps_sum = 0;
  for (size_t ch = 0; ch < c; ++ch) {
    double sum = 0;
    for (size_t q = 0; q < hw; ++q) sum += in[q * c + ch];
    const double mean = sum / hw, ulps = std::fabs(out[ch] - mean) / (mean * 1.2e-7);
    ulps_sum += ulps;
  }
  EXPECT_LE(ulps_sum / c, 2.5);
}

INSTANTIATE_TEST_SUITE_P(, KernelGlobalAvgPoolUkernel,
                         ::testing::Combine(::testing::ValuesIn(kGlobal),
                                            ::testing::ValuesIn(kChannels)),
                         ParamName<f32_gavgpool_nhwc_ukernel_fn>);

}  // namespace
}  // namespace litecnn
