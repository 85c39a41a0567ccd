// ConvTranspose (ops/conv_transpose.cc, ops/conv/transpose.cc): models of one ConvTranspose
// against a naive NCHW scatter over the attribute matrix (strides, pads, output_padding,
// output_shape, every auto_pad mode at versions 1 and 11, dilations, groups, depthwise), the
// fusions (BatchNormalization folded, Relu / Clip / HardSwish fused), bit-identical results for
// any thread count, and the errors bad models get.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::AttrString;
using test::FailsWith;
using test::Seeded;
using test::TestModel;

// One ConvTranspose's parameters, with the pads the reference should use (as the ONNX rules
// resolve them; the test states them, so the op's resolution is checked too).
struct Spec {
  Spec(Dims x_dims, Dims w_dims, int64_t groups = 1)
      : x(std::move(x_dims)), w(std::move(w_dims)), group(groups) {}
  Dims x;  // [N, C, H, W]
  Dims w;  // [C, M / group, kh, kw]
  int64_t group;
  std::vector<onnx::Attribute> attrs;
  int64_t pad_top = 0, pad_left = 0;  // resolved leading pads
  Dims y;                             // expected output dims
  int64_t opset = 13;
  bool bias = true;
};

// y[n][o][oy][ox] = bias[o] + sum of x[n][ci][iy][ix] * w[ci][m][ky][kx] over the inputs whose
// taps land at (oy + pad_top, ox + pad_left).
std::vector<float> Reference(const Spec& s, const Tensor& x, const Tensor& w, const Tensor* b,
                             int64_t sh, int64_t sw, int64_t dh, int64_t dw) {
  const int64_t n = s.x[0], c = s.x[1], ih = s.x[2], iw = s.x[3];
  const int64_t mg = s.w[1], kh = s.w[2], kw = s.w[3], m = mg * s.group, cg = c / s.group;
  const int64_t oh = s.y[2], ow = s.y[3];
  std::vector<double> acc(n * m * oh * ow, 0.0);
  for (int64_t b0 = 0; b0 < n; ++b0)
    for (int64_t o = 0; o < m; ++o)
      for (int64_t i = 0; i < oh * ow; ++i)
        acc[(b0 * m + o) * oh * ow + i] = b ? b->data<float>()[o] : 0.0;
  for (int64_t b0 = 0; b0 < n; ++b0)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t mm = 0; mm < mg; ++mm)
        for (int64_t y = 0; y < ih; ++y)
          for (int64_t xx = 0; xx < iw; ++xx)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                const int64_t oy = y * sh + ky * dh - s.pad_top,
                              ox = xx * sw + kx * dw - s.pad_left;
                if (oy < 0 || ox < 0 || oy >= oh || ox >= ow) continue;
                const int64_t o = ci / cg * mg + mm;
                acc[((b0 * m + o) * oh + oy) * ow + ox] +=
                    double(x.data<float>()[((b0 * c + ci) * ih + y) * iw + xx]) *
                    w.data<float>()[((ci * mg + mm) * kh + ky) * kw + kx];
              }
  return std::vector<float>(acc.begin(), acc.end());
}

int64_t AttrPair(const std::vector<onnx::Attribute>& attrs, const char* name, int i) {
  for (const auto& a : attrs) {
    if (a.name == name) return a.ints[i];
  }
  return 1;
}

TestModel ModelOf(Spec& s, const Tensor& w, const Tensor& b) {
  TestModel m(s.opset);
  m.Input("x", s.x).Init("w", w);
  std::vector<std::string> inputs = {"x", "w"};
  if (s.bias) {
    m.Init("b", b);
    inputs.push_back("b");
  }
  std::vector<onnx::Attribute> attrs = std::move(s.attrs);
  if (s.group != 1) attrs.push_back(AttrInt("group", s.group));
  m.Node("ConvTranspose", inputs, {"y"}, std::move(attrs)).Output("y");
  return m;
}

