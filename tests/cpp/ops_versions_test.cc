// Each op whose meaning changed between ONNX versions, at the opsets on both sides of the change
// (ops/op_versions.inc says what changed): attributes that became inputs, defaults, legacy
// attributes and outputs, and what a version refuses.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrFloat;
using test::AttrInt;
using test::AttrInts;
using test::Attrs;
using test::AttrString;
using test::FailsWith;
using test::Ints;
using test::TestModel;

Tensor Floats(const Dims& dims, const std::vector<float>& v) {
  return Tensor::FromFloats(dims, v).value();
}

// A model of `opset` with input "x" of x's dims and every node output named "y*" as an output.
class OneNode {
 public:
  OneNode(int64_t opset, const Tensor& x) : m_(opset), x_(x.Clone().value()) {
    m_.Input("x", x.dims());
  }
  OneNode& Init(const std::string& name, const Tensor& t) {
    m_.Init(name, t);
    return *this;
  }
  OneNode& Node(const std::string& op, std::vector<std::string> inputs,
                std::vector<std::string> outputs, std::vector<onnx::Attribute> attrs = {}) {
    for (const std::string& o : outputs) m_.Output(o);
    m_.Node(op, std::move(inputs), std::move(outputs), std::move(attrs));
    return *this;
  }
  Status LoadStatus() const { return m_.Load().status(); }
  // Every output of one run on x; empty (and a failure) if it does not load or run.
  std::vector<Tensor> Run() const {
    auto model = m_.Load();
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    if (!model.ok()) return {};
    std::vector<NamedTensor> in;
    in.push_back({"x", x_.Clone().value()});
    auto out = (*model)->Run(std::move(in));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    std::vector<Tensor> ys;
    for (NamedTensor& t : *out) ys.push_back(std::move(t.tensor));
    return ys;
  }
  // Output 0 as floats.
  std::vector<float> Run0() const {
    std::vector<Tensor> ys = Run();
    if (ys.empty()) return {};
    return std::vector<float>(ys[0].data<float>(), ys[0].data<float>() + ys[0].num_elements());
  }

 private:
  TestModel m_;
  Tensor x_;
};

const Tensor kSix = Floats({6}, {1, 2, 3, 4, 5, 6});

std::vector<Dims> DimsOf(const std::vector<Tensor>& ts) {
  std::vector<Dims> d;
  for (const Tensor& t : ts) d.push_back(t.dims());
  return d;
}

// ---- Split -------------------------------------------------------------------------------------

TEST(OpVersionsSplit, Opset1TakesSizesFromInput) {
  OneNode n(1, kSix);
  n.Init("s", Ints({4, 2})).Node("Split", {"x", "s"}, {"y0", "y1"});
  EXPECT_EQ(DimsOf(n.Run()), (std::vector<Dims>{{4}, {2}}));
}

TEST(OpVersionsSplit, Opset12TakesSizesFromAttribute) {
  OneNode n(12, kSix);
  n.Node("Split", {"x"}, {"y0", "y1"}, Attrs(AttrInts("split", {2, 4})));
  EXPECT_EQ(DimsOf(n.Run()), (std::vector<Dims>{{2}, {4}}));
}

TEST(OpVersionsSplit, Opset12RefusesUnevenEqualParts) {
  OneNode n(12, Floats({5}, {1, 2, 3, 4, 5}));
  n.Node("Split", {"x"}, {"y0", "y1"});
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {"2 equal parts"}));
}

TEST(OpVersionsSplit, Opset13TakesSizesFromInput) {
  OneNode n(13, kSix);
  n.Init("s", Ints({2, 4})).Node("Split", {"x", "s"}, {"y0", "y1"});
  EXPECT_EQ(DimsOf(n.Run()), (std::vector<Dims>{{2}, {4}}));
}

