// Bounds-checked reader for the protobuf wire format (the encoding of .onnx and .pb files).
// It knows nothing about ONNX messages: the decoders in decoder.cc describe each message's known
// fields (a MessageSpec) and ForEachField walks it, so that every error names the message, the
// field and the absolute byte offset, e.g. "TensorProto.dims (field 1) at byte 1234: truncated
// varint".
// Contract: no method reads outside [begin, end); on error the reader's position is unspecified
// and the caller must stop decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
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
  Status ReadTag(const char* message, Tag* tag) {
    // Inline for a one-byte tag (fields 1-15 of a valid wire type: most tags of an ONNX file),
    // which keeps the generic walk as fast as the hand-written loops it replaced.
    if (pos_ != end_ && *pos_ < 0x80 && (*pos_ >> 3) != 0 && (*pos_ & 7) <= 5) {
      tag->offset = offset();
      tag->field = *pos_ >> 3;
      tag->type = static_cast<WireType>(*pos_ & 7);
      ++pos_;
      return Status::Ok();
    }
    return ReadTagSlow(message, tag);
  }

  // Raw value readers; `field` only names the field in errors.
  Status ReadVarint(const FieldId& field, uint64_t* value) {
    if (pos_ != end_ && *pos_ < 0x80) {  // one byte: lengths, small ints (inline, as above)
      *value = *pos_++;
      return Status::Ok();
    }
    return ReadVarintSlow(field, value);
  }
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
  // Any tag or varint, with every check; the inline readers above take their common case.
  Status ReadTagSlow(const char* message, Tag* tag);
  Status ReadVarintSlow(const FieldId& field, uint64_t* value);
  Status SkipScalar(const FieldId& field, WireType type);

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_offset_ = 0;
};

// --- ForEachField: the one message loop --------------------------------------------------------
// Every message decoder is a table of the fields it knows and a callback that stores them. The
// walk owns everything the wire format requires of each field (bounds, wire types, nesting,
// skipping), so a decoder cannot forget a check and every error names the field the same way.

// What a known field must look like on the wire. A value of another wire type is InvalidModel
// naming the field, checked before its value is read (a varint doc_string is malformed even
// though it would be skipped).
enum class FieldKind : uint8_t {
  kVarint,         // int64, int32, enum, bool
  kFixed32,        // float
  kBytes,          // string, bytes, or a message the decoder skips
  kMessage,        // a submessage the decoder reads (same wire type as kBytes)
  kPackedVarint,   // repeated varint: one value, or a packed run (length-delimited)
  kPackedFixed32,  // repeated float
  kPackedFixed64,  // repeated double
  kUnsupported,    // Unsupported at its tag, whatever follows: FieldSpec::unsupported says why
};

struct FieldSpec {
  uint32_t number;
  const char* name;
  FieldKind kind;
  const char* unsupported = nullptr;  // kUnsupported only: "sparse initializers are not supported"
};

// A message's name and the fields a decoder knows; any other field number is unknown and is
// skipped whatever its wire type (groups included, up to the nesting limit).
struct MessageSpec {
  template <size_t N>
  constexpr MessageSpec(const char* name, const FieldSpec (&fields)[N])
      : MessageSpec(name, fields, N) {}
  constexpr MessageSpec(const char* name, const FieldSpec* fields, size_t count)
      : name(name), fields(fields), count(count), index{} {
    for (size_t i = 0; i < count && i < 255; ++i) {
      if (fields[i].number < kIndexed) index[fields[i].number] = static_cast<uint8_t>(i + 1);
    }
  }

  // The known field `number`, or null.
  const FieldSpec* Find(uint32_t number) const {
    if (number < kIndexed) return index[number] != 0 ? &fields[index[number] - 1] : nullptr;
    for (size_t i = 0; i < count; ++i) {
      if (fields[i].number == number) return &fields[i];
    }
    return nullptr;
  }

  const char* name;  // "TensorProto"
  const FieldSpec* fields;
  size_t count;

