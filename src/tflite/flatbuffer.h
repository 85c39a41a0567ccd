// Bounds-checked reader for the FlatBuffers binary format (the encoding of .tflite files).
// It knows nothing about TFLite: decoder.cc reads each table of the schema through it, naming the
// fields it asks for, so that every error names table, field and absolute byte offset, e.g.
// "Tensor.shape (field 0) at byte 1234: vector of 4000000000 x 4 bytes runs past the end of the
// buffer (8000 bytes)".
//
// What a FlatBuffer is, and what is checked before each read:
// - A table starts with an int32 soffset to its vtable (vtable = table - soffset: anywhere in
//   the buffer, shared between tables of one layout). Checked: the table is 4-byte aligned and
//   its inline size lies inside the buffer; the vtable is 2-byte aligned, its size even, >= 4 and
//   inside the buffer.
// - The vtable lists, per field slot, the field's offset inside the table (0: absent, so the
//   schema's default applies; slots past the vtable's end are absent too: older writers).
//   Checked: a present field starts after the soffset and ends inside the table's inline size,
//   aligned to its size.
// - Tables, vectors and strings are referenced by uint32 offsets relative to the referencing
//   field, always forward: no structure can reach itself, so there are no cycles to detect, and
//   the nesting depth is bounded by the (non-recursive) schema decoder.cc reads. What can be
//   shared is a child (many tensors naming one shape vector), which decoder.cc bounds with a
//   budget on what it decodes.
// - A vector is a uint32 count followed by its elements; a string is a vector of bytes followed
//   by a 0 byte. Checked: 4-byte aligned, count x element size (in 64 bits) inside the buffer,
//   elements aligned to their size, the string's terminator present.
// Alignment is checked as the FlatBuffers Verifier does (relative to the buffer's start), although
// every read here goes through memcpy and would be safe unaligned: a misaligned offset means a
// corrupt file, and accepting only what the Verifier accepts keeps both readers in agreement.
//
// Contract: no call reads outside the buffer; a failed call leaves its outputs unspecified.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "core/status.h"

namespace litecnn::tflite::fb {

// The bytes of the whole FlatBuffer. Positions are absolute offsets into it.
struct Buffer {
  const uint8_t* data = nullptr;
  size_t size = 0;

  // Little-endian reads; callers have checked pos + sizeof(T) <= size.
  template <typename T>
  T Load(size_t pos) const {
    static_assert(std::is_arithmetic_v<T>);
    T v;
    std::memcpy(&v, data + pos, sizeof(T));  // every target of litecnn is little-endian
    return v;
  }
};

// Names a field for errors.
struct FieldId {
  const char* table;  // "Tensor"
  const char* name;   // "shape"
  uint16_t slot;      // the field's index in the schema (its vtable slot)
};

// "Tensor.shape (field 0)"
std::string DescribeField(const FieldId& field);
// "<field> at byte <pos>: <what>", InvalidModel.
Status FieldError(const FieldId& field, size_t pos, const std::string& what);

// A vector's elements: `count` elements of `elem_size` bytes from `pos`, all inside the buffer.
struct Vector {
  size_t pos = 0;
  uint32_t count = 0;
  size_t elem_size = 0;
  FieldId id{"", "", 0};  // the vector field, for errors about its elements

  size_t ElementPos(uint32_t i) const { return pos + size_t{i} * elem_size; }
};

class Table {
 public:
  Table() = default;

  // The table at `pos` (a position a uoffset led to, or the root); `name` names it in errors.
  static Status At(const Buffer& buf, size_t pos, const char* name, Table* out);

  const char* name() const { return name_; }
  size_t pos() const { return pos_; }
  const Buffer& buffer() const { return buf_; }

  // Whether the field's slot is present in the vtable (no check of its value).
  bool Has(uint16_t slot) const { return FieldOffset(slot) != 0; }

  // A scalar field (integer, enum, bool as uint8, float), or `default_value` when absent.
  template <typename T>
  Status Scalar(uint16_t slot, const char* field_name, T default_value, T* out) const {
    size_t pos = 0;
    LITECNN_RETURN_IF_ERROR(FieldPos(slot, field_name, sizeof(T), &pos));
    *out = pos == 0 ? default_value : buf_.Load<T>(pos);
    return Status::Ok();
  }

  // A table field; *present = false (and *out untouched) when absent.
  Status ChildTable(uint16_t slot, const char* field_name, const char* table_name, Table* out,
                    bool* present) const;
  // A vector field of `elem_size`-byte elements (scalars, or 4-byte offsets for tables and
  // strings); an absent vector is an empty one.
  Status VectorField(uint16_t slot, const char* field_name, size_t elem_size, Vector* out) const;
  // A string field; an absent string is "" (*present tells them apart when given).
  Status String(uint16_t slot, const char* field_name, std::string* out,
                bool* present = nullptr) const;

  // Element i < v.count of a vector of tables (from VectorField with elem_size 4).
  Status TableAt(const Vector& v, uint32_t i, const char* table_name, Table* out) const;
  // Element i < v.count of a vector of strings.
  Status StringAt(const Vector& v, uint32_t i, std::string* out) const;

  FieldId Id(uint16_t slot, const char* field_name) const { return {name_, field_name, slot}; }

 private:
  // The field's offset inside the table from the vtable, 0 when absent.
  uint16_t FieldOffset(uint16_t slot) const {
    const size_t entry = 4 + size_t{slot} * 2;
    return entry + 2 <= vtable_size_ ? buf_.Load<uint16_t>(vtable_ + entry) : 0;
  }
  // The absolute position of a field of `size` bytes (aligned to `size`), 0 when absent.
  Status FieldPos(uint16_t slot, const char* field_name, size_t size, size_t* pos) const;
  // Follows the uoffset stored in the field at `field_pos` and returns the target position.
  Status Follow(const FieldId& id, size_t field_pos, size_t* target) const;
  Status VectorAt(const FieldId& id, size_t pos, size_t elem_size, Vector* out) const;
  Status StringAtPos(const FieldId& id, size_t pos, std::string* out) const;

  Buffer buf_;
  const char* name_ = "";
  size_t pos_ = 0;
  size_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
  uint16_t inline_size_ = 0;
};

// The root table of a FlatBuffer with file identifier `identifier` (4 characters at bytes 4-7).
// Fails when the buffer is too short for the root offset and identifier, or the identifier
// differs (naming what was found).
Status RootTable(const Buffer& buf, const char* identifier, const char* name, Table* out);

}  // namespace litecnn::tflite::fb
