// Resize (opsets 10, 11, 13, 18, 19) and Upsample (7, 9) of 4-D NCHW tensors on H and W, run on
// NHWC activations. Shapes are static, so the coordinate tables (source rows and columns and
// their weights per output row and column) are computed once at Prepare, in double precision as
// the ONNX reference does; Run only gathers and blends channel runs, one kernel call per output
// row (f32-resize), split across threads by output rows.
//
// Implemented: modes nearest (every nearest_mode), linear (bilinear) and cubic (bicubic, with
// cubic_coeff_a and exclude_outside; a plain loop in this file), every
// coordinate_transformation_mode (tf_crop_and_resize with its roi and extrapolation_value), scales
// or sizes, axes and keep_aspect_ratio_policy (18). Refused, with Unsupported naming the reason:
// scaling N or C, other ranks, scales / sizes / roi not known at load, antialias=1 when linear or
// cubic downscale (antialias changes the filter's support only when downscaling).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

enum class Mode { kNearest, kLinear, kCubic };
enum class Coord {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize,
};
// kSimple is Resize 10's and Upsample's rule (as onnxruntime applies it): floor when upsampling,
// ceil when downsampling.
enum class Nearest { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kSimple };
enum class AspectPolicy { kStretch, kNotLarger, kNotSmaller };

// One resized axis: lengths, the scale of the coordinate transform and the roi.
struct AxisGeometry {
  size_t in = 0, out = 0;
  double scale = 1;        // output length / input length as the transform uses it
  double resized_len = 0;  // length_resized for align_corners: in * scale (onnx reference)
  double roi_start = 0, roi_end = 1;
};

// The taps of one axis: per output coordinate `taps` source indices and weights (1 tap for
// nearest, 2 for linear with the weight of the second, 4 for cubic), and whether the coordinate
// falls outside the input (tf_crop_and_resize: the output is extrapolation_value there).
struct AxisTable {
  size_t taps = 1;
  std::vector<size_t> index;
  std::vector<float> weight;
  std::vector<uint8_t> outside;
  bool any_outside = false;
};

Result<Mode> ParseMode(const std::string& s) {
  if (s == "nearest") return Mode::kNearest;
  if (s == "linear" || s == "bilinear") return Mode::kLinear;  // "bilinear": Upsample 7
  if (s == "cubic") return Mode::kCubic;
  return InvalidModel("Resize mode '" + s + "' (expected nearest, linear or cubic)");
}

Result<Coord> ParseCoord(const std::string& s, int64_t opset) {
  if (s == "half_pixel") return Coord::kHalfPixel;
  if (s == "half_pixel_symmetric" && opset >= 19) return Coord::kHalfPixelSymmetric;
  if (s == "pytorch_half_pixel") return Coord::kPytorchHalfPixel;
  if (s == "align_corners") return Coord::kAlignCorners;
  if (s == "asymmetric") return Coord::kAsymmetric;
  if (s == "tf_half_pixel_for_nn") return Coord::kTfHalfPixelForNn;
  if (s == "tf_crop_and_resize") return Coord::kTfCropAndResize;
  return InvalidModel("Resize coordinate_transformation_mode '" + s + "' at opset " +
                      std::to_string(opset));
}

Result<Nearest> ParseNearest(const std::string& s) {
  if (s == "round_prefer_floor") return Nearest::kRoundPreferFloor;
  if (s == "round_prefer_ceil") return Nearest::kRoundPreferCeil;
  if (s == "floor") return Nearest::kFloor;
  if (s == "ceil") return Nearest::kCeil;
  return InvalidModel("Resize nearest_mode '" + s + "'");
}

Result<AspectPolicy> ParseAspect(const std::string& s) {
  if (s == "stretch") return AspectPolicy::kStretch;
  if (s == "not_larger") return AspectPolicy::kNotLarger;
  if (s == "not_smaller") return AspectPolicy::kNotSmaller;
  return InvalidModel("Resize keep_aspect_ratio_policy '" + s + "'");
}

