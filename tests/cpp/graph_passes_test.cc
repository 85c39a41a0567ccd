// Graph building and the load passes on small graphs: what each pass changes, and the errors a
// malformed graph gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "passes/passes.h"
#include "runtime/memory_plan.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::TestModel;

std::vector<std::string> OpTypes(const Graph& g) {
  std::vector<std::string> ops;
  for (const Node& n : g.nodes) ops.push_back(n.op_type);
  return ops;
}

Tensor Ints(const std::vector<int64_t>& v) {
  return Tensor::FromInt64s({int64_t(v.size())}, v).value();
}
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

Result<Graph> LoadedGraph(const TestModel& m) {
  LITECNN_ASSIGN_OR_RETURN(Graph g, m.BuildIR());
  LITECNN_RETURN_IF_ERROR(RunLoadPasses(g));
  return g;
}

TestModel ConvThen(const std::string& op, std::vector<onnx::Attribute> attrs = {}) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, -1.f, 2.f, 0.5f}).value())
      .Init("lo", Tensor::FromFloats({}, {0.f}).value())
      .Init("hi", Tensor::FromFloats({}, {6.f}).value())
      .Node("Conv", {"x", "w"}, {"c"});
  if (op == "Clip") {
    m.Node("Clip", {"c", "lo", "hi"}, {"y"});
  } else {
    m.Node(op, {"c"}, {"y"}, std::move(attrs));
  }
  m.Output("y");
  return m;
}

TEST(FuseActivations, ReluIntoConv) {
  auto g = LoadedGraph(ConvThen("Relu"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
}

TEST(FuseActivations, ClipAndHardSwishIntoConv) {
  for (const char* op : {"Clip", "HardSwish"}) {
    auto g = LoadedGraph(ConvThen(op));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}))
        << op;
  }
}

TEST(FuseActivations, SigmoidIsNotFused) {
  auto g = LoadedGraph(ConvThen("Sigmoid"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(OpTypes(*g),
            (std::vector<std::string>{"LayoutConvert", "Conv", "Sigmoid", "LayoutConvert"}));
}

TEST(FuseActivations, NotWhenPreActivationIsAlsoRead) {
  TestModel m = ConvThen("Relu");
  m.Output("c");  // the conv's raw output is a graph output too
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok());
  int relus = 0;
  for (const Node& n : g->nodes) relus += n.op_type == "Relu";
  EXPECT_EQ(relus, 1);
}

TEST(FuseActivations, FusedModelGivesTheSameNumbers) {
  for (const char* op : {"Relu", "Clip", "HardSwish"}) {
    TestModel m = ConvThen(op);
    auto fused = m.Load();
    ASSERT_TRUE(fused.ok()) << fused.status().ToString();
    std::vector<NamedTensor> in;
    std::vector<float> xs(18);
    for (int i = 0; i < 18; ++i) xs[i] = static_cast<float>(i % 7) * 1.5f - 4.f;
    in.push_back({"x", Tensor::FromFloats({1, 2, 3, 3}, xs).value()});
    auto out = (*fused)->Run(std::move(in));
    ASSERT_TRUE(out.ok());
    // Expected: conv by hand (1x1: y0 = x0 - x1, y1 = 2 x0 + 0.5 x1), then the activation.
    for (int p = 0; p < 9; ++p) {
      const float c[2] = {xs[p] - xs[9 + p], 2.f * xs[p] + 0.5f * xs[9 + p]};
      for (int o = 0; o < 2; ++o) {
        float e = c[o];
        if (std::string(op) == "Relu") e = std::max(e, 0.f);
        if (std::string(op) == "Clip") e = std::min(std::max(e, 0.f), 6.f);
        if (std::string(op) == "HardSwish") e = e * std::min(std::max(e + 3.f, 0.f), 6.f) / 6.f;
        EXPECT_NEAR((*out)[0].tensor.data<float>()[o * 9 + p], e, 1e-5f) << op;
      }
    }
  }
}

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

TEST(FuseResidualAdds, AddAfterConvThenRelu) {
  TestModel m;
  m.Input("x", {1, 2, 3, 3})
      .Init("w", Tensor::FromFloats({2, 2, 1, 1}, {1.f, 0.f, 0.f, 1.f}).value())
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("Add", {"c", "x"}, {"s"})
      .Node("Relu", {"s"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "LayoutConvert"}));
  auto model = m.Load();
  std::vector<float> xs(18);
  for (int i = 0; i < 18; ++i) xs[i] = static_cast<float>(i) - 9.f;
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 2, 3, 3}, xs).value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok());
  for (int i = 0; i < 18; ++i) {
    EXPECT_FLOAT_EQ((*out)[0].tensor.data<float>()[i], std::max(2.f * xs[i], 0.f));
  }
}

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

