// Test-only FlatBuffers writer and TFLite table makers: builds .tflite bytes in C++ so that tests
// construct small models instead of checking in binary files (as onnx_test_encoder.h does for
// ONNX).
//
//   using namespace litecnn::tflite::test;
//   Ref conv = OperatorT(0, {0, 1, 2}, {3}, kConv2DOptions, Table().I8(0, 1).I32(1, 2));
//   std::string bytes = Finish(ModelT({OperatorCodeT(3)}, {SubGraphT(...)}, {BufferT("")}));
//
// A value is a tree of nodes (tables, vectors, strings) written top-down, breadth first: each
// node after every node that references it, since FlatBuffers offsets point forward only. A node
// referenced twice is written once (tests of shared tables), which works when its referrers are
// at the same depth. After Finish, each node knows where it was written (pos, field_pos), so
// hostile-input tests can patch the bytes of one field.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace litecnn::tflite::test {

struct Node;
using Ref = std::shared_ptr<Node>;

struct Node {
  enum Kind { kTable, kScalarVector, kOffsetVector, kString } kind = kTable;
  struct Field {
    uint16_t slot;
    std::string scalar;  // little-endian bytes of a scalar field
    Ref ref;             // or the child an offset field points to
  };
  std::vector<Field> fields;  // kTable
  std::string data;           // kScalarVector elements, kString bytes
  uint32_t count = 0;         // kScalarVector
  size_t elem_size = 1;       // kScalarVector
  std::vector<Ref> elements;  // kOffsetVector
  // Where Finish wrote the node (its table, or its length prefix), and a table's fields.
  size_t pos = 0;
  bool written = false;
  std::map<uint16_t, size_t> field_pos;
};

// A table under construction; converts to its Ref.
class Table {
 public:
  Table() : node_(std::make_shared<Node>()) {}
  template <typename T>
  Table& Scalar(uint16_t slot, T v) {
    std::string bytes(sizeof(T), '\0');
    std::memcpy(bytes.data(), &v, sizeof(T));
    node_->fields.push_back({slot, bytes, nullptr});
    return *this;
  }
  Table& I8(uint16_t slot, int8_t v) { return Scalar(slot, v); }
  Table& U8(uint16_t slot, uint8_t v) { return Scalar(slot, v); }
  Table& I32(uint16_t slot, int32_t v) { return Scalar(slot, v); }
  Table& U32(uint16_t slot, uint32_t v) { return Scalar(slot, v); }
  Table& U64(uint16_t slot, uint64_t v) { return Scalar(slot, v); }
  Table& F32(uint16_t slot, float v) { return Scalar(slot, v); }
  Table& Child(uint16_t slot, Ref child) {
    if (child) node_->fields.push_back({slot, "", std::move(child)});
    return *this;
  }
  operator Ref() const { return node_; }  // NOLINT: implicit, to pass a Table where a Ref goes
  const Ref& ref() const { return node_; }

 private:
  Ref node_;
};

template <typename T>
Ref Vec(const std::vector<T>& values) {
  auto n = std::make_shared<Node>();
  n->kind = Node::kScalarVector;
  n->count = static_cast<uint32_t>(values.size());
  n->elem_size = sizeof(T);
  n->data.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  return n;
}

