// DepthToSpace, SpaceToDepth, Expand, Tile, Gather, GatherElements, ArgMax and ArgMin through
// the loader and runtime where ONNX's node tests do not reach: the error paths (bad attributes,
// ranks, shapes, indices out of range at load and at run time, inputs that must be constant),
// Tile's version 1, integer and bool data, folding of int64 shape arithmetic, and the NHWC path
// of DepthToSpace between convs, each with a Status naming why or the values it must give.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::Attrs;
using test::AttrString;
using test::FailsWith;
using test::Ints;
using test::LoadAndRun;
using test::LoadStatus;
using test::TestModel;

std::vector<NamedTensor> Feed(const std::string& name, Tensor t) {
  std::vector<NamedTensor> in;
  in.push_back({name, std::move(t)});
  return in;
}

std::vector<int64_t> Int64s(const Tensor& t) {
  return std::vector<int64_t>(t.data<int64_t>(), t.data<int64_t>() + t.num_elements());
}
std::vector<float> Floats(const Tensor& t) {
  return std::vector<float>(t.data<float>(), t.data<float>() + t.num_elements());
}

// ---- DepthToSpace / SpaceToDepth ------------------------------------------------------------

TEST(DepthToSpace, ChannelsNotAMultipleOfBlocksizeSquaredAreRefused) {
  TestModel m(13);
  m.Input("x", {1, 6, 2, 2}).Node("DepthToSpace", {"x"}, {"y"}, Attrs(AttrInt("blocksize", 2)));
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"channels 6", "blocksize"}));
}

TEST(DepthToSpace, BlocksizeIsRequiredAndPositive) {
  TestModel missing(13);
  missing.Input("x", {1, 4, 2, 2}).Node("DepthToSpace", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(missing), StatusCode::kInvalidModel, {"blocksize"}));
  TestModel zero(13);
  zero.Input("x", {1, 4, 2, 2}).Node("SpaceToDepth", {"x"}, {"y"}, Attrs(AttrInt("blocksize", 0)));
  zero.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(zero), StatusCode::kInvalidModel, {"blocksize 0"}));
}

TEST(DepthToSpace, ModeMustBeDcrOrCrd) {
  TestModel m(13);
  m.Input("x", {1, 4, 2, 2})
      .Node("DepthToSpace", {"x"}, {"y"}, Attrs(AttrInt("blocksize", 2), AttrString("mode", "RDC")))
      .Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"mode 'RDC'"}));
}

TEST(DepthToSpace, InputMustBe4D) {
  TestModel m(13);
  m.Input("x", {4, 2, 2}).Node("DepthToSpace", {"x"}, {"y"}, Attrs(AttrInt("blocksize", 2)));
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"4-D"}));
}

TEST(SpaceToDepth, HeightAndWidthMustBeMultiplesOfBlocksize) {
  TestModel m(13);
  m.Input("x", {1, 1, 4, 3}).Node("SpaceToDepth", {"x"}, {"y"}, Attrs(AttrInt("blocksize", 2)));
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"multiples of blocksize 2"}));
}

// SpaceToDepth then DepthToSpace (DCR) is the identity, on an NHWC conv output and back.
TEST(DepthToSpace, UndoesSpaceToDepthBetweenConvsWithoutConversions) {
  TestModel m(13);
  m.Input("x", {1, 2, 6, 4})
      .Init("w", test::Seeded({3, 2, 1, 1}, 3))
      .Init("w2", test::Seeded({3, 3, 1, 1}, 4))
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("SpaceToDepth", {"c"}, {"s"}, Attrs(AttrInt("blocksize", 2)))
      .Node("DepthToSpace", {"s"}, {"d"}, Attrs(AttrInt("blocksize", 2)))
      .Node("Conv", {"d", "w2"}, {"y"})
      .Output("y");
  auto g = test::LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  // The input's and the output's conversions only: both ops read and write NHWC.
  EXPECT_EQ(test::CountOps(*g, "LayoutConvert"), 2);
  TestModel direct(13);
  direct.Input("x", {1, 2, 6, 4})
      .Init("w", test::Seeded({3, 2, 1, 1}, 3))
      .Init("w2", test::Seeded({3, 3, 1, 1}, 4))
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("Conv", {"c", "w2"}, {"y"})
      .Output("y");
  test::ExpectNear(test::RunOnce(m, {1, 2, 6, 4}), test::RunOnce(direct, {1, 2, 6, 4}));
}

