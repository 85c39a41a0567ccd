// The value bookkeeping (both layouts of a value, constants), the op dispatch and the graph's
// boundaries; see importer.h for the design.
#include "tflite/importer.h"

#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tflite/importer_internal.h"

namespace litecnn::tflite {
namespace internal {

// Constants are at most float32 copies of their buffers (float16 doubles), densified sparse
// tensors more: 8x the buffers' bytes, and 16 MiB for small files.
constexpr uint64_t kConstantBytesPerBufferByte = 8;
constexpr uint64_t kConstantBytesFloor = uint64_t{16} << 20;

Importer::Importer(const Model& m)
    : m_(m), sg_(m.subgraphs[0]), values_(sg_.tensors.size()), written_(sg_.tensors.size()) {
  budget_ = kConstantBytesFloor;
  for (const Buffer& b : m.buffers) budget_ += kConstantBytesPerBufferByte * b.data.size;
}

Result<litecnn::Tensor> Importer::Constant(int i) {
  LITECNN_ASSIGN_OR_RETURN(
      litecnn::Tensor t, values_[i].folded ? values_[i].folded->Clone() : ConstantTensor(m_, T(i)));
  LITECNN_RETURN_IF_ERROR(Charge(t.byte_size(), "tensor '" + T(i).name + "'"));
  return t;
}

Status Importer::Charge(uint64_t bytes, const std::string& what) {
  if (bytes > budget_) {
    return LimitExceeded(what + ": the model's constants would take more than " +
                         std::to_string(kConstantBytesPerBufferByte) +
                         " bytes per byte of its buffers (buffers shared by many tensors?)");
  }
  budget_ -= bytes;
  return Status::Ok();
}

Result<std::string> Importer::Permuted(int w, const std::vector<int>& perm, const char* tag) {
  auto it = permuted_.find({w, tag});
  if (it != permuted_.end()) return it->second;
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor filter, Constant(w));
  LITECNN_ASSIGN_OR_RETURN(filter, PermuteAxes(filter, perm));
  const std::string name = Initializer(Base(w) + ":" + tag, std::move(filter));
  permuted_.emplace(std::make_pair(w, std::string(tag)), name);
  return name;
}

Result<std::string> Importer::Nchw(int i) {
  Value& v = values_[i];
  if (!v.nchw.empty()) return v.nchw;
  if (IsConstant(i)) {
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor c, Constant(i));
    if (c.rank() == 4) {
      LITECNN_ASSIGN_OR_RETURN(c, PermuteAxes(c, kToNchw));
    } else if (c.rank() >= 1) {
      // A per-channel operand ([C], [1, 1, C]) broadcasts against NCHW as [C, 1, 1].
      for (size_t d = 0; d + 1 < c.rank(); ++d) {
        if (c.dims()[d] != 1) {
          return Unsupported("tensor '" + T(i).name + "' " + DimsToString(c.dims()) +
                             ": only per-channel constants broadcast against 4-D activations");
        }
      }
      LITECNN_RETURN_IF_ERROR(c.Reshape({c.dims().back(), 1, 1}));
    }
    v.nchw = Initializer(Base(i) + ":nchw", std::move(c));
    return v.nchw;
  }
  if (Rank(i) != 4 || v.nhwc.empty()) {
    return InvalidModel("tensor '" + T(i).name + "' is read before an operator writes it");
  }
  v.nchw = Unique(Base(i) + ":nchw");
  Node("Transpose", {v.nhwc}, {v.nchw}).attributes.push_back(Ints("perm", kToNchw64));
  return v.nchw;
}

Result<std::string> Importer::Nhwc(int i) {
  Value& v = values_[i];
  if (!v.nhwc.empty()) return v.nhwc;
  if (IsConstant(i)) {
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor c, Constant(i));
    v.nhwc = Initializer(Base(i), std::move(c));
    return v.nhwc;
  }
  if (v.nchw.empty()) {
    return InvalidModel("tensor '" + T(i).name + "' is read before an operator writes it");
  }
  v.nhwc = Unique(Base(i));
  Node("Transpose", {v.nchw}, {v.nhwc}).attributes.push_back(Ints("perm", kToNhwc64));
  return v.nhwc;
}

Importer::OutName Importer::Out(int i, bool nchw, Activation act) {
  OutName n;
  n.out = Unique(Base(i) + (nchw ? ":nchw" : ""));
  n.pre = act == Activation::kNone ? n.out : Unique(n.out + ":pre");
  (nchw ? values_[i].nchw : values_[i].nhwc) = n.out;
  return n;
}

