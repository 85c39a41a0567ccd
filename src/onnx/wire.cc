#include "onnx/wire.h"

#include <cstring>

namespace litecnn::onnx::wire {
namespace {

// Protobuf limits field numbers to 29 bits; the tag varint therefore fits in 32 bits.
constexpr uint64_t kMaxTag = 0xFFFFFFFFu;
constexpr int kMaxVarintBytes = 10;

Status WireTypeMismatch(const FieldId& field, const Tag& tag, const char* expected) {
  return FieldError(StatusCode::kInvalidModel, field, tag.offset,
                    std::string("wire type ") + std::to_string(static_cast<int>(tag.type)) + " (" +
                        WireTypeName(tag.type) + ") where " + expected + " expected");
}

// Counts the varints in a packed run (bytes without the continuation bit) so that the output
// vector is reserved once; the count is bounded by the run's length, which the walk has already
// checked against the input.
size_t CountVarints(std::string_view run) {
  size_t n = 0;
  for (char c : run) n += (static_cast<uint8_t>(c) & 0x80) ? 0 : 1;
  return n;
}

// Unreachable when the field's FieldSpec::kind matches the vector it is appended to: a decoder
// whose table and callback disagree is a bug (Internal, which the fuzz targets trap on), not a
// malformed file, and gets an error instead of misread values.
Status KindMismatch(const Field& field, const char* expected) {
  return FieldError(StatusCode::kInternal, field.id, field.offset,
                    std::string("wire type ") + WireTypeName(field.type) + " reached a reader of " +
                        expected + ": the decoder's table disagrees with its callback");
}

// Shared body of the repeated varint readers; Convert maps the raw 64-bit value.
template <typename T, typename Convert>
Status AppendRepeatedVarint(const Field& field, std::vector<T>* values, Convert convert) {
  if (field.type == WireType::kVarint) {
    values->push_back(convert(field.scalar));
    return Status::Ok();
  }
  if (field.type != WireType::kLengthDelimited) return KindMismatch(field, "varint or packed run");
  Reader packed(reinterpret_cast<const uint8_t*>(field.bytes.data()), field.bytes.size(),
                field.bytes_offset);
  values->reserve(values->size() + CountVarints(field.bytes));
  while (!packed.AtEnd()) {
    uint64_t v = 0;
    LITECNN_RETURN_IF_ERROR(packed.ReadVarint(field.id, &v));
    values->push_back(convert(v));
  }
  return Status::Ok();
}

// Shared body of the repeated fixed-width readers (float, double).
template <typename T, WireType kType>
Status AppendRepeatedFixed(const Field& field, std::vector<T>* values) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "fixed32 or fixed64 only");
  if (field.type == kType) {
    T v;
    if constexpr (sizeof(T) == 4) {
      const uint32_t bits = static_cast<uint32_t>(field.scalar);
      std::memcpy(&v, &bits, sizeof(v));
    } else {
      std::memcpy(&v, &field.scalar, sizeof(v));
    }
    values->push_back(v);
    return Status::Ok();
  }
  if (field.type != WireType::kLengthDelimited) {
    return KindMismatch(field, sizeof(T) == 4 ? "fixed32 or packed run" : "fixed64 or packed run");
  }
  const std::string_view run = field.bytes;
  if (run.size() % sizeof(T) != 0) {
    // At the length prefix, where the run's size is stated.
    return FieldError(StatusCode::kInvalidModel, field.id, field.value_offset,
                      "packed run of " + std::to_string(run.size()) +
                          " bytes is not a multiple of " + std::to_string(sizeof(T)));
  }
  const size_t n = run.size() / sizeof(T);
  // An empty run adds nothing; memcpy to an empty vector's null data() is undefined even for
  // 0 bytes (UBSan, found by fuzz_load).
  if (n == 0) return Status::Ok();
  const size_t old = values->size();
  values->resize(old + n);
  // The wire format is little-endian, like every host litecnn targets (x86, arm, wasm).
  std::memcpy(values->data() + old, run.data(), run.size());
  return Status::Ok();
}

