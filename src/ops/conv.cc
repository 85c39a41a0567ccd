// Conv (2-D, any groups, strides, dilations, explicit or auto padding) on NHWC activations.
// Prepare picks an algorithm (dispatch.cc picks the microkernels):
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
#include <cmath>
#include <cstring>

#include "kernels/f32-conv/f32-conv.h"
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vunary/f32-vunary.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "ops/spatial.h"
#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

// Rows of im2col scratch per GEMM pass: ~256 KB keeps the scratch in L2.
constexpr size_t kIm2colScratchFloats = 64 * 1024;
// Packed GEMM weights per column block (ConvOp::Gemm): half of a 512 KB L2, the rest for rows.
constexpr size_t kGemmWeightBlockBytes = 256 * 1024;
// Winograd scratch per part (input and GEMM-output transforms of a pass of tiles): ~512 KB.
constexpr size_t kWinogradScratchFloats = 128 * 1024;
// Threads split pointwise convs into parts of at least this many MR-row tiles: every part
// streams the layer's weights once, which for the 7x7 and 14x14 layers (few rows, up to 1.6 MB
// of weights) costs more than the balance finer parts buy.
constexpr size_t kMinGemmTilesPerPart = 8;
// Pointwise convs on fewer pixels than output channels split output channels only past this much
// weight (RunPointwise). Measured at 2 threads, one process alternating builds: ShuffleNet 0.5's
// pointwise convs 0.95-0.99x the time with row splits below it (its 7x7 96->96 layers, 37 KB);
// MobileNetV2 unchanged (its 14x14 64->384, 98 KB, now row-split too).
constexpr size_t kMinPanelSplitWeightBytes = 128 * 1024;

}  // namespace

Status ConvOp::Init(const Attributes& attrs) {
  LITECNN_ASSIGN_OR_RETURN(group_, attrs.GetInt("group", 1));
  if (group_ < 1) return InvalidModel("group must be >= 1, got " + std::to_string(group_));
  LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, false, true, false));
  return Status::Ok();
}

bool ConvOp::FuseActivation(const Activation& act) {
  if (act_.kind != Activation::Kind::kNone) return false;
  if (act.kind != Activation::Kind::kClamp && act.kind != Activation::Kind::kHardSwish) {
    return false;
  }
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
  g_ = ConvGeometry{};
  g_.batch = xd[0];
  g_.in_c = wd[1] * group_;  // equals xd[1] unless the input is read from a channel slice
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
  ChooseAlgorithm();
  weights_packed_ = in[1]->is_constant() && (in.size() < 3 || !in[2] || in[2]->is_constant());
  if (!weights_packed_) return Status::Ok();
  return Pack(in[1]->constant->data<float>(),
              in.size() > 2 && in[2] ? in[2]->constant->data<float>() : nullptr);
}

Status ConvOp::Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) {
  if (!weights_packed_) {
    LITECNN_RETURN_IF_ERROR(
        Pack(in[1].as<const float>(), in.size() > 2 ? in[2].as<const float>() : nullptr));
  }
  const float* x = in[0].as<const float>() + in_offset_;
  const float* addend = has_addend_ ? in[3].as<const float>() : nullptr;
  float* y = out[0].as<float>() + out_offset_;
  switch (algo_) {
    case Algo::kPointwise:
      RunPointwise(x, addend, y);
      break;
    case Algo::kDepthwise:
      RunRows(
          DwconvGeometry{g_.in_h, g_.in_w, g_.in_c, g_.out_h, g_.out_w, g_.pad_top, g_.pad_left},
          dw_.fn, x, addend, y);
      break;
    case Algo::kConvHwc:
      RunRows(ConvHwcGeometry{g_.in_h, g_.in_w, g_.in_c, g_.out_h, g_.out_w, g_.out_c, g_.pad_top,
                              g_.pad_left},
              hwc_.fn, x, addend, y);
      break;
    case Algo::kWinograd:
      return RunWinograd(x, addend, y);
    case Algo::kIm2col:
      return RunIm2col(x, addend, y);
  }
  return Status::Ok();
}

