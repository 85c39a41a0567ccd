// WriteConcatsInPlace (passes/write_concats_in_place.cc): Concat parts produced inside the
// Concat's output (plain heads, NHWC channel slices of dense convs), and the parts that stay
// copies (graph outputs, depthwise producers, constants); the memory plan keeps the host buffer
// from its first part on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "passes/passes.h"
#include "runtime/memory_plan.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::ExpectNear;
using test::RunOnce;
using test::Seeded;
using test::TestModel;
using test::ValueNamed;

// Two plain [1, 6] heads concatenated on axis 1 (BlazeFace's box/score outputs have this form).
// `late_chain` puts a chain of other values between the two parts, which the planner must not
// place in the concat's buffer while the first part waits there.
TestModel PlainHeads(bool first_is_output, int late_chain) {
  TestModel m;
  m.Input("x", {1, 6}).Node("Relu", {"x"}, {"a"});
  std::string prev = "x";
  for (int i = 0; i < late_chain; ++i) {
    const std::string next = "c" + std::to_string(i);
    m.Node(i % 2 ? "HardSigmoid" : "Sigmoid", {prev}, {next});
    prev = next;
  }
  m.Node("Sigmoid", {prev}, {"b"})
      .Node("Concat", {"a", "b"}, {"y"}, test::Attrs(AttrInt("axis", 1)));
  m.Output("y");
  if (first_is_output) m.Output("a");
  return m;
}

TEST(WriteConcatsInPlace, PlainPartsAreProducedInsideTheOutput) {
  auto g = PlainHeads(false, 0).BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  const Value* a = ValueNamed(*g, "a");
  const Value* b = ValueNamed(*g, "b");
  const Value* y = ValueNamed(*g, "y");
  ASSERT_TRUE(a && b && y);
  const int yid = static_cast<int>(y - g->values.data());
  EXPECT_EQ(a->placed_in, yid);
  EXPECT_EQ(b->placed_in, yid);
  EXPECT_EQ(a->placed_offset, 0u);
  EXPECT_EQ(b->placed_offset, 6 * sizeof(float));
  auto plan = PlanMemory(*g);
  ASSERT_TRUE(plan.ok());
  const int bid = static_cast<int>(b - g->values.data());
  EXPECT_EQ(plan->buffer_of_value[bid], plan->buffer_of_value[yid]);
  EXPECT_EQ(plan->offset_of_value[bid], 6 * sizeof(float));
}

TEST(WriteConcatsInPlace, GraphOutputPartIsCopied) {
  auto g = PlainHeads(true, 0).BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  EXPECT_EQ(ValueNamed(*g, "a")->placed_in, -1);
  EXPECT_GE(ValueNamed(*g, "b")->placed_in, 0);
}

TEST(WriteConcatsInPlace, HostBufferIsReservedFromItsFirstPart) {
  // Reference: relu(x) then the chain, computed here.
  const Tensor x = Seeded({1, 6}, 11);
  for (int chain : {0, 1, 4, 7}) {
    std::vector<float> want(12);
    for (int i = 0; i < 6; ++i) {
      float v = x.data<float>()[i];
      want[i] = std::max(v, 0.f);
      for (int k = 0; k < chain; ++k) {
        v = k % 2 ? std::min(std::max(0.2f * v + 0.5f, 0.f), 1.f) : 1.f / (1.f + std::exp(-v));
      }
      want[6 + i] = 1.f / (1.f + std::exp(-v));
    }
    SCOPED_TRACE("chain of " + std::to_string(chain));
    ExpectNear(RunOnce(PlainHeads(false, chain), {1, 6}), want);
  }
}

// NHWC channel concat of a 1x1 conv, a 3x3 conv and (optionally) a depthwise conv, then a ReLU.
// `blockers` also outputs the parts, so nothing is placed: the reference.
TestModel ChannelConcat(bool with_depthwise, bool with_constant, bool blockers) {
  TestModel m;
  m.Input("x", {1, 3, 5, 6})
      .Init("w1", Seeded({4, 3, 1, 1}, 1))
      .Init("w3", Seeded({5, 3, 3, 3}, 2))
      .Init("b3", Seeded({5}, 3))
      .Node("Conv", {"x", "w1"}, {"a"})
      .Node("Conv", {"x", "w3", "b3"}, {"b"}, test::Attrs(AttrInts("pads", {1, 1, 1, 1})));
  std::vector<std::string> parts = {"a", "b"};
  if (with_depthwise) {
    m.Init("wd", Seeded({3, 1, 3, 3}, 4))
        .Node("Conv", {"x", "wd"}, {"d"},
              test::Attrs(AttrInt("group", 3), AttrInts("pads", {1, 1, 1, 1})));
    parts.push_back("d");
  }
  if (with_constant) {
    m.Init("k", Seeded({1, 2, 5, 6}, 5));
    parts.insert(parts.begin() + 1, "k");
  }
  m.Node("Concat", parts, {"cat"}, test::Attrs(AttrInt("axis", 1)))
      .Node("Relu", {"cat"}, {"y"})
      .Output("y");
  if (blockers) {
    for (const std::string& p : parts) {
      if (p != "k") m.Output(p);
    }
  }
  return m;
}

TEST(WriteConcatsInPlace, DenseConvsWriteTheirChannelSlices) {
  auto g = ChannelConcat(false, false, false).BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  EXPECT_GE(ValueNamed(*g, "a")->placed_in, 0);
  EXPECT_GE(ValueNamed(*g, "b")->placed_in, 0);
  EXPECT_EQ(ValueNamed(*g, "b")->placed_offset, 4 * sizeof(float));
  ExpectNear(RunOnce(ChannelConcat(false, false, false), {1, 3, 5, 6}),
             RunOnce(ChannelConcat(false, false, true), {1, 3, 5, 6}));
}

TEST(WriteConcatsInPlace, DepthwiseProducerKeepsItsKernelAndIsCopied) {
  auto g = ChannelConcat(true, false, false).BuildIR();
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(RunLoadPasses(*g).ok());
  EXPECT_EQ(ValueNamed(*g, "d")->placed_in, -1);
  EXPECT_GE(ValueNamed(*g, "a")->placed_in, 0);
  ExpectNear(RunOnce(ChannelConcat(true, false, false), {1, 3, 5, 6}),
             RunOnce(ChannelConcat(true, false, true), {1, 3, 5, 6}));
}

TEST(WriteConcatsInPlace, ConstantPartIsCopiedEveryRun) {
  auto model = ChannelConcat(true, true, false).Load();
  auto reference = ChannelConcat(true, true, true).Load();
  ASSERT_TRUE(model.ok() && reference.ok());
  // Different inputs in turn: the constant channels must survive the other runs' values.
  for (uint32_t seed : {11u, 12u, 13u}) {
    std::vector<NamedTensor> a, b;
    a.push_back({"x", Seeded({1, 3, 5, 6}, seed)});
    b.push_back({"x", Seeded({1, 3, 5, 6}, seed)});
    auto ya = (*model)->Run(std::move(a));
    auto yb = (*reference)->Run(std::move(b));
    ASSERT_TRUE(ya.ok() && yb.ok());
    const Tensor& ta = (*ya)[0].tensor;
    const Tensor& tb = (*yb)[0].tensor;
    ExpectNear(std::vector<float>(ta.data<float>(), ta.data<float>() + ta.num_elements()),
               std::vector<float>(tb.data<float>(), tb.data<float>() + tb.num_elements()));
  }
}

}  // namespace
}  // namespace litecnn
