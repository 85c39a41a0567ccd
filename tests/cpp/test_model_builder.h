// Builds small ONNX models in tests: declare inputs, initializers and nodes, then either take
// the serialized bytes or load them straight into a litecnn::Model or a graph.
//
//   TestModel m;
//   m.Input("x", {1, 3, 4, 4}).Init("w", weights).Node("Conv", {"x", "w"}, {"y"},
//       Attrs(AttrInts("pads", {1, 1, 1, 1}))).Output("y");
//   auto model = m.Load();
//
// The end of the file holds what the graph and pass tests (graph_*, passes_*, runtime_memory_plan)
// share: the graph after the load passes, its op types, and runs compared with a reference.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "graph/builder.h"
#include "onnx/decoder.h"
#include "onnx_test_encoder.h"
#include "passes/passes.h"
#include "runtime/model.h"

namespace litecnn::test {

inline onnx::Attribute AttrInt(const std::string& name, int64_t v) {
  onnx::Attribute a;
  a.name = name;
  a.type = onnx::AttributeType::kInt;
  a.i = v;
  return a;
}
inline onnx::Attribute AttrInts(const std::string& name, std::vector<int64_t> v) {
  onnx::Attribute a;
  a.name = name;
  a.type = onnx::AttributeType::kInts;
  a.ints = std::move(v);
  return a;
}
inline onnx::Attribute AttrFloat(const std::string& name, float v) {
  onnx::Attribute a;
  a.name = name;
  a.type = onnx::AttributeType::kFloat;
  a.f = v;
  return a;
}
inline onnx::Attribute AttrFloats(const std::string& name, std::vector<float> v) {
  onnx::Attribute a;
  a.name = name;
  a.type = onnx::AttributeType::kFloats;
  a.floats = std::move(v);
  return a;
}
inline onnx::Attribute AttrString(const std::string& name, std::string v) {
  onnx::Attribute a;
  a.name = name;
  a.type = onnx::AttributeType::kString;
  a.s = std::move(v);
  return a;
}

// Attributes hold tensors and are move-only: collect them without an initializer_list.
template <typename... A>
std::vector<onnx::Attribute> Attrs(A&&... attrs) {
  std::vector<onnx::Attribute> v;
  (v.push_back(std::forward<A>(attrs)), ...);
  return v;
}

class TestModel {
 public:
  explicit TestModel(int64_t opset = 13) {
    model_.ir_version = 8;
    model_.opset_imports.push_back({"", opset});
  }

  TestModel& Input(const std::string& name, const Dims& dims, DataType dtype = DataType::kFloat32) {
    onnx::ValueInfo vi;
    vi.name = name;
    vi.elem_type = static_cast<int32_t>(dtype);
    vi.has_shape = true;
    for (int64_t d : dims) {
      onnx::Dimension dim;
      dim.has_value = d >= 0;  // -1 declares a symbolic dim
      dim.value = d;
      if (d < 0) dim.param = "N";
      vi.dims.push_back(dim);
    }
    model_.graph.inputs.push_back(vi);
    return *this;
  }
  TestModel& Output(const std::string& name) {
    onnx::ValueInfo vi;
    vi.name = name;
    vi.elem_type = 1;
    model_.graph.outputs.push_back(vi);
    return *this;
  }
  TestModel& Init(const std::string& name, const Tensor& t) {
    model_.graph.initializers.push_back({name, t.Clone().value()});
    return *this;
  }
  TestModel& Node(const std::string& op, std::vector<std::string> inputs,
                  std::vector<std::string> outputs, std::vector<onnx::Attribute> attrs = {},
                  const std::string& name = "") {
    onnx::Node n;
    n.op_type = op;
    n.name = name.empty() ? op + "_" + std::to_string(model_.graph.nodes.size()) : name;
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    n.attributes = std::move(attrs);
    model_.graph.nodes.push_back(std::move(n));
    return *this;
  }

  // The last node added is in `domain`.
  TestModel& InDomain(const std::string& domain) {
    model_.graph.nodes.back().domain = domain;
    return *this;
  }
  // One more operator set imported.
  TestModel& Import(const std::string& domain, int64_t version) {
    model_.opset_imports.push_back({domain, version});
    return *this;
  }
  // No opset_import at all, as IR version 2 wrote models (which are opset 1).
  TestModel& WithoutOpsetImport() {
    model_.ir_version = 2;
    model_.opset_imports.clear();
    return *this;
  }

