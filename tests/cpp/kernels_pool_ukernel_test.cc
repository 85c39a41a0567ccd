// Every kernel listed in f32-pool.inc against a naive per-plane formulation and against the
// scalar reference: channels 1..1000 (8- and 4-channel blocks and 1-3 channel tails), the
// geometries of the target nets (SqueezeNet 3x3 s2 ceil, ShuffleNet / ResNet 3x3 s2 pad 1,
// MobileNet 7x7 global pool) plus padding, dilation, asymmetric padding, ceil overhang and
// windows entirely in padding, odd sizes and batch 2; guards after every output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::Listed;
using kernel_test::UniformData;

constexpr float kInf = std::numeric_limits<float>::infinity();
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

// A pooling case: geometry plus the trailing padding the average kernels need.
struct Pool {
  PoolGeometry g;
  size_t pad_bottom, pad_right;
};

// Output size as ONNX / PyTorch compute it; in ceil mode the last window must start inside the
// input or the leading padding.
size_t OutSize(size_t in, size_t pb, size_t pa, size_t k, size_t s, size_t d, bool ceil_mode) {
  const size_t span = in + pb + pa - (d * (k - 1) + 1);
  size_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + pb) --out;
  return out;
}

Pool MakePool(size_t batch, size_t channels, size_t in_h, size_t in_w, size_t k, size_t stride,
              size_t dilation, size_t pt, size_t pl, size_t pb, size_t pr, bool ceil_mode) {
  Pool p{};
  p.g.batch = batch;
  p.g.channels = channels;
  p.g.in_h = in_h;
  p.g.in_w = in_w;
  p.g.kernel_h = p.g.kernel_w = k;
  p.g.stride_h = p.g.stride_w = stride;
  p.g.dilation_h = p.g.dilation_w = dilation;
  p.g.pad_top = pt;
  p.g.pad_left = pl;
  p.g.out_h = OutSize(in_h, pt, pb, k, stride, dilation, ceil_mode);
  p.g.out_w = OutSize(in_w, pl, pr, k, stride, dilation, ceil_mode);
  p.pad_bottom = pb;
  p.pad_right = pr;
  return p;
}

size_t InCount(const PoolGeometry& g) { return g.batch * g.in_h * g.in_w * g.channels; }
size_t OutCount(const PoolGeometry& g) { return g.batch * g.out_h * g.out_w * g.channels; }

enum class Kind { kMax, kAvgIncludePad, kAvgExcludePad };

// Naive: every output element on its own, every window tap tested against the input and the
// padded extent, sums in double.
std::vector<float> Naive(const Pool& p, const std::vector<float>& in, Kind kind) {
  const PoolGeometry& g = p.g;
  const size_t hp = g.pad_top + g.in_h + p.pad_bottom, wp = g.pad_left + g.in_w + p.pad_right;
  std::vector<float> out(OutCount(g));
  for (size_t b = 0; b < g.batch; ++b)
    for (size_t oh = 0; oh < g.out_h; ++oh)
      for (size_t ow = 0; ow < g.out_w; ++ow)
        for (size_t c = 0; c < g.channels; ++c) {
          double max = -kInf, sum = 0;
          size_t in_plane = 0, in_input = 0;
          for (size_t kh = 0; kh < g.kernel_h; ++kh)
            for (size_t kw = 0; kw < g.kernel_w; ++kw) {
              const size_t y = oh * g.stride_h + kh * g.dilation_h;
              const size_t x = ow * g.stride_w + kw * g.dilation_w;
              if (y >= hp || x >= wp) continue;
              ++in_plane;
              if (y < g.pad_top || y >= g.pad_top + g.in_h) continue;
              if (x < g.pad_left || x >= g.pad_left + g.in_w) continue;
              ++in_input;
              const double v =
                  in[((b * g.in_h + y - g.pad_top) * g.in_w + x - g.pad_left) * g.channels + c];
              sum += v;
              max = std::max(max, v);
            }
          const size_t count = kind == Kind::kAvgIncludePad ? in_plane : in_input;
          float v = static_cast<float>(max);
          if (kind != Kind::kMax) v = count ? static_cast<float>(sum / double(count)) : 0.0f;
          out[((b * g.out_h + oh) * g.out_w + ow) * g.channels + c] = v;
        }
  return out;
}

// ---- max pooling ----------------------------------------------------------------------------