bool ConvOp::PostOpsNeeded() const {
  return has_addend_ || act_.kind == Activation::Kind::kHardSwish;
}
// Clamp bounds the microkernel applies itself: the activation's when it is a clamp and
// nothing must happen before it.
float ConvOp::KernelMin() const {
  return !PostOpsNeeded() && act_.kind == Activation::Kind::kClamp ? act_.min : -INFINITY;
}
float ConvOp::KernelMax() const {
  return !PostOpsNeeded() && act_.kind == Activation::Kind::kClamp ? act_.max : INFINITY;
}

int64_t ConvOp::macs() const {
  const size_t per_output = g_.kernel_h * g_.kernel_w * (g_.in_c / std::max<size_t>(g_.groups, 1));
  return static_cast<int64_t>(g_.batch * g_.out_h * g_.out_w * g_.out_c * per_output);
}

std::string ConvOp::kernel_name() const {
  switch (algo_) {
    case Algo::kPointwise:
      return gemm_.name;
    case Algo::kDepthwise:
      return dw_.name;
    case Algo::kConvHwc:
      return hwc_.name;
    case Algo::kWinograd:
      return std::string(wino_.input_name) + "+" + gemm_.name + "+" + wino_.output_name;
    case Algo::kIm2col:
      return std::string("im2col+") + gemm_.name;
  }
  return "";
}

void ConvOp::SetOutputSlice(size_t channel_offset, size_t channel_stride) {
  out_offset_ = channel_offset;
  out_stride_ = channel_stride;
}

