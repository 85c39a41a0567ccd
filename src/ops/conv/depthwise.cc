// Depthwise conv (groups == in_c == out_c) with a listed window: the depthwise microkernel per
// output row (RunRowKernel), each channel's taps packed in the kernel's channel tiles.
#include "kernels/f32-dwconv/f32-dwconv.h"
#include "ops/conv/algorithm.h"

namespace litecnn {
namespace {

class DepthwiseConv final : public ConvAlgorithm {
 public:
  DepthwiseConv(const ConvProblem& p, const DwconvKernel& kernel) : p_(p), kernel_(kernel) {}

  Status Pack(const float* w, const float* bias) override {
    const ConvGeometry& g = p_.g;
    LITECNN_ASSIGN_OR_RETURN(
        float* packed, packed_.Allocate(f32_dwconv_packed_size(kernel_.channel_tile, g.kernel_h,
                                                               g.kernel_w, g.out_c)));
    f32_dwconv_pack_weights(kernel_.channel_tile, g.kernel_h, g.kernel_w, g.out_c, w, bias, packed);
    return Status::Ok();
  }

  Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) override {
    const ConvGeometry& g = p_.g;
    RunRowKernel(p_, ctx,
                 DwconvGeometry{g.in_h, g.in_w, g.in_c, g.out_h, g.out_w, g.pad_top, g.pad_left,
                                g.dilation_h},
                 kernel_.fn, packed_.data(), x, addend, y);
    return Status::Ok();
  }

  std::string kernel_name() const override { return kernel_.name; }

 private:
  const ConvProblem p_;
  const DwconvKernel kernel_;
  PackedWeights packed_;
};

}  // namespace

std::unique_ptr<ConvAlgorithm> NewDepthwiseConv(const ConvProblem& p, const DwconvKernel& kernel) {
  return std::make_unique<DepthwiseConv>(p, kernel);
}

}  // namespace litecnn