TEST(OpVersionsSplit, Opset18NumOutputsMakesTheLastPartSmaller) {
  OneNode n(18, Floats({5}, {1, 2, 3, 4, 5}));
  n.Node("Split", {"x"}, {"y0", "y1"}, Attrs(AttrInt("num_outputs", 2)));
  const std::vector<Tensor> ys = n.Run();
  ASSERT_EQ(DimsOf(ys), (std::vector<Dims>{{3}, {2}}));
  EXPECT_EQ(ys[1].data<float>()[0], 4.f);
}

TEST(OpVersionsSplit, Opset18NeedsSplitOrNumOutputs) {
  OneNode n(18, kSix);
  n.Node("Split", {"x"}, {"y0", "y1"});
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {"num_outputs"}));
  OneNode wrong(18, kSix);
  wrong.Node("Split", {"x"}, {"y0", "y1"}, Attrs(AttrInt("num_outputs", 3)));
  EXPECT_TRUE(FailsWith(wrong.LoadStatus(), StatusCode::kInvalidModel, {"num_outputs 3"}));
}

// ---- ReduceMean --------------------------------------------------------------------------------

const Tensor kTwoByThree = Floats({2, 3}, {1, 2, 3, 4, 5, 9});

TEST(OpVersionsReduceMean, Opset17TakesAxesFromAttribute) {
  OneNode n(17, kTwoByThree);
  n.Node("ReduceMean", {"x"}, {"y"}, Attrs(AttrInts("axes", {1}), AttrInt("keepdims", 0)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{2, 6}));
}

TEST(OpVersionsReduceMean, Opset18TakesAxesFromInput) {
  OneNode n(18, kTwoByThree);
  n.Init("axes", Ints({0})).Node("ReduceMean", {"x", "axes"}, {"y"}, Attrs(AttrInt("keepdims", 0)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{2.5f, 3.5f, 6}));
}

TEST(OpVersionsReduceMean, Opset18EmptyAxesWithNoopIsIdentity) {
  OneNode n(18, kTwoByThree);
  n.Node("ReduceMean", {"x"}, {"y"}, Attrs(AttrInt("noop_with_empty_axes", 1)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{1, 2, 3, 4, 5, 9}));
}

// ---- The other reductions ---------------------------------------------------------------------

TEST(OpVersionsReduceSum, Opset12TakesAxesFromAttribute) {
  OneNode n(12, kTwoByThree);
  n.Node("ReduceSum", {"x"}, {"y"}, Attrs(AttrInts("axes", {1}), AttrInt("keepdims", 0)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{6, 18}));
}

TEST(OpVersionsReduceSum, Opset13TakesAxesFromInput) {
  OneNode n(13, kTwoByThree);
  n.Init("axes", Ints({-2})).Node("ReduceSum", {"x", "axes"}, {"y"});
  EXPECT_EQ(n.Run0(), (std::vector<float>{5, 7, 12}));
}

TEST(OpVersionsReduceSum, Opset13NoAxesReducesEveryAxisUnlessNoop) {
  OneNode all(13, kTwoByThree);
  all.Node("ReduceSum", {"x"}, {"y"}, Attrs(AttrInt("keepdims", 0)));
  EXPECT_EQ(all.Run0(), (std::vector<float>{24}));
  OneNode noop(13, kTwoByThree);
  noop.Init("axes", Ints({}))
      .Node("ReduceSum", {"x", "axes"}, {"y"}, Attrs(AttrInt("noop_with_empty_axes", 1)));
  EXPECT_EQ(noop.Run0(), (std::vector<float>{1, 2, 3, 4, 5, 9}));
}

TEST(OpVersionsReduceMax, Opset17TakesAxesFromAttribute) {
  OneNode n(17, kTwoByThree);
  n.Node("ReduceMax", {"x"}, {"y"}, Attrs(AttrInts("axes", {0})));
  EXPECT_EQ(n.Run0(), (std::vector<float>{4, 5, 9}));
}

