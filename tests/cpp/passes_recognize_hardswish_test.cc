// RecognizeHardSwish (passes/recognize_hardswish.cc): x * HardSigmoid(x) with alpha 1/6 and
// beta 0.5 becomes one HardSwish; any other HardSigmoid stays.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::LoadedGraph;
using test::OpTypes;
using test::TestModel;

TEST(RecognizeHardSwish, MulOfHardSigmoidBecomesHardSwish) {
  TestModel m;
  m.Input("x", {1, 4})
      .Node("HardSigmoid", {"x"}, {"h"},
            test::Attrs(test::AttrFloat("alpha", 1.f / 6.f), test::AttrFloat("beta", 0.5f)))
      .Node("Mul", {"x", "h"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"HardSwish"}));
  auto model = m.Load();
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 4}, {-4.f, -1.f, 1.f, 4.f}).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok());
  const float expected[4] = {0.f, -1.f / 3.f, 2.f / 3.f, 4.f};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR((*out)[0].tensor.data<float>()[i], expected[i], 1e-6f);
}

TEST(RecognizeHardSwish, OtherHardSigmoidParamsAreKept) {
  TestModel m;
  m.Input("x", {1, 4})
      .Node("HardSigmoid", {"x"}, {"h"})  // defaults alpha 0.2, beta 0.5
      .Node("Mul", {"x", "h"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"HardSigmoid", "Mul"}));
}

}  // namespace
}  // namespace litecnn
