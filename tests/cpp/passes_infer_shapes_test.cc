// InferShapesAndFold (passes/infer_shapes.cc): the Shape/Gather/Concat arithmetic torch exports
// emit folds at load time into static Reshapes, and shape errors name the node and the shapes.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "passes/passes.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::Ints;
using test::OpTypes;
using test::TestModel;

Tensor IntScalar(int64_t v) { return Tensor::FromInt64s({}, {v}).value(); }

// What torch.onnx.export emits for ShuffleNet's channel_shuffle(x, groups=2) when the batch is
// dynamic: the channel count comes from Shape/Gather and is divided at run time.
TestModel ShuffleWithShapeArithmetic() {
  TestModel m;
  m.Input("x", {1, 8, 2, 3})
      .Init("idx0", IntScalar(0))
      .Init("idx1", IntScalar(1))
      .Init("two", IntScalar(2))
      .Init("rest", Ints({2, 3}))
      .Node("Shape", {"x"}, {"shape"})
      .Node("Gather", {"shape", "idx0"}, {"n"}, test::Attrs(AttrInt("axis", 0)))
      .Node("Gather", {"shape", "idx1"}, {"c"}, test::Attrs(AttrInt("axis", 0)))
      .Node("Div", {"c", "two"}, {"cpg"})
      .Node("Unsqueeze", {"n", "idx0"}, {"n1"})
      .Node("Unsqueeze", {"two", "idx0"}, {"g1"})
      .Node("Unsqueeze", {"cpg", "idx0"}, {"cpg1"})
      .Node("Concat", {"n1", "g1", "cpg1", "rest"}, {"shape5"}, test::Attrs(AttrInt("axis", 0)))
      .Node("Reshape", {"x", "shape5"}, {"x5"})
      .Node("Transpose", {"x5"}, {"t5"}, test::Attrs(AttrInts("perm", {0, 2, 1, 3, 4})))
      .Node("Reshape", {"t5", "back"}, {"y"})
      .Init("back", Ints({1, -1, 2, 3}))
      .Output("y");
  return m;
}

TEST(GraphPasses, ShapeArithmeticFoldsToStaticReshapes) {
  auto g = ShuffleWithShapeArithmetic().BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(InferShapesAndFold(*g).value());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Reshape", "Transpose", "Reshape"}));
  const Node& reshape = g->nodes[0];
  const TensorDesc& shape = g->values[reshape.inputs[1]].desc;
  ASSERT_TRUE(shape.is_constant());
  EXPECT_EQ(shape.constant->dims(), Dims{5});
  std::vector<int64_t> v;
  for (int i = 0; i < 5; ++i) v.push_back(shape.constant->GetAsInt64(i));
  EXPECT_EQ(v, (std::vector<int64_t>{1, 2, 4, 2, 3}));
  EXPECT_EQ(g->values[g->outputs[0]].desc.dims, (Dims{1, 8, 2, 3}));
}

TEST(GraphPasses, ChannelShuffleRunsAfterFolding) {
  auto model = ShuffleWithShapeArithmetic().Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Tensor x = std::move(Tensor::Create(DataType::kFloat32, {1, 8, 2, 3})).value();
  for (int i = 0; i < 48; ++i) x.data<float>()[i] = static_cast<float>(i);
  std::vector<NamedTensor> in;
  in.push_back({"x", std::move(x)});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Output channel c' = j * 2 + g reads input channel g * 4 + j.
  const float* y = (*out)[0].tensor.data<float>();
  for (int cp = 0; cp < 8; ++cp) {
    const int src = (cp % 2) * 4 + cp / 2;
    for (int s = 0; s < 6; ++s) EXPECT_EQ(y[cp * 6 + s], src * 6 + s) << "channel " << cp;
  }
}

TEST(ShapeInference, ConvWithGroupsNotDividingChannelsFails) {
  TestModel m;
  m.Input("x", {1, 3, 4, 4})
      .Init("w", Tensor::FromFloats({2, 1, 1, 1}, {1.f, 1.f}).value())
      .Node("Conv", {"x", "w"}, {"y"}, test::Attrs(AttrInt("group", 2)), "bad_conv")
      .Output("y");
  auto model = m.Load();
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("bad_conv"), std::string::npos);
  EXPECT_NE(model.status().message().find("group 2"), std::string::npos)
      << model.status().message();
}

TEST(ShapeInference, ReshapeWithWrongElementCountFails) {
  TestModel m;
  m.Input("x", {2, 3}).Init("s", Ints({4, 2})).Node("Reshape", {"x", "s"}, {"y"}).Output("y");
  auto model = m.Load();
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("cannot reshape [2, 3] to [4, 2]"), std::string::npos)
      << model.status().message();
}

TEST(ShapeInference, HugeConstantOfShapeIsRefused) {
  TestModel m;
  m.Input("x", {1})
      .Init("s", Ints({int64_t{1} << 20, int64_t{1} << 20}))
      .Node("ConstantOfShape", {"s"}, {"big"})
      .Node("Add", {"x", "big"}, {"y"})
      .Output("y");
  auto model = m.Load();
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kLimitExceeded) << model.status().ToString();
}

}  // namespace
}  // namespace litecnn
