// Conv (2-D, any groups, strides, dilations, explicit or auto padding) on NHWC activations.
// Prepare picks an algorithm (ChooseConvAlgorithm below; dispatch.cc picks the microkernels),
// each a strategy in its own file of ops/conv/:
//   pointwise  1x1, stride 1, no padding, one group: one GEMM over all pixels, the activations
//              read in place ([N*H*W, Cin] x [Cin, Cout]);
//   depthwise  groups == Cin == Cout with a listed window: a depthwise microkernel per row band;
//   conv-hwc   one group, few input channels (the image-facing first conv) with a listed window:
//              a dense microkernel per row band;
//   winograd   dense 3x3 stride-1 convs with enough channels (SqueezeNet's expand convs): F(4x4,
//              3x3) transforms around 36 GEMMs per band of tiles, 2.25 multiply-adds per output
//              and input channel instead of 9;
//   im2col     everything else: per group and band of output rows, gather the windows into a
//              scratch matrix and run the same GEMM.
// Weights are packed once at Prepare when constant (always, in real models) and per Run
// otherwise (ONNX's node tests feed weights as inputs). Fused post-ops (residual addend, then
// activation) are applied to each tile right after it is computed, while it is in cache. The
// addend may cover only the first output channels (a zero-padded residual whose padding the
// residual pass dropped).
#include "ops/conv.h"

#include <algorithm>

#include "ops/conv/algorithm.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

// The strategy for problem p: the first that applies, in this order.
std::unique_ptr<ConvAlgorithm> ChooseConvAlgorithm(const ConvProblem& p) {
  const ConvGeometry& g = p.g;
  const bool unit_dilation = g.dilation_h == 1 && g.dilation_w == 1;
  const bool unit = g.stride_h == 1 && g.stride_w == 1 && unit_dilation;
  // A 1x1 window at stride 1 without padding maps each pixel to itself: the activations are
  // already the GEMM's rows, read in place (with the input's pixel stride).
  if (g.kernel_h == 1 && g.kernel_w == 1 && unit && g.pad_top == 0 && g.pad_left == 0 &&
      g.out_h == g.in_h && g.out_w == g.in_w && g.groups == 1) {
    return NewPointwiseConv(p);
  }
  // Depthwise microkernels write dense rows, so a sliced output goes through im2col. They take
  // one dilation for both axes (segmentation backbones dilate their last stages).
  if (p.out_stride == g.out_c && g.groups == g.in_c && g.groups == g.out_c &&
      g.dilation_h == g.dilation_w && g.stride_h == g.stride_w) {
    const DwconvKernel dw = ChooseDwconvKernel(g.kernel_h, g.kernel_w, g.stride_h, g.in_c);
    if (dw.fn) return NewDepthwiseConv(p, dw);
  }
  // The few-input-channel kernels (the first conv) also write dense rows. dispatch.cc lists only
  // the shapes measured faster than im2col + GEMM.
  if (p.out_stride == g.out_c && g.groups == 1 && unit_dilation && g.stride_h == g.stride_w) {
    const ConvHwcKernel hwc =
        ChooseConvHwcKernel(g.kernel_h, g.kernel_w, g.stride_h, g.in_c, g.out_c);
    if (hwc.fn) return NewHwcConv(p, hwc);
  }
  // Dense 3x3 stride 1: Winograd where dispatch.cc finds enough channels for the transforms to
  // pay (it writes through the output's pixel stride, so a sliced output keeps it).
  if (g.groups == 1 && unit && g.kernel_h == 3 && g.kernel_w == 3) {
    const WinogradKernel wino = ChooseWinogradKernel(g.in_c, g.out_c);
    if (wino.input) return NewWinogradConv(p, wino);
  }
  // Anything else: im2col + GEMM handles every geometry.
  return NewIm2colConv(p);
}

