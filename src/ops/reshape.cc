// Reshape, Flatten, Squeeze, Unsqueeze: new dims over the same row-major bytes, so they need
// plain layout (an NHWC value is converted first). Run is a copy; aliasing the input buffer is a
// memory-planner optimisation for the kernels issue. View (internal): any layout, placed in its
// input's buffer by the pass that makes it.
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class ReshapeLikeOp : public Op {
 public:
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, min_inputs_, max_inputs_));
    LITECNN_ASSIGN_OR_RETURN(Dims dims, NewDims(in));
    LITECNN_ASSIGN_OR_RETURN(int64_t n, CheckedElementCount(dims));
    LITECNN_ASSIGN_OR_RETURN(int64_t m, CheckedElementCount(in[0]->dims));
    if (n != m) {
      return InvalidModel("cannot reshape " + DimsToString(in[0]->dims) + " to " +
                          DimsToString(dims));
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    CopyUnlessAliased(in[0], out[0]);
    return Status::Ok();
  }

 protected:
  virtual Result<Dims> NewDims(const std::vector<const TensorDesc*>& in) = 0;
  size_t min_inputs_ = 1, max_inputs_ = 1;
};

// Reshape: the shape is the `shape` attribute before version 5, a constant input from 5;
// allowzero (version 14) makes a 0 a zero dim instead of a copy of the input's.
class ReshapeOp final : public ReshapeLikeOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(allowzero_, attrs.GetInt("allowzero", 0));
    if (attrs.version() < 5) {
      if (!attrs.Has("shape")) return InvalidModel("attribute 'shape' is required");
      LITECNN_ASSIGN_OR_RETURN(shape_attr_, attrs.GetInts("shape"));
      legacy_ = true;
    } else {
      min_inputs_ = max_inputs_ = 2;
    }
    return Status::Ok();
  }
  Result<Dims> NewDims(const std::vector<const TensorDesc*>& in) override {
    std::vector<int64_t> shape = shape_attr_;
    if (!legacy_) {
      LITECNN_ASSIGN_OR_RETURN(shape, ConstantInts(in[1], "shape"));
    }
    const Dims& x = in[0]->dims;
    LITECNN_ASSIGN_OR_RETURN(int64_t total, CheckedElementCount(x));
    Dims dims(shape.size());
    int64_t known = 1;
    int infer = -1;
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t d = shape[i];
      if (d == 0 && !allowzero_) {
        if (i >= x.size())
          return InvalidModel("shape " + IntsToString(shape) +
                              " copies a "
                              "dimension the input does not have");
        d = x[i];
      }
      if (d == -1) {
        if (infer >= 0) return InvalidModel("shape " + IntsToString(shape) + " has two -1");
        infer = static_cast<int>(i);
        continue;
      }
      if (d < 0) return InvalidModel("shape " + IntsToString(shape) + " has a negative dim");
      if (!CheckedMul(known, d, &known)) return InvalidModel("shape overflows");
      dims[i] = d;
    }
    if (infer >= 0) {
      if (known == 0 || total % known != 0) {
        return InvalidModel("cannot infer -1 in shape " + IntsToString(shape) + " for input " +
                            DimsToString(x));
      }
      dims[infer] = total / known;
    }
    return dims;
  }

 private:
  int64_t allowzero_ = 0;
  bool legacy_ = false;
  std::vector<int64_t> shape_attr_;
};

class FlattenOp final : public ReshapeLikeOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_, attrs.GetInt("axis", 1));
    return Status::Ok();
  }
  Result<Dims> NewDims(const std::vector<const TensorDesc*>& in) override {
    const Dims& x = in[0]->dims;
    const int64_t r = static_cast<int64_t>(x.size());
    if (axis_ < -r || axis_ > r)
      return InvalidModel("axis " + std::to_string(axis_) + " out of range");
    const int64_t axis = axis_ < 0 ? axis_ + r : axis_;
    int64_t a = 1, b = 1;
    for (int64_t i = 0; i < r; ++i) (i < axis ? a : b) *= x[i];
    return Dims{a, b};
  }

 private:
  int64_t axis_ = 1;
};

// Squeeze / Unsqueeze: axes from the attribute before version 13, from a constant input from
// 13 (optional for Squeeze, which then drops every 1, required for Unsqueeze).
class SqueezeOp final : public ReshapeLikeOp {
 public:
  explicit SqueezeOp(bool unsqueeze = false) : unsqueeze_(unsqueeze) {}
  Status Init(const Attributes& attrs) {
    if (attrs.version() < 13) {
      LITECNN_ASSIGN_OR_RETURN(axes_, attrs.GetInts("axes"));
    } else {
      max_inputs_ = 2;
      min_inputs_ = unsqueeze_ ? 2 : 1;
    }
    return Status::Ok();
  }
  Result<Dims> NewDims(const std::vector<const TensorDesc*>& in) override {
    std::vector<int64_t> axes = axes_;
    if (in.size() > 1 && in[1]) {
      LITECNN_ASSIGN_OR_RETURN(axes, ConstantInts(in[1], "axes"));
    }
    const Dims& x = in[0]->dims;
    if (unsqueeze_) {
      const size_t rank = x.size() + axes.size();
      std::vector<bool> is_new(rank, false);
      for (int64_t a : axes) {
        LITECNN_ASSIGN_OR_RETURN(size_t ax, NormalizeAxis(a, rank));
        if (is_new[ax]) return InvalidModel("axes " + IntsToString(axes) + " repeat an axis");
        is_new[ax] = true;
      }
      Dims dims;
      size_t j = 0;
      for (size_t i = 0; i < rank; ++i) dims.push_back(is_new[i] ? 1 : x[j++]);
      return dims;
    }
    std::vector<bool> drop(x.size(), false);
    if (axes.empty()) {
      for (size_t i = 0; i < x.size(); ++i) drop[i] = x[i] == 1;
    }
    for (int64_t a : axes) {
      LITECNN_ASSIGN_OR_RETURN(size_t ax, NormalizeAxis(a, x.size()));
      if (x[ax] != 1) {
        return InvalidModel("cannot squeeze axis " + std::to_string(a) + " of " + DimsToString(x));
      }
      drop[ax] = true;
    }
    Dims dims;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!drop[i]) dims.push_back(x[i]);
    }
    return dims;
  }

 private:
  bool unsqueeze_;
  std::vector<int64_t> axes_;
};

// The same bytes as its input under another desc (dims and layout), set by the pass that made
// it (ElideNoOpConversions), which also places the output in the input's buffer: Run then
// has nothing to do. It copies the bytes if the two were ever planned apart.
class ViewOp final : public ReshapeLikeOp {
 public:
  explicit ViewOp(Dims dims) : dims_(std::move(dims)) {}
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

 protected:
  Result<Dims> NewDims(const std::vector<const TensorDesc*>&) override { return dims_; }

 private:
  Dims dims_;
};

}  // namespace

std::unique_ptr<Op> CreateView(Dims dims) { return std::make_unique<ViewOp>(std::move(dims)); }
Result<std::unique_ptr<Op>> CreateReshape(const Attributes& a) { return CreateOp<ReshapeOp>(a); }
Result<std::unique_ptr<Op>> CreateFlatten(const Attributes& a) { return CreateOp<FlattenOp>(a); }
Result<std::unique_ptr<Op>> CreateSqueeze(const Attributes& a) { return CreateOp<SqueezeOp>(a); }
Result<std::unique_ptr<Op>> CreateUnsqueeze(const Attributes& a) {
  return CreateOp<SqueezeOp>(a, true);
}

}  // namespace litecnn
