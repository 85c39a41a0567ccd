#include "onnx/tensor_proto.h"

#include <cstring>
#include <limits>

namespace litecnn::onnx {
namespace {

constexpr int32_t kDataLocationExternal = 1;

// The typed field ONNX uses for each supported element type when raw_data is absent.
enum class TypedField { kFloat, kInt32, kInt64, kDouble };

TypedField FieldFor(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return TypedField::kFloat;
    case DataType::kInt64:
      return TypedField::kInt64;
    case DataType::kFloat64:
      return TypedField::kDouble;
    // Per onnx.proto, int32_data also carries uint8, int8, bool (and 16-bit types).
    case DataType::kUint8:
    case DataType::kInt8:
    case DataType::kBool:
    case DataType::kInt32:
    case DataType::kUndefined:
      break;
  }
  return TypedField::kInt32;
}

class TensorBuilder {
 public:
  TensorBuilder(TensorProtoFields& f, const DecodeLimits& limits, const ExternalPayloads* payloads)
      : f_(f), limits_(limits), payloads_(payloads) {}

  Result<NamedTensor> Build() {
    if (f_.data_location == kDataLocationExternal || f_.has_external_data) {
      return Fail(StatusCode::kUnsupported,
                  "external data is not supported; embed the weights in the .onnx file");
    }
    if (!IsSupportedDataType(f_.data_type)) {
      return Fail(StatusCode::kUnsupported, "data type " + std::to_string(f_.data_type) + " (" +
                                                OnnxDataTypeName(f_.data_type) +
                                                ") is not supported");
    }
    const DataType dtype = static_cast<DataType>(f_.data_type);
    // Rank and element count before anything is allocated: dims are attacker-controlled.
    auto count = CheckTensorLimits(f_.dims, limits_, Who());
    if (!count.ok()) return count.status();
    const int64_t n = count.value();
    int64_t expected_bytes = 0;
    if (!CheckedMul(n, static_cast<int64_t>(DataTypeSize(dtype)), &expected_bytes)) {
      return Fail(StatusCode::kLimitExceeded, "byte size overflows");
    }

    LITECNN_RETURN_IF_ERROR(CheckTypedFields(dtype));
    const size_t typed_count = TypedCount(FieldFor(dtype));
    if (f_.has_raw_data) {
      if (typed_count != 0) {
        return Fail(StatusCode::kInvalidModel,
                    std::string("has both raw_data and ") + TypedFieldName(FieldFor(dtype)));
      }
      // Exact match: the data must be in the file, so a tensor can never be bigger than the
      // bytes that fill it.
      if (RawSize() != static_cast<uint64_t>(expected_bytes)) {
        return Fail(StatusCode::kInvalidModel,
                    "raw_data has " + std::to_string(RawSize()) + " bytes, expected " +
                        std::to_string(expected_bytes) + " for " + DataTypeName(dtype) + " " +
                        DimsToString(f_.dims));
      }
    } else if (typed_count != static_cast<uint64_t>(n)) {
      if (typed_count == 0) {
        return Fail(StatusCode::kInvalidModel, "has no data for its " + std::to_string(n) +
                                                   " elements (no raw_data or " +
                                                   TypedFieldName(FieldFor(dtype)) + ")");
      }
      return Fail(StatusCode::kInvalidModel,
                  "has " + std::to_string(typed_count) + " " + TypedFieldName(FieldFor(dtype)) +
                      " values, expected " + std::to_string(n) + " for " + DimsToString(f_.dims));
    }

    // raw_data fills every element (its size was checked above); typed fields are copied into
    // zeroed storage.
    auto created = f_.has_raw_data ? Tensor::CreateForOverwrite(dtype, f_.dims)
                                   : Tensor::Create(dtype, f_.dims);
    if (!created.ok()) return Fail(created.status().code(), created.status().message());
    Tensor tensor = std::move(created).value();
    if (f_.has_raw_data) {
      if (f_.external_payload >= 0) {
        if (RawSize() != 0) payloads_->read(static_cast<size_t>(f_.external_payload), tensor.raw());
      } else if (!f_.raw_data.empty()) {
        std::memcpy(tensor.raw(), f_.raw_data.data(), f_.raw_data.size());
      }
      if (dtype == DataType::kBool) NormalizeBools(tensor.data<uint8_t>(), n);
    } else {
      LITECNN_RETURN_IF_ERROR(CopyTyped(dtype, &tensor));
    }
    return NamedTensor{std::move(f_.name), std::move(tensor)};
  }

 private:
  // The decoder only sets external_payload to a valid index of payloads_.
  uint64_t RawSize() const {
    return f_.external_payload >= 0 ? payloads_->sizes[static_cast<size_t>(f_.external_payload)]
                                    : f_.raw_data.size();
  }

  static const char* TypedFieldName(TypedField field) {
    switch (field) {
      case TypedField::kFloat:
        return "float_data";
      case TypedField::kInt32:
        return "int32_data";
      case TypedField::kInt64:
        return "int64_data";
      case TypedField::kDouble:
        return "double_data";
    }
    return "?";
  }