// The wire type a known field must have (or, for a repeated scalar, a packed run instead) and
// what an error says was expected.
struct KindRule {
  WireType type;
  bool packed;
  const char* expected;
};

KindRule RuleFor(FieldKind kind) {
  switch (kind) {
    case FieldKind::kVarint:
      return {WireType::kVarint, false, "varint"};
    case FieldKind::kFixed32:
      return {WireType::kFixed32, false, "fixed32"};
    case FieldKind::kBytes:
      return {WireType::kLengthDelimited, false, "length-delimited"};
    case FieldKind::kMessage:
      return {WireType::kLengthDelimited, false, "length-delimited message"};
    case FieldKind::kPackedVarint:
      return {WireType::kVarint, true, "varint or packed run"};
    case FieldKind::kPackedFixed32:
      return {WireType::kFixed32, true, "fixed32 or packed run"};
    case FieldKind::kPackedFixed64:
      return {WireType::kFixed64, true, "fixed64 or packed run"};
    case FieldKind::kUnsupported:
      break;  // reported before its wire type matters
  }
  return {WireType::kLengthDelimited, false, "a supported field"};
}

// One nesting level for the lifetime of one walk, left on every return path.
class Level {
 public:
  explicit Level(Nesting* nesting) : nesting_(nesting) { ++nesting_->depth; }
  ~Level() { --nesting_->depth; }
  Level(const Level&) = delete;
  Level& operator=(const Level&) = delete;

 private:
  Nesting* nesting_;
};

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the decoder copies little-endian wire data directly");

const char* WireTypeName(WireType type) {
  switch (type) {
    case WireType::kVarint:
      return "varint";
    case WireType::kFixed64:
      return "fixed64";
    case WireType::kLengthDelimited:
      return "length-delimited";
    case WireType::kStartGroup:
      return "start-group";
    case WireType::kEndGroup:
      return "end-group";
    case WireType::kFixed32:
      return "fixed32";
  }
  return "invalid";
}

std::string DescribeField(const FieldId& field) {
  std::string s = field.message;
  if (field.name != nullptr) {
    return s + "." + field.name + " (field " + std::to_string(field.number) + ")";
  }
  if (field.number == 0) return s + " tag";
  return s + " field " + std::to_string(field.number);
}

Status FieldError(StatusCode code, const FieldId& field, size_t offset, const std::string& what) {
  return Status(code, DescribeField(field) + " at byte " + std::to_string(offset) + ": " + what);
}

Status Reader::ReadVarintSlow(const FieldId& field, uint64_t* value) {
  const size_t start = offset();
  uint64_t result = 0;
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    if (pos_ == end_)
      return FieldError(StatusCode::kInvalidModel, field, start, "truncated varint");
    const uint8_t b = *pos_++;
    if (i == kMaxVarintBytes - 1 && b > 1) {
      // The 10th byte carries bit 63 only; anything more is either an 11+ byte varint or a
      // value that does not fit in 64 bits.
      return FieldError(StatusCode::kInvalidModel, field, start,
                        (b & 0x80) ? "varint longer than 10 bytes" : "varint overflows 64 bits");
    }
    result |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      *value = result;
      return Status::Ok();
    }
  }
  // Unreachable: the 10th byte either ends the varint or fails above.
  return FieldError(StatusCode::kInternal, field, start, "varint decoding");
}

Status Reader::ReadTagSlow(const char* message, Tag* tag) {
  const FieldId tag_id{message, nullptr, 0};
  tag->offset = offset();
  uint64_t v = 0;
  LITECNN_RETURN_IF_ERROR(ReadVarint(tag_id, &v));
  if (v > kMaxTag) {
    return FieldError(StatusCode::kInvalidModel, tag_id, tag->offset,
                      "tag " + std::to_string(v) + " exceeds 32 bits");
  }
  const uint32_t field = static_cast<uint32_t>(v >> 3);
  const uint32_t type = static_cast<uint32_t>(v & 7);
  if (field == 0) {
    return FieldError(StatusCode::kInvalidModel, tag_id, tag->offset, "field number 0 is invalid");
  }
  if (type > static_cast<uint32_t>(WireType::kFixed32)) {
    return FieldError(StatusCode::kInvalidModel, FieldId{message, nullptr, field}, tag->offset,
                      "invalid wire type " + std::to_string(type));
  }
  tag->field = field;
  tag->type = static_cast<WireType>(type);
  return Status::Ok();
}

