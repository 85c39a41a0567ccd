// Hostile input: every model file and every argument may be crafted. Pins the limits of
// core/limits.h (each refusal names the limit, the value and the maximum) and the cases of the
// bad-input catalogue not already pinned next to their layer (onnx_decoder_test.cc: truncation
// at every byte, bit flips, garbage, huge tensor dims, raw_data size mismatch;
// graph_builder_test.cc: cycles, undefined inputs, unsupported ops;
// passes_infer_shapes_test.cc: groups not dividing channels; runtime_model_test.cc: wrong input
// names, dims and dtypes).
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fuzz_targets.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::Attrs;
using test::FailsWith;
using test::ReadAll;
using test::ReluModel;
using test::TestModel;

Tensor Filled(const Dims& dims, float v) {
  Tensor t = std::move(Tensor::Create(DataType::kFloat32, dims)).value();
  std::fill(t.data<float>(), t.data<float>() + t.num_elements(), v);
  return t;
}

// --- limits ------------------------------------------------------------------------------------

TEST(Limits, ModelBytesOverMaximumNamesLimitAndExcess) {
  const std::string bytes = ReluModel({1, 3}).Bytes();
  LoadOptions options;
  options.limits.max_model_bytes = static_cast<int64_t>(bytes.size()) - 10;
  auto model = Model::Load(onnx::test::Bytes(bytes), bytes.size(), options);
  EXPECT_TRUE(
      FailsWith(model.status(), StatusCode::kLimitExceeded,
                {"limit maxModelBytes exceeded: the model has " + std::to_string(bytes.size()) +
                 " bytes, 10 more than the maximum of " + std::to_string(bytes.size() - 10)}));
  options.limits.max_model_bytes = static_cast<int64_t>(bytes.size());
  EXPECT_TRUE(Model::Load(onnx::test::Bytes(bytes), bytes.size(), options).ok());
}

TEST(Limits, NodesOverMaximumCountsAllOfThem) {
  TestModel m;
  m.Input("x", {4});
  std::string prev = "x";
  for (int i = 0; i < 30; ++i) {
    m.Node("Relu", {prev}, {"r" + std::to_string(i)});
    prev = "r" + std::to_string(i);
  }
  m.Output(prev);
  LoadOptions options;
  options.limits.max_nodes = 25;
  EXPECT_TRUE(FailsWith(m.Load(options).status(), StatusCode::kLimitExceeded,
                        {"limit maxNodes exceeded: the graph has 30 nodes, 5 more than the "
                         "maximum of 25"}));
  options.limits.max_nodes = 30;
  EXPECT_TRUE(m.Load(options).ok());
}

TEST(Limits, RankOfGraphInputOverMaximum) {
  auto model = ReluModel(Dims(9, 1)).Load();
  EXPECT_TRUE(FailsWith(
      model.status(), StatusCode::kLimitExceeded,
      {"limit maxRank exceeded", "input 'x'", "has 9 dimensions, 1 more than the maximum of 8"}));
  LoadOptions options;
  options.limits.max_rank = 9;
  EXPECT_TRUE(ReluModel(Dims(9, 1)).Load(options).ok());
}

TEST(Limits, RankOfComputedValueOverMaximum) {
  TestModel m;
  m.Input("x", {2, 2})
      .Init("s", Tensor::FromInt64s({10}, {1, 1, 1, 1, 1, 1, 1, 1, 2, 2}).value())
      .Node("Reshape", {"x", "s"}, {"y"}, {}, "deep")
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kLimitExceeded,
                        {"limit maxRank exceeded", "'deep' output 0",
                         "has 10 dimensions, 2 more than the maximum of 8"}));
}