TEST(OpVersionsReduceMax, Opset18TakesAxesFromInput) {
  OneNode n(18, kTwoByThree);
  n.Init("axes", Ints({1})).Node("ReduceMax", {"x", "axes"}, {"y"}, Attrs(AttrInt("keepdims", 0)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{3, 9}));
}

// An axes attribute at 18 is no longer read (the input is): every axis is reduced.
TEST(OpVersionsReduceMin, Opset18IgnoresAxesAttribute) {
  OneNode n(18, kTwoByThree);
  n.Node("ReduceMin", {"x"}, {"y"}, Attrs(AttrInts("axes", {1}), AttrInt("keepdims", 0)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{1}));
}

// Each reduction's map before and after the fold, over axis 1 of [[1, 2, 3], [4, 5, 9]].
TEST(OpVersionsReduce, EachReductionAtOpset13AndOpset18) {
  struct Want {
    const char* op;
    std::vector<float> y;
  };
  const Want wants[] = {
      {"ReduceSumSquare", {14, 122}},
      {"ReduceL1", {6, 18}},
      {"ReduceL2", {std::sqrt(14.0f), std::sqrt(122.0f)}},
      {"ReduceLogSum", {std::log(6.0f), std::log(18.0f)}},
      {"ReduceLogSumExp",
       {std::log(std::exp(1.0f) + std::exp(2.0f) + std::exp(3.0f)),
        std::log(std::exp(4.0f) + std::exp(5.0f) + std::exp(9.0f))}},
      {"ReduceProd", {6, 180}},
      {"ReduceMin", {1, 4}},
      {"ReduceMean", {2, 6}},
  };
  for (const Want& w : wants) {
    OneNode attr(13, kTwoByThree);
    attr.Node(w.op, {"x"}, {"y"}, Attrs(AttrInts("axes", {1}), AttrInt("keepdims", 0)));
    OneNode input(18, kTwoByThree);
    input.Init("axes", Ints({1})).Node(w.op, {"x", "axes"}, {"y"}, Attrs(AttrInt("keepdims", 0)));
    for (const std::vector<float>& y : {attr.Run0(), input.Run0()}) {
      ASSERT_EQ(y.size(), 2u) << w.op;
      for (size_t i = 0; i < 2; ++i) EXPECT_NEAR(y[i], w.y[i], 1e-5f * std::fabs(w.y[i])) << w.op;
    }
  }
}

// ReduceMax and ReduceMin also reduce int64 (shape arithmetic); the others refuse it by name.
TEST(OpVersionsReduce, MaxMinOfInt64AndOtherDtypesRefused) {
  for (const char* op : {"ReduceMax", "ReduceMin"}) {
    TestModel m(13);
    m.Input("x", {2, 3}, DataType::kInt64)
        .Node(op, {"x"}, {"y"}, Attrs(AttrInts("axes", {1}), AttrInt("keepdims", 1)))
        .Output("y");
    auto model = m.Load();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    std::vector<NamedTensor> in;
    in.push_back({"x", Tensor::FromInt64s({2, 3}, {7, -3, 5, int64_t{1} << 40, 0, -9}).value()});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const Tensor& y = (*out)[0].tensor;
    ASSERT_EQ(y.dtype(), DataType::kInt64);
    EXPECT_EQ(y.dims(), (Dims{2, 1}));
    const bool max = std::string(op) == "ReduceMax";
    EXPECT_EQ(y.data<int64_t>()[0], max ? 7 : -3);
    EXPECT_EQ(y.data<int64_t>()[1], max ? int64_t{1} << 40 : -9);
  }
  TestModel sum(13);
  sum.Input("x", {2, 3}, DataType::kInt64).Node("ReduceSum", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(sum.Load().status(), StatusCode::kUnsupported, {"int64", "float32"}));
}

