// BatchNormalization (inference): y = (x - mean) / sqrt(var + eps) * scale + bias, folded into
// one per-channel affine. Works in either layout: channels are axis 1 of the logical dims, which
// is innermost in NHWC. (The BN-folding pass of the kernels issue removes most of these.)
#include <cmath>

#include "ops/capabilities.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class BatchNormOp final : public Op, public ChannelAffineOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(epsilon_, attrs.GetFloat("epsilon", 1e-5f));
    LITECNN_ASSIGN_OR_RETURN(int64_t training, attrs.GetInt("training_mode", 0));
    if (training) return Unsupported("BatchNormalization in training mode");
    // Before version 7, is_test chose between these statistics and the batch's; as version 7
    // (which dropped it) says, the outputs asked for tell the mode instead: Y alone is
    // inference, the statistics outputs of training are refused in Infer. spatial=0 (before 9)
    // normalises each (channel, pixel) apart. consumed_inputs (version 1) was an in-place hint.
    if (attrs.version() < 9) {
      LITECNN_ASSIGN_OR_RETURN(int64_t spatial, attrs.GetInt("spatial", 1));
      if (!spatial) return Unsupported("BatchNormalization with spatial=0");
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 5, 5));
    if (out->size() > 1) return Unsupported("BatchNormalization's training outputs");
    const TensorDesc& x = *in[0];
    LITECNN_RETURN_IF_ERROR(CheckFloat(x, "input X"));
    if (x.dims.size() < 2) return InvalidModel("input must have rank >= 2");
    const int64_t c = x.dims[1];
    LITECNN_RETURN_IF_ERROR(CheckPerChannelInputs(in, {"", "scale", "B", "mean", "var"}, c));
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = x.dims;
    return Status::Ok();
  }

  bool AsChannelAffine(const std::vector<const TensorDesc*>& in, std::vector<float>* scale,
                       std::vector<float>* shift) const override {
    for (int i = 1; i < 5; ++i) {
      if (!in[i]->is_constant()) return false;
    }
    const size_t c = in[0]->dims[1];
    scale->resize(c);
    shift->resize(c);
    ComputeAffine(c, in[1]->constant->data<float>(), in[2]->constant->data<float>(),
                  in[3]->constant->data<float>(), in[4]->constant->data<float>(), scale->data(),
                  shift->data());
    return true;
  }

  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>&) override {
    params_constant_ = true;
    for (int i = 1; i < 5; ++i) params_constant_ = params_constant_ && in[i]->is_constant();
    const size_t c = in[0]->dims[1];
    scale_.resize(c);
    shift_.resize(c);
    if (params_constant_) {
      Fold(in[1]->constant->data<float>(), in[2]->constant->data<float>(),
           in[3]->constant->data<float>(), in[4]->constant->data<float>());
    }
    return Status::Ok();
  }

  bool NeedsConstantAtRun(size_t i) const override { return i == 0 || !params_constant_; }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    if (!params_constant_) {
      Fold(in[1].as<const float>(), in[2].as<const float>(), in[3].as<const float>(),
           in[4].as<const float>());
    }
    const Dims& d = in[0].dims;
    const size_t c = d[1];
    size_t outer = d[0], inner = 1;
    for (size_t i = 2; i < d.size(); ++i) inner *= d[i];
    if (in[0].layout == Layout::kNHWC) {
      outer *= inner;
      inner = 1;
    }
    Elementwise().channel_affine(outer, c, inner, in[0].as<const float>(), scale_.data(),
                                 shift_.data(), out[0].as<float>());
    return Status::Ok();
  }

 private:
  void Fold(const float* scale, const float* bias, const float* mean, const float* var) {
    ComputeAffine(scale_.size(), scale, bias, mean, var, scale_.data(), shift_.data());
  }
  void ComputeAffine(size_t c, const float* scale, const float* bias, const float* mean,
                     const float* var, float* out_scale, float* out_shift) const {
    for (size_t i = 0; i < c; ++i) {
      out_scale[i] = scale[i] / std::sqrt(var[i] + epsilon_);
      out_shift[i] = bias[i] - mean[i] * out_scale[i];
    }
  }
  float epsilon_ = 1e-5f;
  bool params_constant_ = false;
  std::vector<float> scale_, shift_;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateBatchNormalization(const Attributes& a) {
  return CreateOp<BatchNormOp>(a);
}

}  // namespace litecnn
