// Tensor: a dtype, logical dims (ONNX order) and an owned, 64-byte aligned byte buffer.
// The physical arrangement of a tensor's bytes is described by the runtime (see Layout in
// graph/graph.h); a core Tensor is always dense row-major in its dims.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/alloc.h"
#include "core/status.h"

namespace litecnn {

// Values match onnx.TensorProto.DataType so that the decoder can map them directly.
enum class DataType : int32_t {
  kUndefined = 0,
  kFloat32 = 1,
  kUint8 = 2,
  kInt8 = 3,
  kInt32 = 6,
  kInt64 = 7,
  kBool = 9,
  kFloat64 = 11,
};

// Returns 0 for unsupported types.
size_t DataTypeSize(DataType t);
const char* DataTypeName(DataType t);
// True for the onnx element types litecnn can hold (those listed above).
bool IsSupportedDataType(int32_t onnx_type);

using Dims = std::vector<int64_t>;

// "[1, 3, 224, 224]"
std::string DimsToString(const Dims& dims);

// Product of dims with overflow and negativity checks; fails if any dim < 0 or the product
// exceeds max_elements.
Result<int64_t> CheckedElementCount(const Dims& dims, int64_t max_elements = INT64_MAX);

// Checked arithmetic for shape computations: false on overflow.
bool CheckedMul(int64_t a, int64_t b, int64_t* out);
bool CheckedAdd(int64_t a, int64_t b, int64_t* out);

class Tensor {
 public:
  Tensor() = default;
  // Allocates zero-initialised storage; fails on negative dims or overflow.
  static Result<Tensor> Create(DataType dtype, Dims dims);
  // As Create, but only the padding after the elements is zeroed: for a caller that writes every
  // element at once (the decoder copying raw_data), which saves a pass over the weights on load.
  static Result<Tensor> CreateForOverwrite(DataType dtype, Dims dims);
  // A tensor holding `values`, which must have as many elements as `dims`.
  static Result<Tensor> FromFloats(Dims dims, const std::vector<float>& values);
  static Result<Tensor> FromInt64s(Dims dims, const std::vector<int64_t>& values);

  DataType dtype() const { return dtype_; }
  const Dims& dims() const { return dims_; }
  size_t rank() const { return dims_.size(); }
  int64_t num_elements() const { return num_elements_; }
  size_t byte_size() const { return num_elements_ * DataTypeSize(dtype_); }

  void* raw() { return data_.get(); }
  const void* raw() const { return data_.get(); }
  template <typename T>
  T* data() {
    return static_cast<T*>(raw());
  }
  template <typename T>
  const T* data() const {
    return static_cast<const T*>(raw());
  }

  // Same bytes, new dims (element count must match). Used by Reshape-like ops on constants.
  Status Reshape(Dims dims);
  // A copy; fails as Create does (an undefined dtype, out of memory).
  Result<Tensor> Clone() const;
  // Element i as double / int64 regardless of dtype (for constant folding and tests).
  double GetAsDouble(int64_t i) const;
  int64_t GetAsInt64(int64_t i) const;

 private:
  DataType dtype_ = DataType::kUndefined;
  Dims dims_;
  int64_t num_elements_ = 0;
  AlignedPtr<void> data_;
};

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

}  // namespace litecnn
