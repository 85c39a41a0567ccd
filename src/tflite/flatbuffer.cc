#include "tflite/flatbuffer.h"

namespace litecnn::tflite::fb {
namespace {

// FlatBuffers limits a buffer to 2^31 - 1 bytes (its offsets are 32 bits, some signed); the
// bytes of a file past the FlatBuffer (the "large model" layout's buffers) are not read here.
constexpr uint64_t kMaxBufferSize = 0x7FFFFFFFu;

std::string Bytes(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

bool Aligned(uint64_t pos, uint64_t align) { return (pos & (align - 1)) == 0; }

}  // namespace

std::string DescribeField(const FieldId& field) {
  return std::string(field.table) + "." + field.name + " (field " + std::to_string(field.slot) +
         ")";
}

Status FieldError(const FieldId& field, size_t pos, const std::string& what) {
  return InvalidModel(DescribeField(field) + " at byte " + std::to_string(pos) + ": " + what);
}

Status Table::At(const Buffer& buf, size_t pos, const char* name, Table* out) {
  const uint64_t size = buf.size < kMaxBufferSize ? buf.size : kMaxBufferSize;
  const std::string where = std::string(name) + " table at byte " + std::to_string(pos);
  if (!Aligned(pos, 4)) return InvalidModel(where + ": not 4-byte aligned");
  if (uint64_t{pos} + 4 > size) {
    return InvalidModel(where + ": starts past the end of the buffer (" + Bytes(size) + ")");
  }
  // vtable = table - soffset, in 64 bits: the soffset may point before the buffer or past it.
  const int64_t vtable = static_cast<int64_t>(pos) - buf.Load<int32_t>(pos);
  if (vtable < 0 || static_cast<uint64_t>(vtable) + 4 > size) {
    return InvalidModel(where + ": vtable at byte " + std::to_string(vtable) +
                        " is outside the buffer (" + Bytes(size) + ")");
  }
  if (!Aligned(static_cast<uint64_t>(vtable), 2)) {
    return InvalidModel(where + ": vtable at byte " + std::to_string(vtable) +
                        " is not 2-byte aligned");
  }
  const size_t vt = static_cast<size_t>(vtable);
  const uint16_t vtable_size = buf.Load<uint16_t>(vt);
  const uint16_t inline_size = buf.Load<uint16_t>(vt + 2);
  if (vtable_size < 4 || vtable_size % 2 != 0) {
    return InvalidModel(where + ": vtable at byte " + std::to_string(vt) + " has size " +
                        std::to_string(vtable_size) + " (must be even and at least 4)");
  }
  if (vt + uint64_t{vtable_size} > size) {
    return InvalidModel(where + ": vtable at byte " + std::to_string(vt) + " of " +
                        Bytes(vtable_size) + " runs past the end of the buffer (" + Bytes(size) +
                        ")");
  }
  if (inline_size < 4 || uint64_t{pos} + inline_size > size) {
    return InvalidModel(where + ": inline size " + std::to_string(inline_size) +
                        (inline_size < 4
                             ? " is smaller than its vtable offset"
                             : " runs past the end of the buffer (" + Bytes(size) + ")"));
  }
  out->buf_ = buf;
  out->name_ = name;
  out->pos_ = pos;
  out->vtable_ = vt;
  out->vtable_size_ = vtable_size;
  out->inline_size_ = inline_size;
  return Status::Ok();
}

Status Table::FieldPos(uint16_t slot, const char* field_name, size_t size, size_t* pos) const {
  const uint16_t offset = FieldOffset(slot);
  if (offset == 0) {
    *pos = 0;
    return Status::Ok();
  }
  const FieldId id = Id(slot, field_name);
  if (offset < 4 || offset + size > inline_size_) {
    return FieldError(id, pos_ + offset,
                      "field offset " + std::to_string(offset) + " of a " + Bytes(size) +
                          " value is outside its table's inline size " +
                          std::to_string(inline_size_) + " (table at byte " + std::to_string(pos_) +
                          ")");
  }
  if (!Aligned(pos_ + offset, size)) {
    return FieldError(
        id, pos_ + offset,
        "a " + Bytes(size) + " value that is not " + std::to_string(size) + "-byte aligned");
  }
  *pos = pos_ + offset;
  return Status::Ok();
}

Status Table::Follow(const FieldId& id, size_t field_pos, size_t* target) const {
  const uint64_t t = uint64_t{field_pos} + buf_.Load<uint32_t>(field_pos);
  if (t >= buf_.size || t > kMaxBufferSize) {
    return FieldError(id, field_pos,
                      "offset to byte " + std::to_string(t) + " points outside the buffer (" +
                          Bytes(buf_.size) + ")");
  }
  *target = static_cast<size_t>(t);
  return Status::Ok();
}

Status Table::ChildTable(uint16_t slot, const char* field_name, const char* table_name, Table* out,
                         bool* present) const {
  size_t pos = 0;
  LITECNN_RETURN_IF_ERROR(FieldPos(slot, field_name, 4, &pos));
  *present = pos != 0;
  if (pos == 0) return Status::Ok();
  const FieldId id = Id(slot, field_name);
  size_t target = 0;
  LITECNN_RETURN_IF_ERROR(Follow(id, pos, &target));
  Status st = At(buf_, target, table_name, out);
  return st.ok() ? st : FieldError(id, pos, st.message());
}

Status Table::VectorAt(const FieldId& id, size_t pos, size_t elem_size, Vector* out) const {
  if (!Aligned(pos, 4)) {
    return FieldError(id, pos, "vector length prefix is not 4-byte aligned");
  }
  if (uint64_t{pos} + 4 > buf_.size) {
    return FieldError(id, pos,
                      "vector starts past the end of the buffer (" + Bytes(buf_.size) + ")");
  }
  const uint32_t count = buf_.Load<uint32_t>(pos);
  // count < 2^32 and elem_size <= 8: the product fits 64 bits on every target.
  const uint64_t bytes = uint64_t{count} * elem_size;
  if (bytes > buf_.size - pos - 4) {
    return FieldError(id, pos,
                      "vector of " + std::to_string(count) + " x " + Bytes(elem_size) +
                          " runs past the end of the buffer (" + Bytes(buf_.size) + ")");
  }
  // Elements are aligned to their size (8-byte ones: the length sits just before an 8-aligned
  // position).
  if (elem_size > 4 && !Aligned(pos + 4, elem_size)) {
    return FieldError(id, pos,
                      "vector elements of " + Bytes(elem_size) + " are not " +
                          std::to_string(elem_size) + "-byte aligned");
  }
  out->pos = pos + 4;
  out->count = count;
  out->elem_size = elem_size;
  out->id = id;
  return Status::Ok();
}

Status Table::VectorField(uint16_t slot, const char* field_name, size_t elem_size,
                          Vector* out) const {
  size_t pos = 0;
  LITECNN_RETURN_IF_ERROR(FieldPos(slot, field_name, 4, &pos));
  if (pos == 0) {
    *out = Vector{0, 0, elem_size, Id(slot, field_name)};
    return Status::Ok();
  }
  const FieldId id = Id(slot, field_name);
  size_t target = 0;
  LITECNN_RETURN_IF_ERROR(Follow(id, pos, &target));
  return VectorAt(id, target, elem_size, out);
}

Status Table::StringAtPos(const FieldId& id, size_t pos, std::string* out) const {
  Vector v;
  LITECNN_RETURN_IF_ERROR(VectorAt(id, pos, 1, &v));
  // The terminator is part of the format: a string without one is a truncated or forged buffer.
  if (v.pos + v.count >= buf_.size) {
    return FieldError(id, pos, "string of " + Bytes(v.count) + " has no terminating 0 byte");
  }
  if (buf_.data[v.pos + v.count] != 0) {
    return FieldError(id, pos, "string of " + Bytes(v.count) + " is not followed by a 0 byte");
  }
  out->assign(reinterpret_cast<const char*>(buf_.data + v.pos), v.count);
  return Status::Ok();
}

Status Table::String(uint16_t slot, const char* field_name, std::string* out, bool* present) const {
  size_t pos = 0;
  LITECNN_RETURN_IF_ERROR(FieldPos(slot, field_name, 4, &pos));
  if (present != nullptr) *present = pos != 0;
  if (pos == 0) {
    out->clear();
    return Status::Ok();
  }
  const FieldId id = Id(slot, field_name);
  size_t target = 0;
  LITECNN_RETURN_IF_ERROR(Follow(id, pos, &target));
  return StringAtPos(id, target, out);
}

Status Table::TableAt(const Vector& v, uint32_t i, const char* table_name, Table* out) const {
  const size_t pos = v.ElementPos(i);
  size_t target = 0;
  LITECNN_RETURN_IF_ERROR(Follow(v.id, pos, &target));
  Status st = At(buf_, target, table_name, out);
  return st.ok() ? st : FieldError(v.id, pos, "element " + std::to_string(i) + ": " + st.message());
}

Status Table::StringAt(const Vector& v, uint32_t i, std::string* out) const {
  const size_t pos = v.ElementPos(i);
  size_t target = 0;
  LITECNN_RETURN_IF_ERROR(Follow(v.id, pos, &target));
  return StringAtPos(v.id, target, out);
}

Status RootTable(const Buffer& buf, const char* identifier, const char* name, Table* out) {
  if (buf.size < 8) {
    return InvalidModel("not a FlatBuffer: " + Bytes(buf.size) +
                        " is too short for the root offset and file identifier (8 bytes)");
  }
  if (std::memcmp(buf.data + 4, identifier, 4) != 0) {
    std::string found;
    for (int i = 0; i < 4; ++i) {
      const uint8_t c = buf.data[4 + i];
      static const char kHex[] = "0123456789abcdef";
      if (c >= 0x20 && c < 0x7f) {
        found += static_cast<char>(c);
      } else {
        found += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
      }
    }
    return InvalidModel(std::string("file identifier '") + found + "' at byte 4, expected '" +
                        identifier + "'");
  }
  const uint32_t root = buf.Load<uint32_t>(0);
  Status st = Table::At(buf, root, name, out);
  return st.ok() ? st : InvalidModel("root offset at byte 0: " + st.message());
}

}  // namespace litecnn::tflite::fb