TEST(OpVersionsReduce, OutOfRangeAxisNamed) {
  OneNode n(13, kTwoByThree);
  n.Node("ReduceL1", {"x"}, {"y"}, Attrs(AttrInts("axes", {2})));
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {"axis 2 out of range"}));
  OneNode m(18, kTwoByThree);
  m.Init("axes", Ints({-3})).Node("ReduceMax", {"x", "axes"}, {"y"});
  EXPECT_TRUE(FailsWith(m.LoadStatus(), StatusCode::kInvalidModel, {"axis -3 out of range"}));
}

// ---- InstanceNormalization, LRN ----------------------------------------------------------------

// [1, 2, 3] per channel: mean 2 (channel 0 [1, 2, 3], channel 1 [2, 4, 6] mean 4), normalised
// then scaled and shifted per channel; versions 1 and 6 agree (1 only adds consumed_inputs).
TEST(OpVersionsInstanceNormalization, Opset1And6NormalisePerChannel) {
  const Tensor x = Floats({1, 2, 3}, {1, 2, 3, 2, 4, 6});
  for (const int64_t opset : {1, 6, 22}) {
    OneNode n(opset, x);
    n.Init("s", Floats({2}, {1, 2})).Init("b", Floats({2}, {0, 10}));
    n.Node("InstanceNormalization", {"x", "s", "b"}, {"y"}, Attrs(AttrFloat("epsilon", 0)));
    const std::vector<float> y = n.Run0();
    const float r = std::sqrt(1.5f);  // (x - mean) / std for [1, 2, 3] and [2, 4, 6]
    const std::vector<float> want = {-r, 0, r, 10 - 2 * r, 10, 10 + 2 * r};
    ASSERT_EQ(y.size(), want.size()) << opset;
    for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], want[i], 1e-5f) << opset << " " << i;
  }
}

TEST(OpVersionsInstanceNormalization, BadRankAndScaleNamed) {
  OneNode flat(6, kTwoByThree);
  flat.Init("s", Floats({3}, {1, 1, 1})).Init("b", Floats({3}, {0, 0, 0}));
  flat.Node("InstanceNormalization", {"x", "s", "b"}, {"y"});
  EXPECT_TRUE(FailsWith(flat.LoadStatus(), StatusCode::kInvalidModel, {"rank >= 3"}));
  OneNode wrong(6, Floats({1, 2, 3}, {1, 2, 3, 4, 5, 6}));
  wrong.Init("s", Floats({3}, {1, 1, 1})).Init("b", Floats({2}, {0, 0}));
  wrong.Node("InstanceNormalization", {"x", "s", "b"}, {"y"});
  EXPECT_TRUE(FailsWith(wrong.LoadStatus(), StatusCode::kInvalidModel, {"scale must be [2]"}));
}

// Versions 1 and 13 agree; alpha is divided by size: one channel of 2 with size 3, alpha 3:
// 2 / (1 + 3 / 3 * 4) ^ 0.5 = 2 / sqrt(5).
TEST(OpVersionsLRN, Opset1And13DivideAlphaBySize) {
  for (const int64_t opset : {1, 13}) {
    OneNode n(opset, Floats({1, 1, 1, 1}, {2}));
    n.Node("LRN", {"x"}, {"y"},
           Attrs(AttrInt("size", 3), AttrFloat("alpha", 3), AttrFloat("beta", 0.5f)));
    const std::vector<float> y = n.Run0();
    ASSERT_EQ(y.size(), 1u);
    EXPECT_NEAR(y[0], 2 / std::sqrt(5.0f), 1e-6f);
  }
}

TEST(OpVersionsLRN, MissingSizeAndBadRankNamed) {
  OneNode none(13, Floats({1, 2, 1, 1}, {1, 2}));
  none.Node("LRN", {"x"}, {"y"});
  EXPECT_TRUE(FailsWith(none.LoadStatus(), StatusCode::kInvalidModel, {"size"}));
  OneNode zero(13, Floats({1, 2, 1, 1}, {1, 2}));
  zero.Node("LRN", {"x"}, {"y"}, Attrs(AttrInt("size", 0)));
  EXPECT_TRUE(FailsWith(zero.LoadStatus(), StatusCode::kInvalidModel, {"size 0"}));
  OneNode flat(13, kSix);
  flat.Node("LRN", {"x"}, {"y"}, Attrs(AttrInt("size", 3)));
  EXPECT_TRUE(FailsWith(flat.LoadStatus(), StatusCode::kInvalidModel, {"rank >= 2"}));
}

