// Concat and Split along one axis, for any element type and any layout: each piece is a strided
// copy between the pieces' and the whole's logical strides, so NHWC tensors concatenate along
// channels without a conversion. Inputs the memory plan placed inside the output are not copied.
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class ConcatOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    // Version 1 defaults the axis to 1; from 4 it is required.
    if (!attrs.Has("axis") && attrs.version() >= 4) {
      return InvalidModel("attribute 'axis' is required");
    }
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", 1));
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    if (in.empty()) return InvalidModel("needs at least one input");
    for (const TensorDesc* d : in) {
      if (!d) return InvalidModel("inputs cannot be omitted");
    }
    const Dims& first = in[0]->dims;
    LITECNN_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, first.size()));
    Dims dims = first;
    dims[axis_] = 0;
    for (const TensorDesc* d : in) {
      if (d->dtype != in[0]->dtype || d->dims.size() != first.size()) {
        return InvalidModel("inputs must share element type and rank");
      }
      for (size_t k = 0; k < first.size(); ++k) {
        if (k != axis_ && d->dims[k] != first[k]) {
          return InvalidModel("input dims " + DimsToString(d->dims) + " and " +
                              DimsToString(first) + " differ outside axis " +
                              std::to_string(axis_));
        }
      }
      dims[axis_] += d->dims[axis_];
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    const std::vector<ptrdiff_t> ys = LogicalStrides(y.dims, y.layout);
    const size_t esize = DataTypeSize(y.dtype);
    int64_t offset = 0;
    for (const TensorView& x : in) {
      char* dst = static_cast<char*>(y.data) + offset * ys[axis_] * static_cast<ptrdiff_t>(esize);
      // An input already at its place was written there by its producer (the memory plan put
      // it inside the output: passes/write_concats_in_place.cc).
      if (x.data != dst)
        CopyStrided(esize, x.dims, x.data, LogicalStrides(x.dims, x.layout), dst, ys);
      offset += x.dims[axis_];
    }
    return Status::Ok();
  }

 private:
  int64_t axis_attr_ = 0;
  size_t axis_ = 0;
};

// Split: sizes from the 'split' attribute (before version 13; version 1 also takes them as an
// input) or the 'split' input (13), else equal parts: before 18 the axis must divide evenly;
// from 18 the num_outputs attribute states the count, and the last part may be smaller.
class SplitOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", 0));
    const int64_t v = attrs.version();
    if (v < 13) {
      LITECNN_ASSIGN_OR_RETURN(split_, attrs.GetInts("split"));
    }
    max_inputs_ = v == 1 || v >= 13 ? 2 : 1;
    if (v >= 18) {
      LITECNN_ASSIGN_OR_RETURN(num_outputs_, attrs.GetInt("num_outputs", 0));
      uneven_ = true;
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, max_inputs_));
    const Dims& x = in[0]->dims;
    LITECNN_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, x.size()));
    std::vector<int64_t> split = split_;
    if (in.size() > 1 && in[1]) {
      LITECNN_ASSIGN_OR_RETURN(split, ConstantInts(in[1], "split"));
    }
    const int64_t n = static_cast<int64_t>(out->size());
    if (split.empty() && uneven_ && num_outputs_ != n) {
      return InvalidModel(num_outputs_ == 0 ? "neither the split input nor num_outputs is given"
                                            : "num_outputs " + std::to_string(num_outputs_) +
                                                  " but " + std::to_string(n) + " outputs");
    }
    if (split.empty() && !uneven_ && x[axis_] % n != 0) {
      return InvalidModel("axis extent " + std::to_string(x[axis_]) + " does not split into " +
                          std::to_string(n) + " equal parts (uneven parts need version 18)");
    }
    if (split.empty()) {
      const int64_t part = (x[axis_] + n - 1) / n;
      for (int64_t i = 0; i < n; ++i) {
        split.push_back(std::max<int64_t>(0, std::min(part, x[axis_] - i * part)));
      }
    }
    if (static_cast<int64_t>(split.size()) != n) {
      return InvalidModel("split " + IntsToString(split) + " does not match the " +
                          std::to_string(n) + " outputs");
    }
    int64_t total = 0;
    for (int64_t s : split) {
      if (s < 0) return InvalidModel("negative split " + IntsToString(split));
      total += s;
    }
    if (total != x[axis_]) {
      return InvalidModel("split " + IntsToString(split) + " does not sum to the axis extent " +
                          std::to_string(x[axis_]));
    }
    for (int64_t i = 0; i < n; ++i) {
      (*out)[i].dtype = in[0]->dtype;
      (*out)[i].dims = x;
      (*out)[i].dims[axis_] = split[i];
    }
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const std::vector<ptrdiff_t> xs = LogicalStrides(x.dims, x.layout);
    const size_t esize = DataTypeSize(x.dtype);
    int64_t offset = 0;
    for (const TensorView& y : out) {
      const char* src =
          static_cast<const char*>(x.data) + offset * xs[axis_] * static_cast<ptrdiff_t>(esize);
      CopyStrided(esize, y.dims, src, xs, y.data, LogicalStrides(y.dims, y.layout));
      offset += y.dims[axis_];
    }
    return Status::Ok();
  }

 private:
  int64_t axis_attr_ = 0;
  size_t axis_ = 0;
  std::vector<int64_t> split_;
  size_t max_inputs_ = 2;
  bool uneven_ = false;  // version 18: equal parts by num_outputs, the last may be smaller
  int64_t num_outputs_ = 0;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateConcat(const Attributes& a) { return CreateOp<ConcatOp>(a); }
Result<std::unique_ptr<Op>> CreateSplit(const Attributes& a) { return CreateOp<SplitOp>(a); }

}  // namespace litecnn
