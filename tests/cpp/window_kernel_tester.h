// The sweeps and references the window kernels' tests share (kernels_dwconv_ukernel_test.cc,
// kernels_conv_hwc_ukernel_test.cc, kernels_pool_test.cc, kernels_pool_ukernel_test.cc):
// - convolutions (depthwise, conv-hwc) against the reference convolution
//   f32_conv_nhwc_minmax__scalar, over image sizes x paddings x row bands, with clamping;
// - pooling (max, average under both divisor rules) against a naive formulation that tests every
//   window tap on its own.
// Kernels read a guarded copy of their input (a read outside it brings a NaN into the result)
// and write a guarded output (a write outside it clobbers a sentinel).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-conv/f32-conv.h"
#include "kernels/f32-pool/f32-pool.h"

namespace litecnn {
namespace kernel_test {

// The channel counts of the edge-case matrix: 1, either side of the 4-lane tile, either side of
// 16, and a multiple of every tile.
constexpr size_t kEdgeChannels[] = {1, 3, 4, 15, 17, 64};

constexpr float kInf = std::numeric_limits<float>::infinity();

// A guarded copy of v, for a kernel to read.
inline Guarded<float> GuardedCopy(const std::vector<float>& v) {
  Guarded<float> g(v.size());
  std::copy(v.begin(), v.end(), g.data());
  return g;
}

// ---- convolutions ----------------------------------------------------------------------------

// One image for the window kernels' tests (depthwise, conv-hwc): channels (depthwise: in and
// out; conv-hwc: outputs), input size, the four pads (bottom/right only change the output size),
// clamp bounds.
struct WindowCase {
  size_t channels, in_h, in_w;
  size_t pad_top, pad_left, pad_bottom, pad_right;
  float min = -1e30f, max = 1e30f;
  bool has_bias = true;
  size_t dilation = 1;  // depthwise kernels only
};

inline std::string Describe(const WindowCase& c) {
  return "c=" + std::to_string(c.channels) + " in=" + std::to_string(c.in_h) + "x" +
         std::to_string(c.in_w) + " pads(t,l,b,r)=" + std::to_string(c.pad_top) + "," +
         std::to_string(c.pad_left) + "," + std::to_string(c.pad_bottom) + "," +
         std::to_string(c.pad_right) + " clamp=[" + std::to_string(c.min) + "," +
         std::to_string(c.max) + "] dilation=" + std::to_string(c.dilation);
}

// Output size of a kernel_h x kernel_w window moved by `stride` over the padded image. False
// when the padded image is smaller than the window: such a case has no output, and the sweeps
// that generate it pass over it.
inline bool WindowOutput(const WindowCase& c, size_t kernel_h, size_t kernel_w, size_t stride,
                         size_t* out_h, size_t* out_w) {
  const size_t ph = c.in_h + c.pad_top + c.pad_bottom, pw = c.in_w + c.pad_left + c.pad_right;
  const size_t span_h = (kernel_h - 1) * c.dilation + 1, span_w = (kernel_w - 1) * c.dilation + 1;
  if (ph < span_h || pw < span_w) return false;
  *out_h = (ph - span_h) / stride + 1;
  *out_w = (pw - span_w) / stride + 1;
  return true;
}

// A window convolution kernel under test: its window and stride, the input channels and groups
// of a case, and how it packs weights and runs a band of output rows. Each test file adapts its
// kernel list's entries to it.
class WindowConvKernel {
 public:
  WindowConvKernel(size_t kernel_h, size_t kernel_w, size_t stride)
      : kernel_h(kernel_h), kernel_w(kernel_w), stride(stride) {}
  virtual ~WindowConvKernel() = default;

  virtual size_t InputChannels(const WindowCase& c) const = 0;
  virtual size_t Groups(const WindowCase& c) const = 0;
  // w_oihw: the ONNX layout, [c.channels][in / groups][kernel_h][kernel_w]; bias may be null.
  virtual std::vector<float> Pack(const WindowCase& c, const float* w_oihw,
                                  const float* bias) const = 0;
  // Output rows [row_begin, row_end) of c's NHWC image, clamped to [c.min, c.max].
  virtual void Run(const WindowCase& c, const float* input, const float* packed, float* output,
                   size_t row_begin, size_t row_end) const = 0;

