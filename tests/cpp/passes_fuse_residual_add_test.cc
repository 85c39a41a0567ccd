// FuseResidualAdds (passes/fuse_residual_add.cc): an Add after a conv becomes the conv's addend;
// BlazeFace's Concat(a, zeros) residual becomes a partial addend for every conv algorithm, and
// the variants that must keep their Concat keep it. Numbers checked against unfused references.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::CountOps;
using test::Ints;
using test::LoadedGraph;
using test::OpTypes;
using test::Seeded;
using test::TestModel;

TEST(FuseResidualAdds, AddAfterConvThenRelu) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, 0.f, 0.f, 1.f}).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("Add", {"c", "x"}, {"s"})
      .Node("Relu", {"s"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
  auto model = m.Load();
  std::vector<float> xs(18);
  for (int i = 0; i < 18; ++i) xs[i] = static_cast<float>(i) - 9.f;
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 2, 3, 3}, xs).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok());
  for (int i = 0; i < 18; ++i) {
    EXPECT_FLOAT_EQ((*out)[0].tensor.data<float>()[i], std::max(2.f * xs[i], 0.f));
  }
}

// BlazeFace's widening residual: y = act(conv(x) + Concat(a, zeros)) with the zeros from a
// ConstantOfShape, and the variants around it that must or must not become a partial addend.
// The conv's output is [1, 8, h, w] for every algorithm; the residual a has 5 channels.
enum class ConvAlgo { kPointwise, kDepthwise, kConvHwc, kIm2col };
enum class Residual {
  kTrailingZeros,       // Concat(a, zeros) on channels
  kTrailingZeroPieces,  // Concat(a, zeros, zeros)
  kLeadingZeros,        // Concat(zeros, a)
  kNonZeroPad,          // Concat(a, non-zero constant)
  kHeightConcat,        // Concat(a, zeros) on the height axis (a has all 8 channels)
};
struct PaddedResidual {
  ConvAlgo algo = ConvAlgo::kPointwise;
  Residual residual = Residual::kTrailingZeros;
  int64_t axis = 1;            // of the channel concats: 1 or -3
  const char* act = "Relu";    // or "HardSwish", or "" for none
  bool cat_is_output = false;  // the Concat has another reader
  int64_t h = 4, w = 5;        // output rows and columns
};

Dims ResidualDims(const PaddedResidual& s) {
  return s.residual == Residual::kHeightConcat ? Dims{1, 8, s.h - 1, s.w} : Dims{1, 5, s.h, s.w};
}

Dims ConvInputDims(const PaddedResidual& s) {
  switch (s.algo) {
    case ConvAlgo::kPointwise:
      return {1, 6, s.h, s.w};
    case ConvAlgo::kDepthwise:
      return {1, 8, s.h, s.w};
    case ConvAlgo::kConvHwc:
      return {1, 3, 2 * s.h, 2 * s.w};
    case ConvAlgo::kIm2col:
      return {1, 4, s.h, s.w};
  }
  return {};
}