// First live tap along one axis of a window and how many are live: tap k reads the padded
// coordinates k * dilation + [0, (out - 1) * stride], the image is [pad, pad + in). The live taps
// are one run (both bounds move with k). The window keeps taps before the image's start when
// dropping them would need a negative pad.
void LiveTaps(size_t kernel, size_t in, size_t out, size_t stride, size_t dilation, size_t pad,
              size_t* first, size_t* count) {
  size_t lo = kernel, hi = 0;
  if (out == 0) {  // an empty output reads nothing: nothing to crop
    *first = 0;
    *count = kernel;
    return;
  }
  for (size_t k = 0; k < kernel; ++k) {
    const size_t begin = k * dilation, end = begin + (out - 1) * stride;
    if (end >= pad && begin < pad + in) {
      lo = std::min(lo, k);
      hi = k;
    }
  }
  if (lo == kernel) lo = hi = 0;  // no tap reads the image (every output is its bias): keep one
  if (lo * dilation > pad) lo = 0;
  *first = lo;
  *count = hi - lo + 1;
}

}  // namespace

ConvOp::ConvOp() = default;
ConvOp::~ConvOp() = default;

Status ConvOp::Init(const Attributes& attrs) {
  LITECNN_ASSIGN_OR_RETURN(group_, attrs.GetInt("group", 1));
  if (group_ < 1) return InvalidModel("group must be >= 1, got " + std::to_string(group_));
  LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, false, true, false));
  return Status::Ok();
}

bool ConvOp::FuseActivation(const Activation& act) {
  using K = Activation::Kind;
  if (act_.kind != K::kNone) return false;
  if (act.kind != K::kClamp && act.kind != K::kHardSwish && act.kind != K::kLeakyRelu &&
      act.kind != K::kPRelu) {
    return false;
  }
  // Per-channel slopes: one per output channel.
  if (act.kind == K::kPRelu && act.slopes.size() != out_c_) return false;
  act_ = act;
  return true;
}
bool ConvOp::FuseAddend(int64_t channels) {
  // The addend is added before the activation, so it cannot come after a fused activation.
  if (has_addend_ || act_.kind != Activation::Kind::kNone || channels < 1) return false;
  has_addend_ = true;
  addend_c_ = static_cast<size_t>(channels);
  return true;
}
bool ConvOp::OutputAffineInputs(size_t* weights, size_t* bias) const {
  if (has_addend_ || act_.kind != Activation::Kind::kNone) return false;
  *weights = 1;
  *bias = 2;
  return true;
}

Status ConvOp::Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) {
  LITECNN_RETURN_IF_ERROR(CheckInputCount(in, has_addend_ ? 4 : 2, has_addend_ ? 4 : 3));
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
  out_c_ = static_cast<size_t>(m);  // what FuseActivation checks per-channel slopes against
  if (has_addend_) {
    Dims addend_dims = out->at(0).dims;
    addend_dims[1] = static_cast<int64_t>(addend_c_);
    if (in[3]->dims != addend_dims || addend_dims[1] > m) {
      return Internal("fused addend dims " + DimsToString(in[3]->dims) + " do not fit output " +
                      DimsToString(out->at(0).dims) + " with " + std::to_string(addend_c_) +
                      " addend channels");
    }
  }
  return Status::Ok();
}

Status ConvOp::Prepare(const std::vector<const TensorDesc*>& in,
                       const std::vector<const TensorDesc*>& out) {
  const Dims& xd = in[0]->dims;
  const Dims& wd = in[1]->dims;
  const Dims& od = out[0]->dims;
  ConvGeometry g{};
  g.batch = xd[0];
  g.in_c = wd[1] * group_;  // equals xd[1] unless the input is read from a channel slice
  g.in_h = xd[2];
  g.in_w = xd[3];
  g.out_c = od[1];
  g.out_h = od[2];
  g.out_w = od[3];
  g.groups = group_;
  g.kernel_h = wd[2];
  g.kernel_w = wd[3];
  SetWindowGeometry(win_, &g);
  // Taps that read only padding for every output pixel add 0: DeepLabV3's ASPP convs (3x3 at
  // dilations 24 and 36 on a 16x16 map) read the image through their centre tap alone. Without
  // them the window is smaller, here 1x1, and the conv a pointwise GEMM with 9x fewer
  // multiply-adds, for the same sums (a dropped tap's terms are all products with zeros).
  full_h_ = g.kernel_h;
  full_w_ = g.kernel_w;
  LiveTaps(full_h_, g.in_h, g.out_h, g.stride_h, g.dilation_h, g.pad_top, &crop_y_, &g.kernel_h);
  LiveTaps(full_w_, g.in_w, g.out_w, g.stride_w, g.dilation_w, g.pad_left, &crop_x_, &g.kernel_w);
  g.pad_top -= crop_y_ * g.dilation_h;
  g.pad_left -= crop_x_ * g.dilation_w;
  if (g.kernel_h == 1) g.dilation_h = 1;
  if (g.kernel_w == 1) g.dilation_w = 1;
  cropped_h_ = g.kernel_h;
  cropped_w_ = g.kernel_w;
  group_in_ = g.in_c / std::max<size_t>(g.groups, 1);
  out_c_ = g.out_c;
  const size_t per_output = g.kernel_h * g.kernel_w * (g.in_c / std::max<size_t>(g.groups, 1));
  macs_ = static_cast<int64_t>(g.batch * g.out_h * g.out_w * g.out_c * per_output);
  if (out_stride_ == 0) out_stride_ = g.out_c;
  if (in_stride_ == 0) in_stride_ = g.in_c;
  const ConvPostOps post(act_, has_addend_ ? addend_c_ : 0, g.out_c, out_stride_);
  algorithm_ = ChooseConvAlgorithm(ConvProblem{g, in_stride_, out_stride_, post});
  weights_packed_ = in[1]->is_constant() && (in.size() < 3 || !in[2] || in[2]->is_constant());
  if (!weights_packed_) return Status::Ok();
  PackedWeights tmp;
  LITECNN_ASSIGN_OR_RETURN(const float* w, LiveWeights(in[1]->constant->data<float>(), &tmp));
  return algorithm_->Pack(w, in.size() > 2 && in[2] ? in[2]->constant->data<float>() : nullptr);
}

