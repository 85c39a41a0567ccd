// FuseFireModules (passes/fuse_fire.cc): SqueezeNet's squeeze, two expands and Concat become one
// Fire op whose expands write their channel slices, unless the squeeze output has another reader.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::ExpectSameAsUnfused;
using test::LoadedGraph;
using test::OpTypes;
using test::Seeded;
using test::TestModel;

TestModel FireModel(bool extra_reader) {
  TestModel m;
  m.Input("x", {1, 6, 5, 5})
      .Init("ws", Seeded({3, 6, 1, 1}, 1))
      .Init("bs", Seeded({3}, 2))
      .Init("w1", Seeded({4, 3, 1, 1}, 3))
      .Init("b1", Seeded({4}, 4))
      .Init("w3", Seeded({5, 3, 3, 3}, 5))
      .Init("b3", Seeded({5}, 6))
      .Node("Conv", {"x", "ws", "bs"}, {"s0"})
      .Node("Relu", {"s0"}, {"s"})
      .Node("Conv", {"s", "w1", "b1"}, {"e10"})
      .Node("Relu", {"e10"}, {"e1"})
      .Node("Conv", {"s", "w3", "b3"}, {"e30"}, test::Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("Relu", {"e30"}, {"e3"})
      .Node("Concat", {"e1", "e3"}, {"y"}, test::Attrs(AttrInt("axis", 1)))
      .Output("y");
  if (extra_reader) m.Output("s");
  return m;
}

TEST(FuseFireModules, SqueezeExpandConcatBecomesOneFire) {
  auto g = LoadedGraph(FireModel(false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Fire", "LayoutConvert"}));
}

TEST(FuseFireModules, NotWhenTheSqueezeOutputHasAnotherReader) {
  auto g = LoadedGraph(FireModel(true));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  int fires = 0;
  for (const Node& n : g->nodes) fires += n.op_type == "Fire";
  EXPECT_EQ(fires, 0);
}

TEST(FuseFireModules, ExpandsLandInTheirChannelSlices) {
  ExpectSameAsUnfused(FireModel(false), FireModel(true), {1, 6, 5, 5});
}

}  // namespace
}  // namespace litecnn