TEST(GraphBuilder, OpsetOutOfRangeIsRejected) {
  TestModel m(18);
  m.Input("x", {3}).Node("Relu", {"x"}, {"y"}).Output("y");
  auto g = m.BuildIR();
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("opset 18"), std::string::npos) << g.status().message();
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

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::TestModel;

Tensor Seeded(const Dims& dims, uint32_t seed) {
  Tensor t = std::move(Tensor::Create(DataType::kFloat32, dims)).value();
  uint32_t s = seed;
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    s = s * 1664525u + 1013904223u;
    t.data<float>()[i] = static_cast<float>(s >> 8) / static_cast<float>(1 << 24) - 0.5f;
  }
  return t;
}

// Runs `m` once as is and once with `blocker` appended as an extra graph output (an extra reader
// that stops the fusion under test); both must agree.
void ExpectSameAsUnfused(TestModel fused_model, TestModel unfused_model, const Dims& x_dims) {
  auto fused = fused_model.Load();
  auto unfused = unfused_model.Load();
  ASSERT_TRUE(fused.ok()) << fused.status().ToString();
  ASSERT_TRUE(unfused.ok()) << unfused.status().ToString();
  const Tensor x = Seeded(x_dims, 7);
  std::vector<NamedTensor> a, b;
  a.push_back({"x", x.Clone().value()});
  b.push_back({"x", x.Clone().value()});
  auto ya = (*fused)->Run(std::move(a));
  auto yb = (*unfused)->Run(std::move(b));
  ASSERT_TRUE(ya.ok() && yb.ok());
  const Tensor& ta = (*ya)[0].tensor;
  const Tensor& tb = (*yb)[0].tensor;
  ASSERT_EQ(ta.dims(), tb.dims());
  for (int64_t i = 0; i < ta.num_elements(); ++i) {
    ASSERT_NEAR(ta.data<float>()[i], tb.data<float>()[i], 1e-5f) << "element " << i;
  }
}

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

// ShuffleNetV2's unit tail: Concat(a, b) on channels, then Reshape-Transpose-Reshape, groups 2.
TestModel ShuffleModel(int64_t groups, bool with_concat, bool extra_reader) {
  TestModel m;
  const int64_t c = 12;
  m.Input("x", {1, c, 3, 4})
      .Init("w", Seeded({c, 1, 3, 3}, 9))
      .Init("s5", Tensor::FromInt64s({5}, {1, groups, c / groups, 3, 4}).value())
      .Init("s4", Tensor::FromInt64s({4}, {1, c, 3, 4}).value())
      // A depthwise conv first, so the shuffle sees NHWC data as in a real network.
      .Node("Conv", {"x", "w"}, {"a"},
            test::Attrs(AttrInt("group", c), AttrInts("pads", {1, 1, 1, 1})));
  std::string shuffled_input = "a";
  if (with_concat) {
    // x1 = a[:, :6] passes through; x2 = a[:, 6:] goes through a pointwise conv (ShuffleNetV2's
    // stride-1 unit); both slices can be read in place.
    m.Init("st0", Tensor::FromInt64s({1}, {0}).value())
        .Init("st6", Tensor::FromInt64s({1}, {6}).value())
        .Init("st12", Tensor::FromInt64s({1}, {12}).value())
        .Init("ax1", Tensor::FromInt64s({1}, {1}).value())
        .Init("pw", Seeded({6, 6, 1, 1}, 10))
        .Node("Slice", {"a", "st0", "st6", "ax1"}, {"p"})
        .Node("Slice", {"a", "st6", "st12", "ax1"}, {"q"})
        .Node("Conv", {"q", "pw"}, {"q1"})
        .Node("Relu", {"q1"}, {"q2"})
        .Node("Concat", {"p", "q2"}, {"cat"}, test::Attrs(AttrInt("axis", 1)));
    shuffled_input = "cat";
  }
  m.Node("Reshape", {shuffled_input, "s5"}, {"r5"})
      .Node("Transpose", {"r5"}, {"t5"}, test::Attrs(AttrInts("perm", {0, 2, 1, 3, 4})))
      .Node("Reshape", {"t5", "s4"}, {"y"})
      .Output("y");
  if (extra_reader) m.Output("r5");
  return m;
}

