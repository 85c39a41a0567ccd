// Conv (2-D, any groups, strides, dilations, explicit or auto padding) on NHWC activations.
// Weights arrive as OIHW; they are packed to OHWI once at Prepare when constant (the usual
// case) and per Run otherwise (ONNX's node tests feed weights as inputs).
#include <cmath>
#include <cstring>

#include "kernels/f32-conv/f32-conv.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "ops/spatial.h"

namespace litecnn {
namespace {

void PackOIHWtoOHWI(const float* w, int64_t o, int64_t i, int64_t h, int64_t wd, float* out) {
  for (int64_t a = 0; a < o; ++a)
    for (int64_t b = 0; b < i; ++b)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < wd; ++x)
          out[((a * h + y) * wd + x) * i + b] = w[((a * i + b) * h + y) * wd + x];
}

class ConvOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(group_, attrs.GetInt("group", 1));
    if (group_ < 1) return InvalidModel("group must be >= 1, got " + std::to_string(group_));
    LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, false, true, false));
    return Status::Ok();
  }

  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 3));
    const TensorDesc& x = *in[0];
    const TensorDesc& w = *in[1];
    LITECNN_RETURN_IF_ERROR(CheckFloat(x, "input X"));
    LITECNN_RETURN_IF_ERROR(CheckFloat(w, "weights W"));
    if (x.dims.size() != 4) {
      return Unsupported("only 2-D convolution (4-D input) is supported, input is " +
                         DimsToString(x.dims));
    }
    if (w.dims.size() != 4) return InvalidModel("weights must be 4-D, got " + DimsToString(w.dims));
    const int64_t c = x.dims[1], m = w.dims[0];
    if (c % group_ != 0 || m % group_ != 0) {
      return InvalidModel("group " + std::to_string(group_) + " does not divide input channels " +
                          std::to_string(c) + " and output channels " + std::to_string(m));
    }
    if (w.dims[1] != c / group_) {
      return InvalidModel("weights " + DimsToString(w.dims) + " expect " +
                          std::to_string(w.dims[1] * group_) + " input channels, input has " +
                          std::to_string(c));
    }
    if (in.size() > 2 && in[2]) {
      LITECNN_RETURN_IF_ERROR(CheckFloat(*in[2], "bias B"));
      if (in[2]->dims != Dims{m}) {
        return InvalidModel("bias must be [" + std::to_string(m) + "], got " +
                            DimsToString(in[2]->dims));
      }
    }
    if (win_.kernel[0] == 0) {
      win_.kernel[0] = w.dims[2];
      win_.kernel[1] = w.dims[3];
    } else if (win_.kernel[0] != w.dims[2] || win_.kernel[1] != w.dims[3]) {
      return InvalidModel("kernel_shape does not match the weights " + DimsToString(w.dims));
    }
    int64_t oh, ow;
    LITECNN_RETURN_IF_ERROR(ResolveWindow2D(&win_, x.dims[2], x.dims[3], &oh, &ow));
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {x.dims[0], m, oh, ow};
    return Status::Ok();
  }

  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>& out) override {
    const Dims& xd = in[0]->dims;
    const Dims& wd = in[1]->dims;
    const Dims& od = out[0]->dims;
    g_ = ConvGeometry{};
    g_.batch = xd[0];
    g_.in_c = xd[1];
    g_.in_h = xd[2];
    g_.in_w = xd[3];
    g_.out_c = od[1];
    g_.out_h = od[2];
    g_.out_w = od[3];
    g_.groups = group_;
    g_.kernel_h = wd[2];
    g_.kernel_w = wd[3];
    g_.stride_h = win_.stride[0];
    g_.stride_w = win_.stride[1];
    g_.dilation_h = win_.dilation[0];
    g_.dilation_w = win_.dilation[1];
    g_.pad_top = win_.pad_begin[0];
    g_.pad_left = win_.pad_begin[1];
    packed_.assign(static_cast<size_t>(wd[0] * wd[1] * wd[2] * wd[3]), 0.f);
    weights_packed_ = in[1]->is_constant();
    if (weights_packed_) {
      PackOIHWtoOHWI(in[1]->constant->data<float>(), wd[0], wd[1], wd[2], wd[3], packed_.data());
    }
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    if (!weights_packed_) {
      const Dims& wd = in[1].dims;
      PackOIHWtoOHWI(in[1].as<const float>(), wd[0], wd[1], wd[2], wd[3], packed_.data());
    }
    const float* bias = in.size() > 2 ? in[2].as<const float>() : nullptr;
    f32_conv_nhwc_minmax__scalar(g_, in[0].as<const float>(), packed_.data(), bias,
                                 out[0].as<float>(), -INFINITY, INFINITY);
    return Status::Ok();
  }

 private:
  int64_t group_ = 1;
  Window2D win_;
  ConvGeometry g_{};
  std::vector<float> packed_;
  bool weights_packed_ = false;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateConv(const Attributes& attrs) { return CreateOp<ConvOp>(attrs); }

}  // namespace litecnn
