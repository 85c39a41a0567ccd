// DropIdentity (passes/drop_identity.cc): Identity and Dropout nodes go and their consumers read
// their input, except where the Identity joins a graph input to a graph output.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "passes/passes.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::OpTypes;
using test::TestModel;

TEST(GraphPasses, DropIdentityRewiresConsumers) {
  TestModel m;
  m.Input("x", {2, 2})
      .Node("Relu", {"x"}, {"a"})
      .Node("Identity", {"a"}, {"b"})
      .Node("Dropout", {"b"}, {"c"})
      .Node("Sigmoid", {"c"}, {"y"})
      .Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(InferShapesAndFold(*g).ok());
  EXPECT_TRUE(DropIdentity(*g).value());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Relu", "Sigmoid"}));
  EXPECT_EQ(g->nodes[1].inputs[0], g->nodes[0].outputs[0]);
  EXPECT_FALSE(DropIdentity(*g).value());
}

TEST(GraphPasses, IdentityFromInputToOutputIsKept) {
  TestModel m;
  m.Input("x", {2}).Node("Identity", {"x"}, {"y"}).Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(InferShapesAndFold(*g).ok());
  EXPECT_FALSE(DropIdentity(*g).value());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Identity"}));
}

}  // namespace
}  // namespace litecnn
