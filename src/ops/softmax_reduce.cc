// Softmax, the Reduce family, ArgMax and ArgMin on plain-layout values; ReduceMean over H and W of
// a 4-D activation (global average pooling) also reads NHWC.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/f32-reduce/f32-reduce.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

// Softmax: before version 13 the input is coerced to 2-D at `axis` (default 1) and normalised
// over the flattened tail; from version 13 it is normalised along `axis` alone (default -1).
class SoftmaxOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    legacy_ = attrs.version() < 13;
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", legacy_ ? 1 : -1));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input"));
    const Dims& x = in[0]->dims;
    if (x.empty()) return InvalidModel("Softmax of a scalar");
    LITECNN_ASSIGN_OR_RETURN(size_t axis, NormalizeAxis(axis_attr_, x.size()));
    outer_ = 1;
    n_ = 1;
    inner_ = 1;
    for (size_t i = 0; i < x.size(); ++i) {
      if (i < axis) {
        outer_ *= x[i];
      } else if (i == axis || legacy_) {
        n_ *= x[i];
      } else {
        inner_ *= x[i];
      }
    }
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = x;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    Elementwise().softmax(outer_, n_, inner_, in[0].as<const float>(), out[0].as<float>());
    return Status::Ok();
  }

 private:
  bool legacy_ = false;
  int64_t axis_attr_ = -1;
  size_t outer_ = 1, n_ = 1, inner_ = 1;
};

// The Reduce family on one class: a reduction is a map of each element (none, x^2, |x|), a
// fold along each reduced axis in turn (the f32-reduce kernels: sum, mean, product, max, min,
// log-sum-exp; each composes across axes, and every slice of an axis has the same count, so the
// mean of means is the mean), then a map of the result (none, sqrt, log). Axes come from the
// attribute until the version where they become an optional constant input (ReduceSum 13, the
// others 18), which also adds noop_with_empty_axes; no axes, or an empty list, reduce every
// axis unless noop_with_empty_axes is 1, when the output is the input. ReduceMax and ReduceMin
// also take int64 (shape arithmetic). ReduceMean over exactly H and W of a 4-D value is global
// average pooling (ShuffleNetV2's head): it takes its input in either layout, so the conv before
// it needs no NHWC -> plain conversion, and runs the SIMD global-average-pool kernel on NHWC.
enum class Reduction { kMean, kSum, kSumSquare, kL1, kL2, kLogSum, kLogSumExp, kMax, kMin, kProd };

