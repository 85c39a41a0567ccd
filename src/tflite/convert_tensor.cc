// Tensor ops: elementwise and unary ops, concat, reshape, mean, fully connected, softmax.
#include <algorithm>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "tflite/importer_internal.h"

namespace litecnn::tflite::internal {

Status Importer::ConvertElementwise(const Operator& op, const char* type, Activation act) {
  const int out = op.outputs[0];
  const bool nchw = Rank(out) == 4;
  std::vector<std::string> inputs;
  for (int i : op.inputs) {
    if (nchw && Rank(i) != 4 && !IsConstant(i)) {
      return Unsupported("a computed operand of rank " + std::to_string(Rank(i)) +
                         " broadcast against a 4-D one");
    }
    LITECNN_ASSIGN_OR_RETURN(std::string in, nchw ? Nchw(i) : Nhwc(i));
    inputs.push_back(in);
  }
  const OutName name = Out(out, nchw, act);
  Node(type, inputs, {name.pre});
  return Activate(name, act);
}

// Unary ops keep their input's layout: the NCHW form when there is one.

Status Importer::ConvertUnary(const Operator& op, const char* type) {
  const int x = op.inputs[0], out = op.outputs[0];
  const bool nchw = Rank(x) == 4 && !values_[x].nchw.empty();
  std::vector<std::string> inputs;
  LITECNN_ASSIGN_OR_RETURN(std::string xin, nchw ? Nchw(x) : Nhwc(x));
  inputs.push_back(xin);
  for (size_t k = 1; k < op.inputs.size(); ++k) {  // PRELU's slope
    LITECNN_ASSIGN_OR_RETURN(std::string s, nchw ? Nchw(op.inputs[k]) : Nhwc(op.inputs[k]));
    inputs.push_back(s);
  }
  Node(type, inputs, {Out(out, nchw, Activation::kNone).pre});
  return Status::Ok();
}

Status Importer::ConvertClip(const Operator& op, Activation act) {
  const int x = op.inputs[0], out = op.outputs[0];
  const bool nchw = Rank(x) == 4 && !values_[x].nchw.empty();
  LITECNN_ASSIGN_OR_RETURN(std::string xin, nchw ? Nchw(x) : Nhwc(x));
  OutName name = Out(out, nchw, act);
  name.pre = xin;
  return Activate(name, act);
}

Status Importer::ConvertConcat(const Operator& op) {
  const auto* o = std::get_if<ConcatenationOptions>(&op.builtin_options);
  if (o == nullptr) return InvalidModel("no ConcatenationOptions");
  const int out = op.outputs[0], rank = Rank(out);
  const int axis = o->axis < 0 ? o->axis + rank : o->axis;
  if (axis < 0 || axis >= rank) return InvalidModel("axis " + std::to_string(o->axis));
  const bool nchw = rank == 4;
  std::vector<std::string> inputs;
  for (int i : op.inputs) {
    LITECNN_ASSIGN_OR_RETURN(std::string name, nchw ? Nchw(i) : Nhwc(i));
    inputs.push_back(name);
  }
  static const int kNhwcAxisInNchw[4] = {0, 2, 3, 1};
  const OutName name = Out(out, nchw, o->activation);
  With(Node("Concat", inputs, {name.pre}), Int("axis", nchw ? kNhwcAxisInNchw[axis] : axis));
  return Activate(name, o->activation);
}

// The output's dims are in the file: no shape arithmetic to reproduce.

Status Importer::ConvertReshape(const Operator& op) {
  const int x = op.inputs[0], out = op.outputs[0];
  std::vector<int64_t> dims(T(out).shape.begin(), T(out).shape.end());
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor shape,
                           litecnn::Tensor::FromInt64s({static_cast<int64_t>(dims.size())}, dims));
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nhwc(x));
  const std::string shape_name = Initializer(Base(out) + ":shape", std::move(shape));
  Node("Reshape", {xin, shape_name}, {Out(out, false, Activation::kNone).pre});
  return Status::Ok();
}

Result<std::vector<int64_t>> Importer::Ints64(int i) {
  if (i < 0 || !IsConstant(i)) return Unsupported("a computed shape or axes operand");
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor t, Constant(i));
  if (t.dtype() != DataType::kInt32 && t.dtype() != DataType::kInt64) {
    return InvalidModel("tensor '" + T(i).name + "' is not an integer tensor");
  }
  std::vector<int64_t> v(t.num_elements());
  for (int64_t k = 0; k < t.num_elements(); ++k) v[k] = t.GetAsInt64(k);
  return v;
}