TEST(RecognizeChannelShuffle, ReshapeTransposeReshapeBecomesOneOp) {
  for (int64_t groups : {2, 3, 4}) {
    auto g = LoadedGraph(ShuffleModel(groups, false, false));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "ChannelShuffle",
                                                     "LayoutConvert"}))
        << groups << " groups";
  }
}

TEST(RecognizeChannelShuffle, ConcatOfTwoHalvesIsAbsorbed) {
  auto g = LoadedGraph(ShuffleModel(2, true, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (const Node& n : g->nodes) {
    EXPECT_NE(n.op_type, "Concat");
    EXPECT_NE(n.op_type, "Transpose");
  }
}

TEST(ReadChannelSlicesInPlace, SlicesFeedingPointwiseConvAndShuffleDisappear) {
  auto g = LoadedGraph(ShuffleModel(2, true, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "Conv",
                                                   "ChannelShuffle", "LayoutConvert"}));
}

TEST(RecognizeChannelShuffle, NotWhenTheFiveDimValueHasAnotherReader) {
  auto g = LoadedGraph(ShuffleModel(2, false, true));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (const Node& n : g->nodes) EXPECT_NE(n.op_type, "ChannelShuffle");
}

TEST(RecognizeChannelShuffle, SameNumbersAsTheTransposeChain) {
  for (int64_t groups : {2, 3, 4}) {
    // The unfused model also outputs r5 (second output), which blocks the rewrite; the first
    // outputs must agree.
    ExpectSameAsUnfused(ShuffleModel(groups, false, false), ShuffleModel(groups, false, true),
                        {1, 12, 3, 4});
  }
  ExpectSameAsUnfused(ShuffleModel(2, true, false), ShuffleModel(2, true, true), {1, 12, 3, 4});
}

}  // namespace
}  // namespace litecnn

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::TestModel;

