// One Convert* per TFLite op family; the value bookkeeping (both layouts of a value, constants)
// in the Importer class. See importer.h for the design.
#include "tflite/importer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tflite/constants.h"

namespace litecnn::tflite {
namespace {

using onnx::Attribute;
using onnx::AttributeType;

constexpr int64_t kOpset = 14;  // HardSwish; Clip's min/max and ReduceMean's axes as in 13
const std::vector<int> kToNchw = {0, 3, 1, 2};
const std::vector<int64_t> kToNchw64 = {0, 3, 1, 2}, kToNhwc64 = {0, 2, 3, 1};

Attribute Ints(const char* name, std::vector<int64_t> v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInts;
  a.ints = std::move(v);
  return a;
}
Attribute Int(const char* name, int64_t v) {
  Attribute a;
  a.name = name;
  a.type = AttributeType::kInt;
  a.i = v;
  return a;
}
Attribute Str(const char* name, std::string v) {
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
std::vector<int64_t> Pads(Padding padding, const std::vector<int32_t>& in, int64_t kh, int64_t kw,
                          int64_t sh, int64_t sw, int64_t dh, int64_t dw) {
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
  explicit Importer(const Model& m) : m_(m), sg_(m.subgraphs[0]), values_(sg_.tensors.size()) {}

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
  Result<litecnn::Tensor> Constant(int i) const {
    if (values_[i].folded) return values_[i].folded->Clone();
    return ConstantTensor(m_, T(i));
  }
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
  std::set<std::string> names_;
  onnx::Graph g_;
  std::string node_prefix_;
};

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
    return Internal("tensor '" + T(i).name + "' has no value to transpose to NCHW");
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
  if (v.nchw.empty()) return Internal("tensor '" + T(i).name + "' is read before it is written");
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

// --- ops --------------------------------------------------------------------------------------

Status Importer::ConvertConv(const Operator& op, bool depthwise) {
  const int x = op.inputs[0], w = op.inputs[1];
  const int bias = op.inputs.size() > 2 ? op.inputs[2] : -1;
  if (Rank(x) != 4 || Rank(w) != 4 || !IsConstant(w)) {
    return Unsupported("a 4-D input and a constant 4-D filter are needed");
  }
  Padding padding;
  int64_t sw, sh, dw, dh;
  if (depthwise) {
    const auto* o = std::get_if<DepthwiseConv2DOptions>(&op.builtin_options);
    if (o == nullptr) return InvalidModel("no DepthwiseConv2DOptions");
    padding = o->padding, sw = o->stride_w, sh = o->stride_h, dw = o->dilation_w,
    dh = o->dilation_h;
  } else {
    const auto* o = std::get_if<Conv2DOptions>(&op.builtin_options);
    if (o == nullptr) return InvalidModel("no Conv2DOptions");
    padding = o->padding, sw = o->stride_w, sh = o->stride_h, dw = o->dilation_w,
    dh = o->dilation_h;
  }
  const Activation act = depthwise ? std::get<DepthwiseConv2DOptions>(op.builtin_options).activation
                                   : std::get<Conv2DOptions>(op.builtin_options).activation;
  // OHWI (conv) and 1HWO (depthwise, O = C x multiplier) filters to ONNX's OIHW.
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor filter, Constant(w));
  LITECNN_ASSIGN_OR_RETURN(filter,
                           PermuteAxes(filter, depthwise ? std::vector<int>{3, 0, 1, 2} : kToNchw));
  const std::vector<int32_t>& fs = T(w).shape;
  const int64_t cin = T(x).shape[3];
  const int64_t per_group = depthwise ? 1 : fs[3];
  if (per_group <= 0 || cin % per_group != 0) {
    return InvalidModel("input channels " + std::to_string(cin) + " are not a multiple of the " +
                        "filter's " + std::to_string(per_group));
  }
  std::vector<std::string> inputs = {};
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  inputs.push_back(xin);
  inputs.push_back(Initializer(Base(w) + ":oihw", std::move(filter)));
  if (bias >= 0) {
    LITECNN_ASSIGN_OR_RETURN(std::string b, Nhwc(bias));
    inputs.push_back(b);
  }
  const OutName name = Out(op.outputs[0], true, act);
  onnx::Node& n = Node("Conv", inputs, {name.pre});
  With(n, Ints("kernel_shape", {fs[1], fs[2]}), Ints("strides", {sh, sw}),
       Ints("dilations", {dh, dw}),
       Ints("pads", Pads(padding, T(x).shape, fs[1], fs[2], sh, sw, dh, dw)),
       Int("group", cin / per_group));
  return Activate(name, act);
}

// TRANSPOSE_CONV and MediaPipe's Convolution2DTransposeBias: filter [O, KH, KW, I] (IHWO's
// transpose) to ONNX ConvTranspose's [I, O, KH, KW]; pads from the output's size.
Status Importer::ConvertTransposeConv(int x, int w, int bias, int out, Padding padding, int sw,
                                      int sh) {
  if (Rank(x) != 4 || Rank(w) != 4 || Rank(out) != 4 || !IsConstant(w)) {
    return Unsupported("a 4-D input and a constant 4-D filter are needed");
  }
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor filter, Constant(w));
  LITECNN_ASSIGN_OR_RETURN(filter, PermuteAxes(filter, {3, 0, 1, 2}));
  const std::vector<int32_t>& fs = T(w).shape;
  const std::vector<int32_t>& in = T(x).shape;
  const std::vector<int32_t>& os = T(out).shape;
  // As a conv from the output back to the input: (in - 1) * s + k - out pixels are cropped,
  // half at the start (SAME; VALID crops none); a larger output is ONNX's output_padding.
  const int64_t th = int64_t{in[1] - 1} * sh + fs[1] - os[1];
  const int64_t tw = int64_t{in[2] - 1} * sw + fs[2] - os[2];
  if (padding == Padding::kValid && (th > 0 || tw > 0)) {
    return InvalidModel("VALID output " + std::to_string(os[1]) + "x" + std::to_string(os[2]) +
                        " is smaller than the transposed conv's");
  }
  auto half = [](int64_t t) { return std::max<int64_t>(t, 0) / 2; };
  const std::vector<int64_t> pads = {half(th), half(tw), std::max<int64_t>(th, 0) - half(th),
                                     std::max<int64_t>(tw, 0) - half(tw)};
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  std::vector<std::string> inputs = {xin, Initializer(Base(w) + ":iohw", std::move(filter))};
  if (bias >= 0) {
    LITECNN_ASSIGN_OR_RETURN(std::string b, Nhwc(bias));
    inputs.push_back(b);
  }
  const OutName name = Out(out, true, Activation::kNone);
  onnx::Node& n = Node("ConvTranspose", inputs, {name.pre});
  With(n, Ints("kernel_shape", {fs[1], fs[2]}), Ints("strides", {sh, sw}), Ints("pads", pads),
       Ints("output_padding", {std::max<int64_t>(-th, 0), std::max<int64_t>(-tw, 0)}));
  return Status::Ok();
}

Status Importer::ConvertPool(const Operator& op, const char* type) {
  const auto* o = std::get_if<Pool2DOptions>(&op.builtin_options);
  const int x = op.inputs[0], out = op.outputs[0];
  if (o == nullptr) return InvalidModel("no Pool2DOptions");
  if (Rank(x) != 4) return Unsupported("a 4-D input is needed");
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  const OutName name = Out(out, true, o->activation);
  // TFLite's average pool divides by the taps inside the input: ONNX's count_include_pad = 0.
  With(Node(type, {xin}, {name.pre}), Ints("kernel_shape", {o->filter_h, o->filter_w}),
       Ints("strides", {o->stride_h, o->stride_w}),
       Ints("pads", Pads(o->padding, T(x).shape, o->filter_h, o->filter_w, o->stride_h, o->stride_w,
                         1, 1)));
  return Activate(name, o->activation);
}

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

Status Importer::ConvertPad(const Operator& op) {
  const int x = op.inputs[0], p = op.inputs[1], out = op.outputs[0];
  if (!IsConstant(p)) return Unsupported("paddings must be a constant");
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor paddings, Constant(p));
  const int64_t rank = Rank(x);
  if (paddings.dims() != Dims{rank, 2}) return InvalidModel("paddings are not [rank, 2]");
  const bool nchw = rank == 4;
  std::vector<int64_t> pads(2 * rank);
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t src = nchw ? kToNchw[d] : d;
    pads[d] = paddings.GetAsInt64(2 * src);
    pads[rank + d] = paddings.GetAsInt64(2 * src + 1);
  }
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor pads_t, litecnn::Tensor::FromInt64s({2 * rank}, pads));
  LITECNN_ASSIGN_OR_RETURN(std::string xin, nchw ? Nchw(x) : Nhwc(x));
  const std::string pads_name = Initializer(Base(p) + ":onnx", std::move(pads_t));
  Node("Pad", {xin, pads_name}, {Out(out, nchw, Activation::kNone).pre});
  return Status::Ok();
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