using MaxParam = std::tuple<Listed<f32_maxpool_nhwc_ukernel_fn>, size_t>;
class KernelMaxPoolUkernel : public ::testing::TestWithParam<MaxParam> {
 protected:
  // Max is exact: equal to the naive formula and bit-identical to the scalar reference.
  void Check(const Pool& p) {
    const std::vector<float> in = UniformData(InCount(p.g), 7, -3.0f, 3.0f);
    Guarded<float> out(OutCount(p.g));
    std::get<0>(GetParam()).fn(p.g, in.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    EXPECT_TRUE(AllClose(out.data(), Naive(p, in, Kind::kMax), 0.0f, 0.0f));
    std::vector<float> ref(OutCount(p.g));
    f32_maxpool_nhwc__scalar(p.g, in.data(), ref.data());
    EXPECT_EQ(0, std::memcmp(out.data(), ref.data(), ref.size() * sizeof(float)));
  }
  size_t C() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelMaxPoolUkernel, K3S2CeilNoPadOdd13x13) {
  Check(MakePool(1, C(), 13, 13, 3, 2, 1, 0, 0, 0, 0, true));
}
TEST_P(KernelMaxPoolUkernel, K3S2Pad1Batch2) {
  Check(MakePool(2, C(), 9, 10, 3, 2, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K2S2Valid) {
  Check(MakePool(1, C(), 6, 7, 2, 2, 1, 0, 0, 0, 0, false));
}
TEST_P(KernelMaxPoolUkernel, K3S1Same) {
  Check(MakePool(1, C(), 5, 4, 3, 1, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K3Dilation2Stride2Padded) {
  Check(MakePool(1, C(), 9, 8, 3, 2, 2, 2, 1, 2, 1, false));
}
TEST_P(KernelMaxPoolUkernel, K5AsymmetricPadCeil) {
  Check(MakePool(1, C(), 7, 6, 5, 2, 1, 2, 0, 0, 2, true));
}
// 1x1 input with a 1x1 window and one leading pad: three windows lie entirely in padding.
TEST_P(KernelMaxPoolUkernel, WindowEntirelyInPaddingIsNegInf) {
  const Pool p = MakePool(1, C(), 1, 1, 1, 1, 1, 1, 1, 0, 0, false);
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
  void Check(const Pool& p) {
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
  const Pool p = MakePool(1, 96, 111, 111, 3, 2, 1, 0, 0, 0, 0, true);
  ASSERT_EQ(p.g.out_h, 55u);
  Check(p);
}
TEST_P(KernelMaxPoolNetLayer, ShuffleNet112x112x24K3S2Pad1) {
  const Pool p = MakePool(1, 24, 112, 112, 3, 2, 1, 1, 1, 1, 1, false);
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
  void Check(const Pool& p) {
    const std::vector<float> in = DyadicData(InCount(p.g), 5);
    for (const bool include : {true, false}) {
      SCOPED_TRACE(include ? "count_include_pad" : "exclude pad");
      Guarded<float> out(OutCount(p.g));
      std::get<0>(GetParam()).fn(p.g, p.pad_bottom, p.pad_right, include, in.data(), out.data());
      EXPECT_TRUE(out.GuardsIntact());
      EXPECT_TRUE(AllClose(out.data(),
                           Naive(p, in, include ? Kind::kAvgIncludePad : Kind::kAvgExcludePad)));
    }
  }
  size_t C() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelAvgPoolUkernel, K3S2Pad1CeilOverhang) {
  Check(MakePool(1, C(), 8, 8, 3, 2, 1, 1, 1, 1, 1, true));
}
TEST_P(KernelAvgPoolUkernel, K3S2Pad1Batch2Odd) {
  Check(MakePool(2, C(), 9, 7, 3, 2, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelAvgPoolUkernel, K2S2CeilNoPad) {
  Check(MakePool(1, C(), 5, 5, 2, 2, 1, 0, 0, 0, 0, true));
}
TEST_P(KernelAvgPoolUkernel, K3S1Same) {
  Check(MakePool(1, C(), 4, 5, 3, 1, 1, 1, 1, 1, 1, false));
}
TEST_P(KernelAvgPoolUkernel, K3Dilation2AsymmetricPad) {
  Check(MakePool(1, C(), 9, 8, 3, 1, 2, 2, 0, 0, 2, false));
}
// 1x1 input, 1x1 window, one leading pad: windows entirely in padding average to 0 under both
// divisor rules.
TEST_P(KernelAvgPoolUkernel, WindowEntirelyInPaddingIsZero) {
  Check(MakePool(1, C(), 1, 1, 1, 1, 1, 1, 1, 0, 0, false));
}
// A 7x7 window over a 7x7 input: the global pool as an average pool (MobileNet's last pool).
TEST_P(KernelAvgPoolUkernel, K7FullWindow) {
  Check(MakePool(1, C(), 7, 7, 7, 1, 1, 0, 0, 0, 0, false));
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

INSTANTIATE_TEST_SUITE_P(, KernelGlobalAvgPoolUkernel,
                         ::testing::Combine(::testing::ValuesIn(kGlobal),
                                            ::testing::ValuesIn(kChannels)),
                         ParamName<f32_gavgpool_nhwc_ukernel_fn>);

}  // namespace
}  // namespace litecnn
