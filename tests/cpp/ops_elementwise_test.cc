// The activations issue's elementwise ops through the loader and runtime where ONNX's node tests
// do not reach: Sum / Mean / Max / Min before version 8 (equal dims only) and with a conv's NHWC
// output among the inputs, PRelu's pre-7 slope forms, Gelu's attribute, and the types refused,
// each with a Status naming why.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::Attrs;
using test::AttrString;
using test::FailsWith;
using test::TestModel;

Status LoadStatus(TestModel& m) {
  auto model = m.Load();
  return model.ok() ? Status::Ok() : model.status();
}

std::vector<float> RunModel(TestModel& m, std::vector<NamedTensor> in) {
  auto model = m.Load();
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return {};
  auto out = (*model)->Run(std::move(in));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  if (!out.ok()) return {};
  const Tensor& t = (*out)[0].tensor;
  return std::vector<float>(t.data<float>(), t.data<float>() + t.num_elements());
}

TEST(VariadicOps, BeforeVersion8InputsMustHaveEqualDims) {
  for (const char* op : {"Sum", "Mean", "Max", "Min"}) {
    TestModel m(6);
    m.Input("a", {2, 3}).Input("b", {3}).Node(op, {"a", "b"}, {"y"}).Output("y");
    EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"differ", "version 8"})) << op;
    TestModel ok(8);
    ok.Input("a", {2, 3}).Input("b", {3}).Node(op, {"a", "b"}, {"y"}).Output("y");
    EXPECT_TRUE(LoadStatus(ok).ok()) << op;
  }
}

TEST(VariadicOps, LegacyFormsRunOnEqualDims) {
  TestModel m(1);
  m.Input("a", {2, 2}).Input("b", {2, 2}).Input("c", {2, 2});
  m.Node("Mean", {"a", "b", "c"}, {"y"}).Output("y");
  std::vector<NamedTensor> in;
  in.push_back({"a", Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value()});
  in.push_back({"b", Tensor::FromFloats({2, 2}, {2, 2, 2, 2}).value()});
  in.push_back({"c", Tensor::FromFloats({2, 2}, {0, -1, 7, 3}).value()});
  EXPECT_EQ(RunModel(m, std::move(in)), (std::vector<float>{1, 1, 4, 3}));
}

// A conv's output is NHWC inside litecnn; Max reads it and a plain [C, 1, 1] value through
// strides, and writes the NHWC result the model's output conversion turns back into NCHW.
TEST(VariadicOps, MaxOfConvOutputAndChannelVector) {
  TestModel m(13);
  m.Input("x", {1, 2, 2, 2})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, 0.f, 0.f, 1.f}).value())
      .Init("p", Tensor::FromFloats({2, 1, 1}, {0.5f, -10.f}).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("Max", {"c", "p"}, {"y"})
      .Output("y");
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 2, 2, 2}, {0, 1, 2, -3, -4, 5, -6, 7}).value()});
  EXPECT_EQ(RunModel(m, std::move(in)), (std::vector<float>{0.5f, 1, 2, 0.5f, -4, 5, -6, 7}));
}

TEST(VariadicOps, OneInputIsACopy) {
  TestModel m(13);
  m.Input("a", {3}).Node("Sum", {"a"}, {"y"}).Output("y");
  std::vector<NamedTensor> in;
  in.push_back({"a", Tensor::FromFloats({3}, {-0.f, 1, 2}).value()});
  const std::vector<float> y = RunModel(m, std::move(in));
  ASSERT_EQ(y.size(), 3u);
  EXPECT_TRUE(std::signbit(y[0]));
}

TEST(VariadicOps, IntTypesAreUnsupported) {
  TestModel m(13);
  m.Input("a", {3}, DataType::kInt32).Input("b", {3}, DataType::kInt32);
  m.Node("Max", {"a", "b"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported, {"float32", "int32"}));
}

TEST(PRelu, BeforeVersion7TheSlopeHasOneElementOrXsDims) {
  TestModel m(6);
  m.Input("x", {1, 2, 2, 2}).Init("s", Tensor::FromFloats({2}, {0.5f, 2.f}).value());
  m.Node("PRelu", {"x", "s"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"before version 7"}));
  TestModel one(6);
  one.Input("x", {1, 2, 2, 2}).Init("s", Tensor::FromFloats({1}, {0.5f}).value());
  one.Node("PRelu", {"x", "s"}, {"y"}).Output("y");
  EXPECT_TRUE(LoadStatus(one).ok());
}

// From version 7 the slope broadcasts onto X only (unidirectionally): Y keeps X's dims.
TEST(PRelu, SlopeMustNotWidenX) {
  TestModel m(9);
  m.Input("x", {1, 2}).Init("s", Tensor::FromFloats({3, 1}, {1.f, 2.f, 3.f}).value());
  m.Node("PRelu", {"x", "s"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"does not broadcast onto X"}));
}

// A slope along W on a conv's NHWC output, with as many columns as channels: not the per-channel
// fast path (which would apply slope c to channel c), the strided one.
TEST(PRelu, SlopeAlongWidthOfAnNhwcValueWithWEqualToC) {
  TestModel m(9);
  m.Input("x", {1, 2, 2, 2})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, 0.f, 0.f, 1.f}).value())
      .Init("s", Tensor::FromFloats({1, 1, 2}, {0.5f, 2.f}).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("PRelu", {"c", "s"}, {"y"})
      .Output("y")
      .Output("c");  // the conv keeps its raw output: the PRelu is not fused
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 2, 2, 2}, {-2, -2, -2, -2, -4, -4, -4, -4}).value()});
  EXPECT_EQ(RunModel(m, std::move(in)), (std::vector<float>{-1, -4, -1, -4, -2, -8, -2, -8}));
}

TEST(Gelu, ApproximateMustBeNoneOrTanh) {
  TestModel m(20);
  m.Input("x", {3}).Node("Gelu", {"x"}, {"y"}, Attrs(AttrString("approximate", "erf")));
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"'none' or 'tanh'", "erf"}));
}

TEST(UnaryMath, IntTypesAreUnsupported) {
  TestModel m(13);
  m.Input("x", {3}, DataType::kInt64).Node("Abs", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported, {"float32", "int64"}));
}

}  // namespace
}  // namespace litecnn