inline Ref Bytes(const std::string& bytes) {
  return Vec(std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

inline Ref Str(const std::string& s) {
  auto n = std::make_shared<Node>();
  n->kind = Node::kString;
  n->data = s;
  return n;
}

inline Ref Tables(std::vector<Ref> elements) {
  auto n = std::make_shared<Node>();
  n->kind = Node::kOffsetVector;
  n->elements = std::move(elements);
  return n;
}

namespace detail {

inline void Pad(std::string* out, size_t align, size_t offset = 0) {
  while ((out->size() + offset) % align != 0) out->push_back('\0');
}

inline void Put32(std::string* out, size_t pos, uint32_t v) { std::memcpy(&(*out)[pos], &v, 4); }

inline void Append32(std::string* out, uint32_t v) {
  out->append(4, '\0');
  Put32(out, out->size() - 4, v);
}

}  // namespace detail

// Serializes the tree under `root` with file identifier `identifier` (4 characters). Aborts on a
// tree it cannot write with forward offsets (a test bug).
inline std::string Finish(const Ref& root, const char* identifier = "TFL3") {
  using detail::Append32;
  using detail::Pad;
  std::string out(8, '\0');
  std::memcpy(&out[4], identifier, 4);
  std::vector<std::pair<size_t, Node*>> patches = {{0, root.get()}};
  std::deque<Node*> queue = {root.get()};
  while (!queue.empty()) {
    Node* n = queue.front();
    queue.pop_front();
    if (n->written) continue;
    n->written = true;
    auto refer = [&](size_t field_pos, Node* child) {
      patches.push_back({field_pos, child});
      queue.push_back(child);
    };
    switch (n->kind) {
      case Node::kTable: {
        // Inline layout: the soffset, then 8-byte scalars at an 8-aligned offset, then 4-byte
        // fields (scalars and offsets), then 2- and 1-byte ones; the table itself 8-aligned.
        std::map<uint16_t, size_t> offsets;
        size_t size = 4;
        for (size_t width : {8, 4, 2, 1}) {
          for (const Node::Field& f : n->fields) {
            const size_t w = f.ref ? 4 : f.scalar.size();
            if (w != width) continue;
            size = (size + w - 1) / w * w;
            offsets[f.slot] = size;
            size += w;
          }
        }
        uint16_t slots = 0;
        for (const Node::Field& f : n->fields) slots = std::max<uint16_t>(slots, f.slot + 1);
        Pad(&out, 2);
        const size_t vtable = out.size();
        std::string vt(4 + 2 * slots, '\0');
        const uint16_t header[2] = {static_cast<uint16_t>(vt.size()), static_cast<uint16_t>(size)};
        std::memcpy(&vt[0], header, 4);
        for (const auto& [slot, offset] : offsets) {
          const uint16_t o = static_cast<uint16_t>(offset);
          std::memcpy(&vt[4 + 2 * slot], &o, 2);
        }
        out += vt;
        Pad(&out, 8);
        n->pos = out.size();
        out.append(size, '\0');
        detail::Put32(&out, n->pos, static_cast<uint32_t>(n->pos - vtable));
        for (const Node::Field& f : n->fields) {
          const size_t at = n->pos + offsets[f.slot];
          n->field_pos[f.slot] = at;
          if (f.ref) {
            refer(at, f.ref.get());
          } else {
            std::memcpy(&out[at], f.scalar.data(), f.scalar.size());
          }
        }
        break;
      }
      case Node::kScalarVector:
        Pad(&out, n->elem_size > 4 ? n->elem_size : 4, 4);  // elements aligned to their size
        Pad(&out, 4);
        n->pos = out.size();
        Append32(&out, n->count);
        out += n->data;
        break;
      case Node::kString:
        Pad(&out, 4);
        n->pos = out.size();
        Append32(&out, static_cast<uint32_t>(n->data.size()));
        out += n->data;
        out.push_back('\0');
        break;
      case Node::kOffsetVector:
        Pad(&out, 4);
        n->pos = out.size();
        Append32(&out, static_cast<uint32_t>(n->elements.size()));
        for (const Ref& e : n->elements) {
          Append32(&out, 0);
          refer(out.size() - 4, e.get());
        }
        break;
    }
  }
  for (const auto& [field, target] : patches) {
    if (target->pos <= field && field != 0) std::abort();  // a backward offset: test bug
    detail::Put32(&out, field, static_cast<uint32_t>(target->pos - field));
  }
  return out;
}

// --- TFLite tables (slots as in tensorflow/lite/schema/schema.fbs)
// --------------------------------

// builtin_code 0..126 is written to both fields, as converters since schema 3a do; larger codes
// put 127 in the byte.
inline Ref OperatorCodeT(int32_t builtin, const std::string& custom = "", int32_t version = 1) {
  Table t;
  t.I8(0, static_cast<int8_t>(builtin < 127 ? builtin : 127)).I32(3, builtin);
  if (!custom.empty()) t.Child(1, Str(custom));
  if (version != 1) t.I32(2, version);
  return t;
}

// type: TensorType (0 FLOAT32, 1 FLOAT16, 2 INT32...).
inline Table TensorT(const std::string& name, const std::vector<int32_t>& shape, int8_t type,
                     uint32_t buffer) {
  Table t;
  t.Child(0, Vec(shape)).I8(1, type).U32(2, buffer).Child(3, Str(name));
  return t;
}

inline Ref BufferT(const std::string& data) {
  Table t;
  if (!data.empty()) t.Child(0, Bytes(data));
  return t;
}

inline Table OperatorT(uint32_t opcode_index, const std::vector<int32_t>& inputs,
                       const std::vector<int32_t>& outputs, uint8_t options_type = 0,
                       Ref options = nullptr) {
  Table t;
  t.U32(0, opcode_index).Child(1, Vec(inputs)).Child(2, Vec(outputs));
  if (options_type != 0) t.U8(3, options_type).Child(4, std::move(options));
  return t;
}

inline Ref SubGraphT(std::vector<Ref> tensors, const std::vector<int32_t>& inputs,
                     const std::vector<int32_t>& outputs, std::vector<Ref> operators,
                     const std::string& name = "main") {
  Table t;
  t.Child(0, Tables(std::move(tensors)))
      .Child(1, Vec(inputs))
      .Child(2, Vec(outputs))
      .Child(3, Tables(std::move(operators)))
      .Child(4, Str(name));
  return t;
}

inline Table ModelT(std::vector<Ref> codes, std::vector<Ref> subgraphs, std::vector<Ref> buffers,
                    const std::string& description = "litecnn-test") {
  Table t;
  t.U32(0, 3)
      .Child(1, Tables(std::move(codes)))
      .Child(2, Tables(std::move(subgraphs)))
      .Child(3, Str(description))
      .Child(4, Tables(std::move(buffers)));
  return t;
}

}  // namespace litecnn::tflite::test
