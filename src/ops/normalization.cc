// InstanceNormalization, LayerNormalization and LRN: normalisations computed from the activations
// themselves (not foldable into a conv's weights as BatchNormalization is).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

// Y = scale[c] * (X - mean) / sqrt(var + epsilon) + B[c], mean and (biased) variance over the
// spatial axes of each (n, c). X is [N, C, D1, ...] with at least one spatial axis; a 4-D
// activation is read in NHWC as it comes from a conv (no conversion around the op). The
// statistics accumulate in double (two passes: the mean, then squared deviations); the result
// is one per-channel affine per image, run by the channel-affine kernel. consumed_inputs
// (version 1) was an in-place hint.
class InstanceNormOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(epsilon_, attrs.GetFloat("epsilon", 1e-5f));
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 3, 3));
    const TensorDesc& x = *in[0];
    LITECNN_RETURN_IF_ERROR(CheckFloat(x, "input"));
    if (x.dims.size() < 3) {
      return InvalidModel("InstanceNormalization input must be [N, C, D1, ...] (rank >= 3), got " +
                          DimsToString(x.dims));
    }
    const int64_t c = x.dims[1];
    LITECNN_RETURN_IF_ERROR(CheckPerChannelInputs(in, {"", "scale", "B"}, c));
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = x.dims;
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& d = in[0].dims;
    const size_t batch = d[0], channels = d[1];
    size_t pixels = 1;
    for (size_t i = 2; i < d.size(); ++i) pixels *= d[i];
    const bool nhwc = in[0].layout == Layout::kNHWC;
    const float* scale = in[1].as<const float>();
    const float* bias = in[2].as<const float>();
    scale_.resize(channels);
    shift_.resize(channels);
    for (size_t n = 0; n < batch; ++n) {
      const float* x = in[0].as<const float>() + n * channels * pixels;
      float* y = out[0].as<float>() + n * channels * pixels;
      stats_.assign(2 * channels, 0.0);
      double* mean = stats_.data();
      double* var = mean + channels;
      ForEachElement(x, pixels, channels, nhwc, [&](size_t c, float v) { mean[c] += v; });
      for (size_t c = 0; c < channels; ++c) mean[c] /= static_cast<double>(pixels);
      ForEachElement(x, pixels, channels, nhwc, [&](size_t c, float v) {
        const double dev = v - mean[c];
        var[c] += dev * dev;
      });
      for (size_t c = 0; c < channels; ++c) {
        const double s = scale[c] / std::sqrt(var[c] / static_cast<double>(pixels) + epsilon_);
        scale_[c] = static_cast<float>(s);
        shift_[c] = static_cast<float>(bias[c] - mean[c] * s);
      }
      if (nhwc) {
        Elementwise().channel_affine(pixels, channels, 1, x, scale_.data(), shift_.data(), y);
      } else {
        Elementwise().channel_affine(1, channels, pixels, x, scale_.data(), shift_.data(), y);
      }
    }
    return Status::Ok();
  }

 private:
  // f(c, value) for every element of one image, in memory order: NHWC holds `pixels` runs of
  // `channels` floats, plain `channels` runs of `pixels`.
  template <class F>
  static void ForEachElement(const float* x, size_t pixels, size_t channels, bool nhwc, F&& f) {
    if (nhwc) {
      for (size_t p = 0; p < pixels; ++p)
        for (size_t c = 0; c < channels; ++c) f(c, x[p * channels + c]);
    } else {
      for (size_t c = 0; c < channels; ++c)
        for (size_t p = 0; p < pixels; ++p) f(c, x[c * pixels + p]);
    }
  }

  float epsilon_ = 1e-5f;
  std::vector<double> stats_;  // per channel: the means, then the summed squared deviations
  std::vector<float> scale_, shift_;
};

