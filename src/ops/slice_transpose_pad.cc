// Slice, Transpose and Pad: data movement expressed as strided copies (Slice, Transpose) or the
// pad kernel on the physical arrangement (Pad), so they work for any layout.
#include <algorithm>
#include <cstring>

#include "kernels/x32-pad/x32-pad.h"
#include "ops/capabilities.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class SliceOp final : public Op, public ChannelSliceOp {
 public:
  // Before version 10 starts, ends and axes are attributes; from 10 inputs, with steps.
  Status Init(const Attributes& attrs) {
    if (attrs.version() < 10) {
      legacy_ = true;
      LITECNN_ASSIGN_OR_RETURN(starts_, attrs.GetInts("starts"));
      LITECNN_ASSIGN_OR_RETURN(ends_, attrs.GetInts("ends"));
      LITECNN_ASSIGN_OR_RETURN(axes_, attrs.GetInts("axes"));
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    std::vector<int64_t> starts = starts_, ends = ends_, axes = axes_, steps;
    if (legacy_) {
      LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    } else {
      LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 3, 5));
      LITECNN_ASSIGN_OR_RETURN(starts, ConstantInts(in[1], "starts"));
      LITECNN_ASSIGN_OR_RETURN(ends, ConstantInts(in[2], "ends"));
      if (in.size() > 3 && in[3]) {
        LITECNN_ASSIGN_OR_RETURN(axes, ConstantInts(in[3], "axes"));
      }
      if (in.size() > 4 && in[4]) {
        LITECNN_ASSIGN_OR_RETURN(steps, ConstantInts(in[4], "steps"));
      }
    }
    const Dims& x = in[0]->dims;
    if (starts.size() != ends.size() || (!axes.empty() && axes.size() != starts.size()) ||
        (!steps.empty() && steps.size() != starts.size())) {
      return InvalidModel("starts, ends, axes and steps must have the same length");
    }
    start_.assign(x.size(), 0);
    step_.assign(x.size(), 1);
    Dims dims = x;
    std::vector<bool> seen(x.size(), false);
    for (size_t i = 0; i < starts.size(); ++i) {
      LITECNN_ASSIGN_OR_RETURN(size_t axis,
                               NormalizeAxis(axes.empty() ? int64_t(i) : axes[i], x.size()));
      if (seen[axis]) return InvalidModel("axis " + std::to_string(axis) + " repeated");
      seen[axis] = true;
      const int64_t dim = x[axis];
      const int64_t step = steps.empty() ? 1 : steps[i];
      if (step == 0) return InvalidModel("step 0");
      int64_t s = starts[i], e = ends[i];
      // Clamp in a way that cannot overflow for INT64_MAX/MIN sentinels.
      if (s < 0) s = s < -dim ? -1 : s + dim;
      if (e < 0) e = e < -dim ? -1 : e + dim;
      if (step > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
        dims[axis] = e > s ? (e - s + step - 1) / step : 0;
      } else {
        s = std::clamp<int64_t>(s, -1, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
        dims[axis] = s > e ? (s - e + (-step) - 1) / (-step) : 0;
      }
      start_[axis] = dims[axis] > 0 ? s : 0;
      step_[axis] = step;
    }
    in_dims_ = x;
    out_dims_ = dims;
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  bool AsChannelSlice(size_t* begin, size_t* count) const override {
    if (start_.size() != 4 || in_dims_.size() != 4) return false;
    for (size_t k = 0; k < 4; ++k) {
      if (step_[k] != 1 || (k != 1 && (start_[k] != 0 || out_dims_[k] != in_dims_[k]))) {
        return false;
      }
    }
    *begin = static_cast<size_t>(start_[1]);
    *count = static_cast<size_t>(out_dims_[1]);
    return true;
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const TensorView& y = out[0];
    const size_t esize = DataTypeSize(x.dtype);
    std::vector<ptrdiff_t> xs = LogicalStrides(x.dims, x.layout);
    ptrdiff_t offset = 0;
    for (size_t k = 0; k < xs.size(); ++k) {
      offset += start_[k] * xs[k];
      xs[k] *= step_[k];
    }
    CopyStrided(esize, y.dims, static_cast<const char*>(x.data) + offset * ptrdiff_t(esize), xs,
                y.data, LogicalStrides(y.dims, y.layout));
    return Status::Ok();
  }

 private:
  bool legacy_ = false;
  std::vector<int64_t> starts_, ends_, axes_;
  std::vector<int64_t> start_, step_;
  Dims in_dims_, out_dims_;
};

class TransposeOp final : public Op, public PermutationOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(perm_, attrs.GetInts("perm"));
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  bool AsPermutation(std::vector<int64_t>* perm) const override {
    *perm = perm_;
    return true;
  }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    const Dims& x = in[0]->dims;
    if (perm_.empty()) {
      for (size_t i = x.size(); i-- > 0;) perm_.push_back(static_cast<int64_t>(i));
    }
    if (perm_.size() != x.size()) {
      return InvalidModel("perm " + IntsToString(perm_) + " does not match rank " +
                          std::to_string(x.size()));
    }
    std::vector<bool> seen(x.size(), false);
    Dims dims(x.size());
    for (size_t i = 0; i < perm_.size(); ++i) {
      if (perm_[i] < 0 || perm_[i] >= static_cast<int64_t>(x.size()) || seen[perm_[i]]) {
        return InvalidModel("perm " + IntsToString(perm_) + " is not a permutation");
      }
      seen[perm_[i]] = true;
      dims[i] = x[perm_[i]];
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const std::vector<ptrdiff_t> xs = LogicalStrides(in[0].dims, in[0].layout);
    std::vector<ptrdiff_t> ps(perm_.size());
    for (size_t i = 0; i < perm_.size(); ++i) ps[i] = xs[perm_[i]];
    CopyStrided(DataTypeSize(in[0].dtype), out[0].dims, in[0].data, ps, out[0].data,
                LogicalStrides(out[0].dims, out[0].layout));
    return Status::Ok();
  }

 private:
  std::vector<int64_t> perm_;
};

