// Transposed 2-D convolution ("deconvolution") on NHWC activations, with nothing of ONNX in
// it: the problem is sizes, strides, dilations, leading pads and groups, and the weights come in
// the layout documented below. ops/conv_transpose.cc resolves ONNX's attributes into it; a
// TFLite TRANSPOSE_CONV importer can reuse it as it is (its [out_c][kh][kw][in_c] filter
// permuted to this layout, its SAME/VALID padding resolved to pad_top / pad_left).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "ops/op.h"
#include "ops/scratch.h"
#include "parallel/thread_pool.h"

namespace litecnn {

// Output pixel (oy, ox) of image b is position (oy + pad_top, ox + pad_left) of the full
// transposed convolution, in which input pixel (iy, ix) adds x[iy][ix][ci] * w[ci][m][ky][kx] to
// position (iy * stride_h + ky * dilation_h, ix * stride_w + kx * dilation_w), channel
// group(ci) * (out_c / groups) + m. Output positions past the full result get the bias alone
// (ONNX's output_padding and larger output_shape).
struct TransposeConvProblem {
  size_t batch = 1;
  size_t in_h = 0, in_w = 0, in_c = 0;
  size_t out_h = 0, out_w = 0, out_c = 0;
  size_t groups = 1;  // divides in_c and out_c
  size_t kernel_h = 1, kernel_w = 1;
  size_t stride_h = 1, stride_w = 1;
  size_t dilation_h = 1, dilation_w = 1;
  size_t pad_top = 0, pad_left = 0;
};

// One transposed convolution with its weights packed (Create) and its algorithm chosen:
//   depthwise  groups == in_c == out_c: the f32-dwdeconv row kernel, one call per output row;
//   phases     anything else: the output splits into stride_h x stride_w phases (oy + pad_top and
//              ox + pad_left modulo the strides), each a stride-1 convolution of the input with
//              the taps that land on it; per output row, group and phase, those windows are
//              gathered into a scratch matrix and one GEMM writes the phase's pixels straight into
//              the output (rows stride_w pixels apart). No col2im buffer, no scatter-add: each
//              output is written once, by the same microkernel call whatever the thread count.
class TransposeConv {
 public:
  virtual ~TransposeConv() = default;

  // w: [in_c][out_c / groups][kernel_h][kernel_w] (ONNX ConvTranspose's layout); bias: [out_c]
  // or null; act: applied to the output (Relu, Clip and HardSwish fused into it). The weights
  // are copied into packed buffers: w and bias may be freed afterwards.
  static Result<std::unique_ptr<TransposeConv>> Create(const TransposeConvProblem& p,
                                                       const Activation& act, const float* w,
                                                       const float* bias);

  // y (dense NHWC [batch][out_h][out_w][out_c]) from x (dense NHWC). Threads take runs of output
  // rows; scratch is reserved before they start (OutOfMemory if it cannot be).
  virtual Status Run(const Parallelism& par, Scratch* scratch, const float* x, float* y) const = 0;

  virtual std::string kernel_name() const = 0;
  // Multiply-adds per Run (each input pixel times its whole window, also taps that fall outside
  // the output).
  int64_t macs() const;

 protected:
  explicit TransposeConv(const TransposeConvProblem& p) : p_(p) {}
  const TransposeConvProblem p_;
};

}  // namespace litecnn
