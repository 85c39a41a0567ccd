// The interface between ConvOp (ops/conv.cc, which chooses) and its strategies, one per file in
// ops/conv/: each owns its microkernels and its packed weights. Internal to the conv op.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "ops/conv/common.h"
#include "ops/dispatch.h"

namespace litecnn {

// One way to compute a ConvProblem, fixed at construction (the op's Prepare).
class ConvAlgorithm {
 public:
  virtual ~ConvAlgorithm() = default;

  // Packs OIHW weights w and bias ([out_c] or null) into the strategy's own buffers: once at
  // Prepare when they are constant, else before every Run. OutOfMemory when storage runs out.
  virtual Status Pack(const float* w, const float* bias) = 0;

  // y = post-ops(conv(x) + bias), after a Pack. x and y point at the first pixel's first channel
  // read / written (their pixels in_stride / out_stride apart); addend: pixel 0's, or null.
  // Reserves its scratch (if any) before splitting the work; fails only when that runs out.
  virtual Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) = 0;

  // The microkernel(s) Run calls (Op::kernel_name).
  virtual std::string kernel_name() const = 0;
};

// The strategies (ConvOp::Prepare's choice says when each applies). Those that need a listed
// microkernel take the one dispatch.cc found; the GEMM ones choose their GEMM for their shape.
std::unique_ptr<ConvAlgorithm> NewPointwiseConv(const ConvProblem& p);
std::unique_ptr<ConvAlgorithm> NewDepthwiseConv(const ConvProblem& p, const DwconvKernel& kernel);
std::unique_ptr<ConvAlgorithm> NewHwcConv(const ConvProblem& p, const ConvHwcKernel& kernel);
std::unique_ptr<ConvAlgorithm> NewWinogradConv(const ConvProblem& p, const WinogradKernel& kernel);
std::unique_ptr<ConvAlgorithm> NewIm2colConv(const ConvProblem& p);

}  // namespace litecnn
