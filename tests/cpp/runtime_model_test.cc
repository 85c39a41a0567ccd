// The C++ API end to end on small models: ops through the whole pipeline (layouts, packing,
// memory plan) against naive NCHW formulas written here, and every misuse of Load/Run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::Attrs;
using test::AttrString;
using test::Random;
using test::ReluModel;
using test::TestModel;

Result<Tensor> RunOne(Model& m, const std::string& name, const Tensor& x) {
  std::vector<NamedTensor> in;
  in.push_back({name, x.Clone().value()});
  LITECNN_ASSIGN_OR_RETURN(std::vector<NamedTensor> out, m.Run(std::move(in)));
  return std::move(out[0].tensor);
}

struct ConvCase {
  const char* name;
  int64_t c, m, h, w, k, group, stride, dilation;
  std::vector<int64_t> pads;  // top, left, bottom, right
  const char* auto_pad;
  const char* algorithm = nullptr;  // a fragment the Conv node's kernel name must contain
};

// Naive NCHW convolution, independent of the kernels' NHWC indexing.
std::vector<float> NaiveConv(const ConvCase& p, const Tensor& x, const Tensor& w, const Tensor& b,
                             int64_t oh, int64_t ow, int64_t pt, int64_t pl) {
  std::vector<float> y(p.m * oh * ow);
  const int64_t cg = p.c / p.group, mg = p.m / p.group;
  for (int64_t o = 0; o < p.m; ++o)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        double acc = b.data<float>()[o];
        const int64_t g = o / mg;
        for (int64_t ci = 0; ci < cg; ++ci)
          for (int64_t ky = 0; ky < p.k; ++ky)
            for (int64_t kx = 0; kx < p.k; ++kx) {
              const int64_t yy = i * p.stride - pt + ky * p.dilation;
              const int64_t xx = j * p.stride - pl + kx * p.dilation;
              if (yy < 0 || yy >= p.h || xx < 0 || xx >= p.w) continue;
              acc += x.data<float>()[((g * cg + ci) * p.h + yy) * p.w + xx] *
                     w.data<float>()[((o * cg + ci) * p.k + ky) * p.k + kx];
            }
        y[(o * oh + i) * ow + j] = static_cast<float>(acc);
      }
  return y;
}

