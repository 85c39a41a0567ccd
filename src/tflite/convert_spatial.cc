// Spatial ops: convolutions (OHWI / 1HWO filters to OIHW), pools, pad, resize, depth-to-space.
#include <algorithm>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "tflite/importer_internal.h"

namespace litecnn::tflite::internal {

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
  const std::vector<int32_t>& fs = T(w).shape;
  if (sw < 1 || sh < 1 || dw < 1 || dh < 1 || fs[1] < 1 || fs[2] < 1) {
    return InvalidModel("strides, dilations and filter size must be positive");
  }
  const int64_t cin = T(x).shape[3];
  const int64_t per_group = depthwise ? 1 : fs[3];
  if (per_group <= 0 || cin % per_group != 0) {
    return InvalidModel("input channels " + std::to_string(cin) + " are not a multiple of the " +
                        "filter's " + std::to_string(per_group));
  }
  std::vector<std::string> inputs = {};
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  inputs.push_back(xin);
  // OHWI (conv) and 1HWO (depthwise, O = C x multiplier) filters to ONNX's OIHW.
  LITECNN_ASSIGN_OR_RETURN(
      std::string filter,
      Permuted(w, depthwise ? std::vector<int>{3, 0, 1, 2} : kToNchw, depthwise ? "1hwo" : "oihw"));
  inputs.push_back(filter);
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
  LITECNN_ASSIGN_OR_RETURN(std::string filter, Permuted(w, {3, 0, 1, 2}, "iohw"));
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
  std::vector<std::string> inputs = {xin, filter};
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
  if (o->stride_w < 1 || o->stride_h < 1 || o->filter_w < 1 || o->filter_h < 1) {
    return InvalidModel("strides and filter size must be positive");
  }
  LITECNN_ASSIGN_OR_RETURN(std::string xin, Nchw(x));
  const OutName name = Out(out, true, o->activation);
  // TFLite's average pool divides by the taps inside the input: ONNX's count_include_pad = 0.
  With(Node(type, {xin}, {name.pre}), Ints("kernel_shape", {o->filter_h, o->filter_w}),
       Ints("strides", {o->stride_h, o->stride_w}),
       Ints("pads", Pads(o->padding, T(x).shape, o->filter_h, o->filter_w, o->stride_h, o->stride_w,
                         1, 1)));
  return Activate(name, o->activation);
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
  LITECNN_ASSIGN_OR_RETURN(std::string xin, nchw ? Nchw(x) : Nhwc(x));
  // Zeros appended to the channels only: how Keras widens a residual (BlazeFace's blocks). As
  // Concat(x, zeros), the ONNX conversion's spelling, FuseResidualAdds lets the conv that adds
  // it read x directly instead of running the copy.
  bool channels_only = nchw && T(x).type == TensorType::kFloat32 && pads[rank + 1] > 0;
  for (int64_t k = 0; k < 2 * rank; ++k)
    channels_only = channels_only && (k == rank + 1 || !pads[k]);
  if (channels_only) {
    const std::vector<int32_t>& s = T(x).shape;
    const Dims zeros_dims = {s[0], pads[rank + 1], s[1], s[2]};
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor zeros,
                             litecnn::Tensor::Create(DataType::kFloat32, zeros_dims));
    LITECNN_RETURN_IF_ERROR(Charge(zeros.byte_size(), "tensor '" + T(out).name + "' padding"));
    const std::string zeros_name = Initializer(Base(out) + ":zeros", std::move(zeros));
    With(Node("Concat", {xin, zeros_name}, {Out(out, true, Activation::kNone).pre}),
         Int("axis", 1));
    return Status::Ok();
  }
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor pads_t, litecnn::Tensor::FromInt64s({2 * rank}, pads));
  const std::string pads_name = Initializer(Base(p) + ":onnx", std::move(pads_t));
  Node("Pad", {xin, pads_name}, {Out(out, nchw, Activation::kNone).pre});
  return Status::Ok();
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

}  // namespace litecnn::tflite::internal