// Loads s, runs it with 1 and 2 threads (every op split), compares with the reference and
// checks both runs give the same bits.
void Check(Spec s) {
  const Tensor x = Seeded(s.x, 3), w = Seeded(s.w, 5);
  const Tensor b = Seeded({s.w[1] * s.group}, 9);
  const int64_t sh = AttrPair(s.attrs, "strides", 0), sw = AttrPair(s.attrs, "strides", 1);
  const int64_t dh = AttrPair(s.attrs, "dilations", 0), dw = AttrPair(s.attrs, "dilations", 1);
  const std::vector<float> want = Reference(s, x, w, s.bias ? &b : nullptr, sh, sw, dh, dw);
  const TestModel m = ModelOf(s, w, b);
  std::vector<float> first;
  for (const size_t threads : {1, 2}) {
    LoadOptions options;
    options.num_threads = threads;
    options.min_parallel_macs = 0;
    auto model = m.Load(options);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    std::vector<NamedTensor> in;
    in.push_back({"x", x.Clone().value()});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const Tensor& y = (*out)[0].tensor;
    ASSERT_EQ(y.dims(), s.y);
    std::vector<float> got(y.data<float>(), y.data<float>() + y.num_elements());
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_NEAR(got[i], want[i], 1e-5f + 1e-5f * std::fabs(want[i])) << "element " << i;
    }
    if (first.empty()) {
      first = got;
    } else {
      ASSERT_EQ(got, first) << "2 threads differ from 1";
    }
  }
}

TEST(ConvTranspose, Stride2Kernel4Pad1DecoderBlock) {
  Spec s{{1, 8, 5, 6}, {8, 6, 4, 4}};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.attrs.push_back(AttrInts("pads", {1, 1, 1, 1}));
  s.pad_top = s.pad_left = 1;
  s.y = {1, 6, 10, 12};
  Check(std::move(s));
}

TEST(ConvTranspose, Stride2Kernel3OutputPadding1) {
  Spec s{{2, 5, 4, 3}, {5, 7, 3, 3}};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.attrs.push_back(AttrInts("pads", {1, 1, 1, 1}));
  s.attrs.push_back(AttrInts("output_padding", {1, 1}));
  s.pad_top = s.pad_left = 1;
  s.y = {2, 7, 8, 6};
  Check(std::move(s));
}

TEST(ConvTranspose, Stride1NoBiasAsymmetricPads) {
  Spec s{{1, 3, 5, 4}, {3, 2, 3, 2}};
  s.attrs.push_back(AttrInts("pads", {2, 0, 0, 1}));
  s.pad_top = 2;
  s.y = {1, 2, 5, 4};
  s.bias = false;
  Check(std::move(s));
}

// U-Net's up-conv: each phase one tap, its windows read in place from the input.
TEST(ConvTranspose, Kernel2Stride2ReadsWindowsInPlace) {
  Spec s{{1, 9, 4, 5}, {9, 6, 2, 2}};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.y = {1, 6, 8, 10};
  Check(std::move(s));
  Spec cropped{{1, 9, 4, 5}, {9, 6, 2, 2}};  // pads cut the edge windows: gathered instead
  cropped.attrs.push_back(AttrInts("strides", {2, 2}));
  cropped.attrs.push_back(AttrInts("pads", {1, 1, 0, 1}));
  cropped.attrs.push_back(AttrInts("output_padding", {1, 1}));
  cropped.pad_top = cropped.pad_left = 1;
  cropped.y = {1, 6, 8, 9};
  Check(std::move(cropped));
}

TEST(ConvTranspose, UnequalStridesWiderThanWindow) {
  Spec s{{1, 2, 3, 3}, {2, 3, 2, 1}};
  s.attrs.push_back(AttrInts("strides", {3, 2}));
  s.y = {1, 3, 8, 5};
  Check(std::move(s));
}

TEST(ConvTranspose, Groups2) {
  Spec s{{1, 6, 4, 5}, {6, 2, 3, 3}, 2};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.attrs.push_back(AttrInts("pads", {1, 1, 1, 1}));
  s.y = {1, 4, 7, 9};
  s.pad_top = s.pad_left = 1;
  Check(std::move(s));
}

