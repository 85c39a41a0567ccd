// Every depthwise microkernel in f32-dwconv-minmax.inc against the reference convolution
// f32_conv_nhwc_minmax__scalar with groups = channels: channel counts around the tiles, odd and
// tiny images, every top/left padding 0..2 with smaller and larger implied bottom/right padding,
// row bands, clamping, and sentinels around the output. Test names pin the case; traces name the
// geometry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-conv/f32-conv.h"
#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

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
using kernel_test::Describe;

class KernelDw : public ::testing::TestWithParam<DwKernel> {
 protected:
  // False when the padded image is smaller than the window (no output).
  bool MakeGeometry(const Case& c, DwconvGeometry* g) const {
    const DwKernel& k = GetParam();
    if (!kernel_test::WindowOutput(c, k.kernel_h, k.kernel_w, k.stride, &g->out_h, &g->out_w)) {
      return false;
    }
    g->in_h = c.in_h;
    g->in_w = c.in_w;
    g->channels = c.channels;
    g->pad_top = c.pad_top;
    g->pad_left = c.pad_left;
    return true;
  }

  std::vector<float> Reference(const DwconvGeometry& g, const std::vector<float>& input,
                               const std::vector<float>& w, const float* bias, float min,
                               float max) const {
    const DwKernel& k = GetParam();
    ConvGeometry cg{};
    cg.batch = 1;
    cg.in_h = g.in_h;
    cg.in_w = g.in_w;
    cg.in_c = cg.out_c = cg.groups = g.channels;
    cg.out_h = g.out_h;
    cg.out_w = g.out_w;
    cg.kernel_h = k.kernel_h;
    cg.kernel_w = k.kernel_w;
    cg.stride_h = cg.stride_w = k.stride;
    cg.dilation_h = cg.dilation_w = 1;
    cg.pad_top = g.pad_top;
    cg.pad_left = g.pad_left;
    // Depthwise OHWI weights [C][kh][kw][1] are exactly the ONNX [C][1][kh][kw] order.
    std::vector<float> out(g.out_h * g.out_w * g.channels);
    f32_conv_nhwc_minmax__scalar(cg, input.data(), w.data(), bias, out.data(), min, max);
    return out;
  }

  // Runs the kernel over `bands` (row boundaries, first 0 and last out_h) and compares.
  void Check(const Case& c, std::vector<size_t> bands = {}) const {
    const DwKernel& k = GetParam();
    DwconvGeometry g{};
    if (!MakeGeometry(c, &g)) return;  // the sweeps also make windows larger than the image
    SCOPED_TRACE(Describe(c));
    const uint32_t seed = static_cast<uint32_t>(c.channels * 131 + c.in_h * 17 + c.in_w);
    const std::vector<float> input = DyadicData(c.in_h * c.in_w * c.channels, seed);
    const std::vector<float> w = DyadicData(c.channels * k.kernel_h * k.kernel_w, seed + 1);
    const std::vector<float> bias = DyadicData(c.channels, seed + 2);
    const float* b = c.has_bias ? bias.data() : nullptr;
    std::vector<float> packed(
        f32_dwconv_packed_size(k.channel_tile, k.kernel_h, k.kernel_w, c.channels));
    f32_dwconv_pack_weights(k.channel_tile, k.kernel_h, k.kernel_w, c.channels, w.data(), b,
                            packed.data());
    if (bands.empty()) bands = {0, g.out_h};
    Guarded<float> out(g.out_h * g.out_w * c.channels);
    for (size_t i = 0; i + 1 < bands.size(); ++i) {
      k.fn(g, input.data(), packed.data(), out.data(), std::min(bands[i], g.out_h),
           std::min(bands[i + 1], g.out_h), c.min, c.max);
    }
    ASSERT_TRUE(AllClose(out.data(), Reference(g, input, w, b, c.min, c.max)));
    if (c.min > c.max) {  // pinned on its own too, in case the reference went wrong with it
      ASSERT_TRUE(kernel_test::AllEqualTo(out.data(), out.size(), c.max));
    }
    ASSERT_TRUE(out.GuardsIntact());
  }

  // Every image size x top/left pad 0..2 x bottom/right pad 0..3 for one channel count.
  void SweepChannels(size_t channels) const {
    const size_t sizes[][2] = {{1, 1}, {2, 2}, {5, 7}, {7, 7}, {9, 11}, {11, 9}};
    for (const auto& hw : sizes)
      for (size_t pt = 0; pt <= 2; ++pt)
        for (size_t pl = 0; pl <= 2; ++pl)
          for (size_t pb = 0; pb <= 3; ++pb)
            for (size_t pr = 0; pr <= 3; ++pr) {
              Check({channels, hw[0], hw[1], pt, pl, pb, pr});
              if (HasFatalFailure()) return;
            }
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

TEST_P(KernelDw, row_bands_match_full_call) {
  for (const size_t c : {1, 4, 15, 17}) {
    Check({c, 9, 11, 1, 1, 1, 1}, {0, 1, 4, 100});
    Check({c, 9, 11, 2, 0, 0, 2}, {0, 2, 3, 100});
    Check({c, 11, 9, 1, 2, 2, 1}, {0, 0, 5, 5, 100});
  }
}

TEST_P(KernelDw, band_writes_only_its_rows) {
  const DwKernel& k = GetParam();
  const Case c{17, 11, 9, 1, 1, 1, 1};
  DwconvGeometry g{};
  ASSERT_TRUE(MakeGeometry(c, &g));
  ASSERT_GE(g.out_h, 3u);
  const std::vector<float> input = DyadicData(c.in_h * c.in_w * c.channels, 7);
  const std::vector<float> w = DyadicData(c.channels * k.kernel_h * k.kernel_w, 8);
  std::vector<float> packed(
      f32_dwconv_packed_size(k.channel_tile, k.kernel_h, k.kernel_w, c.channels));
  f32_dwconv_pack_weights(k.channel_tile, k.kernel_h, k.kernel_w, c.channels, w.data(), nullptr,
                          packed.data());
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

TEST_P(KernelDw, clamp_active) {
  for (const size_t c : {1, 4, 15, 17, 64}) {
    Check({c, 7, 7, 1, 1, 1, 1, -1.5f, 2.0f});
    Check({c, 5, 7, 0, 2, 2, 0, 0.0f, 6.0f});  // ReLU6
  }
}

// ONNX Clip with min > max: every output is max (padding and bias included).
TEST_P(KernelDw, min_greater_than_max_gives_max_everywhere) {
  for (const size_t c : {1, 3, 4, 15, 17, 64}) {
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