Status Importer::ConvertResize(const Operator& op) {
  const auto* o = std::get_if<ResizeBilinearOptions>(&op.builtin_options);
  const int x = op.inputs[0], out = op.outputs[0];
  if (Rank(x) != 4 || Rank(out) != 4) return Unsupported("a 4-D input is needed");
  // The output's dims are in the file; the size operand must agree with them.
  const std::vector<int32_t>& os = T(out).shape;
  std::vector<int64_t> sizes = {os[0], os[3], os[1], os[2]};
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor sizes_t, litecnn::Tensor::FromInt64s({4}, sizes));
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  const std::string sizes_name = Initializer(Base(out) + ":sizes", std::move(sizes_t));
  // TF's three conventions, as tf2onnx maps them.
  const char* coords = o && o->align_corners        ? "align_corners"
                       : o && o->half_pixel_centers ? "half_pixel"
                                                    : "asymmetric";
  With(Node("Resize", {xin, "", "", sizes_name}, {Out(out, true, Activation::kNone).pre}),
       Str("mode", "linear"), Str("coordinate_transformation_mode", coords));
  return Status::Ok();
}

// NCHW when the result's dims come out in the same order as NHWC's would (keep_dims, or H and
// W both reduced); otherwise on the NHWC form.
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
Status Importer::ConvertDepthToSpace(const Operator& op) {
  const auto* o = std::get_if<DepthToSpaceOptions>(&op.builtin_options);
  const int x = op.inputs[0], out = op.outputs[0];
  if (o == nullptr) return InvalidModel("no DepthToSpaceOptions");
  if (Rank(x) != 4) return Unsupported("a 4-D input is needed");
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  With(Node("DepthToSpace", {xin}, {Out(out, true, Activation::kNone).pre}),
       Int("blocksize", o->block_size), Str("mode", "DCR"));
  return Status::Ok();
}

Status Importer::Convert(const Operator& op, const OperatorCode& code) {
  const auto op_code = static_cast<BuiltinOperator>(code.builtin_code);
  if (op.inputs.empty() || op.outputs.size() != 1 || op.inputs[0] < 0 || op.outputs[0] < 0) {
    return InvalidModel("expected inputs and one output");
  }
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

}  // namespace

Result<onnx::Model> ImportModel(const Model& model) {
  if (model.subgraphs.empty()) return InvalidModel("the model has no subgraphs");
  Importer importer(model);
  return importer.Run();
}

}  // namespace litecnn::tflite