TEST(ConvTranspose, DepthwiseStride2) {
  for (const int64_t c : {1, 3, 4, 15, 17, 64}) {
    Spec s{{1, c, 5, 4}, {c, 1, 4, 4}, c};
    s.attrs.push_back(AttrInts("strides", {2, 2}));
    s.attrs.push_back(AttrInts("pads", {1, 1, 1, 1}));
    s.y = {1, c, 10, 8};
    s.pad_top = s.pad_left = 1;
    Check(std::move(s));
  }
}

TEST(ConvTranspose, DepthwiseWithChannelMultiplierUsesGemmPath) {
  Spec s{{1, 3, 4, 4}, {3, 2, 3, 3}, 3};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.y = {1, 6, 9, 9};
  Check(std::move(s));
}

TEST(ConvTranspose, Dilation2) {
  Spec s{{1, 4, 5, 5}, {4, 3, 3, 3}};
  s.attrs.push_back(AttrInts("dilations", {2, 2}));
  s.attrs.push_back(AttrInts("strides", {2, 1}));
  s.y = {1, 3, 13, 9};
  Check(std::move(s));
  Spec dw{{1, 5, 4, 5}, {5, 1, 3, 3}, 5};
  dw.attrs.push_back(AttrInts("dilations", {2, 2}));
  dw.attrs.push_back(AttrInts("strides", {2, 2}));
  dw.y = {1, 5, 11, 13};
  Check(std::move(dw));
}

// SAME_*: out = in * stride; total padding k - stride = 1 here (odd).
TEST(ConvTranspose, AutoPadSameVersion11) {
  Spec upper{{1, 2, 3, 4}, {2, 3, 3, 3}};
  upper.attrs.push_back(AttrInts("strides", {2, 2}));
  upper.attrs.push_back(AttrString("auto_pad", "SAME_UPPER"));
  upper.y = {1, 3, 6, 8};
  upper.opset = 11;
  Check(std::move(upper));  // larger half last: pad_top 0
  Spec lower{{1, 2, 3, 4}, {2, 3, 3, 3}};
  lower.attrs.push_back(AttrInts("strides", {2, 2}));
  lower.attrs.push_back(AttrString("auto_pad", "SAME_LOWER"));
  lower.y = {1, 3, 6, 8};
  lower.pad_top = lower.pad_left = 1;
  lower.opset = 22;
  Check(std::move(lower));
}

// Version 1's formula swaps the halves.
TEST(ConvTranspose, AutoPadSameVersion1) {
  Spec upper{{1, 2, 3, 4}, {2, 3, 3, 3}};
  upper.attrs.push_back(AttrInts("strides", {2, 2}));
  upper.attrs.push_back(AttrString("auto_pad", "SAME_UPPER"));
  upper.y = {1, 3, 6, 8};
  upper.pad_top = upper.pad_left = 1;
  upper.opset = 9;
  Check(std::move(upper));
  Spec lower{{1, 2, 3, 4}, {2, 3, 3, 3}};
  lower.attrs.push_back(AttrInts("strides", {2, 2}));
  lower.attrs.push_back(AttrString("auto_pad", "SAME_LOWER"));
  lower.y = {1, 3, 6, 8};
  lower.opset = 9;
  Check(std::move(lower));
}

TEST(ConvTranspose, AutoPadValid) {
  Spec s{{1, 2, 3, 3}, {2, 2, 3, 3}};
  s.attrs.push_back(AttrInts("strides", {2, 2}));
  s.attrs.push_back(AttrString("auto_pad", "VALID"));
  s.y = {1, 2, 7, 7};
  Check(std::move(s));
}

