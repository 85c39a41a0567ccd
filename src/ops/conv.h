// Conv on NHWC activations (see conv.cc for the algorithms). Declared here so that fused ops
// (the fire module) can compose convolutions, e.g. writing into a channel slice of a wider
// output.
#pragma once

#include <vector>

#include "kernels/f32-conv/f32-conv.h"
#include "ops/capabilities.h"
#include "ops/dispatch.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/spatial.h"

namespace litecnn {

class ConvOp final : public Op,
                     public FusesActivation,
                     public FusesAddend,
                     public FoldsOutputAffine,
                     public ReadsChannelSlices,
                     public WritesChannelSlices {
 public:
  Status Init(const Attributes& attrs);

  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }
  bool InputIsActivation(size_t i) const override { return i == 0 || i == 3; }
  bool FuseActivation(const Activation& act) override;
  bool FuseAddend(int64_t channels) override;
  // Weights (input 1) and bias (input 2) while nothing is fused after the bias.
  bool OutputAffineInputs(size_t* weights, size_t* bias) const override;

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override;
  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>& out) override;
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override;
  bool NeedsConstantAtRun(size_t i) const override {
    return !(weights_packed_ && (i == 1 || i == 2));
  }

  std::string kernel_name() const override;
  int64_t macs() const override;

  // Write the output into channels [offset, offset + out_c) of a wider NHWC buffer whose pixels
  // are `channel_stride` floats apart (the output view then points at the buffer's start).
  // Call before Prepare. Not available with a fused addend.
  void SetOutputSlice(size_t channel_offset, size_t channel_stride);

  // Dense convs (one group, no addend) can write a channel slice (as for SetOutputSlice).
  bool CanWriteOutputChannelSlice() const override;
  void WriteOutputChannelSlice(size_t pixel_stride) override { SetOutputSlice(0, pixel_stride); }

  // Pointwise convs can read their input from a channel slice of a wider value.
  bool CanReadInputChannelSlice(size_t i) const override;
  void ReadInputChannelSlice(size_t i, size_t offset, size_t pixel_stride) override;

 private:
  enum class Algo { kPointwise, kDepthwise, kConvHwc, kWinograd, kIm2col };

  bool PostOpsNeeded() const;
  float KernelMin() const;
  float KernelMax() const;
  // Post-ops on output channels [c0, c1) of `pixels` pixels (y and addend: the first pixel's
  // channel 0).
  void PostOps(size_t pixels, float* y, const float* addend, size_t c0 = 0,
               size_t c1 = SIZE_MAX) const;
  void ChooseAlgorithm();
  Status Pack(const float* w, const float* bias);
  void Gemm(size_t rows, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
            float* c, size_t c_stride, float min, float max) const;
  void RunPointwise(const float* x, const float* addend, float* y) const;
  // Depthwise and conv-hwc: a row kernel over every output row.
  template <class Geometry, class Kernel>
  void RunRows(const Geometry& geometry, Kernel kernel, const float* x, const float* addend,
               float* y) const;
  Status RunWinograd(const float* x, const float* addend, float* y);
  Status RunIm2col(const float* x, const float* addend, float* y);
  void Im2col(const float* img, size_t grp, size_t y0, size_t y1, float* dst) const;

  int64_t group_ = 1;
  Window2D win_;
  ConvGeometry g_{};
  Algo algo_ = Algo::kIm2col;
  GemmKernel gemm_;
  DwconvKernel dw_;
  ConvHwcKernel hwc_;
  WinogradKernel wino_;
  size_t wino_chunk_tiles_ = 0;  // tiles per Winograd pass (the scratch holds their transforms)
  Activation act_;
  bool has_addend_ = false;
  size_t addend_c_ = 0;  // addend channels (FuseAddend): its pixel stride, out_c unless padded
  bool weights_packed_ = false;
  size_t out_offset_ = 0;  // output channel slice (SetOutputSlice)
  size_t out_stride_ = 0;  // 0: dense, out_c
  size_t in_offset_ = 0;   // input channel slice (ReadInputChannelSlice)
  size_t in_stride_ = 0;   // 0: dense, in_c
  size_t group_packed_size_ = 0;
  PackedWeights packed_;
  std::vector<float> zeros_;  // in_c zeros: the Winograd input tiles' padding
};

}  // namespace litecnn
