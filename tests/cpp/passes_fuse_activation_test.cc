// FuseActivations (passes/fuse_activation.cc): Relu, Clip, HardSwish, LeakyRelu and PRelu (one
// constant slope or one per channel) after a conv run inside it with the same numbers; Sigmoid,
// a PRelu whose slope varies along H or W, and an activation whose input has another reader,
// stay.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::LoadedGraph;
using test::OpTypes;
using test::TestModel;

TestModel ConvThen(const std::string& op, std::vector<onnx::Attribute> attrs = {}) {
  TestModel m(14);  // HardSwish is opset 14's
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, -1.f, 2.f, 0.5f}).value())
      .Init("lo", Tensor::FromFloats({}, {0.f}).value())
      .Init("hi", Tensor::FromFloats({}, {6.f}).value())
      .Node("Conv", {"x", "w"}, {"c"});
  if (op == "Clip") {
    m.Node("Clip", {"c", "lo", "hi"}, {"y"});
  } else if (op == "PRelu") {
    m.Init("slope", Tensor::FromFloats({2, 1, 1}, {0.25f, -1.5f}).value());
    m.Node("PRelu", {"c", "slope"}, {"y"});
  } else if (op == "PRelu4D") {
    m.Init("slope", Tensor::FromFloats({1, 2, 1, 1}, {0.25f, -1.5f}).value());
    m.Node("PRelu", {"c", "slope"}, {"y"});
  } else if (op == "PReluScalar") {
    m.Init("slope", Tensor::FromFloats({1}, {0.3f}).value());
    m.Node("PRelu", {"c", "slope"}, {"y"});
  } else if (op == "PReluAlongW") {
    m.Init("slope", Tensor::FromFloats({3}, {0.1f, 0.2f, 0.3f}).value());
    m.Node("PRelu", {"c", "slope"}, {"y"});
  } else {
    m.Node(op, {"c"}, {"y"}, std::move(attrs));
  }
  m.Output("y");
  return m;
}

TEST(FuseActivations, ReluIntoConv) {
  auto g = LoadedGraph(ConvThen("Relu"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
}

TEST(FuseActivations, ClipAndHardSwishIntoConv) {
  for (const char* op : {"Clip", "HardSwish"}) {
    auto g = LoadedGraph(ConvThen(op));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}))
        << op;
  }
}

TEST(FuseActivations, LeakyReluAndPReluIntoConv) {
  for (const char* op : {"LeakyRelu", "PRelu", "PRelu4D", "PReluScalar"}) {
    auto g = LoadedGraph(ConvThen(op));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}))
        << op;
  }
}

// A slope per column is no per-channel activation: the PRelu runs on its own.
TEST(FuseActivations, PReluAlongWidthIsNotFused) {
  auto g = LoadedGraph(ConvThen("PReluAlongW"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  int prelus = 0;
  for (const Node& n : g->nodes) prelus += n.op_type == "PRelu";
  EXPECT_EQ(prelus, 1);
}

TEST(FuseActivations, SigmoidIsNotFused) {
  auto g = LoadedGraph(ConvThen("Sigmoid"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(OpTypes(*g),
            (std::vector<std::string>{"LayoutConvert", "Conv", "Sigmoid", "LayoutConvert"}));
}

TEST(FuseActivations, NotWhenPreActivationIsAlsoRead) {
  TestModel m = ConvThen("Relu");
  m.Output("c");  // the conv's raw output is a graph output too
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok());
  int relus = 0;
  for (const Node& n : g->nodes) relus += n.op_type == "Relu";
  EXPECT_EQ(relus, 1);
}

TEST(FuseActivations, FusedModelGivesTheSameNumbers) {
  for (const char* op : {"Relu", "Clip", "HardSwish", "LeakyRelu", "PRelu", "PRelu4D",
                         "PReluScalar", "PReluAlongW"}) {
    TestModel m = ConvThen(op);
    auto fused = m.Load();
    ASSERT_TRUE(fused.ok()) << fused.status().ToString();
    std::vector<NamedTensor> in;
    std::vector<float> xs(18);
    for (int i = 0; i < 18; ++i) xs[i] = static_cast<float>(i % 7) * 1.5f - 4.f;
    in.push_back({"x", Tensor::FromFloats({1, 2, 3, 3}, xs).value()});
    auto out = (*fused)->Run(std::move(in));
    ASSERT_TRUE(out.ok());
    // Expected: conv by hand (1x1: y0 = x0 - x1, y1 = 2 x0 + 0.5 x1), then the activation.
    for (int p = 0; p < 9; ++p) {
      const float c[2] = {xs[p] - xs[9 + p], 2.f * xs[p] + 0.5f * xs[9 + p]};
      for (int o = 0; o < 2; ++o) {
        float e = c[o];
        if (std::string(op) == "Relu") e = std::max(e, 0.f);
        if (std::string(op) == "Clip") e = std::min(std::max(e, 0.f), 6.f);
        if (std::string(op) == "HardSwish") e = e * std::min(std::max(e + 3.f, 0.f), 6.f) / 6.f;
        const float per_channel[2] = {0.25f, -1.5f}, along_w[3] = {0.1f, 0.2f, 0.3f};
        if (std::string(op) == "LeakyRelu" && e < 0) e *= 0.01f;
        if (std::string(op).rfind("PRelu", 0) == 0 && e < 0) {
          const std::string form = op;
          e *= form == "PReluScalar"   ? 0.3f
               : form == "PReluAlongW" ? along_w[p % 3]
                                       : per_channel[o];
        }
        EXPECT_NEAR((*out)[0].tensor.data<float>()[o * 9 + p], e, 1e-5f) << op;
      }
    }
  }
}

}  // namespace
}  // namespace litecnn
