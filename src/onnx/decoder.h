// Decodes a serialized onnx.ModelProto (protobuf wire format) into onnx::Model.
// Contract: every read is bounds-checked; any malformed, truncated or oversized input yields a
// non-ok Status naming the message, field and byte offset; no input can crash, abort or make the
// decoder allocate more than a small multiple of the input size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/limits.h"
#include "core/status.h"
#include "onnx/model_proto.h"

namespace litecnn::onnx {

// The decoder checks max_model_bytes, max_nodes, and max_rank and max_tensor_elements of every
// TensorProto (see core/limits.h), plus the wire format's own nesting depth.
struct DecodeLimits : Limits {
  int max_nesting = 16;  // message nesting depth
};

// Tensor bytes kept outside the buffer being decoded. The JS API cuts the large raw_data
// payloads out of a model file before it copies the file into wasm memory
// (web/src/onnx_split.js), so that a 14 MB file never sits in wasm memory beside the tensors
// made from it, which would set the page's memory peak and cost a copy: each payload is copied
// once, from JS straight into its tensor. In such a buffer a TensorProto names its payload with
// the varint field kExternalPayloadField, which is read only when payloads are given.
struct ExternalPayloads {
  std::vector<size_t> sizes;
  // Copies payload `index` (sizes[index] bytes) into dst.
  std::function<void(size_t index, void* dst)> read;
};
inline constexpr uint32_t kExternalPayloadField = 4095;

// Decodes a whole .onnx file. Besides wire-format errors, fails (InvalidModel) when the model
// has no graph or no opset_import, Unsupported for features litecnn cannot represent (external
// data, sparse initializers, string tensors, tensor types other than those of core::DataType,
// attribute references), LimitExceeded when a limit above would be exceeded.
Result<Model> DecodeModel(const uint8_t* data, size_t size, const DecodeLimits& limits = {},
                          const ExternalPayloads* payloads = nullptr);

// Decodes one serialized onnx.TensorProto (the input_N.pb / output_N.pb files of ONNX's node
// tests) with the same checks as initializers inside DecodeModel.
Result<NamedTensor> DecodeTensor(const uint8_t* data, size_t size, const DecodeLimits& limits = {});

}  // namespace litecnn::onnx
