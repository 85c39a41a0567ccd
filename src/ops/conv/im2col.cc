// Im2col conv: every conv no other strategy takes (any groups, strides, dilations, padding, a
// sliced output). Per group and band of output rows, the windows are gathered into a scratch
// matrix whose rows are output pixels, then one GEMM with the group's weights.
#include <algorithm>
#include <cstring>

#include "ops/conv/algorithm.h"

namespace litecnn {
namespace {

// Rows of im2col scratch per GEMM pass: ~256 KB keeps the scratch in L2.
constexpr size_t kIm2colScratchFloats = 64 * 1024;

// n floats from src to dst, in 16-byte pieces that the compiler inlines as loads and stores. A
// window row of an image-facing conv is 9-21 floats: as memcpy calls (not inlined in wasm)
// they took ~40% of a 5x5 first conv (BlazeFace's, before it moved to the HWC kernel), im2col
// and GEMM together.
inline __attribute__((always_inline)) void CopyFloats(float* dst, const float* src, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) std::memcpy(dst + i, src + i, 4 * sizeof(float));
  for (; i < n; ++i) dst[i] = src[i];
}

// dst[(oy - y0) * out_w + ox][(ky * kw + kx) * cg + ci] = input or 0 (padding), for group grp
// of one dense input image.
void Im2col(const ConvGeometry& g, const float* img, size_t grp, size_t y0, size_t y1, float* dst) {
  const size_t cg = g.in_c / g.groups;
  const ptrdiff_t in_h = static_cast<ptrdiff_t>(g.in_h), in_w = static_cast<ptrdiff_t>(g.in_w);
  // With one group and no horizontal dilation, a window row is kernel_w adjacent pixels: one
  // contiguous run of kernel_w * in_c floats. Copying it at once matters for the image-facing
  // convs (3 channels: otherwise a 12-byte copy per tap).
  const bool rows_contiguous = g.groups == 1 && g.dilation_w == 1;
  const size_t row_floats = g.kernel_w * cg;
  for (size_t oy = y0; oy < y1; ++oy) {
    for (size_t ox = 0; ox < g.out_w; ++ox) {
      const ptrdiff_t ix0 =
          static_cast<ptrdiff_t>(ox * g.stride_w) - static_cast<ptrdiff_t>(g.pad_left);
      const bool row_inside =
          rows_contiguous && ix0 >= 0 && ix0 + static_cast<ptrdiff_t>(g.kernel_w) <= in_w;
      for (size_t ky = 0; ky < g.kernel_h; ++ky) {
        const ptrdiff_t iy = static_cast<ptrdiff_t>(oy * g.stride_h + ky * g.dilation_h) -
                             static_cast<ptrdiff_t>(g.pad_top);
        if (iy < 0 || iy >= in_h) {
          std::memset(dst, 0, row_floats * sizeof(float));
          dst += row_floats;
          continue;
        }
        const float* in_row = img + iy * in_w * static_cast<ptrdiff_t>(g.in_c);
        if (row_inside) {
          CopyFloats(dst, in_row + ix0 * static_cast<ptrdiff_t>(g.in_c), row_floats);
          dst += row_floats;
          continue;
        }
        for (size_t kx = 0; kx < g.kernel_w; ++kx) {
          const ptrdiff_t ix = ix0 + static_cast<ptrdiff_t>(kx * g.dilation_w);
          if (ix < 0 || ix >= in_w) {
            std::memset(dst, 0, cg * sizeof(float));
          } else {
            std::memcpy(dst, in_row + ix * static_cast<ptrdiff_t>(g.in_c) + grp * cg,
                        cg * sizeof(float));
          }
          dst += cg;
        }
      }
    }
  }
}

class Im2colConv final : public ConvAlgorithm {
 public:
  // The GEMM's rows are an image's output pixels; each group's product is out_c / groups wide.
  explicit Im2colConv(const ConvProblem& p)
      : p_(p),
        gemm_(ChooseGemmKernel(p.g.out_h * p.g.out_w, p.g.out_c / p.g.groups,
                               p.g.kernel_h * p.g.kernel_w * p.g.in_c / p.g.groups)) {}

  Status Pack(const float* w, const float* bias) override {
    LITECNN_ASSIGN_OR_RETURN(group_floats_, PackGemmWeights(gemm_.nr, p_.g, w, bias, &packed_));
    return Status::Ok();
  }
  Status Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) override;
  std::string kernel_name() const override { return std::string("im2col+") + gemm_.name; }

 private:
  const ConvProblem p_;
  const GemmKernel gemm_;
  size_t group_floats_ = 0;  // packed GEMM weights per group
  PackedWeights packed_;
};

Status Im2colConv::Run(const ConvRunContext& ctx, const float* x, const float* addend, float* y) {
  const ConvGeometry& g = p_.g;
  const size_t out_stride = p_.out_stride;
  const size_t cg = g.in_c / g.groups, mg = g.out_c / g.groups;
  const size_t k = g.kernel_h * g.kernel_w * cg;
  const size_t out_row_pixels = g.out_w;
  // One output row's im2col matrix: a huge filter times a wide output can pass size_t on
  // wasm32 (each tensor within the limits), so it is counted in 64 bits and refused there.
  const uint64_t row_floats = uint64_t{k} * out_row_pixels;
  if (row_floats > SIZE_MAX / sizeof(float)) {
    return OutOfMemory(row_floats * sizeof(float), "the im2col matrix of one output row");
  }
  // Bands of output rows whose im2col matrix fills the scratch.
  const size_t band_rows = std::max<size_t>(
      1, kIm2colScratchFloats / std::max<size_t>(static_cast<size_t>(row_floats), 1));
  // One scratch matrix per part (one part per thread).
  const size_t total_rows = g.batch * g.out_h;
  LITECNN_RETURN_IF_ERROR(
      ReserveScratch(ctx, total_rows, std::min(band_rows, g.out_h) * out_row_pixels * k));
  // Threads take equal runs of output rows (whole bands would split 13 rows 8/5), each in bands
  // of at most band_rows rows within one image. A row's outputs are its own GEMM rows, whatever
  // band it falls in, so the results are bit-identical for any thread count.
  ParallelFor(
      ctx.par, total_rows,
      [&](const Part& part) {
        float* scratch = ctx.scratch->part(part.index);
        for (size_t r = part.begin; r < part.end;) {
          const size_t b = r / g.out_h, y0 = r % g.out_h;
          const size_t y1 = std::min({g.out_h, y0 + band_rows, y0 + (part.end - r)});
          const float* img = x + b * g.in_h * g.in_w * g.in_c;
          const size_t rows = (y1 - y0) * out_row_pixels;
          float* c = y + r * out_row_pixels * out_stride;
          for (size_t grp = 0; grp < g.groups; ++grp) {
            Im2col(g, img, grp, y0, y1, scratch);
            ConvGemm(gemm_, rows, mg, k, scratch, k, packed_.data() + grp * group_floats_,
                     c + grp * mg, out_stride, p_.post.kernel_min(), p_.post.kernel_max());
          }
          p_.post.Apply(rows, c, p_.post.addend_at(addend, r * out_row_pixels));
          r += y1 - y0;
        }
      },
      1);
  return Status::Ok();
}

}  // namespace

std::unique_ptr<ConvAlgorithm> NewIm2colConv(const ConvProblem& p) {
  return std::make_unique<Im2colConv>(p);
}

}  // namespace litecnn
