// Gather, GatherElements and GatherND: elements picked by int64 or int32 indices, negative ones
// counting from the end, for any element type (float32 activations, int64 shape arithmetic, which
// folds at load). Plain layout: an NHWC activation is converted first. Constant indices out of
// range fail the load; indices computed at run time are checked before anything is copied.
#include <algorithm>
#include <cstring>

#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

int64_t IndexAt(const void* indices, DataType type, int64_t i) {
  return type == DataType::kInt64 ? static_cast<const int64_t*>(indices)[i]
                                  : static_cast<const int32_t*>(indices)[i];
}

// Every index of n in [-dim, dim), or an error naming the first that is not.
Status CheckIndices(const void* indices, DataType type, int64_t n, int64_t dim) {
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = IndexAt(indices, type, i);
    if (k < -dim || k >= dim) {
      return InvalidArgument("index " + std::to_string(k) + " (element " + std::to_string(i) +
                             " of the indices) out of range [" + std::to_string(-dim) + ", " +
                             std::to_string(dim) + ")");
    }
  }
  return Status::Ok();
}

// The checks both ops make of data and indices at load; constant indices are range-checked.
Status CheckOperands(const TensorDesc& data, const TensorDesc& indices, int64_t axis_attr,
                     size_t* axis) {
  if (indices.dtype != DataType::kInt64 && indices.dtype != DataType::kInt32) {
    return InvalidModel(std::string("indices must be int64 or int32, got ") +
                        DataTypeName(indices.dtype));
  }
  if (DataTypeSize(data.dtype) == 0) {
    return Unsupported(std::string("data element type ") + DataTypeName(data.dtype));
  }
  LITECNN_ASSIGN_OR_RETURN(*axis, NormalizeAxis(axis_attr, data.dims.size()));
  if (indices.is_constant()) {
    const Tensor& t = *indices.constant;
    const Status st = CheckIndices(t.raw(), t.dtype(), t.num_elements(), data.dims[*axis]);
    if (!st.ok()) return InvalidModel("constant " + st.message());
  }
  return Status::Ok();
}

// Gather: data [a..., d, b...] and indices I give [a..., I..., b...]: data's axis replaced by
// the indices' dims (a scalar index drops it).
class GatherOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", 0));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    LITECNN_RETURN_IF_ERROR(CheckOperands(*in[0], *in[1], axis_attr_, &axis_));
    const Dims& x = in[0]->dims;
    const Dims& idx = in[1]->dims;
    Dims dims(x.begin(), x.begin() + axis_);
    dims.insert(dims.end(), idx.begin(), idx.end());
    dims.insert(dims.end(), x.begin() + axis_ + 1, x.end());
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& x = in[0].dims;
    const int64_t axis_dim = x[axis_];
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis_; ++i) outer *= x[i];
    for (size_t i = axis_ + 1; i < x.size(); ++i) inner *= x[i];
    const int64_t n_idx = in[1].num_elements();
    LITECNN_RETURN_IF_ERROR(CheckIndices(in[1].data, in[1].dtype, n_idx, axis_dim));
    const size_t row = static_cast<size_t>(inner) * DataTypeSize(in[0].dtype);
    const char* src = static_cast<const char*>(in[0].data);
    char* dst = static_cast<char*>(out[0].data);
    for (int64_t j = 0; j < n_idx; ++j) {
      int64_t k = IndexAt(in[1].data, in[1].dtype, j);
      if (k < 0) k += axis_dim;
      for (int64_t o = 0; o < outer; ++o) {
        std::memcpy(dst + (o * n_idx + j) * row, src + (o * axis_dim + k) * row, row);
      }
    }
    return Status::Ok();
  }

 private:
  int64_t axis_attr_ = 0;
  size_t axis_ = 0;
};

// GatherElements: indices of data's rank pick, for each of their elements, data's element at
// the same position but for `axis`, where they give the index. The output has the indices'
// dims, which may not exceed data's off the axis (ONNX leaves that case undefined).
class GatherElementsOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", 0));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    const Dims& x = in[0]->dims;
    const Dims& idx = in[1]->dims;
    if (x.size() != idx.size()) {
      return InvalidModel("indices " + DimsToString(idx) + " and data " + DimsToString(x) +
                          " must have the same rank");
    }
    LITECNN_RETURN_IF_ERROR(CheckOperands(*in[0], *in[1], axis_attr_, &axis_));
    for (size_t k = 0; k < x.size(); ++k) {
      if (k != axis_ && idx[k] > x[k]) {
        return InvalidModel("indices " + DimsToString(idx) + " exceed data " + DimsToString(x) +
                            " on axis " + std::to_string(k));
      }
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = idx;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const TensorView& idx = in[1];
    const int64_t axis_dim = x.dims[axis_];
    LITECNN_RETURN_IF_ERROR(CheckIndices(idx.data, idx.dtype, idx.num_elements(), axis_dim));
    // Data's strides walked over the indices' box, the axis's left out: the index adds it.
    std::vector<ptrdiff_t> strides = LogicalStrides(x.dims, Layout::kPlain);
    const ptrdiff_t axis_stride = strides[axis_];
    strides[axis_] = 0;
    const size_t esize = DataTypeSize(x.dtype);
    const char* src = x.as<const char>();
    char* dst = out[0].as<char>();
    ForEachBroadcast<1>(idx.dims, {strides.data()}, [&](int64_t i, const auto& at) {
      int64_t k = IndexAt(idx.data, idx.dtype, i);
      if (k < 0) k += axis_dim;
      std::memcpy(dst + i * esize, src + (at[0] + k * axis_stride) * esize, esize);
    });
    return Status::Ok();
  }

 private:
  int64_t axis_attr_ = 0;
  size_t axis_ = 0;
};