// ---- Pad ---------------------------------------------------------------------------------------

const Tensor kOneTwoThree = Floats({3}, {1, 2, 3});

TEST(OpVersionsPad, Opset1ReadsPaddingsAndValue) {
  OneNode n(1, kOneTwoThree);
  n.Node("Pad", {"x"}, {"y"}, Attrs(AttrInts("paddings", {1, 2}), AttrFloat("value", 7)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{7, 1, 2, 3, 7, 7}));
}

TEST(OpVersionsPad, Opset2And10ReadPadsAttribute) {
  for (int64_t opset : {2, 10}) {
    OneNode n(opset, kOneTwoThree);
    n.Node("Pad", {"x"}, {"y"}, Attrs(AttrInts("pads", {2, 0}), AttrString("mode", "edge")));
    EXPECT_EQ(n.Run0(), (std::vector<float>{1, 1, 1, 2, 3})) << "opset " << opset;
  }
}

TEST(OpVersionsPad, Opset11ReadsPadsAndValueInputs) {
  OneNode n(11, kOneTwoThree);
  n.Init("pads", Ints({0, 1}))
      .Init("v", Floats({}, {5}))
      .Node("Pad", {"x", "pads", "v"}, {"y"}, Attrs(AttrInts("pads", {9, 9})));
  EXPECT_EQ(n.Run0(), (std::vector<float>{1, 2, 3, 5}));
}

TEST(OpVersionsPad, Opset18ReadsAxesInput) {
  OneNode n(18, Floats({2, 2}, {1, 2, 3, 4}));
  n.Init("pads", Ints({1, 0}))
      .Init("axes", Ints({-1}))
      .Node("Pad", {"x", "pads", "", "axes"}, {"y"});
  EXPECT_EQ(n.Run0(), (std::vector<float>{0, 1, 2, 0, 3, 4}));
}

TEST(OpVersionsPad, Opset19WrapsAndOpset18RefusesWrap) {
  OneNode n(19, kOneTwoThree);
  n.Init("pads", Ints({2, 1})).Node("Pad", {"x", "pads"}, {"y"}, Attrs(AttrString("mode", "wrap")));
  EXPECT_EQ(n.Run0(), (std::vector<float>{2, 3, 1, 2, 3, 1}));
  OneNode old(18, kOneTwoThree);
  old.Init("pads", Ints({2, 1}))
      .Node("Pad", {"x", "pads"}, {"y"}, Attrs(AttrString("mode", "wrap")));
  EXPECT_TRUE(FailsWith(old.LoadStatus(), StatusCode::kUnsupported, {"Pad mode 'wrap'"}));
}

// ---- Clip --------------------------------------------------------------------------------------

const Tensor kRamp = Floats({5}, {-2, -1, 0, 1, 2});

TEST(OpVersionsClip, Opset10ReadsAttributes) {
  OneNode n(10, kRamp);
  n.Node("Clip", {"x"}, {"y"}, Attrs(AttrFloat("min", -1), AttrFloat("max", 1)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{-1, -1, 0, 1, 1}));
}

TEST(OpVersionsClip, Opset11ReadsInputsNotAttributes) {
  OneNode n(11, kRamp);
  n.Init("lo", Floats({}, {0}))
      .Node("Clip", {"x", "lo"}, {"y"}, Attrs(AttrFloat("min", -1), AttrFloat("max", 1)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{0, 0, 0, 1, 2}));
}

// ---- BatchNormalization ------------------------------------------------------------------------

