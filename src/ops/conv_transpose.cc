// ConvTranspose (2-D, NCHW models, constant weights and bias) on NHWC activations: parses the
// attributes, resolves ONNX's padding rules into the plain problem of ops/conv/transpose.h and
// runs it there.
//
// Output size and leading pad, per spatial axis (full = stride * (in - 1) + output_padding +
// (kernel - 1) * dilation + 1, the extent the attributes give before any padding is removed):
//   output_shape given   out = output_shape; total = full - out split by the rule below (any
//                        pads are ignored, as ONNX says);
//   SAME_UPPER/LOWER     total = full - in * stride split by the rule below; out = full - total;
//   VALID                no padding: out = full;
//   NOTSET               out = full - pads_begin - pads_end.
// A negative total (an output_shape or SAME target beyond the full extent) counts as 0: the
// outputs past the full result hold the bias alone. That is what ONNX's shape inference (it
// clamps the SAME total at 0) and test_convtranspose_output_shape expect, and what
// onnxruntime computes.
// Splitting an odd total, ONNX's formula differs between versions:
//   version 1:     SAME_UPPER puts the larger half first; every other mode puts it last;
//   versions 11+:  SAME_UPPER puts the larger half last; every other mode puts it first.
// (Version 1's attribute text says the opposite of its own formula for SAME_UPPER; version 11
// fixed the formula to match the text. The formula is what litecnn follows. onnxruntime applies
// one rule to all versions, version 11's except that NOTSET and VALID with output_shape also
// put the larger half last: the two differ only for an odd total there.)
#include <algorithm>

#include "ops/capabilities.h"
#include "ops/conv/transpose.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "ops/spatial.h"

namespace litecnn {
namespace {

class ConvTransposeOp final : public Op, public FusesActivation, public FoldsOutputAffine {
 public:
  Status Init(const Attributes& attrs);

  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  // Run reads NHWC only; with constant inputs the node is still run, not folded.
  bool foldable() const override { return false; }
  bool FuseActivation(const Activation& act) override {
    if (act_.kind != Activation::Kind::kNone) return false;
    if (act.kind != Activation::Kind::kClamp && act.kind != Activation::Kind::kHardSwish) {
      return false;
    }
    act_ = act;
    return true;
  }
  bool OutputAffineInputs(size_t* weights, size_t* bias) const override {
    if (act_.kind != Activation::Kind::kNone) return false;
    *weights = 1;
    *bias = 2;
    return true;
  }
  // [C_in, C_out / group, kh, kw]: output channels are axis 1, within each group's rows.
  OutputChannels OutputChannelsOfWeights() const override {
    return {1, static_cast<size_t>(group_)};
  }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override;
  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>& out) override;
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    return conv_->Run(par_, shared_scratch_, in[0].as<const float>(), out[0].as<float>());
  }
  bool NeedsConstantAtRun(size_t i) const override { return !(conv_ && (i == 1 || i == 2)); }
  std::string kernel_name() const override { return conv_ ? conv_->kernel_name() : ""; }
  int64_t macs() const override { return conv_ ? conv_->macs() : 0; }

 private:
  // Output extent and leading pad of spatial axis i for input extent `in`.
  Status ResolveAxis(int i, int64_t in, int64_t* out, int64_t* pad_begin) const;

  int64_t version_ = 1;
  int64_t group_ = 1;
  Window2D win_;
  int64_t output_padding_[2] = {0, 0};
  std::vector<int64_t> output_shape_;  // empty, [H, W] or [N, C, H, W]
  Activation act_;
  int64_t pad_top_ = 0, pad_left_ = 0;  // resolved by Infer
  std::unique_ptr<TransposeConv> conv_;
};

Status ConvTransposeOp::Init(const Attributes& attrs) {
  version_ = attrs.version();
  LITECNN_ASSIGN_OR_RETURN(group_, attrs.GetInt("group", 1));
  if (group_ < 1) return InvalidModel("group must be >= 1, got " + std::to_string(group_));
  LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, false, true, false));
  LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> op, attrs.GetInts("output_padding"));
  if (!op.empty()) {
    if (op.size() != 2) {
      return Unsupported("output_padding " + IntsToString(op) +
                         ": only 2-D ConvTranspose is supported");
    }
    for (int i = 0; i < 2; ++i) {
      // ONNX: each value less than the stride or the dilation of its axis (else it would add
      // outputs no input reaches beyond what a larger output_shape says).
      if (op[i] < 0 || (op[i] >= win_.stride[i] && op[i] >= win_.dilation[i])) {
        return InvalidModel("output_padding " + IntsToString(op) +
                            " must be less than the strides or the dilations");
      }
      output_padding_[i] = op[i];
    }
  }
  LITECNN_ASSIGN_OR_RETURN(output_shape_, attrs.GetInts("output_shape"));
  if (!output_shape_.empty()) {
    if (output_shape_.size() != 2 && output_shape_.size() != 4) {
      return Unsupported("output_shape " + IntsToString(output_shape_) +
                         ": only 2-D ConvTranspose is supported (2 or 4 values)");
    }
    for (int64_t v : output_shape_) {
      if (v < 1 || v > (int64_t{1} << 30)) {
        return InvalidModel("output_shape " + IntsToString(output_shape_) + " out of range");
      }
    }
  }
  return Status::Ok();
}

