// Pointwise conv (1x1, stride 1, no padding, one group): one GEMM over all pixels, the
// activations read in place as its rows ([N*H*W, Cin] x [Cin, Cout]), a channel slice of a wider
// input or output through the row strides.
#include <algorithm>

#include "ops/conv/algorithm.h"

namespace litecnn {
namespace {

// Threads split pointwise convs into parts of at least this many MR-row tiles: every part
// streams the layer's weights once, which for the 7x7 and 14x14 layers (few rows, up to 1.6 MB
// of weights) costs more than the balance finer parts buy.
constexpr size_t kMinGemmTilesPerPart = 8;
// Pointwise convs on fewer pixels than output channels split output channels only past this much
// weight (Run). Measured at 2 threads, one process alternating builds: ShuffleNet 0.5's
// pointwise convs 0.95-0.99x the time with row splits below it (its 7x7 96->96 layers, 37 KB);
// MobileNetV2 unchanged (its 14x14 64->384, 98 KB, now row-split too).
constexpr size_t kMinPanelSplitWeightBytes = 128 * 1024;

class PointwiseConv final : public ConvAlgorithm {
 public:
  explicit PointwiseConv(const ConvProblem& p)
      : p_(p), gemm_(ChooseGemmKernel(p.g.batch * p.g.in_h * p.g.in_w, p.g.out_c, p.g.in_c)) {}

  Status Pack(const float* w, const float* bias) override {
    return PackGemmWeights(gemm_.nr, p_.g, w, bias, &packed_).status();
  }
  Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) override;
  std::string kernel_name() const override { return gemm_.name; }

 private:
  const ConvProblem p_;
  const GemmKernel gemm_;
  PackedWeights packed_;
};

Status PointwiseConv::Run(const ConvRunContext& ctx, const float* x, const float* addend,
                          float* y) {
  const ConvGeometry& g = p_.g;
  const ConvPostOps& post = p_.post;
  const size_t pixels = g.batch * g.in_h * g.in_w;
  const size_t panels = (g.out_c + gemm_.nr - 1) / gemm_.nr;
  if (ctx.par.threads > 1 && pixels < g.out_c && panels >= 2 * ctx.par.threads &&
      g.in_c * g.out_c * sizeof(float) > kMinPanelSplitWeightBytes) {
    // Fewer pixels than output channels (the 7x7 and 14x14 layers), and weights too big to stay
    // in each core's cache: they outweigh the activations, and every part of a row split would
    // stream all of them. (Smaller weights stay cached, and a row split reads only the rows the
    // same core wrote in the op before: ShuffleNet 0.5's 7x7 96->96 convs.) Threads take runs of
    // NR-column panels instead, each reading only its own weights. Every output is the same
    // microkernel sum as in a row split (rows are tiled from row 0 either way), so the results
    // stay bit-identical.
    const size_t panel_floats = gemm_.nr * (g.in_c + 1);
    ParallelFor(ctx.par, panels, [&](const Part& part) {
      const size_t c0 = part.begin * gemm_.nr, c1 = std::min(part.end * gemm_.nr, g.out_c);
      ConvGemm(gemm_, pixels, c1 - c0, g.in_c, x, p_.in_stride,
               packed_.data() + part.begin * panel_floats, y + c0, p_.out_stride, post.kernel_min(),
               post.kernel_max());
      post.Apply(pixels, y, addend, c0, c1);
    });
    return Status::Ok();
  }
  if (!post.needed()) {
    // Threads take runs of whole MR-row tiles: every tile is the same microkernel call as with
    // one thread.
    // At least kMinGemmTilesPerPart tiles per part: each part re-reads the weights.
    const size_t mr = gemm_.mr;
    ParallelFor(
        ctx.par, (pixels + mr - 1) / mr,
        [&](const Part& part) {
          const size_t r0 = part.begin * mr, r1 = std::min(part.end * mr, pixels);
          ConvGemm(gemm_, r1 - r0, g.out_c, g.in_c, x + r0 * p_.in_stride, p_.in_stride,
                   packed_.data(), y + r0 * p_.out_stride, p_.out_stride, post.kernel_min(),
                   post.kernel_max());
        },
        4, kMinGemmTilesPerPart);
    return Status::Ok();
  }
  // Post-ops per block of rows, while the block is in cache; threads take runs of blocks.
  const size_t block = std::max<size_t>(gemm_.mr, 4096 / std::max<size_t>(g.out_c, 1));
  ParallelFor(ctx.par, (pixels + block - 1) / block, [&](const Part& part) {
    for (size_t p = part.begin * block; p < std::min(part.end * block, pixels); p += block) {
      const size_t rows = std::min(block, pixels - p);
      ConvGemm(gemm_, rows, g.out_c, g.in_c, x + p * p_.in_stride, p_.in_stride, packed_.data(),
               y + p * p_.out_stride, p_.out_stride, post.kernel_min(), post.kernel_max());
      post.Apply(rows, y + p * p_.out_stride, post.addend_at(addend, p));
    }
  });
  return Status::Ok();
}

}  // namespace

std::unique_ptr<ConvAlgorithm> NewPointwiseConv(const ConvProblem& p) {
  return std::make_unique<PointwiseConv>(p);
}

}  // namespace litecnn