// ---- Expand / Tile --------------------------------------------------------------------------

TEST(Expand, ShapeMustBeConstant) {
  TestModel m(13);
  m.Input("x", {2, 1}).Input("shape", {2}, DataType::kInt64);
  m.Node("Expand", {"x", "shape"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported, {"shape", "load time"}));
}

TEST(Expand, IncompatibleShapeIsRefused) {
  TestModel m(13);
  m.Input("x", {2, 3}).Init("shape", Ints({2, 4})).Node("Expand", {"x", "shape"}, {"y"});
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"cannot be broadcast"}));
  TestModel negative(13);
  negative.Input("x", {2, 1}).Init("shape", Ints({-1, 2})).Node("Expand", {"x", "shape"}, {"y"});
  negative.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(negative), StatusCode::kInvalidModel, {"negative"}));
}

TEST(Expand, Int64DataAtRunTime) {
  TestModel m(13);
  m.Input("x", {3, 1}, DataType::kInt64).Init("shape", Ints({2, 3, 2}));
  m.Node("Expand", {"x", "shape"}, {"y"}).Output("y");
  auto out2 = LoadAndRun(m, Feed("x", Tensor::FromInt64s({3, 1}, {7, -8, 1LL << 40}).value()));
  ASSERT_TRUE(out2.ok()) << out2.status().ToString();
  EXPECT_EQ((*out2)[0].tensor.dims(), (Dims{2, 3, 2}));
  EXPECT_EQ(Int64s((*out2)[0].tensor), (std::vector<int64_t>{7, 7, -8, -8, 1LL << 40, 1LL << 40, 7,
                                                             7, -8, -8, 1LL << 40, 1LL << 40}));
}

// torch's x.expand(2, *x.shape[1:]) on a constant: Shape, Slice, Concat and Expand all fold.
TEST(Expand, ShapeArithmeticOnConstantsFolds) {
  TestModel m(13);
  m.Input("x", {2, 3})
      .Init("c", Tensor::FromInt64s({1, 3}, {4, 5, 6}).value())
      .Init("two", Ints({2}))
      .Init("one", Ints({1}))
      .Init("big", Ints({8}))
      .Node("Shape", {"c"}, {"s"})
      .Node("Slice", {"s", "one", "big"}, {"tail"})
      .Node("Concat", {"two", "tail"}, {"shape"}, Attrs(AttrInt("axis", 0)))
      .Node("Expand", {"c", "shape"}, {"e"})
      .Node("Tile", {"e", "two"}, {"t"})  // repeats [2] for a 2-D value: refused below
      .Output("t");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"one entry per axis"}));
  TestModel ok(13);
  ok.Input("x", {2, 2})
      .Init("c", Tensor::FromInt64s({1, 3}, {4, 5, 6}).value())
      .Init("two", Ints({2}))
      .Init("one", Ints({1}))
      .Init("big", Ints({8}))
      .Init("rep", Ints({1, 2}))
      .Init("idx", Ints({2, 0}))
      .Node("Shape", {"c"}, {"s"})
      .Node("Slice", {"s", "one", "big"}, {"tail"})
      .Node("Concat", {"two", "tail"}, {"shape"}, Attrs(AttrInt("axis", 0)))
      .Node("Expand", {"c", "shape"}, {"e"})
      .Node("Tile", {"e", "rep"}, {"t"})
      .Node("Gather", {"t", "idx"}, {"g"}, Attrs(AttrInt("axis", 1)))
      .Node("Cast", {"g"}, {"f"}, Attrs(AttrInt("to", 1)))
      .Node("Add", {"x", "f"}, {"y"})
      .Output("y");
  auto g = test::LoadedGraph(ok);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(test::OpTypes(*g), (std::vector<std::string>{"Add"}));
  // t = [[4, 5, 6, 4, 5, 6]] * 2 rows; columns 2 and 0: [6, 4] in each row.
  auto out = LoadAndRun(ok, Feed("x", Tensor::FromFloats({2, 2}, {0, 0, 10, 10}).value()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Floats((*out)[0].tensor), (std::vector<float>{6, 4, 16, 14}));
}