class ConvThroughRuntime : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvThroughRuntime, MatchesNaiveNCHW) {
  const ConvCase& p = GetParam();
  const Tensor x = Random({1, p.c, p.h, p.w}, 1);
  const Tensor w = Random({p.m, p.c / p.group, p.k, p.k}, 2);
  const Tensor b = Random({p.m}, 3);
  std::vector<onnx::Attribute> attrs =
      Attrs(AttrInt("group", p.group), AttrInts("strides", {p.stride, p.stride}),
            AttrInts("dilations", {p.dilation, p.dilation}));
  if (!p.pads.empty()) attrs.push_back(AttrInts("pads", p.pads));
  if (p.auto_pad) attrs.push_back(AttrString("auto_pad", p.auto_pad));
  TestModel tm;
  tm.Input("x", x.dims())
      .Init("w", w)
      .Init("b", b)
      .Node("Conv", {"x", "w", "b"}, {"y"}, std::move(attrs));
  tm.Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto y = RunOne(**model, "x", x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  const Dims& d = y->dims();
  int64_t pt = p.pads.empty() ? 0 : p.pads[0], pl = p.pads.empty() ? 0 : p.pads[1];
  if (p.auto_pad) {  // SAME_UPPER: the smaller half of the total padding goes first
    const int64_t span = p.dilation * (p.k - 1) + 1;
    pt = std::max<int64_t>(0, (d[2] - 1) * p.stride + span - p.h) / 2;
    pl = std::max<int64_t>(0, (d[3] - 1) * p.stride + span - p.w) / 2;
  }
  const std::vector<float> ref = NaiveConv(p, x, w, b, d[2], d[3], pt, pl);
  ASSERT_EQ(static_cast<size_t>(y->num_elements()), ref.size()) << DimsToString(d);
  // Winograd's transforms round differently from a direct sum: 1e-5 of the largest output is
  // what a float computation of them achieves at these sizes (~1e-6 typical).
  float scale = 1.f;
  for (float r : ref) scale = std::max(scale, std::fabs(r));
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_NEAR(y->data<float>()[i], ref[i], 1e-5f * scale) << "element " << i;
  }
  if (p.algorithm) {
    std::string kernel;
    for (const NodeSummary& n : (*model)->Summary())
      if (n.op_type == "Conv") kernel = n.kernel;
    EXPECT_NE(kernel.find(p.algorithm), std::string::npos) << kernel;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Model, ConvThroughRuntime,
    ::testing::Values(
        ConvCase{"dense3x3_pad1", 3, 8, 7, 7, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr},
        ConvCase{"first_conv_stride2_odd", 3, 16, 11, 9, 3, 1, 2, 1, {1, 1, 1, 1}, nullptr},
        ConvCase{
            "first_conv_32_outputs", 3, 32, 13, 11, 3, 1, 2, 1, {1, 1, 1, 1}, nullptr, "conv_hwc"},
        // The HWC kernel's 5x5 in SIMD builds, im2col in the others.
        ConvCase{"first_conv_5x5_stride2", 3, 24, 17, 15, 5, 1, 2, 1, {2, 2, 2, 2}, nullptr},
        // im2col in every build (no HWC kernel for stride 1): 15-float window rows, copied in
        // 16-byte pieces and a tail, beside padding.
        ConvCase{
            "image_5x5_stride1_im2col", 3, 24, 13, 11, 5, 1, 1, 1, {2, 2, 2, 2}, nullptr, "im2col"},
        ConvCase{"pointwise_17ch", 17, 15, 5, 6, 1, 1, 1, 1, {}, nullptr},
        ConvCase{"depthwise3x3_s1", 15, 15, 6, 5, 3, 15, 1, 1, {1, 1, 1, 1}, nullptr},
        ConvCase{"depthwise3x3_s2_asymmetric", 17, 17, 9, 8, 3, 17, 2, 1, {0, 0, 1, 1}, nullptr},
        ConvCase{"depthwise5x5_s2", 4, 4, 9, 9, 5, 4, 2, 1, {2, 2, 2, 2}, nullptr},
        ConvCase{"depthwise_multiplier2", 3, 6, 5, 5, 3, 3, 1, 1, {1, 1, 1, 1}, nullptr},
        ConvCase{"grouped_4_groups", 16, 8, 5, 5, 3, 4, 1, 1, {1, 1, 1, 1}, nullptr},
        ConvCase{"dilation2", 4, 4, 9, 9, 3, 1, 1, 2, {2, 2, 2, 2}, nullptr},
        // Dilated depthwise convs (DeepLab / LRASPP backbones) take the depthwise kernels.
        ConvCase{"depthwise5x5_dilation2",
                 17,
                 17,
                 12,
                 11,
                 5,
                 17,
                 1,
                 2,
                 {4, 4, 4, 4},
                 nullptr,
                 "dwconv_5x5_s1"},
        ConvCase{"depthwise3x3_dilation3_s2_asymmetric",
                 15,
                 15,
                 13,
                 14,
                 3,
                 15,
                 2,
                 3,
                 {3, 0, 1, 3},
                 nullptr,
                 "dwconv_3x3_s2"},
        // Taps that read only padding are dropped (DeepLabV3's ASPP): the centre tap alone
        // (a 1x1 conv), one tap row of three, and a depthwise window down to its centre.
        ConvCase{"aspp_dilation8_centre_tap_only", 8, 8, 6, 6, 3, 1, 1, 8, {8, 8, 8, 8}, nullptr},
        ConvCase{"dilation3_tap_rows_in_padding", 4, 5, 2, 9, 3, 1, 1, 3, {3, 3, 3, 3}, nullptr},
        ConvCase{"depthwise_dilation6_centre_tap_only",
                 16,
                 16,
                 4,
                 4,
                 3,
                 16,
                 1,
                 6,
                 {6, 6, 6, 6},
                 nullptr},
        // The first live tap row starts past the top padding: kept whole (no negative pad).
        ConvCase{
            "dilation5_first_tap_row_dead_kept", 3, 4, 10, 10, 3, 1, 1, 5, {1, 1, 0, 0}, nullptr},
        ConvCase{"same_upper_stride2", 3, 4, 8, 7, 3, 1, 2, 1, {}, "SAME_UPPER"},
        ConvCase{"one_channel", 1, 1, 4, 4, 3, 1, 1, 1, {}, nullptr},
        // Winograd F(4x4, 3x3): partial tiles (outputs not multiples of 4), padding on some
        // sides only, channel tails (15, 17), a single output pixel.
        ConvCase{"winograd_8to8_pad1", 8, 8, 8, 8, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr, "winograd"},
        ConvCase{
            "winograd_15to17_odd", 15, 17, 13, 11, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr, "winograd"},
        ConvCase{
            "winograd_17to15_no_pad", 17, 15, 9, 7, 3, 1, 1, 1, {0, 0, 0, 0}, nullptr, "winograd"},
        ConvCase{"winograd_asymmetric_pads",
                 16,
                 24,
                 6,
                 10,
                 3,
                 1,
                 1,
                 1,
                 {0, 1, 1, 0},
                 nullptr,
                 "winograd"},
        ConvCase{"winograd_one_output_pixel",
                 64,
                 17,
                 3,
                 3,
                 3,
                 1,
                 1,
                 1,
                 {0, 0, 0, 0},
                 nullptr,
                 "winograd"},
        ConvCase{
            "winograd_64to64_27x27", 64, 64, 27, 27, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr, "winograd"},
        ConvCase{"dense3x3_few_channels_im2col",
                 4,
                 8,
                 9,
                 9,
                 3,
                 1,
                 1,
                 1,
                 {1, 1, 1, 1},
                 nullptr,
                 "im2col"}),
    [](const ::testing::TestParamInfo<ConvCase>& info) { return std::string(info.param.name); });

// Squeeze-excitation: an NHWC activation times a [1, C, 1, 1] gate from global pooling.
// The Winograd path applies fused post-ops per output tile row: a residual addend, then the
// activation (HardSwish runs after the tile, Relu is clamped inside the output transform).
TEST(RuntimeModel, WinogradConvWithFusedResidualThenActivation) {
  for (const char* act : {"Relu", "HardSwish"}) {
    const ConvCase p{"residual", 16, 16, 11, 9, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr};
    const Tensor x = Random({1, p.c, p.h, p.w}, 1);
    const Tensor w = Random({p.m, p.c, 3, 3}, 2);
    const Tensor b = Random({p.m}, 3);
    TestModel tm(14);  // HardSwish is opset 14's
    tm.Input("x", x.dims())
        .Init("w", w)
        .Init("b", b)
        .Node("Conv", {"x", "w", "b"}, {"c"}, Attrs(AttrInts("pads", p.pads)))
        .Node("Add", {"c", "x"}, {"s"})
        .Node(act, {"s"}, {"y"})
        .Output("y");
    auto model = tm.Load();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const std::vector<NodeSummary> nodes = (*model)->Summary();
    const auto conv = std::find_if(nodes.begin(), nodes.end(),
                                   [](const NodeSummary& n) { return n.op_type == "Conv"; });
    ASSERT_NE(conv, nodes.end());
    EXPECT_NE(conv->kernel.find("winograd"), std::string::npos) << conv->kernel;
    EXPECT_EQ(nodes.size(), 3u) << "the Add and the activation are fused into the Conv";
    auto y = RunOne(**model, "x", x);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    const std::vector<float> conv_ref = NaiveConv(p, x, w, b, p.h, p.w, 1, 1);
    for (size_t i = 0; i < conv_ref.size(); ++i) {
      const float s = conv_ref[i] + x.data<float>()[i];
      const float want = std::string(act) == "Relu"
                             ? std::max(s, 0.f)
                             : s * std::min(std::max(s + 3.f, 0.f), 6.f) / 6.f;
      ASSERT_NEAR(y->data<float>()[i], want, 1e-4f) << act << " element " << i;
    }
  }
}

// A fire module whose convs have no bias (valid ONNX) fuses and runs like the unfused convs.
TEST(RuntimeModel, FireModuleWithoutBiases) {
  const ConvCase squeeze{"s", 24, 8, 7, 6, 1, 1, 1, 1, {}, nullptr};
  const ConvCase expand1{"e1", 8, 16, 7, 6, 1, 1, 1, 1, {}, nullptr};
  const ConvCase expand3{"e3", 8, 16, 7, 6, 3, 1, 1, 1, {1, 1, 1, 1}, nullptr};
  const Tensor x = Random({1, 24, 7, 6}, 1);
  const Tensor ws = Random({8, 24, 1, 1}, 2), w1 = Random({16, 8, 1, 1}, 3),
               w3 = Random({16, 8, 3, 3}, 4);
  const TestModel tm = test::FireModel(x.dims(), ws, w1, w3);
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  bool fused = false;
  for (const NodeSummary& n : (*model)->Summary()) fused = fused || n.op_type == "Fire";
  EXPECT_TRUE(fused);
  auto y = RunOne(**model, "x", x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  const auto relu = [](std::vector<float> v) {
    for (float& f : v) f = std::max(f, 0.f);
    return v;
  };
  Tensor s = Random({1, 8, 7, 6}, 0);
  const std::vector<float> sv = relu(NaiveConv(
      squeeze, x, ws, Tensor::FromFloats({8}, std::vector<float>(8)).value(), 7, 6, 0, 0));
  std::copy(sv.begin(), sv.end(), s.data<float>());
  const Tensor zeros = Tensor::FromFloats({16}, std::vector<float>(16)).value();
  const std::vector<float> a = relu(NaiveConv(expand1, s, w1, zeros, 7, 6, 0, 0));
  const std::vector<float> c = relu(NaiveConv(expand3, s, w3, zeros, 7, 6, 1, 1));
  ASSERT_EQ(y->num_elements(), 32 * 7 * 6);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(y->data<float>()[i], a[i], 1e-4f) << i;
  for (size_t i = 0; i < c.size(); ++i) {
    ASSERT_NEAR(y->data<float>()[a.size() + i], c[i], 1e-4f) << i;
  }
}

TEST(RuntimeModel, SqueezeExcitationBroadcastAcrossLayouts) {
  const Tensor x = Random({1, 4, 3, 3}, 7);
  TestModel tm;
  tm.Input("x", x.dims())
      .Init("w", Tensor::FromFloats({4, 1, 1, 1}, {1.f, 1.f, 1.f, 1.f}).value())
      .Node("Conv", {"x", "w"}, {"c"}, Attrs(AttrInt("group", 4)))
      .Node("GlobalAveragePool", {"c"}, {"p"})
      .Node("Sigmoid", {"p"}, {"s"})
      .Node("Mul", {"c", "s"}, {"y"})
      .Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto y = RunOne(**model, "x", x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  for (int c = 0; c < 4; ++c) {
    double mean = 0;
    for (int i = 0; i < 9; ++i) mean += x.data<float>()[c * 9 + i] / 9.0;
    const double gate = 1.0 / (1.0 + std::exp(-mean));
    for (int i = 0; i < 9; ++i) {
      EXPECT_NEAR(y->data<float>()[c * 9 + i], x.data<float>()[c * 9 + i] * gate, 1e-5);
    }
  }
}

// ReduceMean over H and W (global average pooling), keepdims 0 and 1, on an NHWC activation
// (after a depthwise identity conv) and on a plain graph input: 2 images of 5 channels (a
// 4-channel block and a 1-channel tail) of 3x4 pixels.
TEST(RuntimeModel, ReduceMeanOverHWFromNHWCAndPlain) {
  const Tensor x = Random({2, 5, 3, 4}, 11);
  for (const bool after_conv : {true, false})
    for (const int64_t keepdims : {0, 1}) {
      SCOPED_TRACE(std::string(after_conv ? "NHWC" : "plain") + " keepdims " +
                   std::to_string(keepdims));
      TestModel tm;
      tm.Input("x", x.dims())
          .Init("w", Tensor::FromFloats({5, 1, 1, 1}, std::vector<float>(5, 1.f)).value());
      if (after_conv) tm.Node("Conv", {"x", "w"}, {"c"}, Attrs(AttrInt("group", 5)));
      tm.Node("ReduceMean", {after_conv ? "c" : "x"}, {"y"},
              Attrs(AttrInts("axes", {2, 3}), AttrInt("keepdims", keepdims)))
          .Output("y");
      auto model = tm.Load();
      ASSERT_TRUE(model.ok()) << model.status().ToString();
      auto y = RunOne(**model, "x", x);
      ASSERT_TRUE(y.ok()) << y.status().ToString();
      EXPECT_EQ(y->dims(), keepdims ? (Dims{2, 5, 1, 1}) : (Dims{2, 5}));
      for (int nc = 0; nc < 10; ++nc) {
        double mean = 0;
        for (int i = 0; i < 12; ++i) mean += x.data<float>()[nc * 12 + i] / 12.0;
        EXPECT_NEAR(y->data<float>()[nc], mean, 1e-6)
            << "image " << nc / 5 << " channel " << nc % 5;
      }
    }
}

// ONNX Clip with min > max gives max everywhere, standalone (vclamp), fused into a depthwise
// and a pointwise conv (their minmax epilogues) and into a residual Add (vadd_minmax).
TEST(RuntimeModel, ClipWithMinGreaterThanMaxGivesMaxEverywhere) {
  const Tensor x = Random({1, 6, 5, 7}, 13);
  for (const char* producer : {"none", "depthwise", "pointwise", "add"}) {
    SCOPED_TRACE(producer);
    TestModel tm;
    tm.Input("x", x.dims())
        .Init("lo", Tensor::FromFloats({}, {0.5f}).value())
        .Init("hi", Tensor::FromFloats({}, {-0.25f}).value())
        .Init("dw", Tensor::FromFloats({6, 1, 3, 3}, std::vector<float>(54, 0.25f)).value())
        .Init("pw", Tensor::FromFloats({6, 6, 1, 1}, std::vector<float>(36, 0.5f)).value());
    const std::string p = producer;
    std::string clipped = "x";
    if (p == "depthwise") {
      tm.Node("Conv", {"x", "dw"}, {"c"},
              Attrs(AttrInt("group", 6), AttrInts("pads", {1, 1, 1, 1})));
      clipped = "c";
    } else if (p == "pointwise") {
      tm.Node("Conv", {"x", "pw"}, {"c"});
      clipped = "c";
    } else if (p == "add") {
      tm.Node("Conv", {"x", "pw"}, {"c"}).Node("Add", {"c", "x"}, {"s"});
      clipped = "s";
    }
    tm.Node("Clip", {clipped, "lo", "hi"}, {"y"}).Output("y");
    auto model = tm.Load();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    auto y = RunOne(**model, "x", x);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    ASSERT_EQ(y->num_elements(), x.num_elements());
    for (int64_t i = 0; i < y->num_elements(); ++i) {
      ASSERT_EQ(y->data<float>()[i], -0.25f) << "element " << i;
    }
  }
}

// Fire module: squeeze, then two expands concatenated on channels (NHWC concat on the last axis).
TEST(RuntimeModel, FireModuleConcatOnChannels) {
  const Tensor x = Random({1, 2, 4, 4}, 9);
  TestModel tm;
  tm.Input("x", x.dims())
      .Init("e1", Tensor::FromFloats({1, 2, 1, 1}, {1.f, 0.f}).value())
      .Init("e3", Tensor::FromFloats({1, 2, 1, 1}, {0.f, 2.f}).value())
      .Node("Conv", {"x", "e1"}, {"a"})
      .Node("Conv", {"x", "e3"}, {"b"})
      .Node("Concat", {"a", "b"}, {"y"}, Attrs(AttrInt("axis", 1)))
      .Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto y = RunOne(**model, "x", x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_EQ(y->dims(), (Dims{1, 2, 4, 4}));
  for (int i = 0; i < 16; ++i) {
    EXPECT_FLOAT_EQ(y->data<float>()[i], x.data<float>()[i]);
    EXPECT_FLOAT_EQ(y->data<float>()[16 + i], 2.f * x.data<float>()[16 + i]);
  }
}

TEST(RuntimeModel, ConvTapsReadingOnlyPaddingCostNoMultiplyAdds) {
  // ASPP's shape: a 3x3 conv at dilation 8 on a 6x6 map, padded 8: every output reads the image
  // through the centre tap only, so it runs as a 1x1 conv (a GEMM, not im2col).
  TestModel tm;
  tm.Input("x", {1, 8, 6, 6})
      .Init("w", Random({8, 8, 3, 3}, 1))
      .Node("Conv", {"x", "w"}, {"y"},
            Attrs(AttrInts("pads", {8, 8, 8, 8}), AttrInts("dilations", {8, 8})))
      .Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  NodeSummary conv;
  for (const NodeSummary& n : (*model)->Summary())
    if (n.op_type == "Conv") conv = n;
  EXPECT_EQ(conv.macs, 6 * 6 * 8 * 8);
  EXPECT_EQ(conv.kernel.find("im2col"), std::string::npos) << conv.kernel;
}

TEST(RuntimeModel, SummaryCountsMultiplyAddsOfFusedNodes) {
  // A 3x3 conv (3 -> 4 channels, pad 1, 8x8, with its Relu fused) and a Gemm 256 -> 10 after a
  // Flatten: 8*8*4*27 + 256*10 multiply-adds; the Relu is part of the Conv node.
  TestModel tm;
  tm.Input("x", {1, 3, 8, 8})
      .Init("w", Random({4, 3, 3, 3}, 1))
      .Init("fc", Random({10, 256}, 2))
      .Node("Conv", {"x", "w"}, {"c"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("Relu", {"c"}, {"r"})
      .Node("Flatten", {"r"}, {"f"})
      .Node("Gemm", {"f", "fc"}, {"y"}, Attrs(AttrInt("transB", 1)))
      .Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int64_t conv_macs = -1, gemm_macs = -1, total = 0;
  for (const NodeSummary& n : (*model)->Summary()) {
    EXPECT_NE(n.op_type, "Relu");
    if (n.op_type == "Conv") conv_macs = n.macs;
    if (n.op_type == "Gemm") gemm_macs = n.macs;
    total += n.macs;
  }
  EXPECT_EQ(conv_macs, 8 * 8 * 4 * 27);
  EXPECT_EQ(gemm_macs, 256 * 10);
  EXPECT_EQ(total, conv_macs + gemm_macs);
}

TEST(RuntimeModel, LoadTakingTheBytesInEitherContainer) {
  // The owning overloads free the file once decoded; the model must not depend on it after.
  const std::string b = ReluModel().Bytes();
  std::vector<uint8_t> vec(b.begin(), b.end());
  std::unique_ptr<uint8_t[]> raw(new uint8_t[b.size()]);
  std::copy(b.begin(), b.end(), raw.get());
  auto from_vector = Model::Load(std::move(vec));
  auto from_buffer = Model::Load(std::move(raw), b.size());
  ASSERT_TRUE(from_vector.ok()) << from_vector.status().ToString();
  ASSERT_TRUE(from_buffer.ok()) << from_buffer.status().ToString();
  for (auto* model : {&from_vector, &from_buffer}) {
    auto y = RunOne(***model, "x", Tensor::FromFloats({1, 3}, {-1.f, 0.5f, 2.f}).value());
    ASSERT_TRUE(y.ok());
    EXPECT_EQ(y->data<float>()[0], 0.f);
    EXPECT_EQ(y->data<float>()[2], 2.f);
  }
  std::unique_ptr<uint8_t[]> truncated(new uint8_t[b.size() / 2]);
  std::copy(b.begin(), b.begin() + b.size() / 2, truncated.get());
  EXPECT_FALSE(Model::Load(std::move(truncated), b.size() / 2).ok());
}

TEST(RuntimeModel, ReluValues) {
  auto model = ReluModel().Load();
  ASSERT_TRUE(model.ok());
  auto y = RunOne(**model, "x", Tensor::FromFloats({1, 3}, {-1.f, 0.5f, 2.f}).value());
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->data<float>()[0], 0.f);
  EXPECT_EQ(y->data<float>()[1], 0.5f);
  EXPECT_EQ(y->data<float>()[2], 2.f);
}

TEST(RuntimeModel, UnknownInputNameListsValidNames) {
  auto model = ReluModel().Load();
  auto y = RunOne(**model, "nope", Tensor::FromFloats({1, 3}, {0, 0, 0}).value());
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(y.status().message().find("unknown input 'nope'"), std::string::npos);
  EXPECT_NE(y.status().message().find("'x'"), std::string::npos) << y.status().message();
}

TEST(RuntimeModel, WrongDimsSayWhatWasExpected) {
  auto model = ReluModel().Load();
  auto y = RunOne(**model, "x", Tensor::FromFloats({3}, {0, 0, 0}).value());
  ASSERT_FALSE(y.ok());
  EXPECT_NE(y.status().message().find("must have dims [1, 3], got [3]"), std::string::npos)
      << y.status().message();
}

TEST(RuntimeModel, WrongDtypeIsRejected) {
  auto model = ReluModel().Load();
  auto y = RunOne(**model, "x", Tensor::FromInt64s({1, 3}, {0, 0, 0}).value());
  ASSERT_FALSE(y.ok());
  EXPECT_NE(y.status().message().find("must be float32, got int64"), std::string::npos);
}

TEST(RuntimeModel, MissingInputIsNamed) {
  auto model = ReluModel().Load();
  auto y = (*model)->Run({});
  ASSERT_FALSE(y.ok());
  EXPECT_NE(y.status().message().find("input 'x' is missing"), std::string::npos);
}

// x * s, where s is both a graph input and an initializer (as IR 3 exports list every weight).
TestModel ScaleListedAsInput() {
  TestModel tm;
  tm.Input("x", {1, 3})
      .Input("s", {1, 3})
      .Init("s", Tensor::FromFloats({1, 3}, {2.f, 3.f, 4.f}).value())
      .Init("t", Tensor::FromFloats({1, 3}, {1.f, 1.f, 1.f}).value())
      .Node("Mul", {"x", "s"}, {"m"})
      .Node("Add", {"m", "t"}, {"y"})
      .Output("y");
  return tm;
}

TEST(RuntimeModel, InitializerListedAsInputIsAConstant) {
  auto model = ScaleListedAsInput().Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_EQ((*model)->inputs().size(), 1u);
  EXPECT_EQ((*model)->inputs()[0].name, "x");
  EXPECT_EQ((*model)->initializer_inputs(), std::vector<std::string>{"s"});
  auto y = RunOne(**model, "x", Tensor::FromFloats({1, 3}, {1.f, 1.f, 2.f}).value());
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(std::vector<float>(y->data<float>(), y->data<float>() + 3),
            (std::vector<float>{3.f, 4.f, 9.f}));
}

TEST(RuntimeModel, FeedingAConstantInitializerInputNamesTheOption) {
  auto model = ScaleListedAsInput().Load();
  ASSERT_TRUE(model.ok());
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 3}, {1.f, 1.f, 1.f}).value()});
  in.push_back({"s", Tensor::FromFloats({1, 3}, {5.f, 5.f, 5.f}).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("input 's' has an initializer"), std::string::npos);
  EXPECT_NE(out.status().message().find("fed_initializers"), std::string::npos)
      << out.status().message();
}

TEST(RuntimeModel, FedInitializerStaysAnInputWithItsInitializersDims) {
  LoadOptions options;
  options.fed_initializers = {"s"};
  auto model = ScaleListedAsInput().Load(options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_EQ((*model)->inputs().size(), 2u);
  EXPECT_EQ((*model)->inputs()[1].name, "s");
  EXPECT_EQ((*model)->inputs()[1].dims, (Dims{1, 3}));
  EXPECT_TRUE((*model)->initializer_inputs().empty());
  for (float scale : {5.f, -1.f}) {  // the fed value, not the initializer's, every run
    std::vector<NamedTensor> in;
    in.push_back({"x", Tensor::FromFloats({1, 3}, {1.f, 2.f, 3.f}).value()});
    in.push_back({"s", Tensor::FromFloats({1, 3}, {scale, scale, scale}).value()});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const float* y = (*out)[0].tensor.data<float>();
    EXPECT_EQ(std::vector<float>(y, y + 3),
              (std::vector<float>{scale + 1, 2 * scale + 1, 3 * scale + 1}));
  }
}

TEST(RuntimeModel, FedInitializersThatCannotBeFedAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {"nope", "initializer to feed 'nope' is not in the model"},
      {"t", "initializer 't' cannot be fed: the graph does not list it as an input"},
      {"x", "input 'x' has no initializer"},
  };
  for (const auto& [name, message] : cases) {
    LoadOptions options;
    options.fed_initializers = {name};
    auto model = ScaleListedAsInput().Load(options);
    ASSERT_FALSE(model.ok()) << name;
    EXPECT_EQ(model.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(model.status().message().find(message), std::string::npos)
        << model.status().message();
  }
}

TEST(RuntimeModel, UsableAfterErrors) {
  auto model = ReluModel().Load();
  EXPECT_FALSE(RunOne(**model, "nope", Tensor::FromFloats({1, 3}, {0, 0, 0}).value()).ok());
  auto y = RunOne(**model, "x", Tensor::FromFloats({1, 3}, {-3.f, 3.f, 0.f}).value());
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->data<float>()[1], 3.f);
}

TEST(RuntimeModel, TruncatedModelFailsAtEverySixteenth) {
  TestModel tm;
  tm.Input("x", {1, 3, 5, 5})
      .Init("w", Random({4, 3, 3, 3}, 1))
      .Init("b", Random({4}, 2))
      .Node("Conv", {"x", "w", "b"}, {"c"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("Relu", {"c"}, {"y"})
      .Output("y");
  const std::string bytes = tm.Bytes();
  for (int i = 0; i < 16; ++i) {
    const size_t n = bytes.size() * i / 16;
    auto model = Model::Load(onnx::test::Bytes(bytes), n);
    EXPECT_FALSE(model.ok()) << "truncated at " << n << " of " << bytes.size();
  }
  EXPECT_TRUE(Model::Load(onnx::test::Bytes(bytes), bytes.size()).ok());
}

TEST(RuntimeModel, ConstantOutputIsReturned) {
  TestModel tm;
  tm.Input("x", {2, 5}).Node("Shape", {"x"}, {"s"}).Node("Relu", {"x"}, {"y"}).Output("s");
  tm.Output("y");
  auto model = tm.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({2, 5}, std::vector<float>(10, 1.f)).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.GetAsInt64(0), 2);
  EXPECT_EQ((*out)[0].tensor.GetAsInt64(1), 5);
}

}  // namespace
}  // namespace litecnn