TEST(Limits, InputDimsOfTwoToThe40AreRefusedBeforeAllocating) {
  const int64_t big = int64_t{1} << 40;
  auto model = ReluModel({1, big}).Load();
  EXPECT_TRUE(FailsWith(model.status(), StatusCode::kLimitExceeded,
                        {"limit maxTensorElements exceeded", "input 'x' [1, 1099511627776]",
                         "has 1099511627776 elements, 1099444518912 more than the maximum of "
                         "67108864"}));
}

TEST(Limits, ElementCountOverflowIsImpossible) {
  const int64_t big = int64_t{1} << 40;
  auto model = ReluModel({big, big, big}).Load();
  EXPECT_TRUE(FailsWith(model.status(), StatusCode::kLimitExceeded,
                        {"limit maxTensorElements exceeded", "more than 2^63 elements"}));
  // Even with the limit lifted to its largest value, no product wraps.
  LoadOptions options;
  options.limits.max_tensor_elements = INT64_MAX;
  EXPECT_TRUE(FailsWith(ReluModel({big, big, big}).Load(options).status(),
                        StatusCode::kLimitExceeded, {"more than 2^63 elements"}));
}

TEST(Limits, ComputedValueOverElementLimitBeforeFolding) {
  // ConstantOfShape is folded at load time: the check must come before the allocation.
  TestModel m;
  m.Input("x", {1})
      .Init("shape", Tensor::FromInt64s({2}, {int64_t{1} << 20, int64_t{1} << 20}).value())
      .Node("ConstantOfShape", {"shape"}, {"c"}, {}, "flood")
      .Node("Add", {"x", "c"}, {"y"})
      .Output("y");
  EXPECT_TRUE(FailsWith(
      m.Load().status(), StatusCode::kLimitExceeded,
      {"limit maxTensorElements exceeded", "'flood' output 0", "has 1099511627776 elements"}));
}

TEST(Limits, TensorElementsCanBeLoweredAndRaised) {
  LoadOptions options;
  options.limits.max_tensor_elements = 100;
  EXPECT_TRUE(FailsWith(ReluModel({1, 101}).Load(options).status(), StatusCode::kLimitExceeded,
                        {"has 101 elements, 1 more than the maximum of 100"}));
  EXPECT_TRUE(ReluModel({1, 100}).Load(options).ok());
}

TEST(Limits, PlannedBytesOverMaximum) {
  // x, a and y: the plan needs at least two 4 KiB buffers.
  TestModel m;
  m.Input("x", {1, 1024}).Node("Relu", {"x"}, {"a"}).Node("Sigmoid", {"a"}, {"y"}).Output("y");
  LoadOptions options;
  options.limits.max_planned_bytes = 4096;
  EXPECT_TRUE(FailsWith(m.Load(options).status(), StatusCode::kLimitExceeded,
                        {"limit maxPlannedBytes exceeded: the memory plan of one run has",
                         "more than the maximum of 4096"}));
  options.limits.max_planned_bytes = int64_t{1} << 20;
  EXPECT_TRUE(m.Load(options).ok());
}

// --- bad-input catalogue -----------------------------------------------------------------------

TEST(BadInput, DimOfZeroRunsToAnEmptyOutput) {
  auto model = ReluModel({0, 3}).Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<NamedTensor> in;
  in.push_back({"x", Filled({0, 3}, 0.f)});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{0, 3}));
}

TEST(BadInput, ConvOnZeroSizedImageIsRefusedOrEmpty) {
  TestModel m;
  m.Input("x", {1, 3, 0, 4})
      .Init("w", Filled({2, 3, 1, 1}, 1.f))
      .Node("Conv", {"x", "w"}, {"y"})
      .Output("y");
  auto model = m.Load();
  if (!model.ok()) {
    EXPECT_FALSE(model.status().message().empty());
    return;
  }
  std::vector<NamedTensor> in;
  in.push_back({"x", Filled({1, 3, 0, 4}, 1.f)});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.num_elements(), 0);
}

