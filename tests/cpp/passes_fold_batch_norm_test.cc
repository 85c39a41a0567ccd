// FoldBatchNorm (passes/fold_batch_norm.cc): a BatchNormalization after a Conv goes into the
// conv's weights and bias, with the same numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::LoadedGraph;
using test::OpTypes;
using test::TestModel;

TEST(FoldBatchNorm, ConvBatchNormBecomesOneConv) {
  TestModel m;
  m.Input("x", {1, 2, 2, 2})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, 0.f, 0.f, 1.f}).value())
      .Init("scale", Tensor::FromFloats({2}, {2.f, 3.f}).value())
      .Init("bias", Tensor::FromFloats({2}, {1.f, -1.f}).value())
      .Init("mean", Tensor::FromFloats({2}, {0.5f, 0.f}).value())
      .Init("var", Tensor::FromFloats({2}, {4.f, 1.f}).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("BatchNormalization", {"c", "scale", "bias", "mean", "var"}, {"y"},
            test::Attrs(test::AttrFloat("epsilon", 0.f)))
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
  auto model = m.Load();
  std::vector<float> xs = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 2, 2, 2}, xs).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_FLOAT_EQ((*out)[0].tensor.data<float>()[i], (xs[i] - 0.5f) / 2.f * 2.f + 1.f);
    EXPECT_FLOAT_EQ((*out)[0].tensor.data<float>()[4 + i], xs[4 + i] * 3.f - 1.f);
  }
}

}  // namespace
}  // namespace litecnn