  const size_t kernel_h, kernel_w, stride;
};

// What k must compute for c: f32_conv_nhwc_minmax__scalar on the same input, weights and bias.
inline std::vector<float> ReferenceConv(const WindowConvKernel& k, const WindowCase& c,
                                        size_t out_h, size_t out_w, const std::vector<float>& input,
                                        const std::vector<float>& w_oihw, const float* bias) {
  const size_t in_c = k.InputChannels(c), groups = k.Groups(c), group_in = in_c / groups;
  // The reference takes OHWI weights (for depthwise, OIHW with I = 1 is already that order).
  std::vector<float> ohwi(w_oihw.size());
  for (size_t o = 0; o < c.channels; ++o)
    for (size_t i = 0; i < group_in; ++i)
      for (size_t y = 0; y < k.kernel_h; ++y)
        for (size_t x = 0; x < k.kernel_w; ++x)
          ohwi[((o * k.kernel_h + y) * k.kernel_w + x) * group_in + i] =
              w_oihw[((o * group_in + i) * k.kernel_h + y) * k.kernel_w + x];
  ConvGeometry cg{};
  cg.batch = 1;
  cg.in_h = c.in_h;
  cg.in_w = c.in_w;
  cg.in_c = in_c;
  cg.out_h = out_h;
  cg.out_w = out_w;
  cg.out_c = c.channels;
  cg.groups = groups;
  cg.kernel_h = k.kernel_h;
  cg.kernel_w = k.kernel_w;
  cg.stride_h = cg.stride_w = k.stride;
  cg.dilation_h = cg.dilation_w = c.dilation;
  cg.pad_top = c.pad_top;
  cg.pad_left = c.pad_left;
  std::vector<float> out(out_h * out_w * c.channels);
  f32_conv_nhwc_minmax__scalar(cg, input.data(), ohwi.data(), bias, out.data(), c.min, c.max);
  return out;
}

// Runs k on c's image over `bands` (row boundaries from 0, each clamped to the output height;
// none: one call for every row) and checks the output against ReferenceConv, against max
// everywhere when min > max, and its guards. A case with no output (padded image smaller than
// the window) passes: the sweeps generate some.
inline void CheckWindowConv(const WindowConvKernel& k, const WindowCase& c,
                            std::vector<size_t> bands = {}) {
  size_t out_h = 0, out_w = 0;
  if (!WindowOutput(c, k.kernel_h, k.kernel_w, k.stride, &out_h, &out_w)) return;
  SCOPED_TRACE(Describe(c));
  const size_t in_c = k.InputChannels(c);
  const uint32_t seed = static_cast<uint32_t>(c.channels * 131 + c.in_h * 17 + c.in_w);
  const std::vector<float> input = DyadicData(c.in_h * c.in_w * in_c, seed);
  const Guarded<float> guarded_input = GuardedCopy(input);
  const std::vector<float> w =
      DyadicData(c.channels * (in_c / k.Groups(c)) * k.kernel_h * k.kernel_w, seed + 1);
  const std::vector<float> bias = DyadicData(c.channels, seed + 2);
  const float* b = c.has_bias ? bias.data() : nullptr;
  const std::vector<float> packed = k.Pack(c, w.data(), b);
  if (bands.empty()) bands = {0, out_h};
  Guarded<float> out(out_h * out_w * c.channels);
  for (size_t i = 0; i + 1 < bands.size(); ++i) {
    k.Run(c, guarded_input.data(), packed.data(), out.data(), std::min(bands[i], out_h),
          std::min(bands[i + 1], out_h));
  }
  ASSERT_TRUE(AllClose(out.data(), ReferenceConv(k, c, out_h, out_w, input, w, b)));
  if (c.min > c.max) {  // pinned on its own too, in case the reference went wrong with it
    ASSERT_TRUE(AllEqualTo(out.data(), out.size(), c.max));
  }
  ASSERT_TRUE(out.GuardsIntact());
}

using ImageSizes = std::vector<std::array<size_t, 2>>;

// Tiny, odd, square and not: the image sizes (height, width) of the sweeps.
inline const ImageSizes kSweepImageSizes = {{1, 1}, {2, 2}, {5, 7}, {7, 7}, {9, 11}, {11, 9}};

// CheckWindowConv for every image size x top/left pad 0..2 x bottom/right pad 0..3 with one
// channel count; stops at the first fatal failure.
inline void SweepSizesAndPads(const WindowConvKernel& k, size_t channels,
                              const ImageSizes& sizes = kSweepImageSizes) {
  for (const auto& hw : sizes)
    for (size_t pt = 0; pt <= 2; ++pt)
      for (size_t pl = 0; pl <= 2; ++pl)
        for (size_t pb = 0; pb <= 3; ++pb)
          for (size_t pr = 0; pr <= 3; ++pr) {
            CheckWindowConv(k, {channels, hw[0], hw[1], pt, pl, pb, pr});
            if (::testing::Test::HasFatalFailure()) return;
          }
}

// The band of rows [1, 2) of a 17-channel 11x9 image (pads 1, no bias) writes that output row
// and nothing else; the empty band [2, 2) writes nothing.
inline void CheckBandWritesOnlyItsRows(const WindowConvKernel& k) {
  const WindowCase c{17, 11, 9, 1, 1, 1, 1};
  size_t out_h = 0, out_w = 0;
  ASSERT_TRUE(WindowOutput(c, k.kernel_h, k.kernel_w, k.stride, &out_h, &out_w));
  ASSERT_GE(out_h, 3u);
  const size_t in_c = k.InputChannels(c);
  const Guarded<float> input = GuardedCopy(DyadicData(c.in_h * c.in_w * in_c, 7));
  const std::vector<float> w =
      DyadicData(c.channels * (in_c / k.Groups(c)) * k.kernel_h * k.kernel_w, 8);
  const std::vector<float> packed = k.Pack(c, w.data(), nullptr);
  Guarded<float> out(out_h * out_w * c.channels);
  k.Run(c, input.data(), packed.data(), out.data(), 1, 2);
  const size_t row = out_w * c.channels;
  for (size_t i = 0; i < out.size(); ++i) {
    const bool in_band = i >= row && i < 2 * row;
    ASSERT_EQ(IsSentinel(out[i]), !in_band) << "element " << i;
  }
  ASSERT_TRUE(out.GuardsIntact());
  k.Run(c, input.data(), packed.data(), out.data(), 2, 2);  // empty band
  ASSERT_TRUE(out.GuardsIntact());
}

// ---- pooling ---------------------------------------------------------------------------------

// Output size as ONNX / PyTorch compute it; in ceil mode the last window must start inside the
// input or the leading padding.
inline size_t PoolOutputDim(size_t in, size_t pad_before, size_t pad_after, size_t k, size_t s,
                            size_t d, bool ceil_mode) {
  const size_t span = in + pad_before + pad_after - (d * (k - 1) + 1);
  size_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + pad_before) --out;
  return out;
}

// A pooling case: the geometry plus the trailing padding the average kernels need.
struct PoolCase {
  PoolGeometry g;
  size_t pad_bottom, pad_right;
};

inline PoolCase MakePool(size_t batch, size_t channels, size_t in_h, size_t in_w, size_t k_h,
                         size_t k_w, size_t stride, size_t dilation, size_t pt, size_t pl,
                         size_t pb, size_t pr, bool ceil_mode) {
  PoolCase p{};
  p.g.batch = batch;
  p.g.channels = channels;
  p.g.in_h = in_h;
  p.g.in_w = in_w;
  p.g.kernel_h = k_h;
  p.g.kernel_w = k_w;
  p.g.stride_h = p.g.stride_w = stride;
  p.g.dilation_h = p.g.dilation_w = dilation;
  p.g.pad_top = pt;
  p.g.pad_left = pl;
  p.g.out_h = PoolOutputDim(in_h, pt, pb, k_h, stride, dilation, ceil_mode);
  p.g.out_w = PoolOutputDim(in_w, pl, pr, k_w, stride, dilation, ceil_mode);
  p.pad_bottom = pb;
  p.pad_right = pr;
  return p;
}

inline size_t InCount(const PoolGeometry& g) { return g.batch * g.in_h * g.in_w * g.channels; }
inline size_t OutCount(const PoolGeometry& g) { return g.batch * g.out_h * g.out_w * g.channels; }

enum class PoolKind { kMax, kAvgIncludePad, kAvgExcludePad };

// Naive: every output element on its own, every window tap tested against the input and the
// padded extent (taps past it are ceil-mode overhang, never counted), sums in double.
inline std::vector<float> NaivePool(const PoolCase& p, const std::vector<float>& in,
                                    PoolKind kind) {
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
          const size_t count = kind == PoolKind::kAvgIncludePad ? in_plane : in_input;
          float v = static_cast<float>(max);
          if (kind != PoolKind::kMax) v = count ? static_cast<float>(sum / double(count)) : 0.0f;
          out[((b * g.out_h + oh) * g.out_w + ow) * g.channels + c] = v;
        }
  return out;
}