// output_shape: pads from the total (here 3 and 2: odd puts the larger half first at version 11,
// last at version 1); 4 values name N and C too; beyond the full extent, bias-only outputs.
TEST(ConvTranspose, OutputShape) {
  Spec v11{{1, 2, 3, 3}, {2, 3, 4, 4}};
  v11.attrs.push_back(AttrInts("strides", {2, 2}));
  v11.attrs.push_back(AttrInts("output_shape", {5, 6}));
  v11.attrs.push_back(AttrInts("pads", {9, 9, 9, 9}));  // ignored
  v11.y = {1, 3, 5, 6};
  v11.pad_top = 2;
  v11.pad_left = 1;
  Check(std::move(v11));
  Spec v1{{1, 2, 3, 3}, {2, 3, 4, 4}};
  v1.attrs.push_back(AttrInts("strides", {2, 2}));
  v1.attrs.push_back(AttrInts("output_shape", {1, 3, 5, 6}));
  v1.y = {1, 3, 5, 6};
  v1.pad_top = 1;
  v1.pad_left = 1;
  v1.opset = 7;
  Check(std::move(v1));
  Spec beyond{{1, 2, 3, 3}, {2, 3, 3, 3}};
  beyond.attrs.push_back(AttrInts("strides", {2, 2}));
  beyond.attrs.push_back(AttrInts("output_shape", {9, 8}));
  beyond.y = {1, 3, 9, 8};
  Check(std::move(beyond));
}

// BatchNormalization folds into the weights along axis 1 (per group), and Relu fuses: one op.
TEST(ConvTranspose, BatchNormFoldsAndReluFuses) {
  for (const int64_t group : {1, 2}) {
    const Tensor w = Seeded({4, 6 / group, 4, 4}, 5), b = Seeded({6}, 9);
    auto model_of = [&](bool fused) {
      TestModel m;
      m.Input("x", {1, 4, 3, 5})
          .Init("w", w)
          .Init("b", b)
          .Init("scale", Seeded({6}, 21))
          .Init("shift", Seeded({6}, 22))
          .Init("mean", Seeded({6}, 23))
          .Init("var", Tensor::FromFloats({6}, {0.5f, 1.f, 2.f, 0.25f, 3.f, 1.5f}).value())
          .Node("ConvTranspose", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInts("strides", {2, 2}), AttrInts("pads", {1, 1, 1, 1}),
                            AttrInt("group", group)))
          .Node("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"n"})
          .Node("Relu", {"n"}, {"y"})
          .Output("y");
      if (!fused) m.Output("c");  // a second reader keeps both unfused
      return m;
    };
    auto g = test::LoadedGraph(model_of(true));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(test::OpTypes(*g),
              (std::vector<std::string>{"LayoutConvert", "ConvTranspose", "LayoutConvert"}));
    test::ExpectNear(test::RunOnce(model_of(true), {1, 4, 3, 5}),
                     test::RunOnce(model_of(false), {1, 4, 3, 5}));
  }
}

TEST(ConvTranspose, ClipAndHardSwishFuse) {
  for (const std::string act : {"Clip", "HardSwish"}) {
    auto model_of = [&](bool fused) {
      TestModel m(14);
      m.Input("x", {1, 3, 4, 4})
          .Init("w", Seeded({3, 5, 3, 3}, 5))
          .Init("lo", Tensor::FromFloats({}, {-0.1f}).value())
          .Init("hi", Tensor::FromFloats({}, {0.2f}).value())
          .Node("ConvTranspose", {"x", "w"}, {"c"}, test::Attrs(AttrInts("strides", {2, 2})));
      if (act == "Clip") {
        m.Node("Clip", {"c", "lo", "hi"}, {"y"});
      } else {
        m.Node("HardSwish", {"c"}, {"y"});
      }
      m.Output("y");
      if (!fused) m.Output("c");
      return m;
    };
    auto g = test::LoadedGraph(model_of(true));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(test::CountOps(*g, act), 0) << act;
    test::ExpectNear(test::RunOnce(model_of(true), {1, 3, 4, 4}),
                     test::RunOnce(model_of(false), {1, 3, 4, 4}));
  }
}