// x_original for output coordinate x (the spec's formulas).
double SourceCoord(Coord mode, double x, const AxisGeometry& a) {
  const double in = static_cast<double>(a.in);
  switch (mode) {
    case Coord::kHalfPixel:
      return (x + 0.5) / a.scale - 0.5;
    case Coord::kHalfPixelSymmetric: {
      const double adjustment = static_cast<double>(a.out) / (a.scale * in);
      const double offset = in / 2 * (1 - adjustment);
      return offset + (x + 0.5) / a.scale - 0.5;
    }
    case Coord::kPytorchHalfPixel:
      return a.out > 1 ? (x + 0.5) / a.scale - 0.5 : 0.0;
    case Coord::kAlignCorners:
      return a.resized_len == 1 ? 0.0 : x * (in - 1) / (a.resized_len - 1);
    case Coord::kAsymmetric:
      return x / a.scale;
    case Coord::kTfHalfPixelForNn:
      return (x + 0.5) / a.scale;
    case Coord::kTfCropAndResize:
      return a.out > 1 ? a.roi_start * (in - 1) +
                             x * (a.roi_end - a.roi_start) * (in - 1) / (double(a.out) - 1)
                       : 0.5 * (a.roi_start + a.roi_end) * (in - 1);
  }
  return 0;
}

double NearestIndex(Nearest mode, double x, bool downsample) {
  const double f = std::floor(x), frac = x - f;
  switch (mode) {
    case Nearest::kRoundPreferFloor:
      return frac <= 0.5 ? f : f + 1;
    case Nearest::kRoundPreferCeil:
      return frac < 0.5 ? f : f + 1;
    case Nearest::kFloor:
      return f;
    case Nearest::kCeil:
      return std::ceil(x);
    case Nearest::kSimple:
      return downsample ? std::ceil(x) : f;
  }
  return f;
}

// The cubic convolution weights of the taps at floor(x) - 1 .. floor(x) + 2, t = x - floor(x).
void CubicWeights(double t, double a, double w[4]) {
  const auto near = [a](double d) { return ((a + 2) * d - (a + 3)) * d * d + 1; };       // |d| <= 1
  const auto far = [a](double d) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; };  // 1..2
  w[0] = far(t + 1);
  w[1] = near(t);
  w[2] = near(1 - t);
  w[3] = far(2 - t);
}

struct TableOptions {
  Mode mode;
  Coord coord;
  Nearest nearest;
  double cubic_a;
  bool exclude_outside;
};

AxisTable BuildAxisTable(const AxisGeometry& a, const TableOptions& o) {
  AxisTable t;
  t.taps = o.mode == Mode::kNearest ? 1 : o.mode == Mode::kLinear ? 2 : 4;
  t.index.resize(a.out * t.taps);
  t.weight.resize(a.out * t.taps);
  t.outside.assign(a.out, 0);
  const double last = static_cast<double>(a.in) - 1;
  const auto clamp = [&](double i) {
    return static_cast<size_t>(std::min(std::max(i, 0.0), last));
  };
  for (size_t i = 0; i < a.out; ++i) {
    const double x = SourceCoord(o.coord, static_cast<double>(i), a);
    size_t* idx = &t.index[i * t.taps];
    float* w = &t.weight[i * t.taps];
    if (o.coord == Coord::kTfCropAndResize && (x < 0 || x > last)) {
      t.outside[i] = 1;
      t.any_outside = true;
      std::fill(idx, idx + t.taps, 0);
      std::fill(w, w + t.taps, 0.0f);
      continue;
    }
    switch (o.mode) {
      case Mode::kNearest:
        idx[0] = clamp(NearestIndex(o.nearest, x, a.scale < 1));
        w[0] = 1;
        break;
      case Mode::kLinear: {
        // Clamping the coordinate is the reference's edge padding: both taps are the edge.
        const double xc = std::min(std::max(x, 0.0), last);
        const double f = std::floor(xc);
        idx[0] = static_cast<size_t>(f);
        idx[1] = std::min(idx[0] + 1, a.in - 1);
        w[0] = static_cast<float>(1 - (xc - f));
        w[1] = static_cast<float>(xc - f);
        break;
      }
      case Mode::kCubic: {
        const double f = std::floor(x);
        double cw[4];
        CubicWeights(x - f, o.cubic_a, cw);
        double sum = 0;
        for (int k = 0; k < 4; ++k) {
          const double src = f - 1 + k;
          if (o.exclude_outside && (src < 0 || src > last)) cw[k] = 0;
          sum += cw[k];
          idx[k] = clamp(src);
        }
        for (int k = 0; k < 4; ++k)
          w[k] = static_cast<float>(o.exclude_outside ? cw[k] / sum : cw[k]);
        break;
      }
    }
  }
  return t;
}