  std::string Bytes() const { return onnx::test::EncodeModel(model_); }

  Result<std::unique_ptr<Model>> Load(const LoadOptions& options = {}) const {
    const std::string b = Bytes();
    return Model::Load(onnx::test::Bytes(b), b.size(), options);
  }

  // The model as built, for a test that must hand the loader what no file can encode.
  onnx::Model TakeProto() && { return std::move(model_); }

  // Decodes and builds the graph IR without running any pass.
  Result<Graph> BuildIR() const {
    const std::string b = Bytes();
    LITECNN_ASSIGN_OR_RETURN(onnx::Model m, onnx::DecodeModel(onnx::test::Bytes(b), b.size()));
    return BuildGraph(std::move(m));
  }

 private:
  onnx::Model model_;
};

// A float32 tensor of uniform values in [-1, 1) from `seed`.
inline Tensor Random(const Dims& dims, uint32_t seed) {
  Tensor t = std::move(Tensor::Create(DataType::kFloat32, dims)).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (int64_t i = 0; i < t.num_elements(); ++i) t.data<float>()[i] = u(rng);
  return t;
}

// The smallest runnable model: y = Relu(x).
inline TestModel ReluModel(const Dims& dims = {1, 3}) {
  TestModel m;
  m.Input("x", dims).Node("Relu", {"x"}, {"y"}).Output("y");
  return m;
}

// A SqueezeNet fire module without biases: Relu(squeeze 1x1) feeding Relu(expand 1x1) and
// Relu(expand 3x3, pad 1), concatenated on channels; x: [N, C, H, W].
inline TestModel FireModel(const Dims& x, const Tensor& squeeze, const Tensor& expand1,
                           const Tensor& expand3) {
  TestModel tm;
  tm.Input("x", x)
      .Init("ws", squeeze)
      .Init("w1", expand1)
      .Init("w3", expand3)
      .Node("Conv", {"x", "ws"}, {"s0"})
      .Node("Relu", {"s0"}, {"s"})
      .Node("Conv", {"s", "w1"}, {"a0"})
      .Node("Relu", {"a0"}, {"a"})
      .Node("Conv", {"s", "w3"}, {"c0"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("Relu", {"c0"}, {"c"})
      .Node("Concat", {"a", "c"}, {"y"}, Attrs(AttrInt("axis", 1)))
      .Output("y");
  return tm;
}

// The status of loading `m` (Ok when it loads).
inline Status LoadStatus(const TestModel& m) {
  auto model = m.Load();
  return model.ok() ? Status::Ok() : model.status();
}

// Loads `m` and runs it once on `in`.
inline Result<std::vector<NamedTensor>> LoadAndRun(const TestModel& m,
                                                   std::vector<NamedTensor> in) {
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, m.Load());
  return model->Run(std::move(in));
}

// A tensor's elements as T (the caller knows its dtype).
template <typename T>
std::vector<T> Data(const Tensor& t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.num_elements());
}

// Whether `st` failed with `code` and a message containing every fragment.
inline ::testing::AssertionResult FailsWith(const Status& st, StatusCode code,
                                            const std::vector<std::string>& fragments) {
  if (st.ok()) return ::testing::AssertionFailure() << "succeeded";
  if (st.code() != code) {
    return ::testing::AssertionFailure()
           << "expected " << StatusCodeName(code) << ", got " << st.ToString();
  }
  for (const std::string& f : fragments) {
    if (st.message().find(f) == std::string::npos) {
      return ::testing::AssertionFailure() << "'" << f << "' not in: " << st.ToString();
    }
  }
  return ::testing::AssertionSuccess();
}

// For tests that need the generated models (node models/prepare.mjs): skipped in a checkout that
// has not made them, a failure in CI (which always makes them first), so CI never passes on a
// skip. Native builds only: wasm tests under Node do not see the host environment.
#define LITECNN_REQUIRE_MODELS(present, what)                                             \
  do {                                                                                    \
    if (!(present)) {                                                                     \
      if (std::getenv("CI") != nullptr) FAIL() << what << " (CI makes the models first)"; \
      GTEST_SKIP() << what << " (node models/prepare.mjs makes them)";                    \
    }                                                                                     \
  } while (0)

// A whole file's bytes (empty when it cannot be read).
inline std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// ---- graph and pass tests ------------------------------------------------------------------

// An int64 tensor [v.size()] (shapes, axes and starts for Reshape, Slice, ConstantOfShape).
inline Tensor Ints(const std::vector<int64_t>& v) {
  return Tensor::FromInt64s({int64_t(v.size())}, v).value();
}

// A float32 tensor of values in [-0.5, 0.5) from a fixed LCG: the same values under every
// standard library (std::uniform_real_distribution, which Random uses, is not specified).
inline Tensor Seeded(const Dims& dims, uint32_t seed) {
  Tensor t = std::move(Tensor::Create(DataType::kFloat32, dims)).value();
  uint32_t s = seed;
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    s = s * 1664525u + 1013904223u;
    t.data<float>()[i] = static_cast<float>(s >> 8) / static_cast<float>(1 << 24) - 0.5f;
  }
  return t;
}