// A max pooling kernel on p: exactly NaivePool's maxima, guards intact. Returns the output.
inline std::vector<float> ExpectMaxPoolMatchesNaive(f32_maxpool_nhwc_ukernel_fn fn,
                                                    const PoolCase& p,
                                                    const std::vector<float>& in) {
  const Guarded<float> guarded_in = GuardedCopy(in);
  Guarded<float> out(OutCount(p.g));
  fn(p.g, guarded_in.data(), out.data());
  EXPECT_TRUE(out.GuardsIntact());
  EXPECT_TRUE(AllClose(out.data(), NaivePool(p, in, PoolKind::kMax), 0.0f, 0.0f));
  return out.payload();
}

// An average pooling kernel on p, with and without count_include_pad: NaivePool's averages,
// guards intact.
inline void ExpectAvgPoolMatchesNaive(f32_avgpool_nhwc_ukernel_fn fn, const PoolCase& p,
                                      const std::vector<float>& in) {
  const Guarded<float> guarded_in = GuardedCopy(in);
  for (const bool include : {true, false}) {
    SCOPED_TRACE(include ? "count_include_pad" : "exclude pad");
    Guarded<float> out(OutCount(p.g));
    fn(p.g, p.pad_bottom, p.pad_right, include, guarded_in.data(), out.data());
    EXPECT_TRUE(out.GuardsIntact());
    EXPECT_TRUE(
        AllClose(out.data(),
                 NaivePool(p, in, include ? PoolKind::kAvgIncludePad : PoolKind::kAvgExcludePad)));
  }
}

}  // namespace kernel_test
}  // namespace litecnn