TEST(BadInput, NegativePadsAreInvalid) {
  TestModel m;
  m.Input("x", {1, 1, 4, 4})
      .Init("w", Filled({1, 1, 3, 3}, 1.f))
      .Node("Conv", {"x", "w"}, {"y"}, Attrs(AttrInts("pads", {-1, 0, 0, 0})), "neg_pad")
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kInvalidModel,
                        {"neg_pad", "pads [-1, 0, 0, 0] out of range"}));
}

TEST(BadInput, NegativeAndZeroStridesAreInvalid) {
  for (int64_t stride : {int64_t{-1}, int64_t{0}}) {
    TestModel m;
    m.Input("x", {1, 1, 4, 4})
        .Init("w", Filled({1, 1, 3, 3}, 1.f))
        .Node("Conv", {"x", "w"}, {"y"}, Attrs(AttrInts("strides", {stride, 1})), "bad_stride")
        .Output("y");
    EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kInvalidModel,
                          {"bad_stride", "strides [" + std::to_string(stride) + ", 1]"}));
  }
}

TEST(BadInput, PoolWithNegativePadsIsInvalid) {
  TestModel m;
  m.Input("x", {1, 1, 4, 4})
      .Node("MaxPool", {"x"}, {"y"},
            Attrs(AttrInts("kernel_shape", {2, 2}), AttrInts("pads", {0, -2, 0, 0})), "pool")
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kInvalidModel, {"pool", "pads"}));
}

TEST(BadInput, GroupOfZeroIsInvalid) {
  TestModel m;
  m.Input("x", {1, 2, 4, 4})
      .Init("w", Filled({2, 1, 1, 1}, 1.f))
      .Node("Conv", {"x", "w"}, {"y"}, Attrs(AttrInt("group", 0)), "zero_groups")
      .Output("y");
  auto model = m.Load();
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("zero_groups"), std::string::npos)
      << model.status().message();
}

TEST(BadInput, ConvWeightsOfWrongShapeAreInvalid) {
  // The initializer decodes (its bytes match its dims) but cannot be a weight of this conv.
  TestModel m;
  m.Input("x", {1, 3, 4, 4})
      .Init("w", Filled({2, 5, 1, 1}, 1.f))
      .Node("Conv", {"x", "w"}, {"y"}, {}, "mismatch")
      .Output("y");
  auto model = m.Load();
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("mismatch"), std::string::npos)
      << model.status().message();
}

TEST(BadInput, OpsetAboveNewestIsUnsupported) {
  TestModel m(99);
  m.Input("x", {3}).Node("Relu", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kUnsupported,
                        {"opset 99 (the newest litecnn knows is 23)"}));
}

TEST(BadInput, UsableAfterEveryKindOfLoadError) {
  // Failed loads must leave nothing behind that breaks the next one (no global state).
  TestModel cycle;
  cycle.Input("x", {3}).Node("Add", {"x", "b"}, {"a"}).Node("Relu", {"a"}, {"b"}).Output("b");
  EXPECT_FALSE(cycle.Load().ok());
  EXPECT_FALSE(ReluModel({int64_t{1} << 40}).Load().ok());
  auto good = ReluModel({1, 3}).Load();
  ASSERT_TRUE(good.ok());
  std::vector<NamedTensor> in;
  in.push_back({"x", Tensor::FromFloats({1, 3}, {-1.f, 2.f, -3.f}).value()});
  auto out = (*good)->Run(std::move(in));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].tensor.data<float>()[1], 2.f);
}

// --- failed allocations ------------------------------------------------------------------------