Status ConvTransposeOp::ResolveAxis(int i, int64_t in, int64_t* out, int64_t* pad_begin) const {
  const int64_t full =
      win_.stride[i] * (in - 1) + output_padding_[i] + (win_.kernel[i] - 1) * win_.dilation[i] + 1;
  const bool same = win_.auto_pad == "SAME_UPPER" || win_.auto_pad == "SAME_LOWER";
  if (!output_shape_.empty() || same) {
    const int64_t target =
        !output_shape_.empty() ? output_shape_[output_shape_.size() - 2 + i] : in * win_.stride[i];
    const int64_t total = std::max<int64_t>(0, full - target);
    const bool upper = win_.auto_pad == "SAME_UPPER";
    const bool larger_first = version_ < 11 ? upper : !upper;
    *pad_begin = larger_first ? total - total / 2 : total / 2;
    *out = output_shape_.empty() ? full - total : target;
    return Status::Ok();
  }
  const bool valid = win_.auto_pad == "VALID";
  *pad_begin = valid ? 0 : win_.pad_begin[i];
  *out = full - (valid ? 0 : win_.pad_begin[i] + win_.pad_end[i]);
  if (*out < 1) {
    return InvalidModel("pads remove the whole output: extent " + std::to_string(full) +
                        " before padding, " + std::to_string(*out) + " after");
  }
  return Status::Ok();
}

Status ConvTransposeOp::Infer(const std::vector<const TensorDesc*>& in,
                              std::vector<TensorDesc>* out) {
  LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 3));
  const TensorDesc& x = *in[0];
  const TensorDesc& w = *in[1];
  LITECNN_RETURN_IF_ERROR(CheckFloat(x, "input X"));
  LITECNN_RETURN_IF_ERROR(CheckFloat(w, "weights W"));
  if (x.dims.size() != 4) {
    return Unsupported("only 2-D ConvTranspose (4-D input) is supported, input is " +
                       DimsToString(x.dims));
  }
  if (w.dims.size() != 4) {
    return InvalidModel("ConvTranspose weights must be 4-D [C_in, C_out / group, kH, kW], got " +
                        DimsToString(w.dims));
  }
  if (!w.is_constant()) {
    return Unsupported("ConvTranspose weights must be constant (an initializer)");
  }
  const int64_t c = x.dims[1], m = w.dims[1] * group_;
  if (c % group_ != 0) {
    return InvalidModel("group " + std::to_string(group_) + " does not divide input channels " +
                        std::to_string(c));
  }
  if (w.dims[0] != c) {
    return InvalidModel("weights " + DimsToString(w.dims) + " expect " + std::to_string(w.dims[0]) +
                        " input channels, input has " + std::to_string(c));
  }
  if (in.size() > 2 && in[2]) {
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[2], "bias B"));
    if (in[2]->dims != Dims{m}) {
      return InvalidModel("bias must be [" + std::to_string(m) + "], got " +
                          DimsToString(in[2]->dims));
    }
    if (!in[2]->is_constant()) {
      return Unsupported("ConvTranspose bias must be constant (an initializer)");
    }
  }
  if (win_.kernel[0] == 0) {
    win_.kernel[0] = w.dims[2];
    win_.kernel[1] = w.dims[3];
  } else if (win_.kernel[0] != w.dims[2] || win_.kernel[1] != w.dims[3]) {
    return InvalidModel("kernel_shape does not match the weights " + DimsToString(w.dims));
  }
  if (output_shape_.size() == 4 && (output_shape_[0] != x.dims[0] || output_shape_[1] != m)) {
    return InvalidModel("output_shape " + IntsToString(output_shape_) + " does not match batch " +
                        std::to_string(x.dims[0]) + " and output channels " + std::to_string(m));
  }
  int64_t oh, ow;
  LITECNN_RETURN_IF_ERROR(ResolveAxis(0, x.dims[2], &oh, &pad_top_));
  LITECNN_RETURN_IF_ERROR(ResolveAxis(1, x.dims[3], &ow, &pad_left_));
  out->at(0).dtype = DataType::kFloat32;
  out->at(0).dims = {x.dims[0], m, oh, ow};
  return Status::Ok();
}

Status ConvTransposeOp::Prepare(const std::vector<const TensorDesc*>& in,
                                const std::vector<const TensorDesc*>& out) {
  const Dims& xd = in[0]->dims;
  const Dims& od = out[0]->dims;
  TransposeConvProblem p;
  p.batch = xd[0];
  p.in_c = xd[1];
  p.in_h = xd[2];
  p.in_w = xd[3];
  p.out_c = od[1];
  p.out_h = od[2];
  p.out_w = od[3];
  p.groups = group_;
  p.kernel_h = win_.kernel[0];
  p.kernel_w = win_.kernel[1];
  p.stride_h = win_.stride[0];
  p.stride_w = win_.stride[1];
  p.dilation_h = win_.dilation[0];
  p.dilation_w = win_.dilation[1];
  p.pad_top = pad_top_;
  p.pad_left = pad_left_;
  const float* bias = in.size() > 2 && in[2] ? in[2]->constant->data<float>() : nullptr;
  LITECNN_ASSIGN_OR_RETURN(conv_,
                           TransposeConv::Create(p, act_, in[1]->constant->data<float>(), bias));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Op>> CreateConvTranspose(const Attributes& attrs) {
  return CreateOp<ConvTransposeOp>(attrs);
}

}  // namespace litecnn
