// Bounds-checked reader for the protobuf wire format (the encoding of .onnx and .pb files).
// It knows nothing about ONNX messages: the decoders in decoder.cc drive it field by field and
// pass a FieldId so that every error names the message, the field and the absolute byte offset,
// e.g. "TensorProto.dims (field 1) at byte 1234: truncated varint".
// Contract: no method reads outside [begin, end); on error the reader's position is unspecified
// and the caller must stop decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace litecnn::onnx::wire {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

const char* WireTypeName(WireType type);

// Identifies a field for error messages. `name` is null for fields the decoder does not know.
struct FieldId {
  const char* message;  // "TensorProto"
  const char* name;     // "dims"
  uint32_t number;
};

// "TensorProto.dims (field 1)" or "TensorProto field 99" for unknown fields.
std::string DescribeField(const FieldId& field);

// "<field> at byte <offset>: <what>" with the given code.
Status FieldError(StatusCode code, const FieldId& field, size_t offset, const std::string& what);

struct Tag {
  uint32_t field = 0;
  WireType type = WireType::kVarint;
  size_t offset = 0;  // absolute offset of the tag's first byte
};

class Reader {
 public:
  Reader() = default;
  // `base_offset` is the absolute file offset of data[0]; errors report absolute offsets.
  Reader(const uint8_t* data, size_t size, size_t base_offset = 0)
      : begin_(data), pos_(data), end_(data + size), base_offset_(base_offset) {}

  bool AtEnd() const { return pos_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  // Absolute offset of the next unread byte.
  size_t offset() const { return base_offset_ + static_cast<size_t>(pos_ - begin_); }

  // Reads the next field tag of `message`. Rejects field number 0, numbers above 2^29-1 and
  // the reserved wire types 6 and 7.
  Status ReadTag(const char* message, Tag* tag);

  // Raw value readers; `field` only names the field in errors.
  Status ReadVarint(const FieldId& field, uint64_t* value);
  Status ReadFixed32(const FieldId& field, uint32_t* value);
  Status ReadFixed64(const FieldId& field, uint64_t* value);
  // Reads a length prefix and returns the payload as a view into the input (no copy). The
  // length is checked against the bytes remaining in this reader, so a hostile prefix can never
  // cause an allocation or an out-of-bounds read.
  Status ReadLengthDelimited(const FieldId& field, std::string_view* payload);
  // Same, returning a reader over the payload that reports absolute offsets.
  Status ReadSubmessage(const FieldId& field, Reader* sub);

  // Skips the value of a field whose tag was just read. Groups are skipped including nested
  // groups up to `max_group_depth` levels (LimitExceeded beyond); an end-group tag without a
  // matching start, or a group that runs past the end of its enclosing message, is an error.
  Status SkipField(const FieldId& field, const Tag& tag, int max_group_depth);

 private:
  Status SkipScalar(const FieldId& field, WireType type);

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_offset_ = 0;
};

// --- typed field readers ---------------------------------------------------------------------
// Each checks the tag's wire type against the field's declared type first: a mismatch (e.g. a
// length-delimited value for an int64 field) is InvalidModel naming the field.

// InvalidModel naming the field unless tag.type == expected (used before skipping a known
// field, so that e.g. a varint doc_string is still reported as malformed).
Status CheckWireType(const Tag& tag, const FieldId& field, WireType expected);

// int64 / enum fields: varint, two's complement for negatives.
Status ReadInt64(Reader& r, const Tag& tag, const FieldId& field, int64_t* value);
// int32 / enum fields: varint truncated to 32 bits, as protobuf parsers do.
Status ReadInt32(Reader& r, const Tag& tag, const FieldId& field, int32_t* value);
Status ReadFloat(Reader& r, const Tag& tag, const FieldId& field, float* value);
// string / bytes fields (no UTF-8 validation: ONNX names are opaque to litecnn).
Status ReadString(Reader& r, const Tag& tag, const FieldId& field, std::string* value);
Status ReadBytesView(Reader& r, const Tag& tag, const FieldId& field, std::string_view* value);
Status ReadSubmessage(Reader& r, const Tag& tag, const FieldId& field, Reader* sub);

// Repeated scalar fields. Protobuf parsers must accept both the packed encoding (one
// length-delimited run) and the unpacked one (one tag per element), even mixed within a
// message, so each call appends either one element or a whole packed run to `values`.
Status ReadRepeatedInt64(Reader& r, const Tag& tag, const FieldId& field,
                         std::vector<int64_t>* values);
Status ReadRepeatedInt32(Reader& r, const Tag& tag, const FieldId& field,
                         std::vector<int32_t>* values);
Status ReadRepeatedUint64(Reader& r, const Tag& tag, const FieldId& field,
                          std::vector<uint64_t>* values);
Status ReadRepeatedFloat(Reader& r, const Tag& tag, const FieldId& field,
                         std::vector<float>* values);
Status ReadRepeatedDouble(Reader& r, const Tag& tag, const FieldId& field,
                          std::vector<double>* values);

}  // namespace litecnn::onnx::wire
