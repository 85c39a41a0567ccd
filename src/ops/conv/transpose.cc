#include "ops/conv/transpose.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/f32-dwconv/f32-dwconv.h"
#include "kernels/f32-dwdeconv/f32-dwdeconv.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "ops/conv/common.h"
#include "ops/dispatch.h"

namespace litecnn {
namespace {

// ---- depthwise: the f32-dwdeconv row kernel ------------------------------------------------

class DepthwiseTransposeConv final : public TransposeConv {
 public:
  DepthwiseTransposeConv(const TransposeConvProblem& p, const Activation& act)
      : TransposeConv(p), kernel_(ChooseDwdeconvKernel()) {
    ConvGeometry& g = problem_.g;
    g = ConvGeometry{};
    g.batch = p.batch;
    g.in_h = p.in_h;
    g.in_w = p.in_w;
    g.in_c = p.in_c;
    g.out_h = p.out_h;
    g.out_w = p.out_w;
    g.out_c = p.out_c;
    problem_.in_stride = p.in_c;
    problem_.out_stride = p.out_c;
    problem_.post = ConvPostOps(act, 0, p.out_c, p.out_c);
  }

  Status Pack(const float* w, const float* bias) {
    LITECNN_ASSIGN_OR_RETURN(
        float* packed, packed_.Allocate(f32_dwconv_packed_size(kernel_.channel_tile, p_.kernel_h,
                                                               p_.kernel_w, p_.out_c)));
    f32_dwconv_pack_weights(kernel_.channel_tile, p_.kernel_h, p_.kernel_w, p_.out_c, w, bias,
                            packed);
    return Status::Ok();
  }

  Status Run(const Parallelism& par, Scratch* scratch, const float* x, float* y) const override {
    const DwdeconvGeometry geometry{p_.in_h,     p_.in_w,       p_.in_c,       p_.out_h,
                                    p_.out_w,    p_.kernel_h,   p_.kernel_w,   p_.stride_h,
                                    p_.stride_w, p_.dilation_h, p_.dilation_w, p_.pad_top,
                                    p_.pad_left};
    RunRowKernel(problem_, ConvRunContext{par, scratch}, geometry, kernel_.fn, packed_.data(), x,
                 nullptr, y);
    return Status::Ok();
  }

  std::string kernel_name() const override { return kernel_.name; }

 private:
  const DwdeconvKernel kernel_;
  ConvProblem problem_;  // what RunRowKernel reads: sizes and post-ops
  PackedWeights packed_;
};

// ---- everything else: one GEMM per output phase ---------------------------------------------

// The taps of one phase along one axis: output positions p with p % stride == phase get
// tap k from input i = p / stride - offset (k * dilation == phase + offset * stride). Ordered by
// decreasing tap, so that a window's input positions increase (with consecutive offsets, a
// window row is one contiguous run of the input).
struct AxisTaps {
  std::vector<size_t> tap, offset;
};

AxisTaps PhaseTaps(size_t kernel, size_t stride, size_t dilation, size_t phase) {
  AxisTaps t;
  for (size_t k = kernel; k-- > 0;) {
    const size_t kd = k * dilation;
    if (kd % stride != phase) continue;
    t.tap.push_back(k);
    t.offset.push_back((kd - phase) / stride);
  }
  return t;
}

class PhaseTransposeConv final : public TransposeConv {
 public:
  PhaseTransposeConv(const TransposeConvProblem& p, const Activation& act)
      : TransposeConv(p),
        post_(act, 0, p.out_c, p.out_c),
        cg_(p.in_c / p.groups),
        mg_(p.out_c / p.groups) {
    // Phase i of an axis holds the outputs o with o % stride == i, whose padded positions
    // o + pad are (pad + i) % stride modulo the stride. Only min(stride, out) phases have outputs:
    // a stride beyond the output makes no phase (or packed weights) for positions it never has.
    for (size_t i = 0; i < std::min(p.stride_h, p.out_h); ++i) {
      rows_.push_back(
          PhaseTaps(p.kernel_h, p.stride_h, p.dilation_h, (p.pad_top + i) % p.stride_h));
    }
    for (size_t j = 0; j < std::min(p.stride_w, p.out_w); ++j) {
      cols_.push_back(
          PhaseTaps(p.kernel_w, p.stride_w, p.dilation_w, (p.pad_left + j) % p.stride_w));
    }
    size_t max_k = 1;
    for (const AxisTaps& ty : rows_) {
      for (const AxisTaps& tx : cols_) max_k = std::max(max_k, Depth(ty, tx));
    }
    max_k_ = max_k;
    // A phase's pixels in one output row: one GEMM's rows.
    const size_t phase_w = (p.out_w + p.stride_w - 1) / p.stride_w;
    gemm_ = ChooseGemmKernel(phase_w, mg_, max_k);
  }

  Status Pack(const float* w, const float* bias);
  Status Run(const Parallelism& par, Scratch* scratch, const float* x, float* y) const override;
  std::string kernel_name() const override { return std::string("phases+") + gemm_.name; }