TEST(Tile, RepeatsMustBeConstantOnePerAxisAndNonNegative) {
  TestModel runtime(13);
  runtime.Input("x", {2, 3}).Input("r", {2}, DataType::kInt64);
  runtime.Node("Tile", {"x", "r"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(runtime), StatusCode::kUnsupported, {"repeats", "load time"}));
  TestModel negative(13);
  negative.Input("x", {2, 3}).Init("r", Ints({1, -2})).Node("Tile", {"x", "r"}, {"y"});
  negative.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(negative), StatusCode::kInvalidModel, {"negative"}));
  TestModel huge(13);
  huge.Input("x", {2, 3}).Init("r", Ints({1LL << 62, 4})).Node("Tile", {"x", "r"}, {"y"});
  huge.Output("y");
  EXPECT_FALSE(LoadStatus(huge).ok());
}

// Version 1: scalar `tiles` and `axis` inputs repeat the whole input along one axis.
TEST(Tile, Version1RepeatsAlongOneAxis) {
  TestModel m(1);
  m.Input("x", {2, 2})
      .Init("tiles", Tensor::FromFloats({}, {3}).value())
      .Init("axis", Tensor::FromFloats({}, {1}).value())
      .Node("Tile", {"x", "tiles", "axis"}, {"y"})
      .Output("y");
  auto out = LoadAndRun(m, Feed("x", Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{2, 6}));
  EXPECT_EQ(Floats((*out)[0].tensor), (std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
}

TEST(Tile, BoolDataAtRunTime) {
  TestModel m(13);
  m.Input("x", {1, 3}, DataType::kBool).Init("r", Ints({2, 2})).Node("Tile", {"x", "r"}, {"y"});
  m.Output("y");
  Tensor x = Tensor::Create(DataType::kBool, {1, 3}).value();
  const uint8_t bits[] = {1, 0, 1};
  for (int i = 0; i < 3; ++i) x.data<uint8_t>()[i] = bits[i];
  auto out = LoadAndRun(m, Feed("x", std::move(x)));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& y = (*out)[0].tensor;
  ASSERT_EQ(y.dims(), (Dims{2, 6}));
  for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(y.data<uint8_t>()[i], bits[i % 3]) << i;
}

// ---- Gather / GatherElements ----------------------------------------------------------------

TEST(Gather, RunTimeIndexOutOfRangeIsAnError) {
  TestModel m(13);
  m.Input("x", {2, 3}).Input("i", {2}, DataType::kInt64);
  m.Node("Gather", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 1))).Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<NamedTensor> in;
  in.push_back({"x", test::Seeded({2, 3}, 1)});
  in.push_back({"i", Ints({0, -4})});
  auto out = (*model)->Run(std::move(in));
  EXPECT_TRUE(FailsWith(out.status(), StatusCode::kInvalidArgument, {"index -4", "[-3, 3)"}));
}

TEST(Gather, ConstantIndexOutOfRangeFailsTheLoad) {
  TestModel m(13);
  m.Input("x", {2, 3})
      .Init("i", Ints({3}))
      .Node("Gather", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 1)));
  m.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"constant index 3"}));
}

TEST(Gather, IndicesMustBeIntegers) {
  TestModel m(13);
  m.Input("x", {2, 3}).Init("i", Tensor::FromFloats({1}, {0}).value());
  m.Node("Gather", {"x", "i"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"int64 or int32", "float32"}));
}

TEST(GatherElements, RunTimeIndexOutOfRangeIsAnError) {
  TestModel m(13);
  m.Input("x", {2, 2}).Input("i", {2, 2}, DataType::kInt64);
  m.Node("GatherElements", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 0))).Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<NamedTensor> in;
  in.push_back({"x", test::Seeded({2, 2}, 1)});
  in.push_back({"i", Tensor::FromInt64s({2, 2}, {0, 1, 2, -1}).value()});
  auto out = (*model)->Run(std::move(in));
  EXPECT_TRUE(FailsWith(out.status(), StatusCode::kInvalidArgument, {"index 2", "element 2"}));
}

