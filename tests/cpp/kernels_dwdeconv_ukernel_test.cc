// Every depthwise transposed-conv microkernel in f32-dwdeconv-minmax.inc against a naive
// scatter (each input pixel adds its window into the output, the definition of the op): the
// edge-case channel counts, strides 1 and 2 (and 3), odd and tiny images, leading pads, outputs
// past the full result (output_padding), dilation, windows with more taps than a chunk, row
// bands, clamping, and guard sentinels around the input and the output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "kernels/f32-dwconv/f32-dwconv.h"
#include "kernels/f32-dwdeconv/f32-dwdeconv.h"
#include "kernels/minmax.h"
#include "window_kernel_tester.h"

namespace litecnn {
namespace {

using kernel_test::kEdgeChannels;

struct DwdeconvUkernel {
  const char* name;
  f32_dwdeconv_minmax_ukernel_fn fn;
  size_t channel_tile;
};

const DwdeconvUkernel kKernels[] = {
#define LITECNN_DWDECONV_MINMAX_UKERNEL(fn, ct) {#fn, fn, ct},
#include "kernels/f32-dwdeconv/f32-dwdeconv-minmax.inc"
#undef LITECNN_DWDECONV_MINMAX_UKERNEL
};

struct Case {
  Case(size_t c, size_t h, size_t w, size_t k, size_t s)
      : channels(c), in_h(h), in_w(w), kernel(k), stride(s) {}
  size_t channels, in_h, in_w, kernel, stride;
  size_t pad_top = 0, pad_left = 0;
  size_t extra_h = 0, extra_w = 0;  // outputs past the full result (ONNX output_padding)
  size_t dilation = 1;
  float min = -1e30f, max = 1e30f;
  bool has_bias = true;
};

std::string Describe(const Case& c) {
  return "c=" + std::to_string(c.channels) + " in=" + std::to_string(c.in_h) + "x" +
         std::to_string(c.in_w) + " k=" + std::to_string(c.kernel) +
         " s=" + std::to_string(c.stride) + " pad=" + std::to_string(c.pad_top) + "," +
         std::to_string(c.pad_left) + " extra=" + std::to_string(c.extra_h) + "," +
         std::to_string(c.extra_w) + " d=" + std::to_string(c.dilation);
}

DwdeconvGeometry GeometryOf(const Case& c) {
  const size_t span = (c.kernel - 1) * c.dilation + 1;
  DwdeconvGeometry g{};
  g.in_h = c.in_h;
  g.in_w = c.in_w;
  g.channels = c.channels;
  g.out_h = (c.in_h - 1) * c.stride + span + c.extra_h - c.pad_top;
  g.out_w = (c.in_w - 1) * c.stride + span + c.extra_w - c.pad_left;
  g.kernel_h = g.kernel_w = c.kernel;
  g.stride_h = g.stride_w = c.stride;
  g.dilation_h = g.dilation_w = c.dilation;
  g.pad_top = c.pad_top;
  g.pad_left = c.pad_left;
  return g;
}

// The definition: bias everywhere, then every input pixel's window added where it lands.
std::vector<float> Reference(const DwdeconvGeometry& g, const std::vector<float>& x,
                             const std::vector<float>& w, const float* bias, float min, float max) {
  const size_t c = g.channels;
  std::vector<double> acc(g.out_h * g.out_w * c);
  for (size_t p = 0; p < g.out_h * g.out_w; ++p)
    for (size_t ch = 0; ch < c; ++ch) acc[p * c + ch] = bias ? bias[ch] : 0.0;
  for (size_t iy = 0; iy < g.in_h; ++iy)
    for (size_t ix = 0; ix < g.in_w; ++ix)
      for (size_t ky = 0; ky < g.kernel_h; ++ky)
        for (size_t kx = 0; kx < g.kernel_w; ++kx) {
          const ptrdiff_t oy = static_cast<ptrdiff_t>(iy * g.stride_h + ky * g.dilation_h) -
                               static_cast<ptrdiff_t>(g.pad_top);
          const ptrdiff_t ox = static_cast<ptrdiff_t>(ix * g.stride_w + kx * g.dilation_w) -
                               static_cast<ptrdiff_t>(g.pad_left);
          if (oy < 0 || ox < 0 || oy >= static_cast<ptrdiff_t>(g.out_h) ||
              ox >= static_cast<ptrdiff_t>(g.out_w)) {
            continue;
          }
          for (size_t ch = 0; ch < c; ++ch) {
            acc[(oy * g.out_w + ox) * c + ch] +=
                static_cast<double>(x[(iy * g.in_w + ix) * c + ch]) *
                w[(ch * g.kernel_h + ky) * g.kernel_w + kx];
          }
        }
  std::vector<float> out(acc.size());
  for (size_t i = 0; i < acc.size(); ++i) out[i] = f32_minmax(static_cast<float>(acc[i]), min, max);
  return out;
}

class KernelDwdeconv : public ::testing::TestWithParam<DwdeconvUkernel> {
 protected:
  // Runs the kernel over `bands` (row boundaries; none: one call) and compares.
  void Check(const Case& c, std::vector<size_t> bands = {}) const {
    SCOPED_TRACE(Describe(c));
    const DwdeconvUkernel& k = GetParam();
    const DwdeconvGeometry g = GeometryOf(c);
    const uint32_t seed = static_cast<uint32_t>(c.channels * 131 + c.in_h * 17 + c.in_w);
    const std::vector<float> x = kernel_test::DyadicData(c.in_h * c.in_w * c.channels, seed);
    const kernel_test::Guarded<float> gx = kernel_test::GuardedCopy(x);
    const std::vector<float> w =
        kernel_test::DyadicData(c.channels * c.kernel * c.kernel, seed + 1);
    const std::vector<float> bias = kernel_test::DyadicData(c.channels, seed + 2);
    const float* b = c.has_bias ? bias.data() : nullptr;
    std::vector<float> packed(
        f32_dwconv_packed_size(k.channel_tile, c.kernel, c.kernel, c.channels));
    f32_dwconv_pack_weights(k.channel_tile, c.kernel, c.kernel, c.channels, w.data(), b,
                            packed.data());
    if (bands.empty()) bands = {0, g.out_h};
    kernel_test::Guarded<float> out(g.out_h * g.out_w * c.channels);
    for (size_t i = 0; i + 1 < bands.size(); ++i) {
      k.fn(g, gx.data(), packed.data(), out.data(), std::min(bands[i], g.out_h),
           std::min(bands[i + 1], g.out_h), c.min, c.max);
    }
    ASSERT_TRUE(kernel_test::AllClose(out.data(), Reference(g, x, w, b, c.min, c.max)));
    if (c.min > c.max) {
      ASSERT_TRUE(kernel_test::AllEqualTo(out.data(), out.size(), c.max));
    }
    ASSERT_TRUE(out.GuardsIntact());
  }

