// BuildGraph (graph/builder.cc) on small models: nodes sorted into topological order, and the
// errors a malformed graph gives (cycles, undefined inputs, unsupported ops, duplicate
// producers; opsets and op versions: graph_op_versions_test.cc); symbolic dims take 1 or
// LoadOptions::input_dims.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::OpTypes;
using test::TestModel;

TEST(GraphBuilder, NodesOutOfOrderAreSorted) {
  TestModel m;
  m.Input("x", {3}).Node("Sigmoid", {"a"}, {"y"}).Node("Relu", {"x"}, {"a"}).Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Relu", "Sigmoid"}));
}

TEST(GraphBuilder, CycleIsRejected) {
  TestModel m;
  m.Input("x", {3})
      .Node("Add", {"x", "b"}, {"a"}, {}, "first")
      .Node("Relu", {"a"}, {"b"}, {}, "second")
      .Output("b");
  auto g = m.BuildIR();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(g.status().message().find("cycle"), std::string::npos) << g.status().message();
}

TEST(GraphBuilder, UndefinedInputIsNamed) {
  TestModel m;
  m.Input("x", {3}).Node("Add", {"x", "ghost"}, {"y"}, {}, "adder").Output("y");
  auto g = m.BuildIR();
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("'ghost'"), std::string::npos) << g.status().message();
  EXPECT_NE(g.status().message().find("adder"), std::string::npos);
}

TEST(GraphBuilder, UnsupportedOpNamesOpAndNode) {
  TestModel m;
  m.Input("x", {3}).Node("Einsum", {"x"}, {"y"}, {}, "mystery").Output("y");
  auto g = m.BuildIR();
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(g.status().message().find("'Einsum'"), std::string::npos) << g.status().message();
  EXPECT_NE(g.status().message().find("mystery"), std::string::npos);
}

TEST(GraphBuilder, DuplicateProducerIsRejected) {
  TestModel m;
  m.Input("x", {3}).Node("Relu", {"x"}, {"y"}).Node("Sigmoid", {"x"}, {"y"}).Output("y");
  EXPECT_FALSE(m.BuildIR().ok());
}

TEST(GraphBuilder, SymbolicBatchDefaultsToOne) {
  TestModel m;
  m.Input("x", {-1, 3}).Node("Relu", {"x"}, {"y"}).Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->inputs()[0].dims, (Dims{1, 3}));
  LoadOptions options;
  options.input_dims.push_back({"x", {4, 3}});
  auto model4 = m.Load(options);
  ASSERT_TRUE(model4.ok()) << model4.status().ToString();
  EXPECT_EQ((*model4)->outputs()[0].dims, (Dims{4, 3}));
}

}  // namespace
}  // namespace litecnn