// x [1, 2, 1, 2] = 1, 2, 3, 4; scale 2, bias 1, mean 1, var 1.
OneNode BatchNorm(int64_t opset, std::vector<onnx::Attribute> attrs) {
  OneNode n(opset, Floats({1, 2, 1, 2}, {1, 2, 3, 4}));
  const Tensor c = Floats({2}, {1, 1});
  n.Init("s", Floats({2}, {2, 2}))
      .Init("b", c)
      .Init("m", c)
      .Init("v", Floats({2}, {1, 1}))
      .Node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"}, std::move(attrs));
  return n;
}

// What BatchNorm gives: 2 (x - 1) / sqrt(1 + epsilon) + 1.
const std::vector<float> kNormalised = {1, 1 + 2 / std::sqrt(1 + 1e-5f),
                                        1 + 4 / std::sqrt(1 + 1e-5f), 1 + 6 / std::sqrt(1 + 1e-5f)};

TEST(OpVersionsBatchNorm, Opset5IgnoresConsumedInputsAndIsTest) {
  const std::vector<float> y =
      BatchNorm(5, Attrs(AttrInts("consumed_inputs", {0, 0, 0, 1, 1}), AttrInt("is_test", 1)))
          .Run0();
  test::ExpectNear(y, kNormalised);
}

TEST(OpVersionsBatchNorm, Opset6WithoutIsTestRunsOnGivenStatistics) {
  test::ExpectNear(BatchNorm(6, {}).Run0(), kNormalised);
}

TEST(OpVersionsBatchNorm, Opset7RefusesSpatial0AndOpset9IgnoresIt) {
  EXPECT_TRUE(FailsWith(BatchNorm(7, Attrs(AttrInt("spatial", 0))).LoadStatus(),
                        StatusCode::kUnsupported, {"spatial=0"}));
  test::ExpectNear(BatchNorm(9, Attrs(AttrInt("spatial", 0))).Run0(), kNormalised);
}

// ---- Add, Mul (legacy broadcasting) ------------------------------------------------------------

const Tensor kA = Floats({2, 3, 2}, {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1});

TEST(OpVersionsBinary, Opset6BroadcastLaysBOverAFromAxis) {
  OneNode n(6, kA);
  n.Init("b", Floats({3}, {10, 20, 30}))
      .Node("Add", {"x", "b"}, {"y"}, Attrs(AttrInt("broadcast", 1), AttrInt("axis", 1)));
  EXPECT_EQ(n.Run0(), (std::vector<float>{10, 10, 20, 20, 30, 30, 11, 11, 21, 21, 31, 31}));
}

TEST(OpVersionsBinary, Opset1BroadcastDefaultsToTrailingAxes) {
  OneNode n(1, kA);
  n.Init("b", Floats({2}, {2, 3}))
      .Node("Mul", {"x", "b"}, {"y"},
            Attrs(AttrInt("broadcast", 1), AttrInts("consumed_inputs", {0, 0})));
  EXPECT_EQ(n.Run0(), (std::vector<float>{0, 0, 0, 0, 0, 0, 2, 3, 2, 3, 2, 3}));
}

TEST(OpVersionsBinary, Opset6WithoutBroadcastNeedsEqualDims) {
  OneNode n(6, kA);
  n.Init("b", Floats({2}, {2, 3})).Node("Add", {"x", "b"}, {"y"});
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {"broadcast is not set"}));
}

TEST(OpVersionsBinary, Opset7BroadcastsLikeNumpyAndIgnoresAxis) {
  OneNode n(7, kA);
  n.Init("b", Floats({3}, {10, 20, 30}))
      .Node("Add", {"x", "b"}, {"y"}, Attrs(AttrInt("broadcast", 1), AttrInt("axis", 1)));
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {}));
}

// ---- Softmax -----------------------------------------------------------------------------------