  // Image sizes x windows x leading pads x output padding for one channel count and stride.
  void Sweep(size_t channels, size_t stride) const {
    for (const size_t kernel : {1, 2, 3, 4})
      for (const auto& hw : {std::pair<size_t, size_t>{1, 1}, {2, 3}, {5, 7}, {7, 4}})
        for (size_t pad = 0; pad < kernel; ++pad)
          for (size_t extra = 0; extra < stride; ++extra) {
            Case c{channels, hw.first, hw.second, kernel, stride};
            c.pad_top = pad;
            c.pad_left = kernel - 1 - pad;
            c.extra_h = extra;
            c.extra_w = stride - 1 - extra;
            Check(c);
            if (::testing::Test::HasFatalFailure()) return;
          }
  }
};

TEST_P(KernelDwdeconv, c_eq_1_stride_1_and_2) { Sweep(1, 1), Sweep(1, 2); }
TEST_P(KernelDwdeconv, c_eq_3_stride_1_and_2) { Sweep(3, 1), Sweep(3, 2); }
TEST_P(KernelDwdeconv, c_eq_4_stride_1_and_2) { Sweep(4, 1), Sweep(4, 2); }
TEST_P(KernelDwdeconv, c_eq_15_stride_1_and_2) { Sweep(15, 1), Sweep(15, 2); }
TEST_P(KernelDwdeconv, c_eq_17_stride_1_and_2) { Sweep(17, 1), Sweep(17, 2); }
TEST_P(KernelDwdeconv, c_eq_64_stride_1_and_2) { Sweep(64, 1), Sweep(64, 2); }

TEST_P(KernelDwdeconv, c_1_to_40_decoder_block) {
  for (size_t c = 1; c <= 40; ++c) {
    Case k4{c, 5, 6, 4, 2};
    k4.pad_top = k4.pad_left = 1;
    Check(k4);
  }
}

// A stride wider than the window: some output rows and columns no tap reaches get the bias.
TEST_P(KernelDwdeconv, stride_3_wider_than_window) {
  for (const size_t c : kEdgeChannels) Check(Case(c, 4, 5, 2, 3));
}

TEST_P(KernelDwdeconv, dilation_2_and_3) {
  for (const size_t d : {2, 3})
    for (const size_t s : {1, 2})
      for (const size_t c : kEdgeChannels) {
        Case cs{c, 5, 6, 3, s};
        cs.dilation = d;
        cs.pad_top = 1;
        cs.pad_left = 2;
        Check(cs);
      }
}

// 7x7 at stride 1: 49 taps per interior pixel, more than one chunk of the tap loop.
TEST_P(KernelDwdeconv, more_taps_than_a_chunk) {
  for (const size_t c : {3, 17}) {
    Case cs{c, 9, 8, 7, 1};
    cs.pad_top = cs.pad_left = 3;
    Check(cs);
    cs.min = -2.f;
    cs.max = 3.f;
    Check(cs);
  }
}

TEST_P(KernelDwdeconv, row_bands_match_full_call) {
  for (const size_t c : {1, 4, 15, 17}) {
    Case cs{c, 6, 5, 4, 2};
    cs.pad_top = cs.pad_left = 1;
    Check(cs, {0, 1, 4, 5, 100});
  }
}

TEST_P(KernelDwdeconv, clamp_active) {
  for (const size_t c : kEdgeChannels) {
    Case cs{c, 5, 5, 3, 2};
    cs.min = -1.5f;
    cs.max = 2.f;
    Check(cs);
    cs.min = 0.f;
    cs.max = 6.f;  // ReLU6
    Check(cs);
  }
}

TEST_P(KernelDwdeconv, min_greater_than_max_gives_max_everywhere) {
  for (const size_t c : kEdgeChannels) {
    Case cs{c, 4, 5, 4, 2};
    cs.extra_h = 1;
    cs.min = kernel_test::kInvertedMin;
    cs.max = kernel_test::kInvertedMax;
    Check(cs);
  }
}

TEST_P(KernelDwdeconv, no_bias) {
  for (const size_t c : {3, 17}) {
    Case cs{c, 5, 5, 3, 2};
    cs.has_bias = false;
    Check(cs);
  }
}

INSTANTIATE_TEST_SUITE_P(List, KernelDwdeconv, ::testing::ValuesIn(kKernels),
                         [](const ::testing::TestParamInfo<DwdeconvUkernel>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace litecnn