// LayerNormalization (17): Y = (X - mean) / sqrt(var + epsilon) * Scale + B, mean and
// (biased) variance over the axes from `axis` on, Scale and B broadcast onto those axes; the
// optional outputs Mean and InvStdDev have X's leading dims and 1s for the normalised axes.
// stash_type 1 (float32, the default) is the one litecnn computes in. Plain layout; the
// statistics accumulate in double, two passes (the mean, then squared deviations), as ONNX's
// function body defines them.
class LayerNormOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", -1));
    LITECNN_ASSIGN_OR_RETURN(epsilon_, attrs.GetFloat("epsilon", 1e-5f));
    LITECNN_ASSIGN_OR_RETURN(const int64_t stash, attrs.GetInt("stash_type", 1));
    if (stash != 1) {
      return Unsupported("LayerNormalization stash_type " + std::to_string(stash) +
                         " (litecnn computes the statistics in float32: stash_type 1)");
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 3));
    const TensorDesc& x = *in[0];
    LITECNN_RETURN_IF_ERROR(CheckFloat(x, "input X"));
    if (x.dims.empty()) return InvalidModel("LayerNormalization of a scalar (X needs an axis)");
    LITECNN_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, x.dims.size()));
    const Dims normalized(x.dims.begin() + axis_, x.dims.end());
    static const char* kNames[] = {"", "Scale", "B"};
    for (size_t i = 1; i < in.size(); ++i) {
      if (!in[i]) continue;
      LITECNN_RETURN_IF_ERROR(CheckFloat(*in[i], kNames[i]));
      Result<Dims> dims = BroadcastDims(normalized, in[i]->dims);
      if (!dims.ok() || *dims != normalized) {
        return InvalidModel(std::string(kNames[i]) + " " + DimsToString(in[i]->dims) +
                            " does not broadcast onto the normalised dims " +
                            DimsToString(normalized));
      }
    }
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = x.dims;
    Dims stats = x.dims;
    std::fill(stats.begin() + axis_, stats.end(), 1);
    for (size_t k = 1; k < out->size(); ++k) {
      out->at(k).dtype = DataType::kFloat32;
      out->at(k).dims = stats;
    }
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& d = in[0].dims;
    size_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis_; ++i) outer *= d[i];
    for (size_t i = axis_; i < d.size(); ++i) inner *= d[i];
    // Scale and B expanded onto the normalised dims.
    const Dims normalized(d.begin() + axis_, d.end());
    affine_.assign(2 * inner, 0.f);
    for (size_t k = 1; k < 3; ++k) {
      if (in.size() <= k || !in[k].data) continue;
      CopyStrided(sizeof(float), normalized, in[k].data,
                  BroadcastStrides(in[k].dims, Layout::kPlain, normalized),
                  affine_.data() + (k - 1) * inner, LogicalStrides(normalized, Layout::kPlain));
    }
    const float* scale = affine_.data();
    const float* bias = scale + inner;
    float* mean_out = out.size() > 1 ? out[1].as<float>() : nullptr;
    float* inv_out = out.size() > 2 ? out[2].as<float>() : nullptr;
    for (size_t o = 0; o < outer; ++o) {
      const float* x = in[0].as<const float>() + o * inner;
      float* y = out[0].as<float>() + o * inner;
      double sum = 0;
      for (size_t i = 0; i < inner; ++i) sum += x[i];
      const double mean = sum / static_cast<double>(inner);
      double dev2 = 0;
      for (size_t i = 0; i < inner; ++i) dev2 += (x[i] - mean) * (x[i] - mean);
      const double inv = 1.0 / std::sqrt(dev2 / static_cast<double>(inner) + epsilon_);
      for (size_t i = 0; i < inner; ++i) {
        y[i] = static_cast<float>((x[i] - mean) * inv) * scale[i] + bias[i];
      }
      if (mean_out) mean_out[o] = static_cast<float>(mean);
      if (inv_out) inv_out[o] = static_cast<float>(inv);
    }
    return Status::Ok();
  }

 private:
  int64_t axis_attr_ = -1;
  size_t axis_ = 0;
  float epsilon_ = 1e-5f;
  std::vector<float> affine_;  // Scale, then B, expanded onto the normalised dims
};

// LRN across channels: y = x / (bias + alpha / size * sum of squares over a window of `size`
// channels around c) ^ beta (f32-lrn.h). Plain layout, [N, C, D1, ...]: the kernel vectorises
// over the pixels of a channel plane, where the running sum over channels is one plane of
// adds; in NHWC the channel scan would be serial within every pixel.
class LrnOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    if (!attrs.Has("size")) return InvalidModel("LRN needs the attribute size");
    LITECNN_ASSIGN_OR_RETURN(size_, attrs.GetInt("size", 0));
    if (size_ < 1) return InvalidModel("LRN size " + std::to_string(size_) + " (must be >= 1)");
    LITECNN_ASSIGN_OR_RETURN(alpha_, attrs.GetFloat("alpha", 1e-4f));
    LITECNN_ASSIGN_OR_RETURN(beta_, attrs.GetFloat("beta", 0.75f));
    LITECNN_ASSIGN_OR_RETURN(bias_, attrs.GetFloat("bias", 1.0f));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input"));
    if (in[0]->dims.size() < 2) {
      return InvalidModel("LRN input must be [N, C, ...] (rank >= 2), got " +
                          DimsToString(in[0]->dims));
    }
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = in[0]->dims;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& d = in[0].dims;
    size_t inner = 1;
    for (size_t i = 2; i < d.size(); ++i) inner *= d[i];
    sum_.resize(inner);
    Elementwise().lrn(d[0], d[1], inner, static_cast<size_t>(size_),
                      alpha_ / static_cast<float>(size_), beta_, bias_, in[0].as<const float>(),
                      sum_.data(), out[0].as<float>());
    return Status::Ok();
  }

 private:
  int64_t size_ = 0;
  float alpha_ = 1e-4f, beta_ = 0.75f, bias_ = 1.0f;
  std::vector<float> sum_;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateInstanceNormalization(const Attributes& a) {
  return CreateOp<InstanceNormOp>(a);
}
Result<std::unique_ptr<Op>> CreateLayerNormalization(const Attributes& a) {
  return CreateOp<LayerNormOp>(a);
}
Result<std::unique_ptr<Op>> CreateLRN(const Attributes& a) { return CreateOp<LrnOp>(a); }

}  // namespace litecnn