class ReduceOp final : public Op {
 public:
  explicit ReduceOp(Reduction kind) : kind_(kind) {}
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(keepdims_, attrs.GetInt("keepdims", 1));
    const int64_t axes_input_version = kind_ == Reduction::kSum ? 13 : 18;
    if (attrs.version() < axes_input_version) {
      LITECNN_ASSIGN_OR_RETURN(axes_attr_, attrs.GetInts("axes"));
    } else {
      LITECNN_ASSIGN_OR_RETURN(noop_with_empty_axes_, attrs.GetInt("noop_with_empty_axes", 0));
      max_inputs_ = 2;
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, max_inputs_));
    const bool int64_ok = kind_ == Reduction::kMax || kind_ == Reduction::kMin;
    if (!(int64_ok && in[0]->dtype == DataType::kInt64)) {
      if (in[0]->dtype != DataType::kFloat32) {
        return Unsupported(std::string("reduction of ") + DataTypeName(in[0]->dtype) +
                           " data: litecnn computes in float32" +
                           (int64_ok ? " (and int64 for ReduceMax, ReduceMin)" : ""));
      }
    }
    std::vector<int64_t> axes = axes_attr_;
    if (in.size() > 1 && in[1]) {
      LITECNN_ASSIGN_OR_RETURN(axes, ConstantInts(in[1], "axes"));
    }
    const Dims& x = in[0]->dims;
    reduce_.assign(x.size(), false);
    noop_ = axes.empty() && noop_with_empty_axes_;
    if (axes.empty() && !noop_) reduce_.assign(x.size(), true);
    for (int64_t a : axes) {
      LITECNN_ASSIGN_OR_RETURN(size_t ax, NormalizeAxis(a, x.size()));
      reduce_[ax] = true;
    }
    global_pool_ =
        kind_ == Reduction::kMean && reduce_ == std::vector<bool>{false, false, true, true};
    Dims dims;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!reduce_[i]) {
        dims.push_back(x[i]);
      } else if (keepdims_) {
        dims.push_back(1);
      }
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  // The output of a global pool is [N][C] in bytes whichever layout it gets ([N, C] plain, or
  // [N, C, 1, 1] NHWC under keepdims).
  LayoutPolicy layout_policy() const override {
    return global_pool_ ? LayoutPolicy::kAny : LayoutPolicy::kPlain;
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    if (noop_) {
      CopyUnlessAliased(in[0], out[0]);
      return Status::Ok();
    }
    if (global_pool_) {
      const Dims& d = in[0].dims;
      const size_t batch = d[0], channels = d[1], hw = d[2] * d[3];
      if (in[0].layout == Layout::kNHWC) {
        Elementwise().gavgpool(batch, hw, channels, in[0].as<const float>(), out[0].as<float>());
      } else {
        // Plain [N][C][H*W]: one contiguous row per channel.
        f32_reduce_mean__scalar(batch * channels, hw, 1, in[0].as<const float>(),
                                out[0].as<float>());
      }
      return Status::Ok();
    }
    if (in[0].dtype == DataType::kInt64) {
      RunInt64(in[0], out[0]);
      return Status::Ok();
    }
    const float* src = in[0].as<const float>();
    const size_t n = static_cast<size_t>(in[0].num_elements());
    std::vector<float>& first = scratch_[0];
    first.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const float v = src[i];
      first[i] = kind_ == Reduction::kSumSquare || kind_ == Reduction::kL2 ? v * v
                 : kind_ == Reduction::kL1                                 ? std::fabs(v)
                                                                           : v;
    }
    const int which = ReduceAxes(in[0].dims, Fold());
    float* y = out[0].as<float>();
    const std::vector<float>& result = scratch_[which];
    for (size_t i = 0; i < result.size(); ++i) {
      const float v = result[i];
      y[i] = kind_ == Reduction::kL2 ? std::sqrt(v) : kind_ == Reduction::kLogSum ? std::log(v) : v;
    }
    return Status::Ok();
  }

 private:
  f32_reduce_fn Fold() const {
    switch (kind_) {
      case Reduction::kMean:
        return f32_reduce_mean__scalar;
      case Reduction::kMax:
        return f32_reduce_max__scalar;
      case Reduction::kMin:
        return f32_reduce_min__scalar;
      case Reduction::kProd:
        return f32_reduce_prod__scalar;
      case Reduction::kLogSumExp:
        return f32_reduce_logsumexp__scalar;
      default:
        return f32_reduce_sum__scalar;
    }
  }

  // Folds scratch_[0] (of dims x) along each reduced axis, ping-ponging between the two
  // scratch vectors; returns the index of the one holding the result. An axis of size 1 is
  // skipped (its fold is the identity), one of size 0 gives the fold's identity element.
  int ReduceAxes(Dims cur, f32_reduce_fn fold) {
    int which = 0;
    for (size_t axis = 0; axis < cur.size(); ++axis) {
      if (!reduce_[axis] || cur[axis] == 1) continue;
      size_t outer = 1, inner = 1;
      for (size_t i = 0; i < axis; ++i) outer *= cur[i];
      for (size_t i = axis + 1; i < cur.size(); ++i) inner *= cur[i];
      scratch_[1 - which].resize(outer * inner);
      fold(outer, cur[axis], inner, scratch_[which].data(), scratch_[1 - which].data());
      which = 1 - which;
      cur[axis] = 1;
    }
    return which;
  }

  // ReduceMax / ReduceMin of int64 values (shape arithmetic, folded at load): one pass over
  // the input, each element folded into its output element.
  void RunInt64(const TensorView& x, const TensorView& y) {
    const bool is_max = kind_ == Reduction::kMax;
    Dims kept = x.dims;
    for (size_t i = 0; i < kept.size(); ++i) {
      if (reduce_[i]) kept[i] = 1;
    }
    const std::vector<ptrdiff_t> to_out = BroadcastStrides(kept, Layout::kPlain, x.dims);
    const int64_t* src = x.as<const int64_t>();
    int64_t* dst = y.as<int64_t>();
    std::fill(dst, dst + y.num_elements(),
              is_max ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max());
    ForEachBroadcast<1>(x.dims, {to_out.data()}, [&](int64_t i, const auto& at) {
      int64_t& acc = dst[at[0]];
      acc = is_max ? std::max(acc, src[i]) : std::min(acc, src[i]);
    });
  }

  Reduction kind_;
  int64_t keepdims_ = 1, noop_with_empty_axes_ = 0;
  size_t max_inputs_ = 1;
  std::vector<int64_t> axes_attr_;
  std::vector<bool> reduce_;
  bool noop_ = false;         // no axes and noop_with_empty_axes: the output is the input
  bool global_pool_ = false;  // ReduceMean of exactly axes 2 and 3 of a 4-D input
  std::vector<float> scratch_[2];
};