Status Importer::ConvertMean(const Operator& op) {
  const auto* o = std::get_if<ReducerOptions>(&op.builtin_options);
  const bool keep = o != nullptr && o->keep_dims;
  const int x = op.inputs[0], out = op.outputs[0], rank = Rank(x);
  if (op.inputs.size() < 2) return InvalidModel("no axes operand");
  LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, Ints64(op.inputs[1]));
  bool reduced[4] = {false, false, false, false};
  for (int64_t& a : axes) {
    if (a < 0) a += rank;
    if (a < 0 || a >= rank) return InvalidModel("axis out of range");
    if (rank == 4) reduced[a] = true;
  }
  const bool nchw =
      rank == 4 && !values_[x].nchw.empty() && (keep || (reduced[1] && reduced[2]) || reduced[3]);
  if (nchw) {
    for (int64_t& a : axes) a = std::vector<int64_t>{0, 2, 3, 1}[a];
  }
  LITECNN_ASSIGN_OR_RETURN(std::string xin, nchw ? Nchw(x) : Nhwc(x));
  With(Node("ReduceMean", {xin}, {Out(out, nchw && keep, Activation::kNone).pre}),
       Ints("axes", axes), Int("keepdims", keep ? 1 : 0));
  return Status::Ok();
}

Status Importer::ConvertFullyConnected(const Operator& op) {
  const auto* o = std::get_if<FullyConnectedOptions>(&op.builtin_options);
  const int x = op.inputs[0], w = op.inputs[1], out = op.outputs[0];
  const int bias = op.inputs.size() > 2 ? op.inputs[2] : -1;
  if (Rank(w) != 2 || !IsConstant(w)) return Unsupported("a constant 2-D weight is needed");
  if (o != nullptr && o->weights_format != 0) return Unsupported("shuffled weights");
  const int64_t k = T(w).shape[1];
  LITECNN_ASSIGN_OR_RETURN(std::string a, Nhwc(x));
  if (Rank(x) != 2) {  // TFLite flattens every dim but the last
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor shape, litecnn::Tensor::FromInt64s({2}, {-1, k}));
    const std::string flat = Unique(Base(x) + ":2d");
    Node("Reshape", {a, Initializer(flat + ":shape", std::move(shape))}, {flat});
    a = flat;
  }
  LITECNN_ASSIGN_OR_RETURN(std::string b, Nhwc(w));
  std::vector<std::string> inputs = {a, b};
  if (bias >= 0) {
    LITECNN_ASSIGN_OR_RETURN(std::string c, Nhwc(bias));
    inputs.push_back(c);
  }
  const Activation act = o ? o->activation : Activation::kNone;
  if (Rank(out) == 2) {
    const OutName name = Out(out, false, act);
    With(Node("Gemm", inputs, {name.pre}), Int("transB", 1));
    return Activate(name, act);
  }
  const std::string gemm = Unique(Base(out) + ":2d");
  With(Node("Gemm", inputs, {gemm}), Int("transB", 1));
  std::vector<int64_t> dims(T(out).shape.begin(), T(out).shape.end());
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor shape,
                           litecnn::Tensor::FromInt64s({static_cast<int64_t>(dims.size())}, dims));
  const std::string shape_name = Initializer(Base(out) + ":shape", std::move(shape));
  const OutName name = Out(out, false, act);
  Node("Reshape", {gemm, shape_name}, {name.pre});
  return Activate(name, act);
}

Status Importer::ConvertSoftmax(const Operator& op) {
  const auto* o = std::get_if<SoftmaxOptions>(&op.builtin_options);
  const int x = op.inputs[0], out = op.outputs[0];
  LITECNN_ASSIGN_OR_RETURN(std::string in, Nhwc(x));
  const float beta = o ? o->beta : 1.0f;
  if (beta != 1.0f) {  // softmax(beta * x)
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor b, litecnn::Tensor::FromFloats({}, {beta}));
    const std::string scaled = Unique(Base(x) + ":beta");
    Node("Mul", {in, Initializer(scaled + ":value", std::move(b))}, {scaled});
    in = scaled;
  }
  With(Node("Softmax", {in}, {Out(out, false, Activation::kNone).pre}), Int("axis", -1));
  return Status::Ok();
}

// TF's depth_to_space reads the depth as (block row, block column, channel): ONNX's DCR.

}  // namespace litecnn::tflite::internal