// GatherND: indices [i..., m] address slices of data [b..., d..., s...]: each last-axis tuple
// of m indices picks, within its batch (the first batch_dims axes, shared by data and
// indices), the slice of data's axes after the batch and the m indexed ones. Output:
// indices' dims but the last, then the slice's dims. batch_dims is version 12's (0 before);
// 13 adds types.
class GatherNDOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    if (attrs.version() >= 12) {
      LITECNN_ASSIGN_OR_RETURN(batch_dims_, attrs.GetInt("batch_dims", 0));
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    const TensorDesc& data = *in[0];
    const TensorDesc& indices = *in[1];
    if (indices.dtype != DataType::kInt64 && indices.dtype != DataType::kInt32) {
      return InvalidModel(std::string("indices must be int64, got ") + DataTypeName(indices.dtype));
    }
    if (DataTypeSize(data.dtype) == 0) {
      return Unsupported(std::string("data element type ") + DataTypeName(data.dtype));
    }
    const Dims& x = data.dims;
    const Dims& idx = indices.dims;
    const int64_t r = static_cast<int64_t>(x.size()), q = static_cast<int64_t>(idx.size());
    const int64_t b = batch_dims_;
    // One message for every shape error (each concatenation chain costs wasm bytes).
    const char* why = nullptr;
    if (r < 1 || q < 1) {
      why = "both must have rank >= 1";
    } else if (b < 0 || b >= std::min(r, q)) {
      why = "batch_dims must be in [0, the lower rank)";
    } else if (idx[q - 1] < 1 || idx[q - 1] > r - b) {
      why = "indices' last dim must be in [1, data's rank - batch_dims]";
    } else if (!std::equal(x.begin(), x.begin() + b, idx.begin())) {
      why = "their first batch_dims dims differ";
    }
    if (why) {
      return InvalidModel("data " + DimsToString(x) + ", indices " + DimsToString(idx) +
                          ", batch_dims " + std::to_string(b) + ": " + why);
    }
    const int64_t m = idx[q - 1];
    if (indices.is_constant()) {
      const Tensor& t = *indices.constant;
      const Status st = CheckNdIndices(t.raw(), t.dtype(), t.num_elements(), x, b, m);
      if (!st.ok()) return InvalidModel("constant " + st.message());
    }
    Dims dims(idx.begin(), idx.end() - 1);
    dims.insert(dims.end(), x.begin() + b + m, x.end());
    out->at(0).dtype = data.dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& x = in[0].dims;
    const TensorView& idx = in[1];
    const size_t b = static_cast<size_t>(batch_dims_);
    const int64_t m = idx.dims.back();
    const int64_t n_idx = idx.num_elements();
    LITECNN_RETURN_IF_ERROR(CheckNdIndices(idx.data, idx.dtype, n_idx, x, batch_dims_, m));
    int64_t batches = 1, slice = 1;
    for (size_t k = 0; k < b; ++k) batches *= x[k];
    for (size_t k = b + m; k < x.size(); ++k) slice *= x[k];
    const std::vector<ptrdiff_t> strides = LogicalStrides(x, Layout::kPlain);
    const int64_t batch_stride = b > 0 ? strides[b - 1] : 0;
    const int64_t tuples = m > 0 ? n_idx / m : 0;
    const int64_t per_batch = batches > 0 ? tuples / batches : 0;
    const size_t esize = DataTypeSize(in[0].dtype);
    const size_t row = static_cast<size_t>(slice) * esize;
    const char* src = in[0].as<const char>();
    char* dst = out[0].as<char>();
    for (int64_t t = 0; t < tuples; ++t) {
      int64_t at = (t / per_batch) * batch_stride;
      for (int64_t j = 0; j < m; ++j) {
        const int64_t dim = x[b + j];
        int64_t k = IndexAt(idx.data, idx.dtype, t * m + j);
        if (k < 0) k += dim;
        at += k * strides[b + j];
      }
      std::memcpy(dst + t * row, src + at * esize, row);
    }
    return Status::Ok();
  }

 private:
  // Every index in [-dim, dim) of the data axis it addresses (position j of a tuple: axis
  // batch_dims + j), or an error naming the first that is not.
  static Status CheckNdIndices(const void* indices, DataType type, int64_t n, const Dims& x,
                               int64_t batch_dims, int64_t m) {
    for (int64_t i = 0; i < n; ++i) {
      const int64_t axis = batch_dims + i % m;
      const int64_t k = IndexAt(indices, type, i), dim = x[axis];
      if (k < -dim || k >= dim) {
        return InvalidArgument("index " + std::to_string(k) + " (element " + std::to_string(i) +
                               " of the indices) out of range [" + std::to_string(-dim) + ", " +
                               std::to_string(dim) + ") of data axis " + std::to_string(axis));
      }
    }
    return Status::Ok();
  }

  int64_t batch_dims_ = 0;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateGather(const Attributes& a) { return CreateOp<GatherOp>(a); }
Result<std::unique_ptr<Op>> CreateGatherElements(const Attributes& a) {
  return CreateOp<GatherElementsOp>(a);
}
Result<std::unique_ptr<Op>> CreateGatherND(const Attributes& a) { return CreateOp<GatherNDOp>(a); }

}  // namespace litecnn
