// Conv on NHWC activations (see conv.cc for the choice of algorithm, ops/conv/ for each one).
// Declared here so that fused ops (the fire module) can compose convolutions, e.g. writing into
// a channel slice of a wider output. The algorithms, their kernels and their packed weights stay
// behind ConvAlgorithm, so this header includes no kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ops/capabilities.h"
#include "ops/op.h"
#include "ops/spatial.h"

namespace litecnn {

class ConvAlgorithm;
class PackedWeights;  // ops/conv/algorithm.h

class ConvOp final : public Op,
                     public FusesActivation,
                     public FusesAddend,
                     public FoldsOutputAffine,
                     public ReadsChannelSlices,
                     public WritesChannelSlices {
 public:
  ConvOp();
  ~ConvOp() override;  // where ConvAlgorithm is complete
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
  int64_t macs() const override { return macs_; }

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
  int64_t group_ = 1;
  Window2D win_;
  Activation act_;
  bool has_addend_ = false;
  size_t addend_c_ = 0;  // addend channels (FuseAddend): its pixel stride, out_c unless padded
  bool weights_packed_ = false;
  size_t out_offset_ = 0;                     // output channel slice (SetOutputSlice)
  size_t out_stride_ = 0;                     // 0: dense, out_c
  size_t in_offset_ = 0;                      // input channel slice (ReadInputChannelSlice)
  size_t in_stride_ = 0;                      // 0: dense, in_c
  int64_t macs_ = 0;                          // from the geometry at Prepare
  std::unique_ptr<ConvAlgorithm> algorithm_;  // chosen at Prepare, holding the packed weights
  // The window's taps that ever read the image (Prepare; see CropToLiveTaps in conv.cc): rows
  // [crop_y, crop_y + kernel_h) and columns [crop_x, crop_x + kernel_w) of the full_h x full_w
  // window the weights have.
  size_t crop_y_ = 0, crop_x_ = 0, full_h_ = 0, full_w_ = 0;
  // The weights as the algorithm packs them: w itself, or its live taps copied into tmp.
  Result<const float*> LiveWeights(const float* w, PackedWeights* tmp) const;
  size_t cropped_h_ = 0, cropped_w_ = 0, group_in_ = 0, out_c_ = 0;
};

}  // namespace litecnn
