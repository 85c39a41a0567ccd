// Conv-hwc: a dense conv (one group) with few input channels, the image-facing first conv, with
// a listed window: the conv-hwc microkernel per output row (RunRowKernel), the weights packed in
// the kernel's output-channel tiles.
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "ops/conv/algorithm.h"

namespace litecnn {
namespace {

class HwcConv final : public ConvAlgorithm {
 public:
  HwcConv(const ConvProblem& p, const ConvHwcKernel& kernel) : p_(p), kernel_(kernel) {}

  Status Pack(const float* w, const float* bias) override {
    const ConvGeometry& g = p_.g;
    LITECNN_ASSIGN_OR_RETURN(
        float* packed, packed_.Allocate(f32_conv_hwc_packed_size(kernel_.oc_tile, g.kernel_h,
                                                                 g.kernel_w, g.in_c, g.out_c)));
    f32_conv_hwc_pack_weights(kernel_.oc_tile, g.kernel_h, g.kernel_w, g.in_c, g.out_c, w, bias,
                              packed);
    return Status::Ok();
  }

  Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) override {
    const ConvGeometry& g = p_.g;
    RunRowKernel(
        p_, ctx,
        ConvHwcGeometry{g.in_h, g.in_w, g.in_c, g.out_h, g.out_w, g.out_c, g.pad_top, g.pad_left},
        kernel_.fn, packed_.data(), x, addend, y);
    return Status::Ok();
  }

  std::string kernel_name() const override { return kernel_.name; }

 private:
  const ConvProblem p_;
  const ConvHwcKernel kernel_;
  PackedWeights packed_;
};

}  // namespace

std::unique_ptr<ConvAlgorithm> NewHwcConv(const ConvProblem& p, const ConvHwcKernel& kernel) {
  return std::make_unique<HwcConv>(p, kernel);
}

}  // namespace litecnn
