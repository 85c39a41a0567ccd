// Winograd conv: dense 3x3 stride-1 convs with enough channels (SqueezeNet's expand convs).
// F(4x4, 3x3) input transforms of a pass of tiles, 36 GEMMs (one per tile point, tiles as rows)
// and the output transforms, which add the bias: 2.25 multiply-adds per output and input
// channel instead of 9.
#include <algorithm>
#include <vector>

#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/f32-winograd/f32-winograd.h"
#include "ops/conv/algorithm.h"

namespace litecnn {
namespace {

// Winograd scratch per part (input and GEMM-output transforms of a pass of tiles): ~512 KB.
constexpr size_t kWinogradScratchFloats = 128 * 1024;

class WinogradConv final : public ConvAlgorithm {
 public:
  WinogradConv(const ConvProblem& p, const WinogradKernel& kernel)
      : p_(p),
        kernel_(kernel),
        // Tiles per pass: their transforms (36 x (in_c + out_c) floats each) fill the scratch.
        chunk_tiles_(std::max<size_t>(
            4, kWinogradScratchFloats / (kWinogradPoints * (p.g.in_c + p.g.out_c)))),
        // The GEMM's rows are a pass of tiles.
        gemm_(ChooseGemmKernel(chunk_tiles_, p.g.out_c, p.g.in_c)),
        zeros_(p.g.in_c, 0.f) {}

  Status Pack(const float* w, const float* bias) override;
  Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) override;
  std::string kernel_name() const override {
    return std::string(kernel_.input_name) + "+" + gemm_.name + "+" + kernel_.output_name;
  }

 private:
  const ConvProblem p_;
  const WinogradKernel kernel_;
  const size_t chunk_tiles_;  // tiles per pass at most (the scratch holds their transforms)
  const GemmKernel gemm_;
  const std::vector<float> zeros_;  // in_c zeros: the input tiles' padding
  size_t point_floats_ = 0;         // packed GEMM weights per tile point
  PackedWeights packed_;            // 36 GEMM weight blocks, then the bias
};

Status WinogradConv::Pack(const float* w, const float* bias) {
  // One packed GEMM per tile point (zero biases: the output transform adds the bias), then
  // the bias.
  const size_t oc = p_.g.out_c, ic = p_.g.in_c;
  point_floats_ = f32_gemm_packed_size(gemm_.nr, oc, ic);
  LITECNN_ASSIGN_OR_RETURN(float* packed, packed_.Allocate(point_floats_ * kWinogradPoints + oc));
  f32_winograd_4x4_3x3_pack_weights(gemm_.nr, oc, ic, w, packed, point_floats_);
  float* packed_bias = packed + point_floats_ * kWinogradPoints;
  for (size_t o = 0; o < oc; ++o) packed_bias[o] = bias ? bias[o] : 0.f;
  return Status::Ok();
}

Status WinogradConv::Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) {
  const ConvGeometry& g = p_.g;
  const ConvPostOps& post = p_.post;
  const size_t out_stride = p_.out_stride;
  const size_t ic = g.in_c, oc = g.out_c;
  const size_t tiles_h = (g.out_h + kWinogradOutTile - 1) / kWinogradOutTile;
  const size_t tiles_w = (g.out_w + kWinogradOutTile - 1) / kWinogradOutTile;
  const size_t image_tiles = tiles_h * tiles_w;
  const size_t max_chunk = chunk_tiles_;
  LITECNN_RETURN_IF_ERROR(
      ReserveScratch(ctx, g.batch * image_tiles, kWinogradPoints * max_chunk * (ic + oc)));
  const float* packed_bias = packed_.data() + point_floats_ * kWinogradPoints;
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
      ctx.par, g.batch * image_tiles,
      [&](const Part& part) {
        float* v = ctx.scratch->part(part.index);
        // Passes of equal size, each at most max_chunk tiles.
        const size_t count = part.end - part.begin;
        const size_t passes = (count + max_chunk - 1) / max_chunk;
        const size_t chunk = (count + passes - 1) / passes;
        for (size_t t0 = part.begin; t0 < part.end; t0 += chunk) {
          const size_t n = std::min(chunk, part.end - t0);
          float* m = v + kWinogradPoints * n * ic;
          for (size_t t = 0; t < n; ++t) {
            const Origin o = origin(t0 + t);
            const ptrdiff_t iy0 = static_cast<ptrdiff_t>(o.oy) - static_cast<ptrdiff_t>(g.pad_top);
            const ptrdiff_t ix0 = static_cast<ptrdiff_t>(o.ox) - static_cast<ptrdiff_t>(g.pad_left);
            const float* img = x + o.b * g.in_h * g.in_w * ic;
            const float* in[kWinogradPoints];
            for (size_t i = 0; i < kWinogradTile; ++i) {
              const ptrdiff_t iy = iy0 + static_cast<ptrdiff_t>(i);
              for (size_t j = 0; j < kWinogradTile; ++j) {
                const ptrdiff_t ix = ix0 + static_cast<ptrdiff_t>(j);
                const bool inside = iy >= 0 && iy < static_cast<ptrdiff_t>(g.in_h) && ix >= 0 &&
                                    ix < static_cast<ptrdiff_t>(g.in_w);
                in[i * kWinogradTile + j] = inside
                                                ? img + (iy * static_cast<ptrdiff_t>(g.in_w) + ix) *
                                                            static_cast<ptrdiff_t>(ic)
                                                : zeros_.data();
              }
            }
            kernel_.input(ic, in, v + t * ic, n * ic);
          }
          for (size_t xi = 0; xi < kWinogradPoints; ++xi) {
            ConvGemm(gemm_, n, oc, ic, v + xi * n * ic, ic, packed_.data() + xi * point_floats_,
                     m + xi * n * oc, oc, -kInf, kInf);
          }
          for (size_t t = 0; t < n; ++t) {
            const Origin o = origin(t0 + t);
            const size_t rows = std::min(kWinogradOutTile, g.out_h - o.oy);
            const size_t cols = std::min(kWinogradOutTile, g.out_w - o.ox);
            const size_t pixel = (o.b * g.out_h + o.oy) * g.out_w + o.ox;
            float* out = y + pixel * out_stride;
            kernel_.output(oc, m + t * oc, n * oc, packed_bias, out, g.out_w * out_stride,
                           out_stride, rows, cols, post.kernel_min(), post.kernel_max());
            for (size_t r = 0; r < rows; ++r) {
              post.Apply(cols, out + r * g.out_w * out_stride,
                         post.addend_at(addend, pixel + r * g.out_w));
            }
          }
        }
      },
      1);
  return Status::Ok();
}

}  // namespace

std::unique_ptr<ConvAlgorithm> NewWinogradConv(const ConvProblem& p, const WinogradKernel& kernel) {
  return std::make_unique<WinogradConv>(p, kernel);
}

}  // namespace litecnn
