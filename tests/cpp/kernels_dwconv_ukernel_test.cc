// Every depthwise microkernel in f32-dwconv-minmax.inc against the reference convolution
// f32_conv_nhwc_minmax__scalar with groups = channels: channel counts around the tiles, odd and
// tiny images, every top/left padding 0..2 with smaller and larger implied bottom/right padding,
// row bands, clamping, and sentinels around the input and the output. The sweeps, the reference
// and the checks are window_kernel_tester.h's; test names pin the case, traces name the geometry.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kernels/f32-dwconv/f32-dwconv.h"
#include "window_kernel_tester.h"

namespace litecnn {
namespace {

using kernel_test::kEdgeChannels;

struct DwKernel {
  const char* name;
  f32_dwconv_minmax_ukernel_fn fn;
  size_t kernel_h, kernel_w, stride, channel_tile;
};

const DwKernel kDwKernels[] = {
#define LITECNN_DWCONV_MINMAX_UKERNEL(fn, kh, kw, s, ct) {#fn, fn, kh, kw, s, ct},
#include "kernels/f32-dwconv/f32-dwconv-minmax.inc"
#undef LITECNN_DWCONV_MINMAX_UKERNEL
};

using Case = kernel_test::WindowCase;

// A listed kernel as the tester sees it: groups = input channels = output channels.
class DwUnderTest : public kernel_test::WindowConvKernel {
 public:
  explicit DwUnderTest(const DwKernel& k)
      : WindowConvKernel(k.kernel_h, k.kernel_w, k.stride), k_(k) {}
  size_t InputChannels(const Case& c) const override { return c.channels; }
  size_t Groups(const Case& c) const override { return c.channels; }
  std::vector<float> Pack(const Case& c, const float* w, const float* bias) const override {
    std::vector<float> packed(
        f32_dwconv_packed_size(k_.channel_tile, k_.kernel_h, k_.kernel_w, c.channels));
    f32_dwconv_pack_weights(k_.channel_tile, k_.kernel_h, k_.kernel_w, c.channels, w, bias,
                            packed.data());
    return packed;
  }
  void Run(const Case& c, const float* input, const float* packed, float* output, size_t row_begin,
           size_t row_end) const override {
    DwconvGeometry g{};
    kernel_test::WindowOutput(c, k_.kernel_h, k_.kernel_w, k_.stride, &g.out_h, &g.out_w);
    g.in_h = c.in_h;
    g.in_w = c.in_w;
    g.channels = c.channels;
    g.pad_top = c.pad_top;
    g.pad_left = c.pad_left;
    g.dilation = c.dilation;
    k_.fn(g, input, packed, output, row_begin, row_end, c.min, c.max);
  }

 private:
  const DwKernel& k_;
};

class KernelDw : public ::testing::TestWithParam<DwKernel> {
 protected:
  // Runs the kernel over `bands` (row boundaries, first 0 and last out_h) and compares.
  void Check(const Case& c, std::vector<size_t> bands = {}) const {
    kernel_test::CheckWindowConv(DwUnderTest(GetParam()), c, std::move(bands));
  }

