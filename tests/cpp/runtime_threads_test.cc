// LoadOptions::num_threads: every op family that splits its work, and every target model, gives
// bit-identical outputs with 1, 2 and 3 threads (3 exceeds the cores of the CI machine).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::Attrs;
using test::Random;
using test::TestModel;

constexpr size_t kThreadCounts[] = {1, 2, 3};

std::vector<NamedTensor> RunWithThreads(
    const std::function<Result<std::unique_ptr<Model>>(const LoadOptions&)>& load, size_t threads) {
  LoadOptions options;
  options.num_threads = threads;
  options.min_parallel_macs = 0;  // split every op, however small the test shape
  auto model = load(options);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return {};
  std::vector<NamedTensor> inputs;
  uint32_t seed = 1;
  for (const TensorInfo& info : (*model)->inputs()) {
    Dims dims = info.dims;
    for (int64_t& d : dims) d = d < 0 ? 1 : d;
    inputs.push_back({info.name, Random(dims, seed++)});
  }
  // Twice: the second run reuses the pool and every buffer.
  std::vector<NamedTensor> copy;
  for (const NamedTensor& t : inputs) copy.push_back({t.name, t.tensor.Clone().value()});
  EXPECT_TRUE((*model)->Run(std::move(copy)).ok());
  auto out = (*model)->Run(std::move(inputs));
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? std::move(*out) : std::vector<NamedTensor>{};
}

void ExpectSameBitsForEveryThreadCount(
    const std::function<Result<std::unique_ptr<Model>>(const LoadOptions&)>& load) {
  const std::vector<NamedTensor> ref = RunWithThreads(load, 1);
  ASSERT_FALSE(ref.empty());
  for (size_t threads : kThreadCounts) {
    const std::vector<NamedTensor> got = RunWithThreads(load, threads);
    ASSERT_EQ(got.size(), ref.size());
    for (size_t k = 0; k < ref.size(); ++k) {
      ASSERT_EQ(got[k].tensor.dims(), ref[k].tensor.dims());
      EXPECT_EQ(std::memcmp(got[k].tensor.raw(), ref[k].tensor.raw(), ref[k].tensor.byte_size()), 0)
          << "output " << ref[k].name << " differs with " << threads << " threads";
    }
  }
}

struct OpCase {
  const char* name;
  std::function<TestModel()> build;
};

// Shapes with more tiles and rows than threads, and odd sizes so parts end mid-way.
TestModel ConvModel(int64_t c, int64_t m, int64_t h, int64_t w, int64_t k, int64_t group,
                    int64_t stride, int64_t pad, const char* act, bool residual) {
  TestModel tm(14);  // HardSwish is opset 14's
  std::vector<onnx::Attribute> attrs =
      Attrs(AttrInt("group", group), AttrInts("strides", {stride, stride}),
            AttrInts("pads", {pad, pad, pad, pad}));
  tm.Input("x", {2, c, h, w})
      .Init("w", Random({m, c / group, k, k}, 7))
      .Init("b", Random({m}, 8))
      .Node("Conv", {"x", "w", "b"}, {"y"}, std::move(attrs));
  std::string last = "y";
  if (residual) {
    tm.Node("Add", {last, "x"}, {"sum"});
    last = "sum";
  }
  if (act) {
    tm.Node(act, {last}, {"z"});
    last = "z";
  }
  tm.Output(last);
  return tm;
}

TestModel PoolModel(const char* op, int64_t k, int64_t stride, std::vector<int64_t> pads,
                    int64_t ceil_mode, int64_t count_include_pad) {
  TestModel tm;
  std::vector<onnx::Attribute> attrs =
      Attrs(AttrInts("kernel_shape", {k, k}), AttrInts("strides", {stride, stride}),
            AttrInts("pads", std::move(pads)), AttrInt("ceil_mode", ceil_mode));
  if (std::string(op) == "AveragePool") {
    attrs.push_back(AttrInt("count_include_pad", count_include_pad));
  }
  tm.Input("x", {2, 13, 23, 19}).Node(op, {"x"}, {"y"}, std::move(attrs)).Output("y");
  return tm;
}