// The op types of g's nodes, in order.
inline std::vector<std::string> OpTypes(const Graph& g) {
  std::vector<std::string> ops;
  for (const Node& n : g.nodes) ops.push_back(n.op_type);
  return ops;
}

// How many of g's nodes are `op`s.
inline int CountOps(const Graph& g, const std::string& op) {
  return static_cast<int>(std::count_if(g.nodes.begin(), g.nodes.end(),
                                        [&](const Node& n) { return n.op_type == op; }));
}

// The value called `name`, or null.
inline const Value* ValueNamed(const Graph& g, const std::string& name) {
  for (const Value& v : g.values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// m's graph after every load pass, as Model::Load leaves it before planning memory.
inline Result<Graph> LoadedGraph(const TestModel& m) {
  LITECNN_ASSIGN_OR_RETURN(Graph g, m.BuildIR());
  LITECNN_RETURN_IF_ERROR(RunLoadPasses(g));
  return g;
}

// Output 0 of one run of m on x = Seeded(x_dims, 11); empty (and a failure) if it does not load
// or run.
inline std::vector<float> RunOnce(const TestModel& m, const Dims& x_dims) {
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

// a and b have the same size and agree to 1e-5 in every element.
inline void ExpectNear(const std::vector<float>& a, const std::vector<float>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-5f) << "element " << i;
}

// Runs the model under test and the unfused one (the same graph with an extra graph output, a
// reader that stops the fusion under test) on one x = Seeded(x_dims, 7): output 0 must agree.
inline void ExpectSameAsUnfused(TestModel fused_model, TestModel unfused_model,
                                const Dims& x_dims) {
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

// ShuffleNetV2's unit tail on x [1, 12, 3, 4]: a depthwise conv, then (with_concat) Concat(a
// slice passed through, a slice through a pointwise conv and Relu) on channels, then
// Reshape-Transpose-Reshape with `groups`. `extra_reader` also outputs the 5-D value, which stops
// RecognizeChannelShuffle: the reference.
inline TestModel ShuffleModel(int64_t groups, bool with_concat, bool extra_reader) {
  TestModel m;
  const int64_t c = 12;
  m.Input("x", {1, c, 3, 4})
      .Init("w", Seeded({c, 1, 3, 3}, 9))
      .Init("s5", Tensor::FromInt64s({5}, {1, groups, c / groups, 3, 4}).value())
      .Init("s4", Tensor::FromInt64s({4}, {1, c, 3, 4}).value())
      // A depthwise conv first, so the shuffle sees NHWC data as in a real network.
      .Node("Conv", {"x", "w"}, {"a"}, Attrs(AttrInt("group", c), AttrInts("pads", {1, 1, 1, 1})));
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
        .Node("Concat", {"p", "q2"}, {"cat"}, Attrs(AttrInt("axis", 1)));
    shuffled_input = "cat";
  }
  m.Node("Reshape", {shuffled_input, "s5"}, {"r5"})
      .Node("Transpose", {"r5"}, {"t5"}, Attrs(AttrInts("perm", {0, 2, 1, 3, 4})))
      .Node("Reshape", {"t5", "s4"}, {"y"})
      .Output("y");
  if (extra_reader) m.Output("r5");
  return m;
}

}  // namespace litecnn::test