  size_t TypedCount(TypedField field) const {
    switch (field) {
      case TypedField::kFloat:
        return f_.float_data.size();
      case TypedField::kInt32:
        return f_.int32_data.size();
      case TypedField::kInt64:
        return f_.int64_data.size();
      case TypedField::kDouble:
        return f_.double_data.size();
    }
    return 0;
  }

  // Values in a field that does not belong to the tensor's type would otherwise be silently
  // ignored (and the tensor reported as empty), so name the mix-up instead.
  Status CheckTypedFields(DataType dtype) const {
    const TypedField expected = FieldFor(dtype);
    for (TypedField field :
         {TypedField::kFloat, TypedField::kInt32, TypedField::kInt64, TypedField::kDouble}) {
      if (field != expected && TypedCount(field) != 0) {
        return Fail(StatusCode::kInvalidModel, std::string("stores values in ") +
                                                   TypedFieldName(field) + " but its type is " +
                                                   DataTypeName(dtype));
      }
    }
    if (!f_.uint64_data.empty()) {
      return Fail(
          StatusCode::kInvalidModel,
          std::string("stores values in uint64_data but its type is ") + DataTypeName(dtype));
    }
    return Status::Ok();
  }

  // bool is stored as one byte; any nonzero byte means true, as in numpy's bool(x). Normalising
  // keeps kernels free to assume 0/1.
  static void NormalizeBools(uint8_t* p, int64_t n) {
    for (int64_t i = 0; i < n; ++i) p[i] = p[i] != 0;
  }

  template <typename T>
  Status NarrowInt32(Tensor* t) const {
    T* out = t->data<T>();
    for (size_t i = 0; i < f_.int32_data.size(); ++i) {
      const int32_t v = f_.int32_data[i];
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
        return Fail(StatusCode::kInvalidModel,
                    "int32_data[" + std::to_string(i) + "] = " + std::to_string(v) +
                        " is out of range for " + DataTypeName(t->dtype()));
      }
      out[i] = static_cast<T>(v);
    }
    return Status::Ok();
  }

  Status CopyTyped(DataType dtype, Tensor* t) const {
    switch (dtype) {
      case DataType::kFloat32:
        if (!f_.float_data.empty()) {
          std::memcpy(t->raw(), f_.float_data.data(), f_.float_data.size() * sizeof(float));
        }
        return Status::Ok();
      case DataType::kInt64:
        if (!f_.int64_data.empty()) {
          std::memcpy(t->raw(), f_.int64_data.data(), f_.int64_data.size() * sizeof(int64_t));
        }
        return Status::Ok();
      case DataType::kFloat64:
        if (!f_.double_data.empty()) {
          std::memcpy(t->raw(), f_.double_data.data(), f_.double_data.size() * sizeof(double));
        }
        return Status::Ok();
      case DataType::kInt32:
        if (!f_.int32_data.empty()) {
          std::memcpy(t->raw(), f_.int32_data.data(), f_.int32_data.size() * sizeof(int32_t));
        }
        return Status::Ok();
      case DataType::kUint8:
        return NarrowInt32<uint8_t>(t);
      case DataType::kInt8:
        return NarrowInt32<int8_t>(t);
      case DataType::kBool: {
        uint8_t* out = t->data<uint8_t>();
        for (size_t i = 0; i < f_.int32_data.size(); ++i) out[i] = f_.int32_data[i] != 0;
        return Status::Ok();
      }
      case DataType::kUndefined:
        break;
    }
    return Fail(StatusCode::kInternal, "unexpected data type");
  }

  std::string Who() const {
    const std::string who =
        f_.name.empty() ? "TensorProto (unnamed)" : "TensorProto '" + f_.name + "'";
    return who + " at byte " + std::to_string(f_.offset);
  }

  Status Fail(StatusCode code, const std::string& what) const {
    return Status(code, Who() + ": " + what);
  }

  TensorProtoFields& f_;
  const DecodeLimits& limits_;
  const ExternalPayloads* payloads_;
};

}  // namespace

const char* OnnxDataTypeName(int32_t onnx_type) {
  switch (onnx_type) {
    case 0:
      return "undefined";
    case 1:
      return "float";
    case 2:
      return "uint8";
    case 3:
      return "int8";
    case 4:
      return "uint16";
    case 5:
      return "int16";
    case 6:
      return "int32";
    case 7:
      return "int64";
    case 8:
      return "string";
    case 9:
      return "bool";
    case 10:
      return "float16";
    case 11:
      return "double";
    case 12:
      return "uint32";
    case 13:
      return "uint64";
    case 14:
      return "complex64";
    case 15:
      return "complex128";
    case 16:
      return "bfloat16";
    case 17:
      return "float8e4m3fn";
    case 18:
      return "float8e4m3fnuz";
    case 19:
      return "float8e5m2";
    case 20:
      return "float8e5m2fnuz";
    case 21:
      return "uint4";
    case 22:
      return "int4";
    default:
      return "unknown";
  }
}

Result<NamedTensor> BuildTensor(TensorProtoFields& fields, const DecodeLimits& limits,
                                const ExternalPayloads* payloads) {
  return TensorBuilder(fields, limits, payloads).Build();
}

}  // namespace litecnn::onnx
