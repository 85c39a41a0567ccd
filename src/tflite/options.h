// The builtin options tables (schema.fbs union BuiltinOptions) litecnn reads, decoded by their
// union type. Internal to tflite/decoder.cc.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "tflite/flatbuffer.h"
#include "tflite/model.h"

namespace litecnn::tflite {

// Decodes Operator.builtin_options (of union type `type`, the operator's builtin_options_type)
// into *out: monostate when absent or of type NONE, the struct of that type, or OtherOptions
// for a type without fields or one litecnn does not read. The tables of such types are not
// followed, as the FlatBuffers Verifier does not follow union members it does not know.
// Vectors in options (ReshapeOptions.new_shape) may hold at most `max_rank` elements
// (LimitExceeded beyond).
Status DecodeBuiltinOptions(const fb::Table& op, uint8_t type, int64_t max_rank,
                            BuiltinOptions* out);

}  // namespace litecnn::tflite