// ShuffleNetV2's unit tail (Concat of two channel halves, then Reshape-Transpose-Reshape) or a
// plain shuffle: one ChannelShuffle op, split over pixels.
TestModel ShuffleModel(int64_t groups, bool with_concat) {
  const int64_t c = 24, h = 11, w = 13;
  TestModel tm;
  tm.Input("x", {2, c, h, w})
      .Init("dw", Random({c, 1, 3, 3}, 1))
      .Init("s5", Tensor::FromInt64s({5}, {2, groups, c / groups, h, w}).value())
      .Init("s4", Tensor::FromInt64s({4}, {2, c, h, w}).value())
      .Node("Conv", {"x", "dw"}, {"a"}, Attrs(AttrInt("group", c), AttrInts("pads", {1, 1, 1, 1})));
  std::string shuffled = "a";
  if (with_concat) {
    tm.Init("st0", Tensor::FromInt64s({1}, {0}).value())
        .Init("mid", Tensor::FromInt64s({1}, {c / 2}).value())
        .Init("end", Tensor::FromInt64s({1}, {c}).value())
        .Init("ax1", Tensor::FromInt64s({1}, {1}).value())
        .Init("pw", Random({c / 2, c / 2, 1, 1}, 2))
        .Node("Slice", {"a", "st0", "mid", "ax1"}, {"p"})
        .Node("Slice", {"a", "mid", "end", "ax1"}, {"q"})
        .Node("Conv", {"q", "pw"}, {"q1"})
        .Node("Concat", {"p", "q1"}, {"cat"}, Attrs(AttrInt("axis", 1)));
    shuffled = "cat";
  }
  tm.Node("Reshape", {shuffled, "s5"}, {"r5"})
      .Node("Transpose", {"r5"}, {"t5"}, Attrs(AttrInts("perm", {0, 2, 1, 3, 4})))
      .Node("Reshape", {"t5", "s4"}, {"y"})
      .Output("y");
  return tm;
}

