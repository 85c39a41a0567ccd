// Every few-input-channel conv microkernel in f32-conv-hwc-minmax.inc against the reference
// convolution f32_conv_nhwc_minmax__scalar: output channels around the tiles, odd and tiny
// images, top/left padding 0..2 with smaller and larger implied bottom/right padding, row bands,
// clamping, and sentinels around the output. Test names pin the case; traces name the geometry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/f32-conv/f32-conv.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

struct HwcKernel {
  const char* name;
  f32_conv_hwc_minmax_ukernel_fn fn;
  size_t kernel_h, kernel_w, stride, in_c, oc_tile;
};

const HwcKernel kHwcKernels[] = {
#define LITECNN_CONV_HWC_MINMAX_UKERNEL(fn, kh, kw, s, ic, oct) {#fn, fn, kh, kw, s, ic, oct},
#include "kernels/f32-conv-hwc/f32-conv-hwc-minmax.inc"
#undef LITECNN_CONV_HWC_MINMAX_UKERNEL
};

using Case = kernel_test::WindowCase;
using kernel_test::Describe;

class KernelConvHwc : public ::testing::TestWithParam<HwcKernel> {
 protected:
  // False when the padded image is smaller than the window (no output).
  bool MakeGeometry(const Case& c, ConvHwcGeometry* g) const {
    const HwcKernel& k = GetParam();
    if (!kernel_test::WindowOutput(c, k.kernel_h, k.kernel_w, k.stride, &g->out_h, &g->out_w)) {
      return false;
    }
    g->in_h = c.in_h;
    g->in_w = c.in_w;
    g->in_c = k.in_c;
    g->out_c = c.channels;
    g->pad_top = c.pad_top;
    g->pad_left = c.pad_left;
    return true;
  }

  // w_oihw: the ONNX layout the pack function takes; the reference wants OHWI.
  std::vector<float> Reference(const ConvHwcGeometry& g, const std::vector<float>& input,
                               const std::vector<float>& w_oihw, const float* bias, float min,
                               float max) const {
    const HwcKernel& k = GetParam();
    std::vector<float> ohwi(w_oihw.size());
    for (size_t o = 0; o < g.out_c; ++o)
      for (size_t i = 0; i < g.in_c; ++i)
        for (size_t y = 0; y < k.kernel_h; ++y)
          for (size_t x = 0; x < k.kernel_w; ++x)
            ohwi[((o * k.kernel_h + y) * k.kernel_w + x) * g.in_c + i] =
                w_oihw[((o * g.in_c + i) * k.kernel_h + y) * k.kernel_w + x];
    ConvGeometry cg{};
    cg.batch = 1;
    cg.in_h = g.in_h;
    cg.in_w = g.in_w;
    cg.in_c = g.in_c;
    cg.out_h = g.out_h;
    cg.out_w = g.out_w;
    cg.out_c = g.out_c;
    cg.groups = 1;
    cg.kernel_h = k.kernel_h;
    cg.kernel_w = k.kernel_w;
    cg.stride_h = cg.stride_w = k.stride;
    cg.dilation_h = cg.dilation_w = 1;
    cg.pad_top = g.pad_top;
    cg.pad_left = g.pad_left;
    std::vector<float> out(g.out_h * g.out_w * g.out_c);
    f32_conv_nhwc_minmax__scalar(cg, input.data(), ohwi.data(), bias, out.data(), min, max);
    return out;
  }

  void Check(const Case& c, std::vector<size_t> bands = {}) const {
    const HwcKernel& k = GetParam();
    ConvHwcGeometry g{};
    if (!MakeGeometry(c, &g)) return;  // the sweeps also make windows larger than the image
    SCOPED_TRACE(Describe(c));
    const uint32_t seed = static_cast<uint32_t>(c.channels * 131 + c.in_h * 17 + c.in_w);
    const std::vector<float> input = DyadicData(c.in_h * c.in_w * k.in_c, seed);
    // The kernel reads a guarded copy: a read outside the image would bring a NaN into a sum.
    Guarded<float> guarded_input(input.size());
    std::copy(input.begin(), input.end(), guarded_input.data());
    const std::vector<float> w =
        DyadicData(c.channels * k.in_c * k.kernel_h * k.kernel_w, seed + 1);
    const std::vector<float> bias = DyadicData(c.channels, seed + 2);
    const float* b = c.has_bias ? bias.data() : nullptr;
    std::vector<float> packed(
        f32_conv_hwc_packed_size(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, c.channels));
    f32_conv_hwc_pack_weights(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, c.channels, w.data(), b,
                              packed.data());
    if (bands.empty()) bands = {0, g.out_h};
    Guarded<float> out(g.out_h * g.out_w * c.channels);
    for (size_t i = 0; i + 1 < bands.size(); ++i) {
      k.fn(g, guarded_input.data(), packed.data(), out.data(), std::min(bands[i], g.out_h),
           std::min(bands[i + 1], g.out_h), c.min, c.max);
    }
    ASSERT_TRUE(AllClose(out.data(), Reference(g, input, w, b, c.min, c.max)));
    if (c.min > c.max) {  // pinned on its own too, in case the reference went wrong with it
      ASSERT_TRUE(kernel_test::AllEqualTo(out.data(), out.size(), c.max));
    }
    ASSERT_TRUE(out.GuardsIntact());
  }

  void SweepOutChannels(size_t out_c) const {
    const size_t sizes[][2] = {{1, 1}, {2, 2}, {5, 7}, {7, 7}, {9, 11}, {11, 9}, {6, 21}};
    for (const auto& hw : sizes)
      for (size_t pt = 0; pt <= 2; ++pt)
        for (size_t pl = 0; pl <= 2; ++pl)
          for (size_t pb = 0; pb <= 3; ++pb)
            for (size_t pr = 0; pr <= 3; ++pr) {
              Check({out_c, hw[0], hw[1], pt, pl, pb, pr});
              if (HasFatalFailure()) return;
            }
  }
};