Status Reader::ReadFixed32(const FieldId& field, uint32_t* value) {
  if (remaining() < 4) {
    return FieldError(StatusCode::kInvalidModel, field, offset(), "truncated fixed32");
  }
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 4;
  *value = v;
  return Status::Ok();
}

Status Reader::ReadFixed64(const FieldId& field, uint64_t* value) {
  if (remaining() < 8) {
    return FieldError(StatusCode::kInvalidModel, field, offset(), "truncated fixed64");
  }
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 8;
  *value = v;
  return Status::Ok();
}

Status Reader::ReadLengthDelimited(const FieldId& field, std::string_view* payload) {
  const size_t start = offset();
  uint64_t len = 0;
  LITECNN_RETURN_IF_ERROR(ReadVarint(field, &len));
  // Compare in uint64_t before narrowing: on wasm32 size_t is 32 bits.
  if (len > remaining()) {
    return FieldError(StatusCode::kInvalidModel, field, start,
                      "length " + std::to_string(len) + " exceeds the " +
                          std::to_string(remaining()) + " bytes remaining");
  }
  *payload = std::string_view(reinterpret_cast<const char*>(pos_), static_cast<size_t>(len));
  pos_ += static_cast<size_t>(len);
  return Status::Ok();
}

Status Reader::ReadSubmessage(const FieldId& field, Reader* sub) {
  std::string_view payload;
  LITECNN_RETURN_IF_ERROR(ReadLengthDelimited(field, &payload));
  const size_t payload_offset = offset() - payload.size();
  *sub = Reader(reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), payload_offset);
  return Status::Ok();
}

Status Reader::SkipScalar(const FieldId& field, WireType type) {
  uint64_t u64 = 0;
  uint32_t u32 = 0;
  std::string_view view;
  switch (type) {
    case WireType::kVarint:
      return ReadVarint(field, &u64);
    case WireType::kFixed64:
      return ReadFixed64(field, &u64);
    case WireType::kLengthDelimited:
      return ReadLengthDelimited(field, &view);
    case WireType::kFixed32:
      return ReadFixed32(field, &u32);
    case WireType::kStartGroup:
    case WireType::kEndGroup:
      break;
  }
  return FieldError(StatusCode::kInternal, field, offset(), "SkipScalar called on a group");
}

Status Reader::SkipField(const FieldId& field, const Tag& tag, int max_group_depth) {
  if (tag.type == WireType::kEndGroup) {
    return FieldError(StatusCode::kInvalidModel, field, tag.offset,
                      "end-group tag without a matching start-group");
  }
  if (tag.type != WireType::kStartGroup) return SkipScalar(field, tag.type);

  // Groups (deprecated, but legal in proto2 files) are skipped iteratively with an explicit
  // stack of open field numbers, so hostile nesting costs neither native stack nor more memory
  // than the depth limit allows.
  std::vector<uint32_t> open;
  open.push_back(tag.field);
  while (!open.empty()) {
    if (static_cast<int>(open.size()) > max_group_depth) {
      return FieldError(StatusCode::kLimitExceeded, field, tag.offset,
                        "groups nested deeper than " + std::to_string(max_group_depth));
    }
    if (AtEnd()) {
      return FieldError(StatusCode::kInvalidModel, field, tag.offset,
                        "group not terminated before the end of its message");
    }
    Tag inner;
    LITECNN_RETURN_IF_ERROR(ReadTag(field.message, &inner));
    const FieldId inner_id{field.message, nullptr, inner.field};
    if (inner.type == WireType::kEndGroup) {
      if (inner.field != open.back()) {
        return FieldError(
            StatusCode::kInvalidModel, inner_id, inner.offset,
            "end-group tag does not match start-group field " + std::to_string(open.back()));
      }
      open.pop_back();
    } else if (inner.type == WireType::kStartGroup) {
      open.push_back(inner.field);
    } else {
      LITECNN_RETURN_IF_ERROR(SkipScalar(inner_id, inner.type));
    }
  }
  return Status::Ok();
}