// A stride far beyond the output (output_shape crops the full result to 3x3): only the phases
// that have outputs are built, not stride_h x stride_w of them.
TEST(ConvTranspose, HugeStrideSmallOutput) {
  Spec s{{1, 2, 2, 2}, {2, 3, 2, 2}};
  s.attrs.push_back(AttrInts("strides", {1 << 20, 1 << 20}));
  s.attrs.push_back(AttrInts("output_shape", {3, 3}));
  // full extent (2 - 1) * 2^20 + 2 = 2^20 + 2; total 2^20 - 1 (odd: larger half first)
  s.pad_top = s.pad_left = (1 << 19);
  s.y = {1, 3, 3, 3};
  Check(std::move(s));
}

// Bad models: a status naming the problem, never a crash.
Status LoadStatus(const Dims& x, const Dims& w, std::vector<onnx::Attribute> attrs,
                  bool constant_w = true) {
  TestModel m;
  m.Input("x", x);
  if (constant_w) {
    m.Init("w", Seeded(w, 1));
  } else {
    m.Input("w", w);
  }
  m.Node("ConvTranspose", {"x", "w"}, {"y"}, std::move(attrs)).Output("y");
  auto model = m.Load();
  return model.ok() ? Status::Ok() : model.status();
}

TEST(ConvTranspose, BadModelsFailWithAStatus) {
  EXPECT_TRUE(FailsWith(LoadStatus({1, 2, 3, 3}, {2, 3, 3}, {}), StatusCode::kInvalidModel,
                        {"weights must be 4-D"}));
  EXPECT_TRUE(FailsWith(LoadStatus({1, 2, 3, 3}, {2, 3, 3, 3}, {}, false), StatusCode::kUnsupported,
                        {"weights must be constant"}));
  EXPECT_TRUE(FailsWith(LoadStatus({1, 3, 3, 3}, {3, 1, 3, 3}, test::Attrs(AttrInt("group", 2))),
                        StatusCode::kInvalidModel, {"group 2 does not divide"}));
  EXPECT_TRUE(FailsWith(LoadStatus({1, 3, 3, 3}, {2, 1, 3, 3}, {}), StatusCode::kInvalidModel,
                        {"input channels"}));
  EXPECT_TRUE(FailsWith(
      LoadStatus({1, 2, 3, 3}, {2, 3, 3, 3}, test::Attrs(AttrInts("output_shape", {2, 3, 7, 7}))),
      StatusCode::kInvalidModel, {"output_shape", "does not match"}));
  EXPECT_TRUE(FailsWith(
      LoadStatus({1, 2, 3, 3}, {2, 3, 3, 3}, test::Attrs(AttrInts("output_shape", {7, 7, 7}))),
      StatusCode::kUnsupported, {"output_shape"}));
  EXPECT_TRUE(FailsWith(
      LoadStatus({1, 2, 3, 3}, {2, 3, 3, 3},
                 test::Attrs(AttrInts("output_padding", {2, 0}), AttrInts("strides", {2, 2}))),
      StatusCode::kInvalidModel, {"output_padding"}));
  EXPECT_TRUE(
      FailsWith(LoadStatus({1, 2, 3, 3}, {2, 3, 3, 3}, test::Attrs(AttrInts("pads", {3, 3, 3, 3}))),
                StatusCode::kInvalidModel, {"pads remove the whole output"}));
  EXPECT_TRUE(FailsWith(LoadStatus({1, 2, 3}, {2, 3, 3}, {}), StatusCode::kUnsupported,
                        {"only 2-D ConvTranspose"}));
  EXPECT_TRUE(FailsWith(LoadStatus({1, 2, 3, 3, 3}, {2, 3, 3, 3, 3}, {}), StatusCode::kUnsupported,
                        {"only 2-D ConvTranspose"}));
  EXPECT_TRUE(FailsWith(
      LoadStatus({1, 2, 3, 3, 3}, {2, 3, 3, 3, 3}, test::Attrs(AttrInts("strides", {1, 1, 1}))),
      StatusCode::kUnsupported, {"strides"}));
}

}  // namespace
}  // namespace litecnn