Status Importer::Activate(const OutName& name, Activation act) {
  const std::string& pre = name.pre;
  const std::string& out = name.out;
  auto clip = [&](float lo, float hi) {
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor min, litecnn::Tensor::FromFloats({}, {lo}));
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor max, litecnn::Tensor::FromFloats({}, {hi}));
    Node(
        "Clip",
        {pre, Initializer(out + ":min", std::move(min)), Initializer(out + ":max", std::move(max))},
        {out});
    return Status::Ok();
  };
  switch (act) {
    case Activation::kNone:
      return Status::Ok();
    case Activation::kRelu:
      Node("Relu", {pre}, {out});
      return Status::Ok();
    case Activation::kRelu6:
      return clip(0, 6);
    case Activation::kReluN1To1:
      return clip(-1, 1);
    case Activation::kTanh:
      Node("Tanh", {pre}, {out});
      return Status::Ok();
    default:
      return Unsupported("fused activation " + ActivationName(act));
  }
}

Status Importer::Convert(const Operator& op, const OperatorCode& code) {
  const auto op_code = static_cast<BuiltinOperator>(code.builtin_code);
  if (op.inputs.empty() || op.outputs.size() != 1 || op.outputs[0] < 0) {
    return InvalidModel("expected inputs and one output");
  }
  // Each translation reads its inputs by position: every one must be there, but the optional
  // bias (input 2 of the convolutions and FULLY_CONNECTED, 3 of TRANSPOSE_CONV).
  const bool bias2 = op_code == BuiltinOperator::kConv2D ||
                     op_code == BuiltinOperator::kDepthwiseConv2D ||
                     op_code == BuiltinOperator::kFullyConnected;
  const size_t min_inputs =
      op_code == BuiltinOperator::kTransposeConv ? 3
      : bias2 || op_code == BuiltinOperator::kPad || op_code == BuiltinOperator::kMean ||
              op_code == BuiltinOperator::kAdd || op_code == BuiltinOperator::kMul ||
              op_code == BuiltinOperator::kPrelu
          ? 2
          : 1;
  if (op.inputs.size() < min_inputs) {
    return InvalidModel(std::to_string(op.inputs.size()) + " inputs, at least " +
                        std::to_string(min_inputs) + " expected");
  }
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    const bool optional =
        (bias2 && k == 2) || (op_code == BuiltinOperator::kTransposeConv && k == 3);
    if (op.inputs[k] < 0 && !optional)
      return InvalidModel("input " + std::to_string(k) + " omitted");
  }
  const int out = op.outputs[0];
  if (written_[out] || IsConstant(out)) {
    return InvalidModel("output tensor '" + T(out).name + "' is " +
                        (IsConstant(out) ? "a constant" : "written twice"));
  }
  written_[out] = true;
  auto binary_act = [&]() {
    const auto* o = std::get_if<BinaryOptions>(&op.builtin_options);
    return o ? o->activation : Activation::kNone;
  };
  switch (op_code) {
    case BuiltinOperator::kConv2D:
      return ConvertConv(op, false);
    case BuiltinOperator::kDepthwiseConv2D:
      return ConvertConv(op, true);
    case BuiltinOperator::kMaxPool2D:
      return ConvertPool(op, "MaxPool");
    case BuiltinOperator::kAveragePool2D:
      return ConvertPool(op, "AveragePool");
    case BuiltinOperator::kAdd:
      return ConvertElementwise(op, "Add", binary_act());
    case BuiltinOperator::kMul:
      return ConvertElementwise(op, "Mul", binary_act());
    case BuiltinOperator::kRelu:
      return ConvertUnary(op, "Relu");
    case BuiltinOperator::kLogistic:
      return ConvertUnary(op, "Sigmoid");
    case BuiltinOperator::kHardSwish:
      return ConvertUnary(op, "HardSwish");
    case BuiltinOperator::kTanh:
      return ConvertUnary(op, "Tanh");
    case BuiltinOperator::kPrelu:
      return ConvertUnary(op, "PRelu");
    case BuiltinOperator::kPad:
      return ConvertPad(op);
    case BuiltinOperator::kConcatenation:
      return ConvertConcat(op);
    case BuiltinOperator::kReshape:
      return ConvertReshape(op);
    case BuiltinOperator::kResizeBilinear:
      return ConvertResize(op);
    case BuiltinOperator::kMean:
      return ConvertMean(op);
    case BuiltinOperator::kFullyConnected:
      return ConvertFullyConnected(op);
    case BuiltinOperator::kSoftmax:
      return ConvertSoftmax(op);
    case BuiltinOperator::kDepthToSpace:
      return ConvertDepthToSpace(op);
    case BuiltinOperator::kRelu6:
      return ConvertClip(op, Activation::kRelu6);
    case BuiltinOperator::kReluN1To1:
      return ConvertClip(op, Activation::kReluN1To1);
    case BuiltinOperator::kDequantize:
    case BuiltinOperator::kDensify: {
      if (!IsConstant(op.inputs[0])) return Unsupported("only constant inputs are folded");
      LITECNN_ASSIGN_OR_RETURN(values_[op.outputs[0]].folded, Constant(op.inputs[0]));
      return Status::Ok();
    }
    case BuiltinOperator::kTransposeConv: {
      const auto* o = std::get_if<TransposeConvOptions>(&op.builtin_options);
      if (o == nullptr || op.inputs.size() < 3) return InvalidModel("no TransposeConvOptions");
      if (o->activation != Activation::kNone) return Unsupported("a fused activation");
      return ConvertTransposeConv(op.inputs[2], op.inputs[1],
                                  op.inputs.size() > 3 ? op.inputs[3] : -1, op.outputs[0],
                                  o->padding, o->stride_w, o->stride_h);
    }
    case BuiltinOperator::kCustom:
      if (code.custom_code == "Convolution2DTransposeBias" && op.inputs.size() == 3 &&
          op.custom_options.size >= 12) {
        // MediaPipe's options are a raw TfLiteTransposeConvParams: padding (1 SAME, 2 VALID),
        // stride_width, stride_height as int32.
        int32_t p[3];
        std::memcpy(p, op.custom_options.data, 12);
        if (p[0] != 1 && p[0] != 2) return InvalidModel("padding " + std::to_string(p[0]));
        return ConvertTransposeConv(op.inputs[0], op.inputs[1], op.inputs[2], op.outputs[0],
                                    p[0] == 1 ? Padding::kSame : Padding::kValid, p[1], p[2]);
      }
      break;
    default:
      break;
  }
  return Unsupported("not translated yet");
}