// The model under test, or (reference) one computing the conv and the Concat as two outputs,
// from which the test computes act(conv + cat) by hand.
TestModel PaddedResidualModel(const PaddedResidual& s, bool reference) {
  TestModel m(14);  // HardSwish is opset 14's
  m.Input("x", ConvInputDims(s)).Input("a", ResidualDims(s)).Init("b", Seeded({8}, 12));
  switch (s.algo) {
    case ConvAlgo::kPointwise:
      m.Init("w", Seeded({8, 6, 1, 1}, 11)).Node("Conv", {"x", "w", "b"}, {"c"});
      break;
    case ConvAlgo::kDepthwise:
      m.Init("w", Seeded({8, 1, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInt("group", 8), AttrInts("pads", {1, 1, 1, 1})));
      break;
    case ConvAlgo::kConvHwc:
      m.Init("w", Seeded({8, 3, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInts("strides", {2, 2}), AttrInts("pads", {1, 1, 1, 1})));
      break;
    case ConvAlgo::kIm2col:
      m.Init("w", Seeded({8, 2, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInt("group", 2), AttrInts("pads", {1, 1, 1, 1})));
      break;
  }
  const auto concat = [&](std::vector<std::string> parts, int64_t axis) {
    m.Node("Concat", std::move(parts), {"cat"}, test::Attrs(AttrInt("axis", axis)));
  };
  switch (s.residual) {
    case Residual::kTrailingZeros:
      m.Init("shape", Ints({1, 3, s.h, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"a", "z"}, s.axis);
      break;
    case Residual::kTrailingZeroPieces:
      m.Init("shape1", Ints({1, 1, s.h, s.w}))
          .Init("shape2", Ints({1, 2, s.h, s.w}))
          .Node("ConstantOfShape", {"shape1"}, {"z1"})
          .Node("ConstantOfShape", {"shape2"}, {"z2"});
      concat({"a", "z1", "z2"}, s.axis);
      break;
    case Residual::kLeadingZeros:
      m.Init("shape", Ints({1, 3, s.h, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"z", "a"}, s.axis);
      break;
    case Residual::kNonZeroPad:
      m.Init("z", Seeded({1, 3, s.h, s.w}, 13));
      concat({"a", "z"}, s.axis);
      break;
    case Residual::kHeightConcat:
      m.Init("shape", Ints({1, 8, 1, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"a", "z"}, 2);
      break;
  }
  if (reference) {
    m.Output("c").Output("cat");
    return m;
  }
  m.Node("Add", {"c", "cat"}, {"s"});
  if (std::string(s.act).empty()) {
    m.Output("s");
  } else {
    m.Node(s.act, {"s"}, {"y"}).Output("y");
  }
  if (s.cat_is_output) m.Output("cat");
  return m;
}

// Output 0 of the model under test against act(conv + cat) from the reference model.
void ExpectPaddedResidualNumbers(const PaddedResidual& s) {
  auto model = PaddedResidualModel(s, false).Load();
  auto reference = PaddedResidualModel(s, true).Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  const Tensor x = Seeded(ConvInputDims(s), 7);
  const Tensor a = Seeded(ResidualDims(s), 8);
  std::vector<NamedTensor> in, ref_in;
  in.push_back({"x", x.Clone().value()});
  in.push_back({"a", a.Clone().value()});
  ref_in.push_back({"x", x.Clone().value()});
  ref_in.push_back({"a", a.Clone().value()});
  auto y = (*model)->Run(std::move(in));
  auto ref = (*reference)->Run(std::move(ref_in));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  const Tensor& got = (*y)[0].tensor;
  const Tensor& conv = (*ref)[0].tensor;
  const Tensor& cat = (*ref)[1].tensor;
  ASSERT_EQ(got.dims(), (Dims{1, 8, s.h, s.w}));
  ASSERT_EQ(conv.dims(), got.dims());
  ASSERT_EQ(cat.dims(), got.dims());
  const std::string act = s.act;
  for (int64_t i = 0; i < got.num_elements(); ++i) {
    float e = conv.data<float>()[i] + cat.data<float>()[i];
    if (act == "Relu") e = std::max(e, 0.f);
    if (act == "HardSwish") e = e * std::min(std::max(e + 3.f, 0.f), 6.f) / 6.f;
    ASSERT_NEAR(got.data<float>()[i], e, 1e-5f) << "element " << i;
  }
}

// The one Conv's fused addend (input 3), or -1.
int ConvAddend(const Graph& g) {
  for (const Node& n : g.nodes) {
    if (n.op_type == "Conv" && n.inputs.size() == 4) return n.inputs[3];
  }
  return -1;
}

TEST(FuseResidualAdds, ZeroChannelPadConcatBecomesPartialAddend) {
  std::vector<PaddedResidual> cases;
  for (ConvAlgo algo :
       {ConvAlgo::kPointwise, ConvAlgo::kDepthwise, ConvAlgo::kConvHwc, ConvAlgo::kIm2col}) {
    PaddedResidual s;
    s.algo = algo;
    cases.push_back(s);
  }
  // 64x64 outputs take several pointwise GEMM blocks and im2col bands, each with its own
  // addend offset.
  for (ConvAlgo algo : {ConvAlgo::kPointwise, ConvAlgo::kIm2col}) {
    PaddedResidual s;
    s.algo = algo;
    s.h = s.w = 64;
    cases.push_back(s);
  }
  PaddedResidual negative_axis;
  negative_axis.axis = -3;
  cases.push_back(negative_axis);
  PaddedResidual pieces;
  pieces.residual = Residual::kTrailingZeroPieces;
  cases.push_back(pieces);
  for (const char* act : {"HardSwish", ""}) {
    PaddedResidual s;
    s.act = act;
    cases.push_back(s);
  }
  for (size_t k = 0; k < cases.size(); ++k) {
    SCOPED_TRACE("case " + std::to_string(k));
    auto g = LoadedGraph(PaddedResidualModel(cases[k], false));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    // Concat, Add and the activation are all gone into the conv, which reads a directly.
    EXPECT_EQ(CountOps(*g, "Concat"), 0);
    EXPECT_EQ(CountOps(*g, "Add"), 0);
    EXPECT_EQ(CountOps(*g, "Relu") + CountOps(*g, "HardSwish"), 0);
    EXPECT_EQ(CountOps(*g, "Conv"), 1);
    const int addend = ConvAddend(*g);
    ASSERT_GE(addend, 0);
    EXPECT_EQ(g->values[addend].desc.dims, (Dims{1, 5, cases[k].h, cases[k].w}));
    ExpectPaddedResidualNumbers(cases[k]);
  }
}

// The Concat stays, and the conv reads its whole output as a plain addend.
void ExpectConcatKeptAsFullAddend(const PaddedResidual& s) {
  auto g = LoadedGraph(PaddedResidualModel(s, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(CountOps(*g, "Concat"), 1);
  EXPECT_EQ(CountOps(*g, "Add"), 0);
  const int addend = ConvAddend(*g);
  ASSERT_GE(addend, 0);
  EXPECT_EQ(g->values[addend].desc.dims, (Dims{1, 8, s.h, s.w}));
  ExpectPaddedResidualNumbers(s);
}

TEST(FuseResidualAdds, NonZeroConcatIsNotFused) {
  PaddedResidual s;
  s.residual = Residual::kNonZeroPad;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, ConcatWithOtherReadersKeepsConcat) {
  PaddedResidual s;
  s.cat_is_output = true;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, LeadingZerosNotFused) {
  PaddedResidual s;
  s.residual = Residual::kLeadingZeros;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, ZeroPadConcatAlongHeightNotFused) {
  PaddedResidual s;
  s.residual = Residual::kHeightConcat;
  ExpectConcatKeptAsFullAddend(s);
}

}  // namespace
}  // namespace litecnn