TEST(GatherElements, ConstantIndexOutOfRangeFailsTheLoad) {
  TestModel m(13);
  m.Input("x", {2, 2}).Init("i", Tensor::FromInt64s({1, 2}, {0, -3}).value());
  m.Node("GatherElements", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 1))).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"index -3", "[-2, 2)"}));
}

TEST(GatherElements, RanksMustMatchAndIndicesFitTheDataOffTheAxis) {
  TestModel rank(13);
  rank.Input("x", {2, 2}).Init("i", Ints({0, 1})).Node("GatherElements", {"x", "i"}, {"y"});
  rank.Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(rank), StatusCode::kInvalidModel, {"same rank"}));
  TestModel wide(13);
  wide.Input("x", {2, 2}).Init("i", Tensor::FromInt64s({1, 3}, {0, 1, 0}).value());
  wide.Node("GatherElements", {"x", "i"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(wide), StatusCode::kInvalidModel, {"exceed data", "axis 1"}));
  TestModel axis(13);
  axis.Input("x", {2, 2}).Init("i", Tensor::FromInt64s({1, 1}, {0}).value());
  axis.Node("GatherElements", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 2))).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(axis), StatusCode::kInvalidModel, {"axis 2 out of range"}));
}

TEST(GatherElements, Int32IndicesOnInt64Data) {
  TestModel m(13);
  Tensor idx = Tensor::Create(DataType::kInt32, {2, 2}).value();
  const int32_t v[] = {1, 0, -1, 1};
  for (int i = 0; i < 4; ++i) idx.data<int32_t>()[i] = v[i];
  m.Input("x", {2, 2}, DataType::kInt64).Init("i", idx);
  m.Node("GatherElements", {"x", "i"}, {"y"}, Attrs(AttrInt("axis", 1))).Output("y");
  auto out = LoadAndRun(m, Feed("x", Tensor::FromInt64s({2, 2}, {10, 11, 12, 13}).value()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Int64s((*out)[0].tensor), (std::vector<int64_t>{11, 10, 13, 13}));
}

// ---- ArgMax / ArgMin ------------------------------------------------------------------------

TEST(ArgMax, EmptyAxisIsRefused) {
  TestModel m(13);
  m.Input("x", {2, 0}).Node("ArgMax", {"x"}, {"y"}, Attrs(AttrInt("axis", 1))).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"empty"}));
}

TEST(ArgMax, BoolAndInt32DataAreUnsupported) {
  for (DataType t : {DataType::kBool, DataType::kInt32}) {
    TestModel m(13);
    m.Input("x", {2, 2}, t).Node("ArgMin", {"x"}, {"y"}).Output("y");
    EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported, {DataTypeName(t), "int64"}));
  }
}

TEST(ArgMax, AxisOutOfRangeIsRefused) {
  TestModel m(13);
  m.Input("x", {2, 2}).Node("ArgMax", {"x"}, {"y"}, Attrs(AttrInt("axis", -3))).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kInvalidModel, {"axis -3"}));
}

// select_last_index exists from version 12: before, ties go to the first index.
TEST(ArgMax, SelectLastIndexOnlyFromVersion12) {
  for (int64_t opset : {11, 12}) {
    TestModel m(opset);
    m.Input("x", {1, 4}, DataType::kInt64)
        .Node("ArgMax", {"x"}, {"y"}, Attrs(AttrInt("axis", 1), AttrInt("select_last_index", 1)))
        .Output("y");
    auto out = LoadAndRun(m, Feed("x", Tensor::FromInt64s({1, 4}, {3, 9, 1, 9}).value()));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(Int64s((*out)[0].tensor), (std::vector<int64_t>{opset >= 12 ? 3 : 1})) << opset;
  }
}

TEST(ArgMin, NaNWinsAsInNumpy) {
  TestModel m(13);
  m.Input("x", {2, 3}).Node("ArgMin", {"x"}, {"y"}, Attrs(AttrInt("axis", 1))).Output("y");
  auto out =
      LoadAndRun(m, Feed("x", Tensor::FromFloats({2, 3}, {1, NAN, -5, -5, -7, NAN}).value()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Int64s((*out)[0].tensor), (std::vector<int64_t>{1, 2}));
}

}  // namespace
}  // namespace litecnn