TEST(OpVersionsSoftmax, Opset12NormalisesTheFlattenedTailOpset13OneAxis) {
  const Tensor x = Floats({1, 2, 2}, {0, 0, 0, 0});
  OneNode legacy(12, x);
  legacy.Node("Softmax", {"x"}, {"y"});
  EXPECT_EQ(legacy.Run0(), (std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f}));
  OneNode current(13, x);
  current.Node("Softmax", {"x"}, {"y"});
  EXPECT_EQ(current.Run0(), (std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f}));
}

// ---- AveragePool -------------------------------------------------------------------------------

TEST(OpVersionsAveragePool, Opset19HonoursDilations) {
  std::vector<float> v(25);
  for (int i = 0; i < 25; ++i) v[i] = static_cast<float>(i);
  for (int64_t opset : {19, 22}) {
    OneNode n(opset, Floats({1, 1, 5, 5}, v));
    n.Node("AveragePool", {"x"}, {"y"},
           Attrs(AttrInts("kernel_shape", {2, 2}), AttrInts("dilations", {2, 2})));
    // Window (i, j) averages x[i][j], x[i][j+2], x[i+2][j], x[i+2][j+2] = x[i][j] + 6.
    std::vector<float> expected;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) expected.push_back(static_cast<float>(i * 5 + j + 6));
    EXPECT_EQ(n.Run0(), expected) << "opset " << opset;
  }
}

// ---- Dropout -----------------------------------------------------------------------------------

TEST(OpVersionsDropout, Opset7MaskIsOnesOfTheDataType) {
  OneNode n(7, kRamp);
  n.Node("Dropout", {"x"}, {"y", "mask"}, Attrs(AttrFloat("ratio", 0.5f)));
  const std::vector<Tensor> ys = n.Run();
  ASSERT_EQ(ys.size(), 2u);
  EXPECT_EQ(ys[0].data<float>()[0], -2.f);
  EXPECT_EQ(ys[1].dtype(), DataType::kFloat32);
  for (int64_t i = 0; i < 5; ++i) EXPECT_EQ(ys[1].data<float>()[i], 1.f);
}

TEST(OpVersionsDropout, Opset10And12MaskIsTrue) {
  for (int64_t opset : {10, 12}) {
    OneNode n(opset, kRamp);
    n.Node("Dropout", {"x"}, {"y", "mask"});
    const std::vector<Tensor> ys = n.Run();
    ASSERT_EQ(ys.size(), 2u);
    EXPECT_EQ(ys[1].dtype(), DataType::kBool) << "opset " << opset;
    for (int64_t i = 0; i < 5; ++i) EXPECT_EQ(ys[1].data<uint8_t>()[i], 1);
  }
}

TEST(OpVersionsDropout, Opset12RefusesTrainingMode) {
  OneNode n(12, kRamp);
  n.Init("ratio", Floats({}, {0.5f}))
      .Init("training", Tensor::FromInt64s({}, {1}).value())
      .Node("Dropout", {"x", "ratio", "training"}, {"y"});
  EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kUnsupported, {"training mode"}));
}

// ---- attributes that became inputs, and version 1's other forms --------------------------------

TEST(OpVersionsLegacy, Opset4ReshapeReadsShapeAttribute) {
  OneNode n(4, kSix);
  n.Node("Reshape", {"x"}, {"y"}, Attrs(AttrInts("shape", {2, -1})));
  const std::vector<Tensor> ys = n.Run();
  ASSERT_EQ(ys.size(), 1u);
  EXPECT_EQ(ys[0].dims(), (Dims{2, 3}));
}

TEST(OpVersionsLegacy, Opset3ConcatDefaultsToAxis1AndOpset4NeedsIt) {
  const Tensor x = Floats({1, 2}, {1, 2});
  OneNode old(3, x);
  old.Node("Concat", {"x", "x"}, {"y"});
  EXPECT_EQ(old.Run0(), (std::vector<float>{1, 2, 1, 2}));
  OneNode current(4, x);
  current.Node("Concat", {"x", "x"}, {"y"});
  EXPECT_TRUE(FailsWith(current.LoadStatus(), StatusCode::kInvalidModel, {"'axis' is required"}));
}