 private:
  // A phase's GEMM depth: its taps times the group's input channels; a phase no tap reaches
  // (a stride larger than the window) gets one zero tap, which keeps its bias-only outputs on the
  // GEMM path, clamp included.
  size_t Depth(const AxisTaps& ty, const AxisTaps& tx) const {
    return std::max<size_t>(1, ty.tap.size() * tx.tap.size() * cg_);
  }
  // Gathers the windows of `count` phase pixels of group grp: output columns ox0, ox0 + stride_w,
  // ..., whose input columns before the offsets start at qx0; input row qy before the offsets.
  void Gather(const float* img, size_t grp, const AxisTaps& ty, const AxisTaps& tx, size_t qy,
              size_t qx0, size_t count, float* dst) const;

  // The windows of those pixels read in place (rows in_c floats apart), when they are runs of
  // one input row that lie inside the image: one tap row, one group, consecutive tap columns
  // (U-Net's 2x2 stride-2 up-convs, each phase a pointwise GEMM over the input). Else null.
  const float* InPlaceWindows(const float* img, const AxisTaps& ty, const AxisTaps& tx, size_t qy,
                              size_t qx0, size_t count) const {
    const TransposeConvProblem& p = p_;
    const size_t nx = tx.tap.size();
    if (p.groups != 1 || ty.tap.size() != 1 || nx == 0 ||
        (nx > 1 && tx.offset[0] != tx.offset[1] + 1) || qy < ty.offset[0] ||
        qy - ty.offset[0] >= p.in_h || qx0 < tx.offset[0] ||
        qx0 + count - 1 - tx.offset[nx - 1] >= p.in_w) {
      return nullptr;
    }
    return img + ((qy - ty.offset[0]) * p.in_w + qx0 - tx.offset[0]) * p.in_c;
  }