// A model that reaches every allocation site a model sizes: Constant tensors cloned from the
// attribute, value_floats and Shape outputs built from vectors, a constant graph input cloned
// at load, BatchNormalization folded into a clone of the conv weights, packed weights for 3x3
// (Winograd or im2col, with scratch), strided im2col, 1x1 and Gemm convolutions, the
// activation buffers and the output tensors.
TestModel AllocatingModel() {
  onnx::Attribute w3;
  w3.name = "value";
  w3.type = onnx::AttributeType::kTensor;
  w3.t = test::Random({8, 4, 3, 3}, 1);
  onnx::Attribute bias;
  bias.name = "value_floats";
  bias.type = onnx::AttributeType::kFloats;
  bias.floats.assign(8, 0.25f);
  TestModel m;
  m.Input("x", {1, 4, 9, 9})
      .Input("k", {1, 8, 1, 1})
      .Init("scale", test::Random({8}, 2))
      .Init("shift", test::Random({8}, 3))
      .Init("mean", test::Random({8}, 4))
      .Init("var", Filled({8}, 0.5f))
      .Init("w5", test::Random({8, 8, 5, 5}, 5))
      .Init("w1", test::Random({16, 8, 1, 1}, 6))
      .Init("fc", test::Random({16, 10}, 7))
      .Node("Constant", {}, {"w3"}, Attrs(std::move(w3)))
      .Node("Constant", {}, {"b3"}, Attrs(std::move(bias)))
      .Node("Conv", {"x", "w3", "b3"}, {"c3"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("BatchNormalization", {"c3", "scale", "shift", "mean", "var"}, {"bn"})
      .Node("Add", {"bn", "k"}, {"a"})
      .Node("Relu", {"a"}, {"r"})
      .Node("Conv", {"r", "w5"}, {"c5"},
            Attrs(AttrInts("pads", {2, 2, 2, 2}), AttrInts("strides", {2, 2})))
      .Node("Conv", {"c5", "w1"}, {"c1"})
      .Node("GlobalAveragePool", {"c1"}, {"p"})
      .Node("Flatten", {"p"}, {"f"})
      .Node("Gemm", {"f", "fc"}, {"y"})
      .Node("Shape", {"f"}, {"s"})
      .Output("y")
      .Output("s");
  return m;
}

LoadOptions AllocatingModelOptions() {
  LoadOptions options;
  options.constant_inputs.push_back({"k", test::Random({1, 8, 1, 1}, 8)});
  return options;
}

std::vector<NamedTensor> AllocatingModelInput() {
  std::vector<NamedTensor> in;
  in.push_back({"x", test::Random({1, 4, 9, 9}, 9)});
  return in;
}

TEST(FailedAllocations, EveryAllocationOfLoadAndRunFailsAsAStatusAndLeavesTheRuntimeUsable) {
  const TestModel m = AllocatingModel();
  auto reference_model = m.Load(AllocatingModelOptions());
  ASSERT_TRUE(reference_model.ok()) << reference_model.status().ToString();
  auto reference = (*reference_model)->Run(AllocatingModelInput());
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  const Tensor& expected = (*reference)[0].tensor;

  auto matches_reference = [&](Model& model) {
    auto out = model.Run(AllocatingModelInput());
    if (!out.ok()) return ::testing::AssertionFailure() << out.status().ToString();
    const Tensor& y = (*out)[0].tensor;
    if (y.dims() != expected.dims()) return ::testing::AssertionFailure() << "dims differ";
    for (int64_t i = 0; i < y.num_elements(); ++i) {
      if (y.data<float>()[i] != expected.data<float>()[i]) {
        return ::testing::AssertionFailure() << "element " << i << " differs";
      }
    }
    return ::testing::AssertionSuccess();
  };

  // Fail the 1st, 2nd, ... allocation until a load and a run no longer reach the chosen one.
  // (The test's own tensors are made before each arming.)
  const LoadOptions options = AllocatingModelOptions();
  int load_failures = 0, run_failures = 0;
  for (int64_t nth = 1;; ++nth) {
    ASSERT_LT(nth, 1000) << "no load and run completes";
    SCOPED_TRACE("allocation " + std::to_string(nth));
    std::vector<NamedTensor> input = AllocatingModelInput();
    FailNthAllocationForTesting(nth);
    auto model = m.Load(options);
    if (!model.ok()) {
      FailNthAllocationForTesting(0);
      EXPECT_TRUE(FailsWith(model.status(), StatusCode::kLimitExceeded, {"out of memory"}));
      ++load_failures;
      continue;
    }
    auto out = (*model)->Run(std::move(input));
    const int64_t still_to_come = FailNthAllocationForTesting(0);
    if (out.ok()) {
      // Done only if the armed allocation never came: one that failed and went unreported
      // (a fallback that swallows it) would end the sweep early.
      ASSERT_GT(still_to_come, 0) << "allocation " << nth << " failed, yet load and run succeeded";
      break;
    }
    EXPECT_TRUE(FailsWith(out.status(), StatusCode::kLimitExceeded, {"out of memory"}));
    ++run_failures;
    // The model that failed one run runs the next as if nothing happened.
    EXPECT_TRUE(matches_reference(**model));
  }
  // Tensors, packed weights of four convs and a Gemm, scratch, buffers: many sites each way.
  EXPECT_GT(load_failures, 15);
  EXPECT_GT(run_failures, 0);
  auto after = m.Load(options);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_TRUE(matches_reference(**after));
}

TEST(BadInput, ConstantTensorWithoutDtypeIsUnsupportedNotACrash) {
  // The fuzzer's crash: a Constant whose tensor has no dtype (the decoder now refuses the file
  // form; a graph built in memory still reaches the op).
  onnx::Attribute value;
  value.name = "value";
  value.type = onnx::AttributeType::kTensor;
  TestModel m;
  m.Input("x", {1})
      .Node("Constant", {}, {"c"}, Attrs(std::move(value)))
      .Node("Add", {"x", "c"}, {"y"});
  m.Output("y");
  auto graph = BuildGraph(std::move(m).TakeProto());
  EXPECT_TRUE(FailsWith(graph.status(), StatusCode::kUnsupported, {"Constant", "undefined"}));
}

// --- the project's models, damaged -------------------------------------------------------------

std::vector<std::string> ProjectModels() {
  std::vector<std::string> files;
  const std::string dir = std::string(LITECNN_SOURCE_DIR) + "/models/generated";
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".onnx") {
        files.push_back(dir + "/" + name);
      }
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BadInput, ProjectModelsTruncatedAtEverySixteenthFail) {
  const std::vector<std::string> models = ProjectModels();
  LITECNN_REQUIRE_MODELS(!models.empty(), "models/generated is empty");
  for (const std::string& path : models) {
    const std::string bytes = ReadAll(path);
    for (int i = 0; i < 16; ++i) {
      const size_t n = bytes.size() * i / 16;
      auto model = Model::Load(onnx::test::Bytes(bytes), n);
      ASSERT_FALSE(model.ok()) << path << " truncated at " << n << " loaded";
      EXPECT_FALSE(model.status().message().empty());
    }
  }
}

TEST(BadInput, BlazeFaceWithRandomBitFlipsNeverCrashes) {
  const std::string path = std::string(LITECNN_SOURCE_DIR) + "/models/generated/blazeface.onnx";
  const std::string bytes = ReadAll(path);
  LITECNN_REQUIRE_MODELS(!bytes.empty(), "models/generated is empty");
  std::mt19937 rng(7);
  for (int iter = 0; iter < 40; ++iter) {
    std::string mutated = bytes;
    // Flips in the first 4 KiB hit the graph structure (names, attributes, dims) rather than
    // weight bytes, which would load fine.
    const size_t span = std::min<size_t>(mutated.size(), 4096);
    for (int k = 0; k < 4; ++k) mutated[rng() % span] ^= static_cast<char>(1u << (rng() % 8));
    fuzz::FuzzLoadAndRun(reinterpret_cast<const uint8_t*>(mutated.data()), mutated.size());
  }
}

}  // namespace
}  // namespace litecnn