// --- ForEachField ----------------------------------------------------------------------------

float Field::AsFloat() const {
  const uint32_t bits = static_cast<uint32_t>(scalar);
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

Status ForEachField(Reader r, const MessageSpec& spec, Nesting* nesting, FieldVisitor visit) {
  Level level(nesting);
  // Checked at every message: decoders recurse into submessages from their callbacks, so this
  // bounds their native stack whatever the file says.
  if (nesting->depth > nesting->max) {
    return LimitExceeded(std::string(spec.name) + " at byte " + std::to_string(r.offset()) +
                         ": messages nested deeper than " + std::to_string(nesting->max));
  }
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(spec.name, &tag));
    const FieldSpec* known = spec.Find(tag.field);
    Field field;
    field.id = FieldId{spec.name, known != nullptr ? known->name : nullptr, tag.field};
    field.type = tag.type;
    field.offset = tag.offset;
    field.value_offset = r.offset();
    if (known != nullptr) {
      // Before the value is read: an unsupported feature is reported as such even when its
      // bytes are also malformed, and a wrong wire type names the field it was meant for.
      if (known->kind == FieldKind::kUnsupported) {
        return FieldError(StatusCode::kUnsupported, field.id, tag.offset, known->unsupported);
      }
      const KindRule rule = RuleFor(known->kind);
      if (tag.type != rule.type && !(rule.packed && tag.type == WireType::kLengthDelimited)) {
        return WireTypeMismatch(field.id, tag, rule.expected);
      }
    }
    switch (tag.type) {
      case WireType::kVarint:
        LITECNN_RETURN_IF_ERROR(r.ReadVarint(field.id, &field.scalar));
        break;
      case WireType::kFixed64:
        LITECNN_RETURN_IF_ERROR(r.ReadFixed64(field.id, &field.scalar));
        break;
      case WireType::kFixed32: {
        uint32_t v = 0;
        LITECNN_RETURN_IF_ERROR(r.ReadFixed32(field.id, &v));
        field.scalar = v;
        break;
      }
      case WireType::kLengthDelimited:
        LITECNN_RETURN_IF_ERROR(r.ReadLengthDelimited(field.id, &field.bytes));
        field.bytes_offset = r.offset() - field.bytes.size();
        break;
      case WireType::kStartGroup:
      case WireType::kEndGroup:
        // Only unknown fields get here (no FieldKind accepts a group). Nested groups share the
        // message nesting limit, so that groups cannot reach deeper than messages could.
        LITECNN_RETURN_IF_ERROR(r.SkipField(field.id, tag, nesting->max - nesting->depth));
        break;
    }
    LITECNN_RETURN_IF_ERROR(visit(field));
  }
  return Status::Ok();
}

Status AppendRepeated(const Field& field, std::vector<int64_t>* values) {
  return AppendRepeatedVarint(field, values, [](uint64_t v) { return static_cast<int64_t>(v); });
}

Status AppendRepeated(const Field& field, std::vector<int32_t>* values) {
  return AppendRepeatedVarint(
      field, values, [](uint64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); });
}

Status AppendRepeated(const Field& field, std::vector<uint64_t>* values) {
  return AppendRepeatedVarint(field, values, [](uint64_t v) { return v; });
}

Status AppendRepeated(const Field& field, std::vector<float>* values) {
  return AppendRepeatedFixed<float, WireType::kFixed32>(field, values);
}

Status AppendRepeated(const Field& field, std::vector<double>* values) {
  return AppendRepeatedFixed<double, WireType::kFixed64>(field, values);
}

}  // namespace litecnn::onnx::wire
