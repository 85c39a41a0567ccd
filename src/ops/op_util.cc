#include "ops/op_util.h"

#include <cstring>

#include "kernels/x32-copy/x32-copy.h"

namespace litecnn {

Status CheckInputCount(const std::vector<const TensorDesc*>& inputs, size_t required, size_t max) {
  if (inputs.size() < required || inputs.size() > max) {
    return InvalidModel("expects " + std::to_string(required) +
                        (max > required ? " to " + std::to_string(max) : std::string()) +
                        " inputs, got " + std::to_string(inputs.size()));
  }
  for (size_t i = 0; i < required; ++i) {
    if (!inputs[i]) return InvalidModel("input " + std::to_string(i) + " is required");
  }
  return Status::Ok();
}

Status CheckFloat(const TensorDesc& d, const char* what) {
  if (d.dtype != DataType::kFloat32) {
    return Unsupported(std::string(what) + " must be float32, got " + DataTypeName(d.dtype));
  }
  return Status::Ok();
}

Status CheckPerChannelInputs(const std::vector<const TensorDesc*>& inputs,
                             const std::vector<const char*>& names, int64_t channels) {
  for (size_t i = 1; i < names.size(); ++i) {
    LITECNN_RETURN_IF_ERROR(CheckFloat(*inputs[i], names[i]));
    if (inputs[i]->dims != Dims{channels}) {
      return InvalidModel(std::string(names[i]) + " must be [" + std::to_string(channels) +
                          "], got " + DimsToString(inputs[i]->dims));
    }
  }
  return Status::Ok();
}

Result<size_t> NormalizeAxis(int64_t axis, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    return InvalidModel("axis " + std::to_string(axis) + " out of range for rank " +
                        std::to_string(rank));
  }
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

Result<Dims> BroadcastDims(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return InvalidModel("shapes " + DimsToString(a) + " and " + DimsToString(b) +
                          " cannot be broadcast");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<ptrdiff_t> BroadcastStrides(const Dims& dims, Layout layout, const Dims& out_dims) {
  const std::vector<ptrdiff_t> s = LogicalStrides(dims, layout);
  std::vector<ptrdiff_t> out(out_dims.size(), 0);
  const size_t offset = out_dims.size() - dims.size();
  for (size_t i = 0; i < dims.size(); ++i) {
    out[offset + i] = dims[i] == 1 ? 0 : s[i];
  }
  return out;
}

void CopyStrided(size_t elem_size, const Dims& dims, const void* in,
                 const std::vector<ptrdiff_t>& in_strides, void* out,
                 const std::vector<ptrdiff_t>& out_strides) {
  for (int64_t d : dims) {
    if (d == 0) return;
  }
  if (elem_size == 4 && dims.size() <= kMaxCopyRank) {
    std::vector<size_t> udims(dims.begin(), dims.end());
    x32_copy_strided_to_strided__scalar(dims.size(), udims.data(), static_cast<const uint32_t*>(in),
                                        in_strides.data(), static_cast<uint32_t*>(out),
                                        out_strides.data());
    return;
  }
  // Other element sizes only occur in load-time shape arithmetic: a plain odometer loop.
  const size_t rank = dims.size();
  std::vector<int64_t> idx(rank, 0);
  const char* src = static_cast<const char*>(in);
  char* dst = static_cast<char*>(out);
  while (true) {
    ptrdiff_t si = 0, di = 0;
    for (size_t k = 0; k < rank; ++k) {
      si += idx[k] * in_strides[k];
      di += idx[k] * out_strides[k];
    }
    std::memcpy(dst + di * static_cast<ptrdiff_t>(elem_size),
                src + si * static_cast<ptrdiff_t>(elem_size), elem_size);
    size_t k = rank;
    while (k > 0) {
      --k;
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
      if (k == 0) return;
    }
    if (rank == 0) return;
  }
}

void CopyUnlessAliased(const TensorView& in, const TensorView& out) {
  if (in.data != out.data) {
    std::memcpy(out.data, in.data, in.num_elements() * DataTypeSize(in.dtype));
  }
}

Result<std::vector<int64_t>> ConstantInts(const TensorDesc* d, const char* what) {
  if (!d) return InvalidModel(std::string(what) + " is missing");
  if (!d->is_constant()) {
    return Unsupported(std::string(what) + " must be known at load time (a constant)");
  }
  const Tensor& t = *d->constant;
  if (t.dtype() != DataType::kInt64 && t.dtype() != DataType::kInt32) {
    return InvalidModel(std::string(what) + " must be int64, got " + DataTypeName(t.dtype()));
  }
  if (t.rank() > 1) return InvalidModel(std::string(what) + " must be 1-D");
  std::vector<int64_t> v(t.num_elements());
  for (int64_t i = 0; i < t.num_elements(); ++i) v[i] = t.GetAsInt64(i);
  return v;
}

Result<float> ConstantScalar(const TensorDesc* d, const char* what) {
  if (!d->is_constant()) {
    return Unsupported(std::string(what) + " must be known at load time (a constant)");
  }
  if (d->constant->num_elements() != 1) {
    return InvalidModel(std::string(what) + " must be a scalar");
  }
  return static_cast<float>(d->constant->GetAsDouble(0));
}

std::string IntsToString(const std::vector<int64_t>& v) { return DimsToString(v); }

}  // namespace litecnn