const Value* ValueNamed(const Graph& g, const std::string& name) {
  for (const Value& v : g.values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::vector<float> RunOnce(const TestModel& m, const Dims& x_dims) {
  auto model = m.Load();
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return {};
  std::vector<NamedTensor> in;
  in.push_back({"x", Seeded(x_dims, 11)});
  auto out = (*model)->Run(std::move(in));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  if (!out.ok()) return {};
  const Tensor& y = (*out)[0].tensor;
  return std::vector<float>(y.data<float>(), y.data<float>() + y.num_elements());
}

void ExpectNear(const std::vector<float>& a, const std::vector<float>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-5f) << "element " << i;
}

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

// BlazeFace's widening residual: y = act(conv(x) + Concat(a, zeros)) with the zeros from a
// ConstantOfShape, and the variants around it that must or must not become a partial addend.
// The conv's output is [1, 8, h, w] for every algorithm; the residual a has 5 channels.
enum class ConvAlgo { kPointwise, kDepthwise, kConvHwc, kIm2col };
enum class Residual {
  kTrailingZeros,       // Concat(a, zeros) on channels
  kTrailingZeroPieces,  // Concat(a, zeros, zeros)
  kLeadingZeros,        // Concat(zeros, a)
  kNonZeroPad,          // Concat(a, non-zero constant)
  kHeightConcat,        // Concat(a, zeros) on the height axis (a has all 8 channels)
};
struct PaddedResidual {
  ConvAlgo algo = ConvAlgo::kPointwise;
  Residual residual = Residual::kTrailingZeros;
  int64_t axis = 1;            // of the channel concats: 1 or -3
  const char* act = "Relu";    // or "HardSwish", or "" for none
  bool cat_is_output = false;  // the Concat has another reader
  int64_t h = 4, w = 5;        // output rows and columns
};

Dims ResidualDims(const PaddedResidual& s) {
  return s.residual == Residual::kHeightConcat ? Dims{1, 8, s.h - 1, s.w} : Dims{1, 5, s.h, s.w};
}

Dims ConvInputDims(const PaddedResidual& s) {
  switch (s.algo) {
    case ConvAlgo::kPointwise:
      return {1, 6, s.h, s.w};
    case ConvAlgo::kDepthwise:
      return {1, 8, s.h, s.w};
    case ConvAlgo::kConvHwc:
      return {1, 3, 2 * s.h, 2 * s.w};
    case ConvAlgo::kIm2col:
      return {1, 4, s.h, s.w};
  }
  return {};
}

// The model under test, or (reference) one computing the conv and the Concat as two outputs,
// from which the test computes act(conv + cat) by hand.
TestModel PaddedResidualModel(const PaddedResidual& s, bool reference) {
  TestModel m;
  m.Input("x", ConvInputDims(s)).Input("a", ResidualDims(s)).Init("b", Seeded({8}, 12));
  switch (s.algo) {
    case ConvAlgo::kPointwise:
      m.Init("w", Seeded({8, 6, 1, 1}, 11)).Node("Conv", {"x", "w", "b"}, {"c"});
      break;
    case ConvAlgo::kDepthwise:
      m.Init("w", Seeded({8, 1, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInt("group", 8), AttrInts("pads", {1, 1, 1, 1})));
      break;
    case ConvAlgo::kConvHwc:
      m.Init("w", Seeded({8, 3, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInts("strides", {2, 2}), AttrInts("pads", {1, 1, 1, 1})));
      break;
    case ConvAlgo::kIm2col:
      m.Init("w", Seeded({8, 2, 3, 3}, 11))
          .Node("Conv", {"x", "w", "b"}, {"c"},
                test::Attrs(AttrInt("group", 2), AttrInts("pads", {1, 1, 1, 1})));
      break;
  }
  const auto concat = [&](std::vector<std::string> parts, int64_t axis) {
    m.Node("Concat", std::move(parts), {"cat"}, test::Attrs(AttrInt("axis", axis)));
  };
  switch (s.residual) {
    case Residual::kTrailingZeros:
      m.Init("shape", Ints({1, 3, s.h, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"a", "z"}, s.axis);
      break;
    case Residual::kTrailingZeroPieces:
      m.Init("shape1", Ints({1, 1, s.h, s.w}))
          .Init("shape2", Ints({1, 2, s.h, s.w}))
          .Node("ConstantOfShape", {"shape1"}, {"z1"})
          .Node("ConstantOfShape", {"shape2"}, {"z2"});
      concat({"a", "z1", "z2"}, s.axis);
      break;
    case Residual::kLeadingZeros:
      m.Init("shape", Ints({1, 3, s.h, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"z", "a"}, s.axis);
      break;
    case Residual::kNonZeroPad:
      m.Init("z", Seeded({1, 3, s.h, s.w}, 13));
      concat({"a", "z"}, s.axis);
      break;
    case Residual::kHeightConcat:
      m.Init("shape", Ints({1, 8, 1, s.w})).Node("ConstantOfShape", {"shape"}, {"z"});
      concat({"a", "z"}, 2);
      break;
  }
  if (reference) {
    m.Output("c").Output("cat");
    return m;
  }
  m.Node("Add", {"c", "cat"}, {"s"});
  if (std::string(s.act).empty()) {
    m.Output("s");
  } else {
    m.Node(s.act, {"s"}, {"y"}).Output("y");
  }
  if (s.cat_is_output) m.Output("cat");
  return m;
}

// Output 0 of the model under test against act(conv + cat) from the reference model.
void ExpectPaddedResidualNumbers(const PaddedResidual& s) {
  auto model = PaddedResidualModel(s, false).Load();
  auto reference = PaddedResidualModel(s, true).Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  const Tensor x = Seeded(ConvInputDims(s), 7);
  const Tensor a = Seeded(ResidualDims(s), 8);
  std::vector<NamedTensor> in, ref_in;
  in.push_back({"x", x.Clone().value()});
  in.push_back({"a", a.Clone().value()});
  ref_in.push_back({"x", x.Clone().value()});
  ref_in.push_back({"a", a.Clone().value()});
  auto y = (*model)->Run(std::move(in));
  auto ref = (*reference)->Run(std::move(ref_in));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  const Tensor& got = (*y)[0].tensor;
  const Tensor& conv = (*ref)[0].tensor;
  const Tensor& cat = (*ref)[1].tensor;
  ASSERT_EQ(got.dims(), (Dims{1, 8, s.h, s.w}));
  ASSERT_EQ(conv.dims(), got.dims());
  ASSERT_EQ(cat.dims(), got.dims());
  const std::string act = s.act;
  for (int64_t i = 0; i < got.num_elements(); ++i) {
    float e = conv.data<float>()[i] + cat.data<float>()[i];
    if (act == "Relu") e = std::max(e, 0.f);
    if (act == "HardSwish") e = e * std::min(std::max(e + 3.f, 0.f), 6.f) / 6.f;
    ASSERT_NEAR(got.data<float>()[i], e, 1e-5f) << "element " << i;
  }
}

int CountOps(const Graph& g, const std::string& op) {
  return static_cast<int>(std::count_if(g.nodes.begin(), g.nodes.end(),
                                        [&](const Node& n) { return n.op_type == op; }));
}

// The one Conv's fused addend (input 3), or -1.
int ConvAddend(const Graph& g) {
  for (const Node& n : g.nodes) {
    if (n.op_type == "Conv" && n.inputs.size() == 4) return n.inputs[3];
  }
  return -1;
}

TEST(FuseResidualAdds, ZeroChannelPadConcatBecomesPartialAddend) {
  std::vector<PaddedResidual> cases;
  for (ConvAlgo algo :
       {ConvAlgo::kPointwise, ConvAlgo::kDepthwise, ConvAlgo::kConvHwc, ConvAlgo::kIm2col}) {
    PaddedResidual s;
    s.algo = algo;
    cases.push_back(s);
  }
  // 64x64 outputs take several pointwise GEMM blocks and im2col bands, each with its own
  // addend offset.
  for (ConvAlgo algo : {ConvAlgo::kPointwise, ConvAlgo::kIm2col}) {
    PaddedResidual s;
    s.algo = algo;
    s.h = s.w = 64;
    cases.push_back(s);
  }
  PaddedResidual negative_axis;
  negative_axis.axis = -3;
  cases.push_back(negative_axis);
  PaddedResidual pieces;
  pieces.residual = Residual::kTrailingZeroPieces;
  cases.push_back(pieces);
  for (const char* act : {"HardSwish", ""}) {
    PaddedResidual s;
    s.act = act;
    cases.push_back(s);
  }
  for (size_t k = 0; k < cases.size(); ++k) {
    SCOPED_TRACE("case " + std::to_string(k));
    auto g = LoadedGraph(PaddedResidualModel(cases[k], false));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    // Concat, Add and the activation are all gone into the conv, which reads a directly.
    EXPECT_EQ(CountOps(*g, "Concat"), 0);
    EXPECT_EQ(CountOps(*g, "Add"), 0);
    EXPECT_EQ(CountOps(*g, "Relu") + CountOps(*g, "HardSwish"), 0);
    EXPECT_EQ(CountOps(*g, "Conv"), 1);
    const int addend = ConvAddend(*g);
    ASSERT_GE(addend, 0);
    EXPECT_EQ(g->values[addend].desc.dims, (Dims{1, 5, cases[k].h, cases[k].w}));
    ExpectPaddedResidualNumbers(cases[k]);
  }
}

// The Concat stays, and the conv reads its whole output as a plain addend.
void ExpectConcatKeptAsFullAddend(const PaddedResidual& s) {
  auto g = LoadedGraph(PaddedResidualModel(s, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(CountOps(*g, "Concat"), 1);
  EXPECT_EQ(CountOps(*g, "Add"), 0);
  const int addend = ConvAddend(*g);
  ASSERT_GE(addend, 0);
  EXPECT_EQ(g->values[addend].desc.dims, (Dims{1, 8, s.h, s.w}));
  ExpectPaddedResidualNumbers(s);
}

TEST(FuseResidualAdds, NonZeroConcatIsNotFused) {
  PaddedResidual s;
  s.residual = Residual::kNonZeroPad;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, ConcatWithOtherReadersKeepsConcat) {
  PaddedResidual s;
  s.cat_is_output = true;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, LeadingZerosNotFused) {
  PaddedResidual s;
  s.residual = Residual::kLeadingZeros;
  ExpectConcatKeptAsFullAddend(s);
}

TEST(FuseResidualAdds, ZeroPadConcatAlongHeightNotFused) {
  PaddedResidual s;
  s.residual = Residual::kHeightConcat;
  ExpectConcatKeptAsFullAddend(s);
}

// An NHWC image [1, 4, 5, 3] transposed to NCHW, a 3x3 conv (pad 1) to 2 channels, and the result
// transposed back to NHWC: the graph of a model converted from TensorFlow (BlazeFace).
// `input_perm` transposes the input; (0, 3, 2, 1) also swaps height and width, which no layout
// undoes. `concat`: a second output concatenates the conv with a 1x1 conv of the transposed input.
struct NhwcModel {
  std::vector<int64_t> input_perm = {0, 3, 1, 2};
  bool transposed_is_output = false;
  bool concat = false;
  TestModel Build() const {
    TestModel m;
    m.Input("x", {1, 4, 5, 3})
        .Init("w", Seeded({2, 3, 3, 3}, 21))
        .Init("b", Seeded({2}, 22))
        .Node("Transpose", {"x"}, {"t"}, test::Attrs(AttrInts("perm", input_perm)))
        .Node("Conv", {"t", "w", "b"}, {"c"}, test::Attrs(AttrInts("pads", {1, 1, 1, 1})))
        .Node("Transpose", {"c"}, {"y"}, test::Attrs(AttrInts("perm", {0, 2, 3, 1})))
        .Output("y");
    if (transposed_is_output) m.Output("t");
    if (concat) {
      m.Init("w1", Seeded({4, 3, 1, 1}, 23))
          .Node("Conv", {"t", "w1"}, {"d"})
          .Node("Concat", {"c", "d", "t"}, {"cat"}, test::Attrs(AttrInt("axis", 1)))
          .Output("cat");
    }
    return m;
  }
};

// Naive reference of NhwcModel's outputs from x: y (NHWC) and, with `concat`, cat (NCHW).
std::vector<std::vector<float>> NhwcReference(const NhwcModel& s, const Tensor& x) {
  const Tensor w = Seeded({2, 3, 3, 3}, 21), b = Seeded({2}, 22), w1 = Seeded({4, 3, 1, 1}, 23);
  const bool swap = s.input_perm[2] == 2;  // t's spatial axes are x's (W, H)
  const int64_t h = swap ? 5 : 4, wd = swap ? 4 : 5;
  auto t = [&](int64_t c, int64_t i, int64_t j) {  // t[0, c, i, j]
    const int64_t xh = swap ? j : i, xw = swap ? i : j;
    return x.data<float>()[(xh * 5 + xw) * 3 + c];
  };
  auto conv = [&](int64_t o, int64_t i, int64_t j) {
    float acc = b.data<float>()[o];
    for (int64_t c = 0; c < 3; ++c) {
      for (int64_t ki = 0; ki < 3; ++ki) {
        for (int64_t kj = 0; kj < 3; ++kj) {
          const int64_t ii = i + ki - 1, jj = j + kj - 1;
          if (ii < 0 || ii >= h || jj < 0 || jj >= wd) continue;
          acc += w.data<float>()[((o * 3 + c) * 3 + ki) * 3 + kj] * t(c, ii, jj);
        }
      }
    }
    return acc;
  };
  std::vector<std::vector<float>> out(1);
  for (int64_t i = 0; i < h; ++i) {
    for (int64_t j = 0; j < wd; ++j) {
      for (int64_t o = 0; o < 2; ++o) out[0].push_back(conv(o, i, j));
    }
  }
  if (s.concat) {
    out.emplace_back();
    for (int64_t o = 0; o < 9; ++o) {
      for (int64_t i = 0; i < h; ++i) {
        for (int64_t j = 0; j < wd; ++j) {
          float v = 0.f;
          if (o < 2) {
            v = conv(o, i, j);
          } else if (o < 6) {
            for (int64_t c = 0; c < 3; ++c) v += w1.data<float>()[(o - 2) * 3 + c] * t(c, i, j);
          } else {
            v = t(o - 6, i, j);
          }
          out[1].push_back(v);
        }
      }
    }
  }
  return out;
}

void ExpectNhwcModelValues(const NhwcModel& s) {
  auto model = s.Build().Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor x = Seeded({1, 4, 5, 3}, 24);
  const std::vector<std::vector<float>> want = NhwcReference(s, x);
  // Twice: the second run must not see anything the first left in a shared buffer.
  for (int run = 0; run < 2; ++run) {
    std::vector<NamedTensor> in;
    in.push_back({"x", x.Clone().value()});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const Tensor& y = (*out)[0].tensor;
    ExpectNear(std::vector<float>(y.data<float>(), y.data<float>() + y.num_elements()), want[0]);
    if (s.concat) {
      const Tensor& cat = (*out).back().tensor;
      ExpectNear(std::vector<float>(cat.data<float>(), cat.data<float>() + cat.num_elements()),
                 want[1]);
    }
  }
}

TEST(ElideNoOpConversions, NhwcInputAndOutputTransposesBecomeViews) {
  NhwcModel s;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"View", "Conv", "View"}));
  EXPECT_EQ(ValueNamed(*g, "c")->placed_in, -1);
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, TransposeWithAnotherReaderStays) {
  NhwcModel s;
  s.transposed_is_output = true;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Transpose", "View", "Conv", "View"}));
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, PermutationNoLayoutUndoesIsCopied) {
  NhwcModel s;
  s.input_perm = {0, 3, 2, 1};
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Transpose", "LayoutConvert", "Conv", "View"}));
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, ViewsAndTheirHostsAreNotPlacedInAConcat) {
  NhwcModel s;
  s.concat = true;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  // The concat reads t in NHWC: the View of x, which stays in x's buffer (placements do not
  // nest) and is copied; d is written in place.
  const Value* t_nhwc = ValueNamed(*g, "t@NHWC");
  ASSERT_NE(t_nhwc, nullptr);
  EXPECT_EQ(t_nhwc->placed_in, g->inputs[0]);
  EXPECT_GE(ValueNamed(*g, "d")->placed_in, 0);
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, PooledFeaturesBeforeFlattenAreAView) {
  // [1, 5, 1, 1] has the same bytes in NHWC and plain: MobileNet's head.
  TestModel m;
  m.Input("x", {1, 3, 4, 4})
      .Init("w", Seeded({5, 3, 1, 1}, 31))
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("GlobalAveragePool", {"c"}, {"p"})
      .Node("Flatten", {"p"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "GlobalAveragePool",
                                                   "View", "Flatten"}));
  const Tensor x = Seeded({1, 3, 4, 4}, 11), w = Seeded({5, 3, 1, 1}, 31);
  std::vector<float> want(5, 0.f);
  for (int o = 0; o < 5; ++o) {
    for (int p = 0; p < 16; ++p) {
      for (int c = 0; c < 3; ++c)
        want[o] += w.data<float>()[o * 3 + c] * x.data<float>()[c * 16 + p];
    }
    want[o] /= 16.f;
  }
  ExpectNear(RunOnce(m, {1, 3, 4, 4}), want);
}

TEST(ElideNoOpConversions, OneChannelImageTransposeGoesToo) {
  // x [1, 4, 5, 1]: the Transpose's output has x's bytes as well; the View takes x, so the
  // Transpose goes.
  TestModel m;
  m.Input("x", {1, 4, 5, 1})
      .Init("w", Tensor::FromFloats({2, 1, 1, 1}, {2.f, -0.5f}).value())
      .Node("Transpose", {"x"}, {"t"}, test::Attrs(AttrInts("perm", {0, 3, 1, 2})))
      .Node("Conv", {"t", "w"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"View", "Conv", "LayoutConvert"}));
  const Tensor x = Seeded({1, 4, 5, 1}, 11);
  std::vector<float> want;
  for (float k : {2.f, -0.5f}) {
    for (int i = 0; i < 20; ++i) want.push_back(k * x.data<float>()[i]);
  }
  ExpectNear(RunOnce(m, {1, 4, 5, 1}), want);
}

}  // namespace
}  // namespace litecnn