TEST_P(KernelConvHwc, oc_eq_1_all_sizes_and_pads) { SweepOutChannels(1); }
TEST_P(KernelConvHwc, oc_eq_3_all_sizes_and_pads) { SweepOutChannels(3); }
TEST_P(KernelConvHwc, oc_eq_4_all_sizes_and_pads) { SweepOutChannels(4); }
TEST_P(KernelConvHwc, oc_eq_8_all_sizes_and_pads) { SweepOutChannels(8); }
TEST_P(KernelConvHwc, oc_eq_15_all_sizes_and_pads) { SweepOutChannels(15); }
TEST_P(KernelConvHwc, oc_eq_16_all_sizes_and_pads) { SweepOutChannels(16); }
TEST_P(KernelConvHwc, oc_eq_17_all_sizes_and_pads) { SweepOutChannels(17); }
TEST_P(KernelConvHwc, oc_eq_24_all_sizes_and_pads) { SweepOutChannels(24); }
TEST_P(KernelConvHwc, oc_eq_32_all_sizes_and_pads) { SweepOutChannels(32); }
TEST_P(KernelConvHwc, oc_eq_64_all_sizes_and_pads) { SweepOutChannels(64); }

TEST_P(KernelConvHwc, oc_1_to_40_odd_image) {
  for (size_t oc = 1; oc <= 40; ++oc) Check({oc, 9, 11, 1, 1, 1, 1});
}

// MobileNet first conv on a reduced image: torch pads 1 all round, TF SAME pads 0 top/left and
// 1 bottom/right for even inputs.
TEST_P(KernelConvHwc, mobilenet_first_conv_small) {
  for (const size_t oc : {16, 32}) {
    Check({oc, 32, 32, 1, 1, 1, 1, 0.0f, 6.0f});
    Check({oc, 32, 32, 0, 0, 1, 1, 0.0f, 6.0f});
    Check({oc, 31, 33, 1, 0, 0, 1});
  }
}

TEST_P(KernelConvHwc, pad_bottom_right_larger_than_top_left) {
  for (const size_t oc : {3, 16, 17}) Check({oc, 7, 9, 0, 0, 2, 3});
}

TEST_P(KernelConvHwc, pad_bottom_right_smaller_than_top_left) {
  for (const size_t oc : {3, 16, 17}) Check({oc, 7, 9, 2, 2, 0, 1});
}

TEST_P(KernelConvHwc, row_bands_match_full_call) {
  for (const size_t oc : {1, 16, 17, 32}) {
    Check({oc, 9, 11, 1, 1, 1, 1}, {0, 1, 3, 100});
    Check({oc, 11, 9, 0, 2, 2, 0}, {0, 0, 2, 2, 100});
  }
}

TEST_P(KernelConvHwc, band_writes_only_its_rows) {
  const HwcKernel& k = GetParam();
  const Case c{17, 11, 9, 1, 1, 1, 1};
  ConvHwcGeometry g{};
  ASSERT_TRUE(MakeGeometry(c, &g));
  ASSERT_GE(g.out_h, 3u);
  const std::vector<float> input = DyadicData(c.in_h * c.in_w * k.in_c, 7);
  const std::vector<float> w = DyadicData(c.channels * k.in_c * k.kernel_h * k.kernel_w, 8);
  std::vector<float> packed(
      f32_conv_hwc_packed_size(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, c.channels));
  f32_conv_hwc_pack_weights(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, c.channels, w.data(),
                            nullptr, packed.data());
  Guarded<float> out(g.out_h * g.out_w * c.channels);
  k.fn(g, input.data(), packed.data(), out.data(), 1, 2, c.min, c.max);
  const size_t row = g.out_w * c.channels;
  for (size_t i = 0; i < out.size(); ++i) {
    const bool in_band = i >= row && i < 2 * row;
    ASSERT_EQ(kernel_test::IsSentinel(out[i]), !in_band) << "element " << i;
  }
  ASSERT_TRUE(out.GuardsIntact());
  k.fn(g, input.data(), packed.data(), out.data(), 2, 2, c.min, c.max);  // empty band
  ASSERT_TRUE(out.GuardsIntact());
}

TEST_P(KernelConvHwc, clamp_active) {
  for (const size_t oc : {1, 4, 15, 17, 32}) {
    Check({oc, 7, 7, 1, 1, 1, 1, -1.5f, 2.0f});
    Check({oc, 5, 7, 0, 2, 2, 0, 0.0f, 6.0f});
  }
}

// ONNX Clip with min > max: every output is max (padding and bias included).
TEST_P(KernelConvHwc, min_greater_than_max_gives_max_everywhere) {
  for (const size_t oc : {1, 3, 4, 15, 17, 64}) {
    Check({oc, 7, 9, 1, 1, 1, 1, kernel_test::kInvertedMin, kernel_test::kInvertedMax});
    Check({oc, 5, 6, 0, 2, 2, 0, kernel_test::kInvertedMin, kernel_test::kInvertedMax});
  }
}

TEST_P(KernelConvHwc, no_bias) {
  for (const size_t oc : {3, 17}) {
    Case cs{oc, 7, 7, 1, 1, 1, 1};
    cs.has_bias = false;
    Check(cs);
  }
}

INSTANTIATE_TEST_SUITE_P(List, KernelConvHwc, ::testing::ValuesIn(kHwcKernels),
                         [](const ::testing::TestParamInfo<HwcKernel>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace litecnn