TEST(OpVersionsLegacy, Opset5CastReadsTypeName) {
  OneNode n(5, Floats({2}, {1.5f, -2.5f}));
  n.Node("Cast", {"x"}, {"y"}, Attrs(AttrString("to", "INT64")));
  const std::vector<Tensor> ys = n.Run();
  ASSERT_EQ(ys.size(), 1u);
  ASSERT_EQ(ys[0].dtype(), DataType::kInt64);
  EXPECT_EQ(ys[0].data<int64_t>()[1], -2);
  OneNode half(5, kSix);
  half.Node("Cast", {"x"}, {"y"}, Attrs(AttrString("to", "FLOAT16")));
  EXPECT_TRUE(FailsWith(half.LoadStatus(), StatusCode::kUnsupported, {"'FLOAT16'"}));
}

TEST(OpVersionsLegacy, Opset6GemmNeedsCOfMNUnlessBroadcast) {
  const Tensor x = Floats({1, 2}, {1, 2});
  for (int64_t broadcast : {0, 1}) {
    OneNode n(6, x);
    n.Init("w", Floats({2, 2}, {1, 0, 0, 1}))
        .Init("c", Floats({2}, {10, 20}))
        .Node("Gemm", {"x", "w", "c"}, {"y"}, Attrs(AttrInt("broadcast", broadcast)));
    if (broadcast) {
      EXPECT_EQ(n.Run0(), (std::vector<float>{11, 22}));
    } else {
      EXPECT_TRUE(FailsWith(n.LoadStatus(), StatusCode::kInvalidModel, {"broadcast is not set"}));
    }
  }
}

TEST(OpVersionsLegacy, Opset10GemmNeedsCAndOpset11DoesNot) {
  for (int64_t opset : {10, 11}) {
    OneNode n(opset, Floats({1, 2}, {1, 2}));
    n.Init("w", Floats({2, 1}, {1, 1})).Node("Gemm", {"x", "w"}, {"y"});
    if (opset == 11) {
      EXPECT_EQ(n.Run0(), (std::vector<float>{3}));
    } else {
      EXPECT_FALSE(n.LoadStatus().ok());
    }
  }
}

TEST(OpVersionsLegacy, Opset9SliceReadsAttributes) {
  OneNode n(9, kSix);
  n.Node("Slice", {"x"}, {"y"},
         Attrs(AttrInts("starts", {1}), AttrInts("ends", {-1}), AttrInts("axes", {0})));
  EXPECT_EQ(n.Run0(), (std::vector<float>{2, 3, 4, 5}));
}

TEST(OpVersionsLegacy, SqueezeAxesAttributeAt11InputAt13) {
  const Tensor x = Floats({1, 3, 1}, {1, 2, 3});
  OneNode old(11, x);
  old.Node("Squeeze", {"x"}, {"y"}, Attrs(AttrInts("axes", {0})));
  EXPECT_EQ(old.Run()[0].dims(), (Dims{3, 1}));
  OneNode current(13, x);
  current.Init("axes", Ints({-1})).Node("Squeeze", {"x", "axes"}, {"y"});
  EXPECT_EQ(current.Run()[0].dims(), (Dims{1, 3}));
}

TEST(OpVersionsLegacy, Opset13UnsqueezeNeedsAxesInput) {
  OneNode n(13, kSix);
  n.Node("Unsqueeze", {"x"}, {"y"}, Attrs(AttrInts("axes", {0})));
  EXPECT_FALSE(n.LoadStatus().ok());
  OneNode old(12, kSix);
  old.Node("Unsqueeze", {"x"}, {"y"}, Attrs(AttrInts("axes", {0})));
  EXPECT_EQ(old.Run()[0].dims(), (Dims{1, 6}));
}

}  // namespace
}  // namespace litecnn