Result<onnx::Model> Importer::Run() {
  for (int i : sg_.inputs) {
    if (written_[i] || IsConstant(i)) {
      return InvalidModel("graph input '" + T(i).name + "' is listed twice or is a constant");
    }
    written_[i] = true;
    onnx::ValueInfo info;
    info.name = values_[i].nhwc = Unique(Base(i));
    if (T(i).type != TensorType::kFloat32) {
      return Unsupported("input '" + T(i).name + "' is " + TensorTypeName(T(i).type));
    }
    info.elem_type = static_cast<int32_t>(DataType::kFloat32);
    info.has_shape = true;
    for (int32_t d : T(i).shape) info.dims.push_back({true, d, ""});
    g_.inputs.push_back(std::move(info));
  }
  // Every op litecnn lacks, with its first operator, in one error (as BuildGraph does).
  std::map<std::string, size_t> unsupported;
  for (size_t k = 0; k < sg_.operators.size(); ++k) {
    const Operator& op = sg_.operators[k];
    const OperatorCode& code = m_.operator_codes[op.opcode_index];
    std::string name = BuiltinOperatorName(code.builtin_code);
    if (!code.custom_code.empty()) name += " '" + code.custom_code + "'";
    node_prefix_ = "op" + std::to_string(k) + ":";
    Status st = Convert(op, code);
    if (st.code() == StatusCode::kUnsupported) {
      unsupported.emplace(name + " (" + st.message() + ")", k);
      // Placeholders, so that the ops after it are translated and checked too.
      for (int out : op.outputs) {
        if (out < 0) continue;
        values_[out].nhwc = Unique(Base(out) + ":missing");
        values_[out].nchw = Unique(Base(out) + ":nchw:missing");
      }
    } else if (!st.ok()) {
      return st.WithContext("operator " + std::to_string(k) + " (" + name + ")");
    }
  }
  if (!unsupported.empty()) {
    std::string list;
    for (const auto& [what, k] : unsupported) {
      list += (list.empty() ? "" : "; ") + what + " at operator " + std::to_string(k);
    }
    return Unsupported("TFLite ops litecnn cannot translate: " + list);
  }
  for (int i : sg_.outputs) {
    LITECNN_ASSIGN_OR_RETURN(std::string name, Nhwc(i));
    onnx::ValueInfo info;
    info.name = name;
    g_.outputs.push_back(std::move(info));
  }
  onnx::Model model;
  model.ir_version = 8;
  model.producer_name = "litecnn tflite importer";
  model.opset_imports = {{"", kOpset}};
  model.graph = std::move(g_);
  model.graph.name = sg_.name;
  return model;
}

}  // namespace internal

Result<onnx::Model> ImportModel(const Model& model) {
  if (model.subgraphs.empty()) return InvalidModel("the model has no subgraphs");
  internal::Importer importer(model);
  return importer.Run();
}

}  // namespace litecnn::tflite
