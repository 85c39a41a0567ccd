// Builds small ONNX models in tests: declare inputs, initializers and nodes, then either take
// the serialized bytes or load them straight into a litecnn::Model or a graph.
//
//   TestModel m;
//   m.Input("x", {1, 3, 4, 4}).Init("w", weights).Node("Conv", {"x", "w"}, {"y"},
//       Attrs(AttrInts("pads", {1, 1, 1, 1}))).Output("y");
//   auto model = m.Load();
#pragma once

#include <gtest/gtest.h>

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

}  // namespace litecnn::test