Result<std::vector<double>> ConstantFloats(const TensorDesc* d, const char* what) {
  if (!d->is_constant()) {
    return Unsupported(std::string("Resize ") + what +
                       " computed at run time: it must be known at load time (a constant)");
  }
  const Tensor& t = *d->constant;
  if (t.dtype() != DataType::kFloat32) {
    return InvalidModel(std::string("Resize ") + what + " must be float32, got " +
                        DataTypeName(t.dtype()));
  }
  if (t.rank() > 1) return InvalidModel(std::string("Resize ") + what + " must be 1-D");
  std::vector<double> v(t.num_elements());
  for (int64_t i = 0; i < t.num_elements(); ++i) v[i] = t.GetAsDouble(i);
  return v;
}

bool IsEmpty(const TensorDesc* d) {
  if (!d) return true;
  for (int64_t n : d->dims) {
    if (n == 0) return true;
  }
  return false;
}

class ResizeOp final : public Op {
 public:
  // is_upsample: the Upsample op (7: scales attribute, 9: scales input).
  Status Init(const Attributes& attrs, bool is_upsample) {
    const int64_t v = attrs.version();
    LITECNN_ASSIGN_OR_RETURN(std::string mode, attrs.GetString("mode", "nearest"));
    LITECNN_ASSIGN_OR_RETURN(mode_, ParseMode(mode));
    if (is_upsample || v < 11) {
      // Upsample and Resize 10: x_original = x_resized / scale, nearest floors upsampling and
      // ceils downsampling (onnxruntime), linear is bilinear. No cubic before Resize 11.
      if (mode_ == Mode::kCubic) return InvalidModel("mode 'cubic' needs Resize 11 or later");
      coord_ = Coord::kAsymmetric;
      nearest_ = Nearest::kSimple;
      scales_input_ = 1;
      if (is_upsample && v < 9) {
        LITECNN_ASSIGN_OR_RETURN(std::vector<float> s, attrs.GetFloats("scales"));
        if (s.empty()) return InvalidModel("Upsample 7 needs its scales attribute");
        attr_scales_.assign(s.begin(), s.end());
        scales_input_ = -1;
      }
      return Status::Ok();
    }
    scales_input_ = 2;
    sizes_input_ = 3;
    LITECNN_ASSIGN_OR_RETURN(std::string coord,
                             attrs.GetString("coordinate_transformation_mode", "half_pixel"));
    LITECNN_ASSIGN_OR_RETURN(coord_, ParseCoord(coord, v));
    LITECNN_ASSIGN_OR_RETURN(std::string nearest,
                             attrs.GetString("nearest_mode", "round_prefer_floor"));
    LITECNN_ASSIGN_OR_RETURN(nearest_, ParseNearest(nearest));
    LITECNN_ASSIGN_OR_RETURN(float a, attrs.GetFloat("cubic_coeff_a", -0.75f));
    cubic_a_ = a;
    LITECNN_ASSIGN_OR_RETURN(int64_t exclude, attrs.GetInt("exclude_outside", 0));
    exclude_outside_ = exclude != 0;
    LITECNN_ASSIGN_OR_RETURN(extrapolation_, attrs.GetFloat("extrapolation_value", 0.0f));
    if (v >= 18) {
      LITECNN_ASSIGN_OR_RETURN(int64_t antialias, attrs.GetInt("antialias", 0));
      antialias_ = antialias != 0;
      LITECNN_ASSIGN_OR_RETURN(axes_, attrs.GetInts("axes"));
      LITECNN_ASSIGN_OR_RETURN(std::string policy,
                               attrs.GetString("keep_aspect_ratio_policy", "stretch"));
      LITECNN_ASSIGN_OR_RETURN(aspect_, ParseAspect(policy));
    }
    return Status::Ok();
  }

  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }
  bool NeedsConstantAtRun(size_t i) const override { return i == 0; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, sizes_input_ > 0 ? 4 : 2));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input X"));
    const Dims& x = in[0]->dims;
    if (x.size() != 4) {
      return Unsupported("Resize of a " + std::to_string(x.size()) +
                         "-D tensor: only 4-D NCHW tensors resized on H and W are supported");
    }
    const size_t rank = 4;
    for (int64_t d : x) {
      if (d <= 0) return Unsupported("Resize of an empty input " + DimsToString(x));
    }
    // The axes that scales / sizes / roi list (all of them unless Resize 18's axes says).
    std::vector<size_t> axes;
    if (axes_.empty()) {
      for (size_t i = 0; i < rank; ++i) axes.push_back(i);
    } else {
      for (int64_t a : axes_) {
        LITECNN_ASSIGN_OR_RETURN(size_t n, NormalizeAxis(a, rank));
        if (std::find(axes.begin(), axes.end(), n) != axes.end()) {
          return InvalidModel("Resize axes " + IntsToString(axes_) + " repeat an axis");
        }
        axes.push_back(n);
      }
    }
    const auto input = [&](int i) -> const TensorDesc* {
      return i >= 0 && static_cast<size_t>(i) < in.size() ? in[i] : nullptr;
    };
    const TensorDesc* scales_desc = input(scales_input_);
    const TensorDesc* sizes_desc = input(sizes_input_);
    const bool has_scales = scales_input_ < 0 || !IsEmpty(scales_desc);
    const bool has_sizes = !IsEmpty(sizes_desc);
    if (has_scales && has_sizes) {
      return InvalidModel("Resize has both scales and sizes: only one may be given");
    }
    if (!has_scales && !has_sizes) {
      return InvalidModel("Resize has neither scales nor sizes (one must be given)");
    }

    std::vector<double> roi(2 * rank, 0.0);
    for (size_t i = 0; i < rank; ++i) roi[rank + i] = 1.0;
    if (coord_ == Coord::kTfCropAndResize) {
      const TensorDesc* roi_desc = input(1);
      if (IsEmpty(roi_desc)) return InvalidModel("Resize tf_crop_and_resize needs its roi input");
      LITECNN_ASSIGN_OR_RETURN(std::vector<double> r, ConstantFloats(roi_desc, "roi"));
      if (r.size() != 2 * axes.size()) {
        return InvalidModel("Resize roi has " + std::to_string(r.size()) + " values, expected " +
                            std::to_string(2 * axes.size()));
      }
      for (size_t k = 0; k < axes.size(); ++k) {
        roi[axes[k]] = r[k];
        roi[rank + axes[k]] = r[axes.size() + k];
      }
    }

    // Per axis: the output length and the scale of its coordinate transform.
    std::vector<double> scale(rank, 1.0);
    std::vector<double> out_len(rank);
    for (size_t i = 0; i < rank; ++i) out_len[i] = static_cast<double>(x[i]);
    if (has_scales) {
      std::vector<double> s = attr_scales_;
      if (scales_input_ >= 0) {
        LITECNN_ASSIGN_OR_RETURN(s, ConstantFloats(scales_desc, "scales"));
      }
      if (s.size() != axes.size()) {
        return InvalidModel("Resize scales has " + std::to_string(s.size()) + " values, expected " +
                            std::to_string(axes.size()));
      }
      for (size_t k = 0; k < axes.size(); ++k) {
        if (!(s[k] > 0) || !std::isfinite(s[k])) {
          // No value in the message: std::to_string(double) links printf's float formatting
          // (7 KB of wasm) for this one error.
          return InvalidModel("Resize scale " + std::to_string(k) + " (axis " +
                              std::to_string(axes[k]) + ") must be positive and finite");
        }
        const size_t a = axes[k];
        scale[a] = s[k];
        const double crop = coord_ == Coord::kTfCropAndResize ? roi[rank + a] - roi[a] : 1.0;
        out_len[a] = std::floor(static_cast<double>(x[a]) * crop * s[k]);
      }
    } else {
      LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> sz, ConstantInts(sizes_desc, "Resize sizes"));
      if (sz.size() != axes.size()) {
        return InvalidModel("Resize sizes has " + std::to_string(sz.size()) + " values, expected " +
                            std::to_string(axes.size()));
      }
      for (int64_t n : sz) {
        if (n <= 0) return InvalidModel("Resize sizes " + IntsToString(sz) + " must be positive");
      }
      if (aspect_ == AspectPolicy::kStretch) {
        for (size_t k = 0; k < axes.size(); ++k) {
          out_len[axes[k]] = static_cast<double>(sz[k]);
          scale[axes[k]] = static_cast<double>(sz[k]) / static_cast<double>(x[axes[k]]);
        }
      } else {
        double common = aspect_ == AspectPolicy::kNotLarger ? INFINITY : 0.0;
        for (size_t k = 0; k < axes.size(); ++k) {
          const double r = static_cast<double>(sz[k]) / static_cast<double>(x[axes[k]]);
          common = aspect_ == AspectPolicy::kNotLarger ? std::min(common, r) : std::max(common, r);
        }
        for (size_t a : axes) {
          scale[a] = common;
          out_len[a] = std::floor(common * static_cast<double>(x[a]) + 0.5);
        }
      }
    }

    for (size_t i = 0; i < rank; ++i) {
      // A hostile scale must fail here, not overflow the int64 dims; the total is then checked
      // against Limits::max_tensor_elements by shape inference before anything is allocated.
      if (!(out_len[i] < 9.0e15)) {
        return LimitExceeded("Resize output axis " + std::to_string(i) +
                             " would have 9e15 elements or more");
      }
      if (out_len[i] < 1) {
        return InvalidModel("Resize output axis " + std::to_string(i) + " of input " +
                            DimsToString(x) + " would be empty");
      }
    }
    for (size_t i = 0; i < 2; ++i) {
      const bool cropped =
          coord_ == Coord::kTfCropAndResize && x[i] > 1 && (roi[i] != 0.0 || roi[rank + i] != 1.0);
      if (static_cast<int64_t>(out_len[i]) != x[i] || scale[i] != 1.0 || cropped) {
        return Unsupported(std::string("Resize of the ") + (i == 0 ? "batch (N)" : "channel (C)") +
                           " axis: only H and W of an NCHW tensor may be resized");
      }
    }
    if (antialias_ && mode_ != Mode::kNearest && (scale[2] < 1 || scale[3] < 1)) {
      return Unsupported("Resize with antialias=1 when downscaling (linear or cubic)");
    }

    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {x[0], x[1], static_cast<int64_t>(out_len[2]),
                       static_cast<int64_t>(out_len[3])};
    for (size_t k = 0; k < 2; ++k) {
      AxisGeometry& g = k == 0 ? rows_ : cols_;
      const size_t a = 2 + k;
      g.in = static_cast<size_t>(x[a]);
      g.out = static_cast<size_t>(out_len[a]);
      g.scale = scale[a];
      // length_resized as the onnx reference takes it: input length * scale, which is the
      // output length whenever that is a whole number (sizes, or integer scales).
      g.resized_len = has_sizes && aspect_ == AspectPolicy::kStretch
                          ? static_cast<double>(g.out)
                          : static_cast<double>(g.in) * scale[a];
      g.roi_start = roi[a];
      g.roi_end = roi[rank + a];
    }
    batch_ = static_cast<size_t>(x[0]);
    channels_ = static_cast<size_t>(x[1]);
    return Status::Ok();
  }

  Status Prepare(const std::vector<const TensorDesc*>&,
                 const std::vector<const TensorDesc*>&) override {
    if (static_cast<uint64_t>(cols_.in) * channels_ > std::numeric_limits<uint32_t>::max()) {
      return Unsupported("Resize input rows of more than 2^32 floats");
    }
    const TableOptions o{mode_, coord_, nearest_, cubic_a_, exclude_outside_};
    row_table_ = BuildAxisTable(rows_, o);
    const AxisTable cols = BuildAxisTable(cols_, o);
    col_outside_ = cols.outside;
    col_any_outside_ = cols.any_outside;
    // Column taps as float offsets into a source row, the form the kernels take.
    col_offsets_.resize(cols.index.size());
    for (size_t i = 0; i < cols.index.size(); ++i) {
      col_offsets_[i] = static_cast<uint32_t>(cols.index[i] * channels_);
    }
    if (mode_ == Mode::kLinear) {
      col_weights_.resize(cols_.out);
      for (size_t i = 0; i < cols_.out; ++i) col_weights_[i] = cols.weight[2 * i + 1];
    } else {
      col_weights_ = cols.weight;
    }
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    const size_t in_row = cols_.in * channels_, out_row = cols_.out * channels_;
    const size_t in_image = rows_.in * in_row;
    const ElementwiseKernels& k = Elementwise();
    const size_t th = row_table_.taps;
    ParallelFor(par_, batch_ * rows_.out, [&](const Part& part) {
      for (size_t r = part.begin; r < part.end; ++r) {
        const size_t b = r / rows_.out, oy = r % rows_.out;
        const float* image = x + b * in_image;
        float* dst = y + r * out_row;
        if (row_table_.outside[oy]) {
          std::fill(dst, dst + out_row, extrapolation_);
          continue;
        }
        const size_t* sy = &row_table_.index[oy * th];
        switch (mode_) {
          case Mode::kNearest:
            // Upsampled rows repeat: copy the previous output row when it has the same source.
            if (r > part.begin && oy > 0 && !row_table_.outside[oy - 1] &&
                row_table_.index[oy - 1] == sy[0]) {
              std::memcpy(dst, dst - out_row, out_row * sizeof(float));
            } else {
              k.resize_nearest(cols_.out, channels_, image + sy[0] * in_row, col_offsets_.data(),
                               dst);
            }
            break;
          case Mode::kLinear:
            k.resize_bilinear(cols_.out, channels_, image + sy[0] * in_row, image + sy[1] * in_row,
                              row_table_.weight[oy * th + 1], col_offsets_.data(),
                              col_weights_.data(), dst);
            break;
          case Mode::kCubic:
            CubicRow(image, in_row, sy, &row_table_.weight[oy * th], dst);
            break;
        }
        if (col_any_outside_) {
          for (size_t ox = 0; ox < cols_.out; ++ox) {
            if (col_outside_[ox]) {
              std::fill(dst + ox * channels_, dst + (ox + 1) * channels_, extrapolation_);
            }
          }
        }
      }
    });
    return Status::Ok();
  }

 private:
  // One output row of a bicubic resize: 4 x 4 taps per pixel, columns first then rows (the
  // reference's order). A plain loop: cubic is rare in CNNs and has no kernel yet.
  void CubicRow(const float* image, size_t in_row, const size_t* sy, const float* wy,
                float* dst) const {
    const size_t c_count = channels_;
    for (size_t ox = 0; ox < cols_.out; ++ox) {
      const uint32_t* sx = &col_offsets_[4 * ox];
      const float* wx = &col_weights_[4 * ox];
      float* o = dst + ox * c_count;
      for (size_t c = 0; c < c_count; ++c) {
        float acc = 0;
        for (int i = 0; i < 4; ++i) {
          const float* row = image + sy[i] * in_row + c;
          const float h =
              wx[0] * row[sx[0]] + wx[1] * row[sx[1]] + wx[2] * row[sx[2]] + wx[3] * row[sx[3]];
          acc += wy[i] * h;
        }
        o[c] = acc;
      }
    }
  }

  Mode mode_ = Mode::kNearest;
  Coord coord_ = Coord::kHalfPixel;
  Nearest nearest_ = Nearest::kRoundPreferFloor;
  AspectPolicy aspect_ = AspectPolicy::kStretch;
  double cubic_a_ = -0.75;
  bool exclude_outside_ = false;
  bool antialias_ = false;
  float extrapolation_ = 0.0f;
  std::vector<int64_t> axes_;
  std::vector<double> attr_scales_;  // Upsample 7
  int scales_input_ = 1, sizes_input_ = -1;

  size_t batch_ = 0, channels_ = 0;
  AxisGeometry rows_, cols_;
  AxisTable row_table_;
  std::vector<uint32_t> col_offsets_;  // [out_w][taps], in floats
  std::vector<float> col_weights_;     // linear: [out_w] (the right tap's); else [out_w][taps]
  std::vector<uint8_t> col_outside_;
  bool col_any_outside_ = false;
};

Result<std::unique_ptr<Op>> Create(const Attributes& attrs, bool is_upsample) {
  auto op = std::make_unique<ResizeOp>();
  LITECNN_RETURN_IF_ERROR(op->Init(attrs, is_upsample));
  return std::unique_ptr<Op>(std::move(op));
}

}  // namespace

Result<std::unique_ptr<Op>> CreateResize(const Attributes& a) { return Create(a, false); }
Result<std::unique_ptr<Op>> CreateUpsample(const Attributes& a) { return Create(a, true); }

}  // namespace litecnn