// Addend, then activation, on channels [c0, c1) of `pixels` consecutive output pixels starting
// at y (pixels are out_stride_ apart; the addend's pixels are dense, addend_c_ floats each).
void ConvOp::PostOps(size_t pixels, float* y, const float* addend, size_t c0, size_t c1) const {
  if (!PostOpsNeeded()) return;
  c1 = std::min(c1, g_.out_c);
  const size_t n = c1 - c0;
  const ElementwiseKernels& ew = Elementwise();
  const bool clamp = act_.kind == Activation::Kind::kClamp;
  if (addend && std::min(c1, addend_c_) < c1) {
    // A padded addend covers the first addend_c_ channels of each pixel: add it pixel by pixel,
    // then activate the whole run below. One clamp over the run measured a little faster on
    // BlazeFace than a second call per pixel for the few uncovered channels (4-8 of 28-96).
    const size_t covered = addend_c_ > c0 ? addend_c_ - c0 : 0;
    for (size_t p = 0; covered > 0 && p < pixels; ++p) {
      float* yp = y + p * out_stride_ + c0;
      ew.add_minmax(covered, yp, addend + p * addend_c_ + c0, yp, -INFINITY, INFINITY);
    }
    addend = nullptr;  // added; the activation remains
  }
  // Dense outputs are one run; sliced outputs (or column ranges) one run per pixel.
  const bool dense = out_stride_ == n;
  const size_t runs = dense ? 1 : pixels, len = dense ? pixels * n : n;
  for (size_t r = 0; r < runs; ++r) {
    float* yr = y + r * out_stride_ + c0;
    if (addend) {
      // The add applies a fused clamp in the same pass.
      ew.add_minmax(len, yr, addend + r * addend_c_ + c0, yr, clamp ? act_.min : -INFINITY,
                    clamp ? act_.max : INFINITY);
    } else if (clamp) {
      ew.clamp(len, yr, yr, act_.min, act_.max);
    }
    if (act_.kind == Activation::Kind::kHardSwish) ew.hswish(len, yr, yr);
  }
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

void ConvOp::ChooseAlgorithm() {
  if (out_stride_ == 0) out_stride_ = g_.out_c;
  if (in_stride_ == 0) in_stride_ = g_.in_c;
  const bool unit_dilation = g_.dilation_h == 1 && g_.dilation_w == 1;
  const bool unit = g_.stride_h == 1 && g_.stride_w == 1 && unit_dilation;
  if (g_.kernel_h == 1 && g_.kernel_w == 1 && unit && g_.pad_top == 0 && g_.pad_left == 0 &&
      g_.out_h == g_.in_h && g_.out_w == g_.in_w && g_.groups == 1) {
    algo_ = Algo::kPointwise;
    gemm_ = ChooseGemmKernel(g_.batch * g_.in_h * g_.in_w, g_.out_c, g_.in_c);
    return;
  }
  // Depthwise microkernels write dense rows, so a sliced output goes through im2col.
  if (out_stride_ == g_.out_c && g_.groups == g_.in_c && g_.groups == g_.out_c &&
      g_.dilation_h == 1 && g_.dilation_w == 1 && g_.stride_h == g_.stride_w) {
    dw_ = ChooseDwconvKernel(g_.kernel_h, g_.kernel_w, g_.stride_h, g_.in_c);
    if (dw_.fn) {
      algo_ = Algo::kDepthwise;
      return;
    }
  }
  if (out_stride_ == g_.out_c && g_.groups == 1 && unit_dilation && g_.stride_h == g_.stride_w) {
    hwc_ = ChooseConvHwcKernel(g_.kernel_h, g_.kernel_w, g_.stride_h, g_.in_c, g_.out_c);
    if (hwc_.fn) {
      algo_ = Algo::kConvHwc;
      return;
    }
  }
  if (g_.groups == 1 && unit && g_.kernel_h == 3 && g_.kernel_w == 3) {
    wino_ = ChooseWinogradKernel(g_.in_c, g_.out_c);
    if (wino_.input) {
      algo_ = Algo::kWinograd;
      zeros_.assign(g_.in_c, 0.f);
      // Tiles per pass: their transforms (36 x (in_c + out_c) floats each) fill the scratch.
      wino_chunk_tiles_ =
          std::max<size_t>(4, kWinogradScratchFloats / (kWinogradPoints * (g_.in_c + g_.out_c)));
      gemm_ = ChooseGemmKernel(wino_chunk_tiles_, g_.out_c, g_.in_c);
      return;
    }
  }
  algo_ = Algo::kIm2col;
  gemm_ = ChooseGemmKernel(g_.out_h * g_.out_w, g_.out_c / g_.groups,
                           g_.kernel_h * g_.kernel_w * g_.in_c / g_.groups);
}

// w: OIHW; bias: [out_c] or null.
Status ConvOp::Pack(const float* w, const float* bias) {
  const size_t kh = g_.kernel_h, kw = g_.kernel_w;
  if (algo_ == Algo::kDepthwise) {
    LITECNN_ASSIGN_OR_RETURN(float* packed, packed_.Allocate(f32_dwconv_packed_size(
                                                dw_.channel_tile, kh, kw, g_.out_c)));
    f32_dwconv_pack_weights(dw_.channel_tile, kh, kw, g_.out_c, w, bias, packed);
    return Status::Ok();
  }
  if (algo_ == Algo::kConvHwc) {
    LITECNN_ASSIGN_OR_RETURN(float* packed, packed_.Allocate(f32_conv_hwc_packed_size(
                                                hwc_.oc_tile, kh, kw, g_.in_c, g_.out_c)));
    f32_conv_hwc_pack_weights(hwc_.oc_tile, kh, kw, g_.in_c, g_.out_c, w, bias, packed);
    return Status::Ok();
  }
  if (algo_ == Algo::kWinograd) {
    // One packed GEMM per tile point (zero biases: the output transform adds the bias), then
    // the bias.
    const size_t oc = g_.out_c, ic = g_.in_c;
    group_packed_size_ = f32_gemm_packed_size(gemm_.nr, oc, ic);
    LITECNN_ASSIGN_OR_RETURN(float* packed,
                             packed_.Allocate(group_packed_size_ * kWinogradPoints + oc));
    f32_winograd_4x4_3x3_pack_weights(gemm_.nr, oc, ic, w, packed, group_packed_size_);
    float* packed_bias = packed + group_packed_size_ * kWinogradPoints;
    for (size_t o = 0; o < oc; ++o) packed_bias[o] = bias ? bias[o] : 0.f;
    return Status::Ok();
  }
  // GEMM weights per group: [out_cg][kh][kw][in_cg] rows (the im2col column order).
  const size_t cg = g_.in_c / g_.groups, mg = g_.out_c / g_.groups, k = kh * kw * cg;
  group_packed_size_ = f32_gemm_packed_size(gemm_.nr, mg, k);
  LITECNN_ASSIGN_OR_RETURN(float* packed, packed_.Allocate(group_packed_size_ * g_.groups));
  if (kh == 1 && kw == 1 && g_.groups == 1) {
    // OIHW with a 1x1 window already is [out][in]: pack it as it is.
    f32_gemm_pack_weights(gemm_.nr, mg, k, w, bias, packed);
    return Status::Ok();
  }
  std::vector<float> ohwi(mg * k);
  for (size_t grp = 0; grp < g_.groups; ++grp) {
    for (size_t o = 0; o < mg; ++o)
      for (size_t i = 0; i < cg; ++i)
        for (size_t y = 0; y < kh; ++y)
          for (size_t x = 0; x < kw; ++x)
            ohwi[o * k + (y * kw + x) * cg + i] = w[(((grp * mg + o) * cg + i) * kh + y) * kw + x];
    f32_gemm_pack_weights(gemm_.nr, mg, k, ohwi.data(), bias ? bias + grp * mg : nullptr,
                          packed + grp * group_packed_size_);
  }
  return Status::Ok();
}

// C[rows x nc] for A rows (a_stride) into c (c_stride), MR rows per microkernel call.
void ConvOp::Gemm(size_t rows, size_t nc, size_t kc, const float* a, size_t a_stride,
                  const float* w, float* c, size_t c_stride, float min, float max) const {
  // Columns in blocks whose packed weights stay in L2 while all the rows stream past them. A
  // microkernel call sweeps every column it is given, so with few rows and wide layers (7x7
  // maps at 464 -> 1024, SqueezeNet's 13x13 512 -> 1000 classifier) one sweep per MR rows
  // re-read megabytes of weights from memory each time.
  const size_t panel_floats = gemm_.nr * (kc + 1);
  const size_t block_panels = std::max<size_t>(1, kGemmWeightBlockBytes / (panel_floats * 4));
  const size_t block_cols = block_panels * gemm_.nr;
  for (size_t n0 = 0; n0 < nc; n0 += block_cols) {
    const size_t ncb = std::min(block_cols, nc - n0);
    const float* wb = w + n0 / gemm_.nr * panel_floats;
    for (size_t i = 0; i < rows; i += gemm_.mr) {
      const size_t mr = std::min(gemm_.mr, rows - i);
      gemm_.fn(mr, ncb, kc, a + i * a_stride, a_stride, wb, c + i * c_stride + n0, c_stride, min,
               max);
    }
  }
}

void ConvOp::RunPointwise(const float* x, const float* addend, float* y) const {
  const size_t pixels = g_.batch * g_.in_h * g_.in_w;
  const size_t panels = (g_.out_c + gemm_.nr - 1) / gemm_.nr;
  if (par_.threads > 1 && pixels < g_.out_c && panels >= 2 * par_.threads &&
      g_.in_c * g_.out_c * sizeof(float) > kMinPanelSplitWeightBytes) {
    // Fewer pixels than output channels (the 7x7 and 14x14 layers), and weights too big to stay
    // in each core's cache: they outweigh the activations, and every part of a row split would
    // stream all of them. (Smaller weights stay cached, and a row split reads only the rows the
    // same core wrote in the op before: ShuffleNet 0.5's 7x7 96->96 convs.) Threads take runs of
    // NR-column panels instead, each reading only its own weights. Every output is the same
    // microkernel sum as in a row split (rows are tiled from row 0 either way), so the results
    // stay bit-identical.
    const size_t panel_floats = gemm_.nr * (g_.in_c + 1);
    ParallelFor(par_, panels, [&](const Part& part) {
      const size_t c0 = part.begin * gemm_.nr, c1 = std::min(part.end * gemm_.nr, g_.out_c);
      Gemm(pixels, c1 - c0, g_.in_c, x, in_stride_, packed_.data() + part.begin * panel_floats,
           y + c0, out_stride_, KernelMin(), KernelMax());
      PostOps(pixels, y, addend, c0, c1);
    });
    return;
  }
  if (!PostOpsNeeded()) {
    // Threads take runs of whole MR-row tiles: every tile is the same microkernel call as with
    // one thread.
    // At least kMinGemmTilesPerPart tiles per part: each part re-reads the weights.
    const size_t mr = gemm_.mr;
    ParallelFor(
        par_, (pixels + mr - 1) / mr,
        [&](const Part& part) {
          const size_t r0 = part.begin * mr, r1 = std::min(part.end * mr, pixels);
          Gemm(r1 - r0, g_.out_c, g_.in_c, x + r0 * in_stride_, in_stride_, packed_.data(),
               y + r0 * out_stride_, out_stride_, KernelMin(), KernelMax());
        },
        4, kMinGemmTilesPerPart);
    return;
  }
  // Post-ops per block of rows, while the block is in cache; threads take runs of blocks.
  const size_t block = std::max<size_t>(gemm_.mr, 4096 / std::max<size_t>(g_.out_c, 1));
  ParallelFor(par_, (pixels + block - 1) / block, [&](const Part& part) {
    for (size_t p = part.begin * block; p < std::min(part.end * block, pixels); p += block) {
      const size_t rows = std::min(block, pixels - p);
      Gemm(rows, g_.out_c, g_.in_c, x + p * in_stride_, in_stride_, packed_.data(),
           y + p * out_stride_, out_stride_, KernelMin(), KernelMax());
      PostOps(rows, y + p * out_stride_, addend ? addend + p * addend_c_ : nullptr);
    }
  });
}

// Depthwise and conv-hwc kernels share one contract: geometry, one input image, packed weights,
// one output image, the output rows [oy0, oy1) to write, min and max. Threads take runs of output
// rows (over the whole batch); one row per call: short calls let V8 swap in optimized code early.
template <class Geometry, class Kernel>
void ConvOp::RunRows(const Geometry& geometry, Kernel kernel, const float* x, const float* addend,
                     float* y) const {
  const size_t in_image = g_.in_h * g_.in_w * g_.in_c;
  const size_t out_row = g_.out_w * g_.out_c;
  ParallelFor(par_, g_.batch * g_.out_h, [&](const Part& part) {
    for (size_t r = part.begin; r < part.end; ++r) {
      const size_t b = r / g_.out_h, oy = r % g_.out_h;
      kernel(geometry, x + b * in_image, packed_.data(), y + b * g_.out_h * out_row, oy, oy + 1,
             KernelMin(), KernelMax());
      PostOps(g_.out_w, y + r * out_row, addend ? addend + r * g_.out_w * addend_c_ : nullptr);
    }
  });
}

Status ConvOp::RunWinograd(const float* x, const float* addend, float* y) {
  const size_t ic = g_.in_c, oc = g_.out_c;
  const size_t tiles_h = (g_.out_h + kWinogradOutTile - 1) / kWinogradOutTile;
  const size_t tiles_w = (g_.out_w + kWinogradOutTile - 1) / kWinogradOutTile;
  const size_t image_tiles = tiles_h * tiles_w;
  const size_t max_chunk = wino_chunk_tiles_;
  // Scratch per part, reserved here: worker threads never allocate.
  LITECNN_RETURN_IF_ERROR(
      shared_scratch_->Reserve(std::min(std::max<size_t>(par_.threads, 1), g_.batch * image_tiles),
                               kWinogradPoints * max_chunk * (ic + oc)));
  const float* packed_bias = packed_.data() + group_packed_size_ * kWinogradPoints;
  const float kInf = INFINITY;
  // Tile t's image and top-left output pixel.
  struct Origin {
    size_t b, oy, ox;
  };
  const auto origin = [&](size_t t) {
    const size_t tile = t % image_tiles;
    return Origin{t / image_tiles, tile / tiles_w * kWinogradOutTile,
                  tile % tiles_w * kWinogradOutTile};
  };
  // Threads take runs of tiles. Every tile's outputs come from its own transforms and its own
  // GEMM rows (a row's sums do not depend on the rows beside it), so how tiles are grouped into
  // parts and passes leaves the results bit-identical.
  ParallelFor(
      par_, g_.batch * image_tiles,
      [&](const Part& part) {
        float* v = shared_scratch_->part(part.index);
        // Passes of equal size, each at most max_chunk tiles.
        const size_t count = part.end - part.begin;
        const size_t passes = (count + max_chunk - 1) / max_chunk;
        const size_t chunk = (count + passes - 1) / passes;
        for (size_t t0 = part.begin; t0 < part.end; t0 += chunk) {
          const size_t n = std::min(chunk, part.end - t0);
          float* m = v + kWinogradPoints * n * ic;
          for (size_t t = 0; t < n; ++t) {
            const Origin o = origin(t0 + t);
            const ptrdiff_t iy0 = static_cast<ptrdiff_t>(o.oy) - static_cast<ptrdiff_t>(g_.pad_top);
            const ptrdiff_t ix0 =
                static_cast<ptrdiff_t>(o.ox) - static_cast<ptrdiff_t>(g_.pad_left);
            const float* img = x + o.b * g_.in_h * g_.in_w * ic;
            const float* in[kWinogradPoints];
            for (size_t i = 0; i < kWinogradTile; ++i) {
              const ptrdiff_t iy = iy0 + static_cast<ptrdiff_t>(i);
              for (size_t j = 0; j < kWinogradTile; ++j) {
                const ptrdiff_t ix = ix0 + static_cast<ptrdiff_t>(j);
                const bool inside = iy >= 0 && iy < static_cast<ptrdiff_t>(g_.in_h) && ix >= 0 &&
                                    ix < static_cast<ptrdiff_t>(g_.in_w);
                in[i * kWinogradTile + j] =
                    inside ? img + (iy * static_cast<ptrdiff_t>(g_.in_w) + ix) *
                                       static_cast<ptrdiff_t>(ic)
                           : zeros_.data();
              }
            }
            wino_.input(ic, in, v + t * ic, n * ic);
          }
          for (size_t xi = 0; xi < kWinogradPoints; ++xi) {
            Gemm(n, oc, ic, v + xi * n * ic, ic, packed_.data() + xi * group_packed_size_,
                 m + xi * n * oc, oc, -kInf, kInf);
          }
          for (size_t t = 0; t < n; ++t) {
            const Origin o = origin(t0 + t);
            const size_t rows = std::min(kWinogradOutTile, g_.out_h - o.oy);
            const size_t cols = std::min(kWinogradOutTile, g_.out_w - o.ox);
            const size_t pixel = (o.b * g_.out_h + o.oy) * g_.out_w + o.ox;
            float* out = y + pixel * out_stride_;
            wino_.output(oc, m + t * oc, n * oc, packed_bias, out, g_.out_w * out_stride_,
                         out_stride_, rows, cols, KernelMin(), KernelMax());
            for (size_t r = 0; r < rows; ++r) {
              PostOps(cols, out + r * g_.out_w * out_stride_,
                      addend ? addend + (pixel + r * g_.out_w) * addend_c_ : nullptr);
            }
          }
        }
      },
      1);
  return Status::Ok();
}

Status ConvOp::RunIm2col(const float* x, const float* addend, float* y) {
  const size_t cg = g_.in_c / g_.groups, mg = g_.out_c / g_.groups;
  const size_t k = g_.kernel_h * g_.kernel_w * cg;
  const size_t out_row_pixels = g_.out_w;
  // One output row's im2col matrix: a huge filter times a wide output can pass size_t on
  // wasm32 (each tensor within the limits), so it is counted in 64 bits and refused there.
  const uint64_t row_floats = uint64_t{k} * out_row_pixels;
  if (row_floats > SIZE_MAX / sizeof(float)) {
    return OutOfMemory(row_floats * sizeof(float), "the im2col matrix of one output row");
  }
  // Bands of output rows whose im2col matrix fills the scratch.
  const size_t band_rows = std::max<size_t>(
      1, kIm2colScratchFloats / std::max<size_t>(static_cast<size_t>(row_floats), 1));
  // One scratch matrix per part (one part per thread), allocated here: worker threads never
  // allocate.
  const size_t total_rows = g_.batch * g_.out_h;
  LITECNN_RETURN_IF_ERROR(
      shared_scratch_->Reserve(std::min(std::max<size_t>(par_.threads, 1), total_rows),
                               std::min(band_rows, g_.out_h) * out_row_pixels * k));
  // Threads take equal runs of output rows (whole bands would split 13 rows 8/5), each in bands
  // of at most band_rows rows within one image. A row's outputs are its own GEMM rows, whatever
  // band it falls in, so the results are bit-identical for any thread count.
  ParallelFor(
      par_, total_rows,
      [&](const Part& part) {
        float* scratch = shared_scratch_->part(part.index);
        for (size_t r = part.begin; r < part.end;) {
          const size_t b = r / g_.out_h, y0 = r % g_.out_h;
          const size_t y1 = std::min({g_.out_h, y0 + band_rows, y0 + (part.end - r)});
          const float* img = x + b * g_.in_h * g_.in_w * g_.in_c;
          const size_t rows = (y1 - y0) * out_row_pixels;
          float* c = y + r * out_row_pixels * out_stride_;
          for (size_t grp = 0; grp < g_.groups; ++grp) {
            Im2col(img, grp, y0, y1, scratch);
            Gemm(rows, mg, k, scratch, k, packed_.data() + grp * group_packed_size_, c + grp * mg,
                 out_stride_, KernelMin(), KernelMax());
          }
          PostOps(rows, c, addend ? addend + r * out_row_pixels * addend_c_ : nullptr);
          r += y1 - y0;
        }
      },
      1);
  return Status::Ok();
}

namespace {
// n floats from src to dst, in 16-byte pieces that the compiler inlines as loads and stores. A
// window row of an image-facing conv is 9-21 floats: as memcpy calls (not inlined in wasm)
// they took ~40% of a 5x5 first conv (BlazeFace's, before it moved to the HWC kernel), im2col
// and GEMM together.
inline __attribute__((always_inline)) void CopyFloats(float* dst, const float* src, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) std::memcpy(dst + i, src + i, 4 * sizeof(float));
  for (; i < n; ++i) dst[i] = src[i];
}
}  // namespace

