// AssignLayouts (passes/assign_layouts.cc): spatial ops get NHWC, LayoutConvert nodes go where a
// consumer needs another layout, graph outputs end plain; a global ReduceMean reads NHWC as is.
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
using test::OpTypes;
using test::TestModel;

TEST(GraphPasses, ConvGetsNHWCAndGraphOutputsEndPlain) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({4, 2, 1, 1}, std::vector<float>(8, 1.f)).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("Sigmoid", {"c"}, {"r"})
      .Node("Flatten", {"r"}, {"y"})
      .Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  // plain input -> NHWC for Conv; Sigmoid stays NHWC (not fusable); Flatten needs plain.
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "Sigmoid",
                                                   "LayoutConvert", "Flatten"}));
  EXPECT_EQ(g->values[g->nodes[2].outputs[0]].desc.layout, Layout::kNHWC);
  EXPECT_EQ(g->values[g->outputs[0]].desc.layout, Layout::kPlain);
}

TEST(GraphPasses, NHWCGraphOutputIsConvertedBack) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({2, 1, 1, 1}, {2.f, 3.f}).value())
      .Node("Conv", {"x", "w"}, {"y"}, test::Attrs(AttrInt("group", 2)))
      .Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
  EXPECT_EQ(g->values[g->outputs[0]].desc.layout, Layout::kPlain);
}

// ShuffleNetV2's head: ReduceMean over H and W straight after a conv is a global average pool
// and reads the conv's NHWC output as is (no conversion to plain before it). Its output is
// [N, C] plain, or [N, C, 1, 1] NHWC under keepdims (converted back only as a graph output).
TEST(GraphPasses, GlobalReduceMeanReadsNHWCWithoutConversion) {
  for (const int64_t keepdims : {0, 1}) {
    TestModel m;
    m.Input("x", {1, 2, 3, 3})
        .Init("w", Tensor::FromFloats({4, 2, 1, 1}, std::vector<float>(8, 1.f)).value())
        .Node("Conv", {"x", "w"}, {"c"})
        .Node("ReduceMean", {"c"}, {"y"},
              test::Attrs(AttrInts("axes", {2, 3}), AttrInt("keepdims", keepdims)))
        .Output("y");
    auto g = m.BuildIR();
    ASSERT_TRUE(g.ok());
    ASSERT_TRUE(RunLoadPasses(*g).ok());
    std::vector<std::string> expected = {"LayoutConvert", "Conv", "ReduceMean"};
    if (keepdims) expected.push_back("View");  // [1, 4, 1, 1]: the same bytes in either layout
    EXPECT_EQ(OpTypes(*g), expected) << "keepdims " << keepdims;
    EXPECT_EQ(g->values[g->nodes[2].inputs[0]].desc.layout, Layout::kNHWC);
  }
}

// Any other reduction is defined on plain bytes and gets its conversion.
TEST(GraphPasses, ReduceMeanOverChannelsReadsPlain) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({4, 2, 1, 1}, std::vector<float>(8, 1.f)).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("ReduceMean", {"c"}, {"y"}, test::Attrs(AttrInts("axes", {1})))
      .Output("y");
  auto g = m.BuildIR();
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  EXPECT_EQ(OpTypes(*g),
            (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert", "ReduceMean"}));
}

}  // namespace
}  // namespace litecnn