  // Every image size x top/left pad 0..2 x bottom/right pad 0..3 for one channel count.
  void SweepChannels(size_t channels) const {
    kernel_test::SweepSizesAndPads(DwUnderTest(GetParam()), channels);
  }
};

TEST_P(KernelDw, c_eq_1_all_sizes_and_pads) { SweepChannels(1); }
TEST_P(KernelDw, c_eq_3_all_sizes_and_pads) { SweepChannels(3); }
TEST_P(KernelDw, c_eq_4_all_sizes_and_pads) { SweepChannels(4); }
TEST_P(KernelDw, c_eq_15_all_sizes_and_pads) { SweepChannels(15); }
TEST_P(KernelDw, c_eq_17_all_sizes_and_pads) { SweepChannels(17); }
TEST_P(KernelDw, c_eq_64_all_sizes_and_pads) { SweepChannels(64); }

// Every channel count 1..40 on one odd image: each remainder of every tile.
TEST_P(KernelDw, c_1_to_40_odd_image) {
  for (size_t c = 1; c <= 40; ++c) Check({c, 9, 11, 1, 1, 1, 1});
}

// More channels than the zero row covers (chunked channel loop) plus a remainder.
TEST_P(KernelDw, c_gt_zero_chunk) {
  Check({2048 + 8 + 3, 3, 3, 1, 1, 1, 1});
  Check({4096 + 4, 3, 2, 2, 0, 0, 2});
}

TEST_P(KernelDw, pad_bottom_right_larger_than_top_left) {
  for (const size_t c : {3, 8, 17}) Check({c, 7, 9, 0, 0, 2, 3});
}

TEST_P(KernelDw, pad_bottom_right_smaller_than_top_left) {
  for (const size_t c : {3, 8, 17}) Check({c, 7, 9, 2, 2, 0, 1});
}

TEST_P(KernelDw, mobilenet_shapes_small) {
  // Same padding rules as the nets (pad = k/2), on reduced image sizes.
  const DwKernel& k = GetParam();
  const size_t p = k.kernel_h / 2;
  const size_t extra = k.stride == 2 ? p - 1 : p;  // TF-style SAME for stride 2: bottom smaller
  Check({32, 14, 14, p, p, p, p});
  Check({96, 14, 14, p, p, extra, extra});
  Check({144, 8, 8, p, p, p, p});
  Check({960, 7, 7, p, p, p, p});
}

// Dilated windows (DeepLab's and LRASPP's backbones: 5x5 at dilation 2, 3x3 at 2 and 4): taps
// dilation pixels apart, borders wider by the dilation, every channel remainder.
TEST_P(KernelDw, dilation_2_and_3_with_pads) {
  for (const size_t d : {2, 3}) {
    for (const size_t c : {1, 3, 4, 15, 17, 64}) {
      Case same{c, 13, 11, 0, 0, 0, 0};
      same.pad_top = same.pad_left = same.pad_bottom = same.pad_right =
          (GetParam().kernel_h - 1) * d / 2;
      same.dilation = d;
      Check(same);
      Case none{c, 12, 15, 0, 0, 0, 0};
      none.dilation = d;
      Check(none);
      Case uneven{c, 9, 17, 1, 2, 3, 0};
      uneven.dilation = d;
      Check(uneven);
    }
  }
}

TEST_P(KernelDw, dilation_wider_than_image_reads_only_padding_taps) {
  Case c{5, 3, 4, 4, 4, 4, 4};
  c.dilation = 4;
  Check(c);
}

TEST_P(KernelDw, dilation_row_bands_match_full_call) {
  Case c{17, 14, 10, 2, 2, 2, 2};
  c.dilation = 2;
  Check(c, {0, 1, 5, 6, 100});
}

TEST_P(KernelDw, row_bands_match_full_call) {
  for (const size_t c : {1, 4, 15, 17}) {
    Check({c, 9, 11, 1, 1, 1, 1}, {0, 1, 4, 100});
    Check({c, 9, 11, 2, 0, 0, 2}, {0, 2, 3, 100});
    Check({c, 11, 9, 1, 2, 2, 1}, {0, 0, 5, 5, 100});
  }
}

TEST_P(KernelDw, band_writes_only_its_rows) {
  kernel_test::CheckBandWritesOnlyItsRows(DwUnderTest(GetParam()));
}

TEST_P(KernelDw, clamp_active) {
  for (const size_t c : {1, 4, 15, 17, 64}) {
    Check({c, 7, 7, 1, 1, 1, 1, -1.5f, 2.0f});
    Check({c, 5, 7, 0, 2, 2, 0, 0.0f, 6.0f});  // ReLU6
  }
}

// ONNX Clip with min > max: every output is max (padding and bias included).
TEST_P(KernelDw, min_greater_than_max_gives_max_everywhere) {
  for (const size_t c : kEdgeChannels) {
    Check({c, 7, 9, 1, 1, 1, 1, kernel_test::kInvertedMin, kernel_test::kInvertedMax});
    Check({c, 5, 6, 0, 2, 2, 0, kernel_test::kInvertedMin, kernel_test::kInvertedMax});
  }
}

TEST_P(KernelDw, no_bias) {
  for (const size_t c : {3, 17}) {
    Case cs{c, 7, 7, 1, 1, 1, 1};
    cs.has_bias = false;
    Check(cs);
  }
}

INSTANTIATE_TEST_SUITE_P(List, KernelDw, ::testing::ValuesIn(kDwKernels),
                         [](const ::testing::TestParamInfo<DwKernel>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace litecnn