// dst[(oy - y0) * out_w + ox][(ky * kw + kx) * cg + ci] = input or 0 (padding).
void ConvOp::Im2col(const float* img, size_t grp, size_t y0, size_t y1, float* dst) const {
  const size_t cg = g_.in_c / g_.groups;
  const ptrdiff_t in_h = static_cast<ptrdiff_t>(g_.in_h), in_w = static_cast<ptrdiff_t>(g_.in_w);
  // With one group and no horizontal dilation, a window row is kernel_w adjacent pixels: one
  // contiguous run of kernel_w * in_c floats. Copying it at once matters for the image-facing
  // convs (3 channels: otherwise a 12-byte copy per tap).
  const bool rows_contiguous = g_.groups == 1 && g_.dilation_w == 1;
  const size_t row_floats = g_.kernel_w * cg;
  for (size_t oy = y0; oy < y1; ++oy) {
    for (size_t ox = 0; ox < g_.out_w; ++ox) {
      const ptrdiff_t ix0 =
          static_cast<ptrdiff_t>(ox * g_.stride_w) - static_cast<ptrdiff_t>(g_.pad_left);
      const bool row_inside =
          rows_contiguous && ix0 >= 0 && ix0 + static_cast<ptrdiff_t>(g_.kernel_w) <= in_w;
      for (size_t ky = 0; ky < g_.kernel_h; ++ky) {
        const ptrdiff_t iy = static_cast<ptrdiff_t>(oy * g_.stride_h + ky * g_.dilation_h) -
                             static_cast<ptrdiff_t>(g_.pad_top);
        if (iy < 0 || iy >= in_h) {
          std::memset(dst, 0, row_floats * sizeof(float));
          dst += row_floats;
          continue;
        }
        const float* in_row = img + iy * in_w * static_cast<ptrdiff_t>(g_.in_c);
        if (row_inside) {
          CopyFloats(dst, in_row + ix0 * static_cast<ptrdiff_t>(g_.in_c), row_floats);
          dst += row_floats;
          continue;
        }
        for (size_t kx = 0; kx < g_.kernel_w; ++kx) {
          const ptrdiff_t ix = ix0 + static_cast<ptrdiff_t>(kx * g_.dilation_w);
          if (ix < 0 || ix >= in_w) {
            std::memset(dst, 0, cg * sizeof(float));
          } else {
            std::memcpy(dst, in_row + ix * static_cast<ptrdiff_t>(g_.in_c) + grp * cg,
                        cg * sizeof(float));
          }
          dst += cg;
        }
      }
    }
  }
}

Result<std::unique_ptr<Op>> CreateConv(const Attributes& attrs) { return CreateOp<ConvOp>(attrs); }

}  // namespace litecnn