// Pad: pads and the fill value from attributes before version 11 (`paddings` in version 1,
// `pads` from 2), from constant inputs from 11, with optional axes from 18. Modes constant,
// reflect, edge, and wrap from version 19.
class PadOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(std::string mode, attrs.GetString("mode", "constant"));
    if (mode == "constant") {
      mode_ = PadMode::kConstant;
    } else if (mode == "reflect") {
      mode_ = PadMode::kReflect;
    } else if (mode == "edge") {
      mode_ = PadMode::kEdge;
    } else if (mode == "wrap" && attrs.version() >= 19) {
      mode_ = PadMode::kWrap;
    } else {
      return Unsupported("Pad mode '" + mode + "'");
    }
    max_inputs_ = attrs.version() >= 18 ? 4 : 3;
    if (attrs.version() < 11) {
      legacy_ = true;
      LITECNN_ASSIGN_OR_RETURN(pads_, attrs.GetInts(attrs.version() < 2 ? "paddings" : "pads"));
      LITECNN_ASSIGN_OR_RETURN(value_, attrs.GetFloat("value", 0.f));
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    const Dims& x = in.empty() || !in[0] ? Dims{} : in[0]->dims;
    std::vector<int64_t> pads = pads_;
    if (legacy_) {
      LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    } else {
      LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, max_inputs_));
      LITECNN_ASSIGN_OR_RETURN(pads, ConstantInts(in[1], "pads"));
      if (in.size() > 2 && in[2]) {
        LITECNN_ASSIGN_OR_RETURN(value_, ConstantScalar(in[2], "constant_value"));
      }
      if (in.size() > 3 && in[3]) {
        LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, ConstantInts(in[3], "axes"));
        if (pads.size() != 2 * axes.size()) {
          return InvalidModel("pads " + IntsToString(pads) + " do not match axes " +
                              IntsToString(axes));
        }
        std::vector<int64_t> full(2 * x.size(), 0);
        for (size_t i = 0; i < axes.size(); ++i) {
          LITECNN_ASSIGN_OR_RETURN(size_t a, NormalizeAxis(axes[i], x.size()));
          full[a] = pads[i];
          full[a + x.size()] = pads[i + axes.size()];
        }
        pads = full;
      }
    }
    // The pad kernel moves 32-bit elements: float32 activations, int32 in ONNX's tests.
    if (DataTypeSize(in[0]->dtype) != 4) return CheckFloat(*in[0], "input");
    if (pads.size() != 2 * x.size()) {
      return InvalidModel("pads " + IntsToString(pads) +
                          " must have 2 * rank = " + std::to_string(2 * x.size()) + " entries");
    }
    if (x.size() > kMaxPadRank) return Unsupported("Pad of rank > 8");
    Dims dims = x;
    for (size_t k = 0; k < x.size(); ++k) {
      const int64_t pre = pads[k], post = pads[k + x.size()];
      if (pre < 0 || post < 0) return Unsupported("negative pads " + IntsToString(pads));
      if (pre > (int64_t{1} << 24) || post > (int64_t{1} << 24)) {
        return InvalidModel("pads " + IntsToString(pads) + " out of range");
      }
      if (mode_ == PadMode::kReflect && (pre >= x[k] || post >= x[k]) && (pre || post)) {
        return InvalidModel("reflect pads " + IntsToString(pads) +
                            " must be smaller than the input dims " + DimsToString(x));
      }
      if ((mode_ == PadMode::kEdge || mode_ == PadMode::kWrap) && x[k] == 0 && (pre || post)) {
        return InvalidModel("edge or wrap padding of an empty axis");
      }
      dims[k] = x[k] + pre + post;
    }
    pads_ = pads;
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    // The kernel pads the physical arrangement: permute dims and pads into memory order.
    const TensorView& x = in[0];
    const size_t rank = x.dims.size();
    const Dims pd = PhysicalDims(x.dims, x.layout);
    std::vector<size_t> dims(rank), pre(rank), post(rank);
    for (size_t k = 0; k < rank; ++k) {
      const size_t p = PhysicalAxis(k, x.layout);
      dims[p] = pd[p];
      pre[p] = pads_[k];
      post[p] = pads_[k + rank];
    }
    uint32_t bits;
    if (x.dtype == DataType::kInt32) {
      const int32_t v = static_cast<int32_t>(value_);
      std::memcpy(&bits, &v, 4);
    } else {
      std::memcpy(&bits, &value_, 4);
    }
    x32_pad__scalar(rank, dims.data(), pre.data(), post.data(), mode_, bits, x.as<const uint32_t>(),
                    out[0].as<uint32_t>());
    return Status::Ok();
  }

 private:
  PadMode mode_ = PadMode::kConstant;
  bool legacy_ = false;
  size_t max_inputs_ = 4;
  std::vector<int64_t> pads_;
  float value_ = 0.f;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateSlice(const Attributes& a) { return CreateOp<SliceOp>(a); }
Result<std::unique_ptr<Op>> CreateTranspose(const Attributes& a) {
  return CreateOp<TransposeOp>(a);
}
Result<std::unique_ptr<Op>> CreatePad(const Attributes& a) { return CreateOp<PadOp>(a); }

}  // namespace litecnn
