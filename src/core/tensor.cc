#include "core/tensor.h"

#include <cstdlib>
#include <cstring>

namespace litecnn {

size_t DataTypeSize(DataType t) {
  switch (t) {
    case DataType::kFloat32:
      return 4;
    case DataType::kUint8:
      return 1;
    case DataType::kInt8:
      return 1;
    case DataType::kInt32:
      return 4;
    case DataType::kInt64:
      return 8;
    case DataType::kBool:
      return 1;
    case DataType::kFloat64:
      return 8;
    case DataType::kUndefined:
      return 0;
  }
  return 0;
}

const char* DataTypeName(DataType t) {
  switch (t) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kUint8:
      return "uint8";
    case DataType::kInt8:
      return "int8";
    case DataType::kInt32:
      return "int32";
    case DataType::kInt64:
      return "int64";
    case DataType::kBool:
      return "bool";
    case DataType::kFloat64:
      return "float64";
    case DataType::kUndefined:
      return "undefined";
  }
  return "unknown";
}

bool IsSupportedDataType(int32_t onnx_type) {
  switch (onnx_type) {
    case 1:
    case 2:
    case 3:
    case 6:
    case 7:
    case 9:
    case 11:
      return true;
    default:
      return false;
  }
}

std::string DimsToString(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

bool CheckedMul(int64_t a, int64_t b, int64_t* out) { return !__builtin_mul_overflow(a, b, out); }
bool CheckedAdd(int64_t a, int64_t b, int64_t* out) { return !__builtin_add_overflow(a, b, out); }

Result<int64_t> CheckedElementCount(const Dims& dims, int64_t max_elements) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) return InvalidModel("negative dimension in " + DimsToString(dims));
    if (!CheckedMul(n, d, &n) || n > max_elements) {
      return LimitExceeded("tensor of dims " + DimsToString(dims) + " has more than " +
                           std::to_string(max_elements) + " elements");
    }
  }
  return n;
}

Result<Tensor> Tensor::Create(DataType dtype, Dims dims) {
  LITECNN_ASSIGN_OR_RETURN(Tensor t, CreateForOverwrite(dtype, std::move(dims)));
  std::memset(t.raw(), 0, t.byte_size());
  return t;
}

Result<Tensor> Tensor::CreateForOverwrite(DataType dtype, Dims dims) {
  const size_t esize = DataTypeSize(dtype);
  if (esize == 0) return Unsupported("tensor data type " + std::string(DataTypeName(dtype)));
  // Keep byte sizes well inside size_t on 32-bit wasm.
  LITECNN_ASSIGN_OR_RETURN(int64_t n, CheckedElementCount(dims, (int64_t{1} << 31) / 8));
  Tensor t;
  t.dtype_ = dtype;
  t.dims_ = std::move(dims);
  t.num_elements_ = n;
  // 64-byte alignment: SIMD kernels and cache lines; +64 so that empty tensors still allocate.
  size_t bytes = (static_cast<size_t>(n) * esize + 63) / 64 * 64 + 64;
  void* p = AlignedAllocOrNull(bytes);
  if (!p) return OutOfMemory(bytes, "a tensor of dims " + DimsToString(t.dims_));
  // SIMD kernels may read whole vectors past the last element: keep that padding defined.
  const size_t data_bytes = static_cast<size_t>(n) * esize;
  std::memset(static_cast<char*>(p) + data_bytes, 0, bytes - data_bytes);
  t.data_.reset(p);
  return t;
}

namespace {

template <typename T>
Result<Tensor> FromValues(DataType dtype, Dims dims, const std::vector<T>& values) {
  LITECNN_ASSIGN_OR_RETURN(Tensor t, Tensor::CreateForOverwrite(dtype, std::move(dims)));
  if (values.size() != static_cast<size_t>(t.num_elements())) {
    return InvalidArgument(std::to_string(values.size()) + " values for a tensor of dims " +
                           DimsToString(t.dims()));
  }
  if (!values.empty()) std::memcpy(t.raw(), values.data(), values.size() * sizeof(T));
  return t;
}

}  // namespace

Result<Tensor> Tensor::FromFloats(Dims dims, const std::vector<float>& values) {
  return FromValues(DataType::kFloat32, std::move(dims), values);
}

Result<Tensor> Tensor::FromInt64s(Dims dims, const std::vector<int64_t>& values) {
  return FromValues(DataType::kInt64, std::move(dims), values);
}

Status Tensor::Reshape(Dims dims) {
  LITECNN_ASSIGN_OR_RETURN(int64_t n, CheckedElementCount(dims));
  if (n != num_elements_) {
    return InvalidArgument("cannot reshape " + DimsToString(dims_) + " to " + DimsToString(dims));
  }
  dims_ = std::move(dims);
  return Status::Ok();
}

Result<Tensor> Tensor::Clone() const {
  LITECNN_ASSIGN_OR_RETURN(Tensor t, CreateForOverwrite(dtype_, dims_));
  if (byte_size()) std::memcpy(t.raw(), raw(), byte_size());
  return t;
}

double Tensor::GetAsDouble(int64_t i) const {
  switch (dtype_) {
    case DataType::kFloat32:
      return data<float>()[i];
    case DataType::kUint8:
      return data<uint8_t>()[i];
    case DataType::kInt8:
      return data<int8_t>()[i];
    case DataType::kInt32:
      return data<int32_t>()[i];
    case DataType::kInt64:
      return static_cast<double>(data<int64_t>()[i]);
    case DataType::kBool:
      return data<uint8_t>()[i] ? 1.0 : 0.0;
    case DataType::kFloat64:
      return data<double>()[i];
    case DataType::kUndefined:
      return 0;
  }
  return 0;
}

int64_t Tensor::GetAsInt64(int64_t i) const {
  switch (dtype_) {
    case DataType::kInt64:
      return data<int64_t>()[i];
    case DataType::kInt32:
      return data<int32_t>()[i];
    default:
      return static_cast<int64_t>(GetAsDouble(i));
  }
}

}  // namespace litecnn