Result<const float*> ConvOp::LiveWeights(const float* w, PackedWeights* tmp) const {
  if (cropped_h_ == full_h_ && cropped_w_ == full_w_) return w;
  LITECNN_ASSIGN_OR_RETURN(float* live,
                           tmp->Allocate(out_c_ * group_in_ * cropped_h_ * cropped_w_));
  float* dst = live;
  for (size_t oi = 0; oi < out_c_ * group_in_; ++oi) {  // OIHW: one window per (o, i)
    const float* window = w + oi * full_h_ * full_w_;
    for (size_t y = 0; y < cropped_h_; ++y) {
      const float* row = window + (crop_y_ + y) * full_w_ + crop_x_;
      dst = std::copy(row, row + cropped_w_, dst);
    }
  }
  return static_cast<const float*>(live);
}

Status ConvOp::Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) {
  if (!weights_packed_) {
    PackedWeights tmp;
    LITECNN_ASSIGN_OR_RETURN(const float* w, LiveWeights(in[1].as<const float>(), &tmp));
    LITECNN_RETURN_IF_ERROR(algorithm_->Pack(w, in.size() > 2 ? in[2].as<const float>() : nullptr));
  }
  const float* x = in[0].as<const float>() + in_offset_;
  const float* addend = has_addend_ ? in[3].as<const float>() : nullptr;
  float* y = out[0].as<float>() + out_offset_;
  return algorithm_->Run(ConvRunContext{par_, shared_scratch_}, x, addend, y);
}

std::string ConvOp::kernel_name() const { return algorithm_ ? algorithm_->kernel_name() : ""; }

void ConvOp::SetOutputSlice(size_t channel_offset, size_t channel_stride) {
  out_offset_ = channel_offset;
  out_stride_ = channel_stride;
}

bool ConvOp::CanWriteOutputChannelSlice() const {
  // Grouped and depthwise convs would lose their microkernel (it writes dense rows); the addend
  // is read with the output's dense layout.
  return group_ == 1 && !has_addend_ && out_stride_ == 0;
}

bool ConvOp::CanReadInputChannelSlice(size_t i) const {
  // Only the pointwise path reads activations as GEMM rows with a stride.
  return i == 0 && group_ == 1 && win_.kernel[0] == 1 && win_.kernel[1] == 1 &&
         win_.stride[0] == 1 && win_.stride[1] == 1 && win_.pad_begin[0] == 0 &&
         win_.pad_begin[1] == 0 && win_.pad_end[0] == 0 && win_.pad_end[1] == 0;
}

void ConvOp::ReadInputChannelSlice(size_t i, size_t offset, size_t pixel_stride) {
  (void)i;
  in_offset_ = offset;
  in_stride_ = pixel_stride;
}

Result<std::unique_ptr<Op>> CreateConv(const Attributes& attrs) { return CreateOp<ConvOp>(attrs); }

}  // namespace litecnn