// ArgMax and ArgMin: int64 indices along `axis` (negative from version 11, accepted before too),
// keepdims; select_last_index (version 12) picks the last of equal extremes. float32 data, and
// int64 for shape arithmetic (int32 is refused: each element type is a kernel in the download).
class ArgMinMaxOp final : public Op {
 public:
  explicit ArgMinMaxOp(bool max) : max_(max) {}
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", 0));
    LITECNN_ASSIGN_OR_RETURN(keepdims_, attrs.GetInt("keepdims", 1));
    if (attrs.version() >= 12) {
      LITECNN_ASSIGN_OR_RETURN(int64_t last, attrs.GetInt("select_last_index", 0));
      last_ = last != 0;
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    const DataType t = in[0]->dtype;
    if (t != DataType::kFloat32 && t != DataType::kInt64) {
      return Unsupported(std::string("data of ") + DataTypeName(t) + " (float32 or int64 only)");
    }
    const Dims& x = in[0]->dims;
    LITECNN_ASSIGN_OR_RETURN(size_t axis, NormalizeAxis(axis_attr_, x.size()));
    if (x[axis] == 0) {
      return InvalidModel("axis " + std::to_string(axis) + " of " + DimsToString(x) +
                          " is empty: it has no extreme");
    }
    outer_ = 1;
    inner_ = 1;
    for (size_t i = 0; i < axis; ++i) outer_ *= x[i];
    for (size_t i = axis + 1; i < x.size(); ++i) inner_ *= x[i];
    n_ = x[axis];
    Dims dims = x;
    if (keepdims_) {
      dims[axis] = 1;
    } else {
      dims.erase(dims.begin() + axis);
    }
    out->at(0).dtype = DataType::kInt64;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    int64_t* y = out[0].as<int64_t>();
    if (outer_ * inner_ == 0) return Status::Ok();
    if (in[0].dtype == DataType::kInt64) {
      s64_argminmax__scalar(outer_, n_, inner_, in[0].as<const int64_t>(), max_, last_, y);
    } else {
      f32_argminmax__scalar(outer_, n_, inner_, in[0].as<const float>(), max_, last_, y);
    }
    return Status::Ok();
  }

 private:
  bool max_;
  bool last_ = false;
  int64_t axis_attr_ = 0, keepdims_ = 1;
  size_t outer_ = 1, n_ = 1, inner_ = 1;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateArgMax(const Attributes& a) {
  return CreateOp<ArgMinMaxOp>(a, true);
}
Result<std::unique_ptr<Op>> CreateArgMin(const Attributes& a) {
  return CreateOp<ArgMinMaxOp>(a, false);
}
Result<std::unique_ptr<Op>> CreateSoftmax(const Attributes& a) { return CreateOp<SoftmaxOp>(a); }
#define LITECNN_REDUCE_FACTORY(name, kind)                        \
  Result<std::unique_ptr<Op>> Create##name(const Attributes& a) { \
    return CreateOp<ReduceOp>(a, Reduction::kind);                \
  }
LITECNN_REDUCE_FACTORY(ReduceMean, kMean)
LITECNN_REDUCE_FACTORY(ReduceSum, kSum)
LITECNN_REDUCE_FACTORY(ReduceSumSquare, kSumSquare)
LITECNN_REDUCE_FACTORY(ReduceL1, kL1)
LITECNN_REDUCE_FACTORY(ReduceL2, kL2)
LITECNN_REDUCE_FACTORY(ReduceLogSum, kLogSum)
LITECNN_REDUCE_FACTORY(ReduceLogSumExp, kLogSumExp)
LITECNN_REDUCE_FACTORY(ReduceMax, kMax)
LITECNN_REDUCE_FACTORY(ReduceMin, kMin)
LITECNN_REDUCE_FACTORY(ReduceProd, kProd)
#undef LITECNN_REDUCE_FACTORY

}  // namespace litecnn