const OpCase kOpCases[] = {
    {"pointwise", [] { return ConvModel(24, 40, 23, 19, 1, 1, 1, 0, nullptr, false); }},
    {"pointwise_relu", [] { return ConvModel(24, 40, 23, 19, 1, 1, 1, 0, "Relu", false); }},
    {"pointwise_residual", [] { return ConvModel(24, 24, 23, 19, 1, 1, 1, 0, nullptr, true); }},
    {"pointwise_hardswish", [] { return ConvModel(16, 72, 7, 7, 1, 1, 1, 0, "HardSwish", false); }},
    // Fewer pixels than output channels, past 128 KB of weights: threads split the output
    // channels. Below that, rows: the last case.
    {"pointwise_wide_relu", [] { return ConvModel(256, 160, 5, 5, 1, 1, 1, 0, "Relu", false); }},
    {"pointwise_wide_hardswish",
     [] { return ConvModel(200, 192, 5, 5, 1, 1, 1, 0, "HardSwish", false); }},
    {"pointwise_wide_residual", [] { return ConvModel(192, 192, 4, 5, 1, 1, 1, 0, "Relu", true); }},
    {"pointwise_wide_small_weights",
     [] { return ConvModel(32, 96, 5, 5, 1, 1, 1, 0, "Relu", false); }},
    {"depthwise3x3_s1", [] { return ConvModel(17, 17, 23, 19, 3, 17, 1, 1, "Relu", false); }},
    {"depthwise3x3_s2", [] { return ConvModel(32, 32, 23, 19, 3, 32, 2, 1, nullptr, false); }},
    {"depthwise5x5_s1_residual", [] { return ConvModel(8, 8, 15, 17, 5, 8, 1, 2, nullptr, true); }},
    {"first_conv_hwc", [] { return ConvModel(3, 16, 33, 29, 3, 1, 2, 1, "Relu", false); }},
    // 96 outputs: im2col + GEMM in SIMD builds (past the HWC kernel's widths), rows split
    // mid-band.
    {"first_conv_wide", [] { return ConvModel(3, 96, 33, 29, 3, 1, 2, 1, "Relu", false); }},
    {"first_conv_5x5", [] { return ConvModel(3, 24, 33, 29, 5, 1, 2, 2, "Relu", false); }},
    {"winograd_dense3x3", [] { return ConvModel(8, 12, 41, 37, 3, 1, 1, 1, "Relu", false); }},
    {"winograd_residual", [] { return ConvModel(16, 16, 23, 19, 3, 1, 1, 1, "Relu", true); }},
    {"im2col_dense5x5", [] { return ConvModel(8, 12, 41, 37, 5, 1, 1, 2, "Relu", false); }},
    {"im2col_grouped", [] { return ConvModel(16, 8, 23, 19, 3, 4, 1, 1, nullptr, false); }},
    {"maxpool3x3_s2_ceil",
     [] {
       return PoolModel("MaxPool", 3, 2, {0, 0, 0, 0}, 1, 0);
     }},
    {"maxpool3x3_s2_pad",
     [] {
       return PoolModel("MaxPool", 3, 2, {1, 1, 1, 1}, 0, 0);
     }},
    {"avgpool3x3_s1_pad",
     [] {
       return PoolModel("AveragePool", 3, 1, {1, 1, 1, 1}, 0, 0);
     }},
    {"avgpool3x3_s1_pad_incl",
     [] {
       return PoolModel("AveragePool", 3, 1, {1, 1, 1, 1}, 0, 1);
     }},
    {"avgpool5x5_s2_bigpad",
     [] {
       return PoolModel("AveragePool", 5, 1, {3, 2, 3, 2}, 1, 1);
     }},
    {"gemm_fully_connected",
     [] {
       TestModel tm;
       tm.Input("x", {3, 50})
           .Init("w", Random({37, 50}, 1))
           .Init("b", Random({37}, 2))
           .Node("Gemm", {"x", "w", "b"}, {"y"}, Attrs(AttrInt("transB", 1)))
           .Output("y");
       return tm;
     }},
    {"channel_shuffle_groups3", [] { return ShuffleModel(3, false); }},
    {"channel_shuffle_of_concat", [] { return ShuffleModel(2, true); }},
    // Few pixels, a wide expand (139 KB of weights): the 1x1 expand splits its output channels
    // while writing its half of the concat (a sliced output).
    {"fire_few_pixels",
     [] {
       return test::FireModel({1, 32, 5, 5}, Random({128, 32, 1, 1}, 1),
                              Random({272, 128, 1, 1}, 3), Random({48, 128, 3, 3}, 5));
     }},
    {"fire",
     [] {
       TestModel tm;
       tm.Input("x", {1, 32, 27, 27})
           .Init("ws", Random({8, 32, 1, 1}, 1))
           .Init("bs", Random({8}, 2))
           .Init("w1", Random({16, 8, 1, 1}, 3))
           .Init("b1", Random({16}, 4))
           .Init("w3", Random({16, 8, 3, 3}, 5))
           .Init("b3", Random({16}, 6))
           .Node("Conv", {"x", "ws", "bs"}, {"s0"})
           .Node("Relu", {"s0"}, {"s"})
           .Node("Conv", {"s", "w1", "b1"}, {"a0"})
           .Node("Relu", {"a0"}, {"a"})
           .Node("Conv", {"s", "w3", "b3"}, {"c0"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
           .Node("Relu", {"c0"}, {"c"})
           .Node("Concat", {"a", "c"}, {"y"}, Attrs(AttrInt("axis", 1)))
           .Output("y");
       return tm;
     }},
};

class OpThreads : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpThreads, BitIdenticalFor123Threads) {
  const TestModel tm = GetParam().build();
  ExpectSameBitsForEveryThreadCount([&](const LoadOptions& o) { return tm.Load(o); });
}

INSTANTIATE_TEST_SUITE_P(Runtime, OpThreads, ::testing::ValuesIn(kOpCases),
                         [](const ::testing::TestParamInfo<OpCase>& info) {
                           return std::string(info.param.name);
                         });

class ModelThreads : public ::testing::TestWithParam<const char*> {};

TEST_P(ModelThreads, BitIdenticalFor123Threads) {
  const std::string path = std::string(LITECNN_SOURCE_DIR) + "/models/generated/" + GetParam();
  std::ifstream f(path, std::ios::binary);
  LITECNN_REQUIRE_MODELS(f.good(), path + " is missing");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                   std::istreambuf_iterator<char>());
  ExpectSameBitsForEveryThreadCount(
      [&](const LoadOptions& o) { return Model::Load(bytes.data(), bytes.size(), o); });
}

INSTANTIATE_TEST_SUITE_P(Runtime, ModelThreads,
                         ::testing::Values("mobilenet_v2.onnx", "mobilenet_v3_small.onnx",
                                           "shufflenet_v2_x0_5.onnx", "shufflenet_v2_x1_0.onnx",
                                           "squeezenet1_0.onnx", "squeezenet1_1.onnx",
                                           "blazeface.onnx", "face_expression.onnx"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           name = name.substr(0, name.find('.'));
                           return name;
                         });

TEST(RuntimeThreads, ZeroThreadsIsRejected) {
  LoadOptions options;
  options.num_threads = 0;
  const TestModel tm = ConvModel(4, 4, 5, 5, 1, 1, 1, 0, nullptr, false);
  auto model = tm.Load(options);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("num_threads"), std::string::npos);
}

}  // namespace
}  // namespace litecnn