  const ConvPostOps post_;
  const size_t cg_, mg_;  // input and output channels per group
  std::vector<AxisTaps> rows_, cols_;
  size_t max_k_ = 1;
  GemmKernel gemm_;
  // Packed weights of phase (i, j), group grp at packed_ + offsets_[(i * cols_.size() + j) *
  // groups + grp].
  std::vector<size_t> offsets_;
  PackedWeights packed_;
};

Status PhaseTransposeConv::Pack(const float* w, const float* bias) {
  const TransposeConvProblem& p = p_;
  size_t total = 0;
  for (const AxisTaps& ty : rows_) {
    for (const AxisTaps& tx : cols_) {
      for (size_t grp = 0; grp < p.groups; ++grp) {
        offsets_.push_back(total);
        total += f32_gemm_packed_size(gemm_.nr, mg_, Depth(ty, tx));
      }
    }
  }
  LITECNN_ASSIGN_OR_RETURN(float* dst, packed_.Allocate(total));
  // One phase's weights as [mg][taps_y][taps_x][cg] rows (the gathered windows' order), then
  // packed. Allocated like the weights: a failure is a Status, not an abort.
  PackedWeights rows_storage;
  LITECNN_ASSIGN_OR_RETURN(float* rows, rows_storage.Allocate(mg_ * max_k_));
  size_t i = 0;
  for (const AxisTaps& ty : rows_) {
    for (const AxisTaps& tx : cols_) {
      const size_t k = Depth(ty, tx);
      for (size_t grp = 0; grp < p.groups; ++grp, ++i) {
        std::fill(rows, rows + mg_ * k, 0.f);
        for (size_t m = 0; m < mg_; ++m) {
          float* row = rows + m * k;
          for (size_t a = 0; a < ty.tap.size(); ++a) {
            for (size_t b = 0; b < tx.tap.size(); ++b) {
              for (size_t ci = 0; ci < cg_; ++ci) {
                const size_t src =
                    (((grp * cg_ + ci) * mg_ + m) * p.kernel_h + ty.tap[a]) * p.kernel_w +
                    tx.tap[b];
                *row++ = w[src];
              }
            }
          }
        }
        f32_gemm_pack_weights(gemm_.nr, mg_, k, rows, bias ? bias + grp * mg_ : nullptr,
                              dst + offsets_[i]);
      }
    }
  }
  return Status::Ok();
}

void PhaseTransposeConv::Gather(const float* img, size_t grp, const AxisTaps& ty,
                                const AxisTaps& tx, size_t qy, size_t qx0, size_t count,
                                float* dst) const {
  const TransposeConvProblem& p = p_;
  const size_t k = Depth(ty, tx), nx = tx.tap.size();
  if (ty.tap.empty() || nx == 0) {
    std::fill(dst, dst + count * k, 0.f);
    return;
  }
  // With one group and no horizontal dilation, a window row reads nx adjacent input pixels:
  // one contiguous run of nx * in_c floats when it lies inside the image.
  const bool runs = p.groups == 1 && (nx == 1 || tx.offset[0] == tx.offset[1] + 1);
  for (size_t j = 0; j < count; ++j) {
    const size_t qx = qx0 + j;
    for (size_t a = 0; a < ty.tap.size(); ++a) {
      const ptrdiff_t iy = static_cast<ptrdiff_t>(qy) - static_cast<ptrdiff_t>(ty.offset[a]);
      if (iy < 0 || iy >= static_cast<ptrdiff_t>(p.in_h)) {
        std::fill(dst, dst + nx * cg_, 0.f);
        dst += nx * cg_;
        continue;
      }
      const float* in_row = img + static_cast<size_t>(iy) * p.in_w * p.in_c + grp * cg_;
      const ptrdiff_t ix0 = static_cast<ptrdiff_t>(qx) - static_cast<ptrdiff_t>(tx.offset[0]);
      const ptrdiff_t ix1 = static_cast<ptrdiff_t>(qx) - static_cast<ptrdiff_t>(tx.offset[nx - 1]);
      if (runs && ix0 >= 0 && ix1 < static_cast<ptrdiff_t>(p.in_w)) {
        std::memcpy(dst, in_row + static_cast<size_t>(ix0) * p.in_c, nx * cg_ * sizeof(float));
        dst += nx * cg_;
        continue;
      }
      for (size_t b = 0; b < nx; ++b) {
        const ptrdiff_t ix = static_cast<ptrdiff_t>(qx) - static_cast<ptrdiff_t>(tx.offset[b]);
        if (ix < 0 || ix >= static_cast<ptrdiff_t>(p.in_w)) {
          std::fill(dst, dst + cg_, 0.f);
        } else {
          std::memcpy(dst, in_row + static_cast<size_t>(ix) * p.in_c, cg_ * sizeof(float));
        }
        dst += cg_;
      }
    }
  }
}

Status PhaseTransposeConv::Run(const Parallelism& par, Scratch* scratch, const float* x,
                               float* y) const {
  const TransposeConvProblem& p = p_;
  const size_t sw = p.stride_w, phase_w = (p.out_w + sw - 1) / sw;
  const size_t total_rows = p.batch * p.out_h;
  const uint64_t scratch_floats = uint64_t{phase_w} * max_k_;
  if (scratch_floats > SIZE_MAX / sizeof(float)) {
    return OutOfMemory(scratch_floats * sizeof(float), "the gathered windows of one output row");
  }
  LITECNN_RETURN_IF_ERROR(ReserveScratch(ConvRunContext{par, scratch}, total_rows,
                                         static_cast<size_t>(scratch_floats)));
  const size_t out_row = p.out_w * p.out_c;
  // Threads take runs of output rows; a row's pixels are the rows of its own GEMM calls, so the
  // sums do not depend on the split.
  ParallelFor(
      par, total_rows,
      [&](const Part& part) {
        float* a = scratch->part(part.index);
        for (size_t r = part.begin; r < part.end; ++r) {
          const size_t b = r / p.out_h, oy = r % p.out_h;
          const size_t i = oy % p.stride_h, qy = (oy + p.pad_top) / p.stride_h;
          const float* img = x + b * p.in_h * p.in_w * p.in_c;
          float* y_row = y + r * out_row;
          for (size_t j = 0; j < cols_.size(); ++j) {
            // Phase j's output columns: j, j + stride_w, ...
            const size_t ox0 = j;
            const size_t count = (p.out_w - ox0 + sw - 1) / sw, qx0 = (ox0 + p.pad_left) / sw;
            const AxisTaps& ty = rows_[i];
            const AxisTaps& tx = cols_[j];
            const size_t k = Depth(ty, tx);
            for (size_t grp = 0; grp < p.groups; ++grp) {
              const float* w = packed_.data() + offsets_[(i * cols_.size() + j) * p.groups + grp];
              float* c = y_row + ox0 * p.out_c + grp * mg_;
              const float* direct = InPlaceWindows(img, ty, tx, qy, qx0, count);
              if (direct) {
                ConvGemm(gemm_, count, mg_, k, direct, p.in_c, w, c, sw * p.out_c,
                         post_.kernel_min(), post_.kernel_max());
                continue;
              }
              Gather(img, grp, ty, tx, qy, qx0, count, a);
              ConvGemm(gemm_, count, mg_, k, a, k, w, c, sw * p.out_c, post_.kernel_min(),
                       post_.kernel_max());
            }
          }
          post_.Apply(p.out_w, y_row, nullptr);
        }
      },
      1);  // one part per thread: one scratch matrix each
  return Status::Ok();
}

}  // namespace

int64_t TransposeConv::macs() const {
  return static_cast<int64_t>(p_.batch * p_.in_h * p_.in_w * p_.in_c * (p_.out_c / p_.groups) *
                              p_.kernel_h * p_.kernel_w);
}

Result<std::unique_ptr<TransposeConv>> TransposeConv::Create(const TransposeConvProblem& p,
                                                             const Activation& act, const float* w,
                                                             const float* bias) {
  if (p.groups == p.in_c && p.groups == p.out_c) {
    auto dw = std::make_unique<DepthwiseTransposeConv>(p, act);
    LITECNN_RETURN_IF_ERROR(dw->Pack(w, bias));
    return std::unique_ptr<TransposeConv>(std::move(dw));
  }
  auto phases = std::make_unique<PhaseTransposeConv>(p, act);
  LITECNN_RETURN_IF_ERROR(phases->Pack(w, bias));
  return std::unique_ptr<TransposeConv>(std::move(phases));
}

}  // namespace litecnn
