// Turns the raw fields of a decoded onnx.TensorProto into a litecnn::Tensor. Split from the
// wire decoders because this is where the data-size checks live: every size is validated
// against limits and against the bytes actually present in the file before anything is
// allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "onnx/decoder.h"

namespace litecnn::onnx {

// TensorProto fields as they appear on the wire. `raw_data` views the input buffer, which must
// outlive the call to BuildTensor.
struct TensorProtoFields {
  size_t offset = 0;  // absolute offset of the TensorProto payload, for errors
  std::string name;
  Dims dims;
  int32_t data_type = 0;
  bool has_raw_data = false;
  std::string_view raw_data;
  int64_t external_payload = -1;  // >= 0: raw_data is ExternalPayloads entry of this index
  std::vector<float> float_data;
  std::vector<int32_t> int32_data;
  std::vector<int64_t> int64_data;
  std::vector<double> double_data;
  std::vector<uint64_t> uint64_data;
  int32_t data_location = 0;  // 1 == EXTERNAL
  bool has_external_data = false;
};

// ONNX's name for a TensorProto.DataType value ("float16"), or "unknown".
const char* OnnxDataTypeName(int32_t onnx_type);

// Validates `fields` and builds the tensor. Errors (InvalidModel, Unsupported, LimitExceeded)
// name the tensor and its byte offset.
// `payloads` provides raw_data for fields with an external_payload.
Result<NamedTensor> BuildTensor(TensorProtoFields& fields, const DecodeLimits& limits,
                                const ExternalPayloads* payloads = nullptr);

}  // namespace litecnn::onnx
