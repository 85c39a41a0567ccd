// PruneDeadNodes (passes/prune_dead.cc): nodes no graph output depends on go.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "passes/passes.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::OpTypes;
using test::TestModel;

TEST(GraphPasses, PruneRemovesUnusedBranch) {
  TestModel m;
  m.Input("x", {4})
      .Node("Relu", {"x"}, {"y"})
      .Node("Sigmoid", {"x"}, {"unused"})
      .Node("Relu", {"unused"}, {"unused2"})
      .Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(InferShapesAndFold(*g).ok());
  EXPECT_TRUE(PruneDeadNodes(*g).value());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Relu"}));
}

}  // namespace
}  // namespace litecnn
