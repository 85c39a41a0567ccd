// PlanMemory (runtime/memory_plan.cc): buffers shared by liveness.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "passes/passes.h"
#include "runtime/memory_plan.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::TestModel;

TEST(MemoryPlan, ChainReusesBuffers) {
  TestModel m;
  m.Input("x", {16});
  std::string prev = "x";
  for (int i = 0; i < 8; ++i) {
    const std::string next = "v" + std::to_string(i);
    m.Node(i % 2 ? "Relu" : "Sigmoid", {prev}, {next});
    prev = next;
  }
  m.Output(prev);
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  auto plan = PlanMemory(*g);
  ASSERT_TRUE(plan.ok());
  // A chain needs at most: the input, the value being read, the value being written.
  EXPECT_LE(plan->buffer_bytes.size(), 3u);
  // Inputs and outputs of one node never share a buffer.
  for (const Node& n : g->nodes) {
    EXPECT_NE(plan->buffer_of_value[n.inputs[0]], plan->buffer_of_value[n.outputs[0]]);
  }
}

}  // namespace
}  // namespace litecnn