 private:
  // Every field of an ONNX message but litecnn's payload field has a number below 32: a direct
  // index for those, built at compile time, because a scan of the table per field made the walk
  // ~12% slower than the hand-written loops on a model of many small nodes.
  static constexpr uint32_t kIndexed = 32;
  uint8_t index[kIndexed];  // index[n]: 1 + the position of field n in `fields`; 0: unknown
};

// One field as the walk hands it over: its tag and its value, already read and bounds-checked.
struct Field {
  FieldId id;  // names the field in errors; id.name is null for unknown fields
  WireType type = WireType::kVarint;
  size_t offset = 0;        // absolute offset of the tag's first byte
  size_t value_offset = 0;  // absolute offset of the first byte after the tag
  uint64_t scalar = 0;      // kVarint, kFixed32 (low 32 bits) and kFixed64 values
  std::string_view bytes;   // kLengthDelimited payload, a view of the input (empty for groups)
  size_t bytes_offset = 0;  // absolute offset of bytes[0]

  // Conversions for the field kinds the walk has checked (they trust FieldSpec::kind).
  int64_t AsInt64() const { return static_cast<int64_t>(scalar); }
  // Truncated to 32 bits, as protobuf parsers do.
  int32_t AsInt32() const { return static_cast<int32_t>(static_cast<uint32_t>(scalar)); }
  float AsFloat() const;
  // Assigns the string into *out (no UTF-8 validation: ONNX names are opaque to litecnn).
  // Through assign rather than a returned copy, so that strings keep the capacities they had
  // before ForEachField and a decode makes the same allocations: exact-size copies shifted
  // glibc's heap enough that repeated MobileNetV2 loads took ~5x the page faults.
  void AssignString(std::string* out) const { out->assign(bytes.data(), bytes.size()); }
  // A reader over a submessage's payload that reports absolute offsets.
  Reader AsMessage() const {
    return Reader(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), bytes_offset);
  }
};

// The nesting depth shared by the walks of one decode: each ForEachField, including one a
// callback starts on a submessage, is one level, and groups count against what is left.
struct Nesting {
  explicit Nesting(int max) : max(max) {}
  int max;
  int depth = 0;
};

// A non-owning reference to the callback (any callable `Status(const Field&)`), so that the walk
// is one compiled function and a call costs no allocation. The callable must outlive the call.
class FieldVisitor {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FieldVisitor>>>
  FieldVisitor(F&& visit)  // NOLINT: implicit, so that a lambda can be passed in place
      : object_(&visit), call_([](void* object, const Field& field) {
          return (*static_cast<std::remove_reference_t<F>*>(object))(field);
        }) {}
  Status operator()(const Field& field) const { return call_(object_, field); }

 private:
  void* object_;
  Status (*call_)(void*, const Field&);
};

// Walks the fields of the message in `r` (all of it) in wire order and calls `visit` once per
// field, known or not (unknown ones may be ignored; a group arrives as its tag, its contents
// skipped). Fails, naming message, field and absolute byte offset, on the first of: nesting
// deeper than nesting->max (LimitExceeded), a malformed tag or value (truncated, overlong, a
// length past the end of the message, a stray or unterminated group: InvalidModel), a known field
// of the wrong wire type (InvalidModel) or of kind kUnsupported (Unsupported). An error `visit`
// returns stops the walk and is returned unchanged.
Status ForEachField(Reader r, const MessageSpec& spec, Nesting* nesting, FieldVisitor visit);

// Repeated scalar fields (kinds kPackedVarint, kPackedFixed32, kPackedFixed64). Protobuf parsers
// must accept both the packed encoding (one length-delimited run) and the unpacked one (one tag
// per element), even mixed within a message, so each call appends either one element or a whole
// packed run to `values`. Errors in a run name the field and the offset of the bad element.
Status AppendRepeated(const Field& field, std::vector<int64_t>* values);
Status AppendRepeated(const Field& field, std::vector<int32_t>* values);  // each cut to 32 bits
Status AppendRepeated(const Field& field, std::vector<uint64_t>* values);
Status AppendRepeated(const Field& field, std::vector<float>* values);
Status AppendRepeated(const Field& field, std::vector<double>* values);

}  // namespace litecnn::onnx::wire
