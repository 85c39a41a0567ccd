// The importer's internals (tflite/importer.h has the design): the Importer class, which keeps
// both layouts of every value, and the attribute helpers its op translations share. The
// translations are in convert_spatial.cc (convs, pools, pad, resize, depth-to-space) and
// convert_tensor.cc (elementwise, concat, reshape, reductions, fully connected, softmax).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/tensor.h"
#include "onnx/model_proto.h"
#include "tflite/constants.h"
#include "tflite/model.h"

namespace litecnn::tflite::internal {

using onnx::Attribute;
using onnx::AttributeType;

inline constexpr int64_t kOpset = 14;  // HardSwish; Clip's min/max and ReduceMean's axes as in 13
inline const std::vector<int> kToNchw = {0, 3, 1, 2};
inline const std::vector<int64_t> kToNchw64 = {0, 3, 1, 2}, kToNhwc64 = {0, 2, 3, 1};

inline Attribute Ints(const char* name, std::vector<int64_t> v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInts;
  a.ints = std::move(v);
  return a;
}
inline Attribute Int(const char* name, int64_t v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInt;
  a.i = v;
  return a;
}
inline Attribute Str(const char* name, std::string v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kString;
  a.s = std::move(v);
  return a;
}

// Attributes are move-only (a tensor attribute owns its data): no initializer lists.
template <typename... A>
void With(onnx::Node& n, A&&... a) {
  (n.attributes.push_back(std::forward<A>(a)), ...);
}

// TFLite's SAME padding (the extra pixel at the end) or VALID, as ONNX pads [begin..., end...]
// for the spatial dims of NHWC `in` (H, W).
inline std::vector<int64_t> Pads(Padding padding, const std::vector<int32_t>& in, int64_t kh,
                                 int64_t kw, int64_t sh, int64_t sw, int64_t dh, int64_t dw) {
  if (padding != Padding::kSame) return {0, 0, 0, 0};
  auto total = [](int64_t size, int64_t k, int64_t s, int64_t d) {
    const int64_t out = (size + s - 1) / s, eff = (k - 1) * d + 1;
    return std::max<int64_t>(0, (out - 1) * s + eff - size);
  };
  const int64_t th = total(in[1], kh, sh, dh), tw = total(in[2], kw, sw, dw);
  return {th / 2, tw / 2, th - th / 2, tw - tw / 2};
}

class Importer {
 public:
  explicit Importer(const Model& m);

  Result<onnx::Model> Run();

 private:
  struct Value {
    std::string nhwc, nchw;                 // names of the two forms; "" until made
    std::optional<litecnn::Tensor> folded;  // DEQUANTIZE / DENSIFY of a constant
  };

  const tflite::Tensor& T(int i) const { return sg_.tensors[i]; }
  int Rank(int i) const { return static_cast<int>(T(i).shape.size()); }
  bool IsConstant(int i) const {
    return values_[i].folded || m_.buffers[T(i).buffer].data.size > 0;
  }
  // Every constant the translation makes is charged to a budget proportional to the file's
  // buffers: many tensors may name one buffer, and each would become its own copy.
  Result<litecnn::Tensor> Constant(int i);
  // Charges `bytes` of a constant the translation makes to that budget.
  Status Charge(uint64_t bytes, const std::string& what);
  // Filter w permuted by `perm` as an initializer, made once per tensor and permutation.
  Result<std::string> Permuted(int w, const std::vector<int>& perm, const char* tag);
  std::string Unique(const std::string& base) {
    std::string name = base;
    for (int k = 1; !names_.insert(name).second; ++k) name = base + "#" + std::to_string(k);
    return name;
  }
  std::string Base(int i) const { return T(i).name.empty() ? "t" + std::to_string(i) : T(i).name; }
  std::string Initializer(const std::string& base, litecnn::Tensor t) {
    const std::string name = Unique(base);
    g_.initializers.push_back({name, std::move(t)});
    return name;
  }
  onnx::Node& Node(const std::string& op_type, std::vector<std::string> inputs,
                   std::vector<std::string> outputs) {
    onnx::Node n;
    n.name = Unique(node_prefix_ + op_type);
    n.op_type = op_type;
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    g_.nodes.push_back(std::move(n));
    return g_.nodes.back();
  }

  // Tensor i in NCHW order (constants permuted, or a per-channel vector as [C, 1, 1]) or in
  // its own (NHWC) order; each made once.
  Result<std::string> Nchw(int i);
  Result<std::string> Nhwc(int i);
  // Names the op's output tensor `i` in the given form: `pre` is what the op writes, `out` the
  // value, the same unless a fused activation (Activate) goes between them.
  struct OutName {
    std::string pre, out;
  };
  OutName Out(int i, bool nchw, Activation act);
  Status Activate(const OutName& name, Activation act);

  Status Convert(const Operator& op, const OperatorCode& code);
  Status ConvertConv(const Operator& op, bool depthwise);
  Status ConvertTransposeConv(int x, int w, int bias, int out, Padding padding, int sw, int sh);
  Status ConvertPool(const Operator& op, const char* type);
  Status ConvertElementwise(const Operator& op, const char* type, Activation act);
  Status ConvertUnary(const Operator& op, const char* type);
  // RELU6 and RELU_N1_TO_1: the fused activation's Clip, on the op's input.
  Status ConvertClip(const Operator& op, Activation act);
  Status ConvertPad(const Operator& op);
  Status ConvertConcat(const Operator& op);
  Status ConvertReshape(const Operator& op);
  Status ConvertResize(const Operator& op);
  Status ConvertMean(const Operator& op);
  Status ConvertFullyConnected(const Operator& op);
  Status ConvertSoftmax(const Operator& op);
  Status ConvertDepthToSpace(const Operator& op);
  // The int32/int64 constant tensor i as int64 values (axes, sizes).
  Result<std::vector<int64_t>> Ints64(int i);

  const Model& m_;
  const SubGraph& sg_;
  std::vector<Value> values_;
  std::vector<bool> written_;  // by an operator (or a graph input): written once
  uint64_t budget_ = 0;        // bytes of constants left (Constant)
  std::map<std::pair<int, std::string>, std::string> permuted_;
  std::set<std::string> names_;
  onnx::Graph g_;
  std::string node_prefix_;
};

}  // namespace litecnn::tflite::internal
