// Decodes a .tflite file (a FlatBuffer of schema tflite.Model, identifier "TFL3") into
// tflite::Model.
// Contract: every read is bounds-checked (tflite/flatbuffer.h); any malformed, truncated or
// oversized input yields a non-ok Status naming the table, field and byte offset (prefixed with
// where it sits: "subgraph 0: tensor 12: Tensor.shape (field 0) at byte ..."); no input can
// crash, abort or make the decoder allocate more than a small multiple of the input size.
// The model's buffers and custom options stay in the input: the input must outlive the Model.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/limits.h"
#include "core/status.h"
#include "tflite/model.h"

namespace litecnn::tflite {

// The decoder checks max_model_bytes, max_nodes (operators of all subgraphs), and max_rank and
// max_tensor_elements of every tensor's shape (see core/limits.h).
struct DecodeLimits : Limits {
  // Tensors of all subgraphs (the target models have 200 to 600).
  int64_t max_tensors = 100000;
};

// True when bytes 4-7 are TFLite's file identifier "TFL3": how a loader tells a .tflite from an
// .onnx by its bytes, not its name.
bool HasTfliteIdentifier(const uint8_t* data, size_t size);

// Decodes a whole .tflite file. Fails (InvalidModel) on any malformed table, a model without
// subgraphs, an index out of range (opcode, tensor, buffer), a buffer both inline and external;
// LimitExceeded when a limit above would be exceeded.
Result<Model> DecodeModel(const uint8_t* data, size_t size, const DecodeLimits& limits = {});

}  // namespace litecnn::tflite
