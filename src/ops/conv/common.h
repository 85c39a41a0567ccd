// What every conv strategy (ops/conv/*.cc) shares, written once: the problem it computes
// (geometry, channel slices, post-ops), the post-ops themselves, the blocked GEMM call and its
// weight packing, per-part scratch, and the row loop of the depthwise and conv-hwc kernels.
// Internal to the conv op: ops/conv.h does not include it, so the kernel headers stay out of
// fire.h and the passes.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/status.h"
#include "kernels/f32-conv/f32-conv.h"
#include "ops/dispatch.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/scratch.h"
#include "parallel/thread_pool.h"

namespace litecnn {

// The fused post-ops of a conv: the residual addend, then the activation, applied to each tile
// right after it is computed, while it is in cache. A clamp with nothing before it is left to
// the microkernel (kernel_min / kernel_max), which applies it for free.
class ConvPostOps {
 public:
  ConvPostOps() = default;
  // addend_c: the addend's channels, 0 without an addend (it may cover only the first output
  // channels: a zero-padded residual whose padding was dropped); its pixels are dense, addend_c
  // floats each. Output pixels are out_stride floats apart.
  ConvPostOps(const Activation& act, size_t addend_c, size_t out_c, size_t out_stride);

  // Whether Apply has work (an addend or a hard-swish).
  bool needed() const { return needed_; }
  // The clamp the microkernel applies: the activation's when it is a clamp and nothing must
  // happen before it, else none.
  float kernel_min() const { return kernel_min_; }
  float kernel_max() const { return kernel_max_; }
  // Output pixel `pixel`'s addend, or null without one (addend: pixel 0's).
  const float* addend_at(const float* addend, size_t pixel) const {
    return addend ? addend + pixel * addend_c_ : nullptr;
  }
  // Addend, then activation, on channels [c0, min(c1, out_c)) of `pixels` consecutive output
  // pixels; y and addend point at the first pixel's channel 0 (addend null: none). Inline, so
  // that the per-row calls of a conv without post-ops cost a test.
  void Apply(size_t pixels, float* y, const float* addend, size_t c0 = 0,
             size_t c1 = SIZE_MAX) const {
    if (needed_) ApplyNeeded(pixels, y, addend, c0, c1);
  }

 private:
  void ApplyNeeded(size_t pixels, float* y, const float* addend, size_t c0, size_t c1) const;

  Activation act_;
  size_t addend_c_ = 0, out_c_ = 0, out_stride_ = 0;
  bool needed_ = false;
  float kernel_min_ = -INFINITY, kernel_max_ = INFINITY;
};

// The conv a strategy computes, fixed at Prepare.
struct ConvProblem {
  ConvGeometry g;     // in_c: the channels read (the weights'), even from a wider input slice
  size_t in_stride;   // floats between input pixels: in_c unless the input is a channel slice
  size_t out_stride;  // floats between output pixels: out_c unless the output is a channel slice
  ConvPostOps post;
};

// How a Run splits its work and where its scratch lives (the op's, set by the runtime).
struct ConvRunContext {
  const Parallelism& par;
  Scratch* scratch;
};

// C[rows x nc] = A[rows x kc] (rows a_stride floats apart) times the packed weights w (bias
// included), clamped to [min, max], into c (rows c_stride apart): MR rows per microkernel call,
// columns in blocks whose weights stay in L2.
void ConvGemm(const GemmKernel& gemm, size_t rows, size_t nc, size_t kc, const float* a,
              size_t a_stride, const float* w, float* c, size_t c_stride, float min, float max);

// Packs OIHW weights w and bias (or null) for the GEMM of each group, whose columns are the
// im2col order [kh][kw][in_c / groups], in NR-column panels into `packed`. Returns the floats
// per group (group i's weights start at i times that), or OutOfMemory.
Result<size_t> PackGemmWeights(size_t nr, const ConvGeometry& g, const float* w, const float* bias,
                               PackedWeights* packed);

// Makes ctx.scratch hold `floats` floats for each part of a region over `items` work items
// (one part per thread, at most one per item). Call before the region: workers never allocate.
Status ReserveScratch(const ConvRunContext& ctx, size_t items, size_t floats);

// Depthwise and conv-hwc kernels share one contract: geometry, one input image, packed weights,
// one output image, the output rows [oy0, oy1) to write, min and max. They read a dense input
// and write a dense output. Threads take runs of output rows (over the whole batch); one row per
// call: short calls let V8 swap in optimized code early.
template <class Geometry, class Kernel>
void RunRowKernel(const ConvProblem& p, const ConvRunContext& ctx, const Geometry& geometry,
                  Kernel kernel, const float* packed, const float* x, const float* addend,
                  float* y) {
  const ConvGeometry& g = p.g;
  const size_t in_image = g.in_h * g.in_w * g.in_c;
  const size_t out_row = g.out_w * g.out_c;
  ParallelFor(ctx.par, g.batch * g.out_h, [&](const Part& part) {
    for (size_t r = part.begin; r < part.end; ++r) {
      const size_t b = r / g.out_h, oy = r % g.out_h;
      kernel(geometry, x + b * in_image, packed, y + b * g.out_h * out_row, oy, oy + 1,
             p.post.kernel_min(), p.post.kernel_max());
      p.post.Apply(g.out_w, y + r * out_row, p.post.addend_at(addend, r * g.out_w));
    }
  });
}

}  // namespace litecnn
