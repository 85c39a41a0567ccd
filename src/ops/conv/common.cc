#include "ops/conv/common.h"

#include <algorithm>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vunary/f32-vunary.h"

namespace litecnn {
namespace {

// Packed GEMM weights per column block (ConvGemm): half of a 512 KB L2, the rest for rows.
constexpr size_t kGemmWeightBlockBytes = 256 * 1024;

}  // namespace

ConvPostOps::ConvPostOps(const Activation& act, size_t addend_c, size_t out_c, size_t out_stride)
    : act_(act), addend_c_(addend_c), out_c_(out_c), out_stride_(out_stride) {
  // Only a clamp can run inside the microkernels; every other activation is a pass over the
  // tile after it (the clamp-only path, Relu's, keeps its single test per row).
  needed_ = addend_c_ > 0 ||
            (act_.kind != Activation::Kind::kNone && act_.kind != Activation::Kind::kClamp);
  if (!needed_ && act_.kind == Activation::Kind::kClamp) {
    kernel_min_ = act_.min;
    kernel_max_ = act_.max;
  }
}

void ConvPostOps::ApplyNeeded(size_t pixels, float* y, const float* addend, size_t c0,
                              size_t c1) const {
  c1 = std::min(c1, out_c_);
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
    switch (act_.kind) {
      case Activation::Kind::kHardSwish:
        ew.hswish(len, yr, yr);
        break;
      case Activation::Kind::kLeakyRelu:
        ew.lrelu(len, yr, yr, act_.alpha);
        break;
      case Activation::Kind::kPRelu:
        // Runs of whole pixels: channel c0 of each is slope c0 (len is a multiple of n).
        ew.prelu_rowvec(len / n, n, yr, act_.slopes.data() + c0, yr);
        break;
      default:  // the clamp went with the add above; kHardSigmoid is never fused
        break;
    }
  }
}

void ConvGemm(const GemmKernel& gemm, size_t rows, size_t nc, size_t kc, const float* a,
              size_t a_stride, const float* w, float* c, size_t c_stride, float min, float max) {
  // Columns in blocks whose packed weights stay in L2 while all the rows stream past them. A
  // microkernel call sweeps every column it is given, so with few rows and wide layers (7x7
  // maps at 464 -> 1024, SqueezeNet's 13x13 512 -> 1000 classifier) one sweep per MR rows
  // re-read megabytes of weights from memory each time.
  const size_t panel_floats = gemm.nr * (kc + 1);
  const size_t block_panels = std::max<size_t>(1, kGemmWeightBlockBytes / (panel_floats * 4));
  const size_t block_cols = block_panels * gemm.nr;
  for (size_t n0 = 0; n0 < nc; n0 += block_cols) {
    const size_t ncb = std::min(block_cols, nc - n0);
    const float* wb = w + n0 / gemm.nr * panel_floats;
    for (size_t i = 0; i < rows; i += gemm.mr) {
      const size_t mr = std::min(gemm.mr, rows - i);
      gemm.fn(mr, ncb, kc, a + i * a_stride, a_stride, wb, c + i * c_stride + n0, c_stride, min,
              max);
    }
  }
}

Result<size_t> PackGemmWeights(size_t nr, const ConvGeometry& g, const float* w, const float* bias,
                               PackedWeights* packed) {
  const size_t kh = g.kernel_h, kw = g.kernel_w;
  const size_t cg = g.in_c / g.groups, mg = g.out_c / g.groups, k = kh * kw * cg;
  const size_t group_floats = f32_gemm_packed_size(nr, mg, k);
  LITECNN_ASSIGN_OR_RETURN(float* dst, packed->Allocate(group_floats * g.groups));
  if (kh == 1 && kw == 1 && g.groups == 1) {
    // OIHW with a 1x1 window already is [out][in]: pack it as it is.
    f32_gemm_pack_weights(nr, mg, k, w, bias, dst);
    return group_floats;
  }
  // One group's weights reordered to [out_cg][kh][kw][in_cg] rows, then packed. As large as a
  // group's weights, so it is allocated like them: a failure is a Status, not an abort.
  PackedWeights ohwi_storage;
  LITECNN_ASSIGN_OR_RETURN(float* ohwi, ohwi_storage.Allocate(mg * k));
  for (size_t grp = 0; grp < g.groups; ++grp) {
    for (size_t o = 0; o < mg; ++o)
      for (size_t i = 0; i < cg; ++i)
        for (size_t y = 0; y < kh; ++y)
          for (size_t x = 0; x < kw; ++x)
            ohwi[o * k + (y * kw + x) * cg + i] = w[(((grp * mg + o) * cg + i) * kh + y) * kw + x];
    f32_gemm_pack_weights(nr, mg, k, ohwi, bias ? bias + grp * mg : nullptr,
                          dst + grp * group_floats);
  }
  return group_floats;
}

Status ReserveScratch(const ConvRunContext& ctx, size_t items, size_t floats) {
  return ctx.scratch->Reserve(std::min(std::max<size_t>(ctx.par.threads, 1), items), floats);
}

}  // namespace litecnn
