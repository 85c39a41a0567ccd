// Every few-input-channel conv microkernel in f32-conv-hwc-minmax.inc against the reference
// convolution f32_conv_nhwc_minmax__scalar: output channels around the tiles, odd and tiny
// images, top/left padding 0..2 with smaller and larger implied bottom/right padding, row bands,
// clamping, and sentinels around the input and the output. The sweeps, the reference and the
// checks are window_kernel_tester.h's; test names pin the case, traces name the geometry.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "window_kernel_tester.h"

namespace litecnn {
namespace {

using kernel_test::kEdgeChannels;

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

// A listed kernel as the tester sees it: its fixed input channels, one group, c.channels outputs.
class HwcUnderTest : public kernel_test::WindowConvKernel {
 public:
  explicit HwcUnderTest(const HwcKernel& k)
      : WindowConvKernel(k.kernel_h, k.kernel_w, k.stride), k_(k) {}
  size_t InputChannels(const Case&) const override { return k_.in_c; }
  size_t Groups(const Case&) const override { return 1; }
  std::vector<float> Pack(const Case& c, const float* w_oihw, const float* bias) const override {
    std::vector<float> packed(
        f32_conv_hwc_packed_size(k_.oc_tile, k_.kernel_h, k_.kernel_w, k_.in_c, c.channels));
    f32_conv_hwc_pack_weights(k_.oc_tile, k_.kernel_h, k_.kernel_w, k_.in_c, c.channels, w_oihw,
                              bias, packed.data());
    return packed;
  }
  void Run(const Case& c, const float* input, const float* packed, float* output, size_t row_begin,
           size_t row_end) const override {
    ConvHwcGeometry g{};
    kernel_test::WindowOutput(c, k_.kernel_h, k_.kernel_w, k_.stride, &g.out_h, &g.out_w);
    g.in_h = c.in_h;
    g.in_w = c.in_w;
    g.in_c = k_.in_c;
    g.out_c = c.channels;
    g.pad_top = c.pad_top;
    g.pad_left = c.pad_left;
    k_.fn(g, input, packed, output, row_begin, row_end, c.min, c.max);
  }

 private:
  const HwcKernel& k_;
};

class KernelConvHwc : public ::testing::TestWithParam<HwcKernel> {
 protected:
  void Check(const Case& c, std::vector<size_t> bands = {}) const {
    kernel_test::CheckWindowConv(HwcUnderTest(GetParam()), c, std::move(bands));
  }

  // The shared image sizes and a wide one, 6x21.
  void SweepOutChannels(size_t out_c) const {
    kernel_test::ImageSizes sizes = kernel_test::kSweepImageSizes;
    sizes.push_back({6, 21});
    kernel_test::SweepSizesAndPads(HwcUnderTest(GetParam()), out_c, sizes);
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
  kernel_test::CheckBandWritesOnlyItsRows(HwcUnderTest(GetParam()));
}

TEST_P(KernelConvHwc, clamp_active) {
  for (const size_t oc : {1, 4, 15, 17, 32}) {
    Check({oc, 7, 7, 1, 1, 1, 1, -1.5f, 2.0f});
    Check({oc, 5, 7, 0, 2, 2, 0, 0.0f, 6.0f});
  }
}

// ONNX Clip with min > max: every output is max (padding and bias included).
TEST_P(KernelConvHwc, min_greater_than_max_gives_max_everywhere) {
  for (const size_t oc : kEdgeChannels) {
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
