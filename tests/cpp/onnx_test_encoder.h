// Test-only protobuf encoder for ONNX messages: builds .onnx / .pb bytes from the onnx::Model
// structs (the inverse of onnx::DecodeModel), so tests can construct small models in C++
// instead of checking in binary files. Also exposes the low-level ProtoWriter for tests that
// need malformed or unusual encodings.
//
//   onnx::Model m;  ... fill m.graph ...
//   std::string bytes = onnx::test::EncodeModel(m);
//   auto decoded = onnx::DecodeModel(onnx::test::Bytes(bytes), bytes.size());
//
// Fields are written in field-number order, and scalars only when non-default (as protobuf
// serializers do); ModelProto.opset_import (field 8) therefore always comes last.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "onnx/model_proto.h"

namespace litecnn::onnx::test {

inline const uint8_t* Bytes(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// Protobuf wire types (duplicated from onnx/wire.h so this header depends only on the structs).
enum WireTypeValue : uint32_t {
  kWireVarint = 0,
  kWireFixed64 = 1,
  kWireLengthDelimited = 2,
  kWireStartGroup = 3,
  kWireEndGroup = 4,
  kWireFixed32 = 5,
};

// Appends protobuf-encoded fields to a byte string.
class ProtoWriter {
 public:
  ProtoWriter& Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  ProtoWriter& Tag(uint32_t field, uint32_t wire_type) {
    return Varint((static_cast<uint64_t>(field) << 3) | wire_type);
  }
  ProtoWriter& Int64(uint32_t field, int64_t v) {
    return Tag(field, kWireVarint).Varint(static_cast<uint64_t>(v));
  }
  ProtoWriter& Fixed32(uint32_t field, uint32_t v) {
    Tag(field, kWireFixed32);
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
    return *this;
  }
  ProtoWriter& Fixed64(uint32_t field, uint64_t v) {
    Tag(field, kWireFixed64);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
    return *this;
  }
  ProtoWriter& Float(uint32_t field, float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    return Fixed32(field, bits);
  }
  ProtoWriter& Double(uint32_t field, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    return Fixed64(field, bits);
  }
  // string, bytes and embedded messages (pass the message's encoding).
  ProtoWriter& Bytes(uint32_t field, std::string_view v) {
    Tag(field, kWireLengthDelimited).Varint(v.size());
    out_.append(v.data(), v.size());
    return *this;
  }
  ProtoWriter& PackedInt64(uint32_t field, const std::vector<int64_t>& v) {
    ProtoWriter run;
    for (int64_t x : v) run.Varint(static_cast<uint64_t>(x));
    return Bytes(field, run.str());
  }
  ProtoWriter& PackedInt32(uint32_t field, const std::vector<int32_t>& v) {
    ProtoWriter run;
    // int32 negatives are sign-extended to 64 bits on the wire (10-byte varints).
    for (int32_t x : v) run.Varint(static_cast<uint64_t>(static_cast<int64_t>(x)));
    return Bytes(field, run.str());
  }
  template <typename T>
  ProtoWriter& PackedFixed(uint32_t field, const std::vector<T>& v) {
    return Bytes(field,
                 std::string_view(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T)));
  }
  // Arbitrary bytes (for malformed encodings).
  ProtoWriter& Raw(std::string_view bytes) {
    out_.append(bytes.data(), bytes.size());
    return *this;
  }

  const std::string& str() const { return out_; }
  size_t size() const { return out_.size(); }

 private:
  std::string out_;
};

struct EncodeOptions {
  // Repeated scalars (dims, ints, floats, typed tensor data) as one packed run, or one tag per
  // element. Decoders must accept both.
  bool packed = true;
  // Tensor data in raw_data, or in the typed field for its type (float_data, int32_data for
  // int32/uint8/int8/bool, int64_data, double_data).
  bool raw_tensor_data = true;
  // Appended to every encoded message (e.g. unknown fields, to test that they are skipped).
  std::string append_to_every_message;
};

namespace internal {

inline void RepeatedInt64(ProtoWriter& w, uint32_t field, const std::vector<int64_t>& v,
                          const EncodeOptions& o) {
  if (v.empty()) return;
  if (o.packed) {
    w.PackedInt64(field, v);
  } else {
    for (int64_t x : v) w.Int64(field, x);
  }
}

inline void RepeatedInt32(ProtoWriter& w, uint32_t field, const std::vector<int32_t>& v,
                          const EncodeOptions& o) {
  if (v.empty()) return;
  if (o.packed) {
    w.PackedInt32(field, v);
  } else {
    for (int32_t x : v) w.Int64(field, x);
  }
}

inline void RepeatedFloat(ProtoWriter& w, uint32_t field, const std::vector<float>& v,
                          const EncodeOptions& o) {
  if (v.empty()) return;
  if (o.packed) {
    w.PackedFixed(field, v);
  } else {
    for (float x : v) w.Float(field, x);
  }
}

inline void RepeatedDouble(ProtoWriter& w, uint32_t field, const std::vector<double>& v,
                           const EncodeOptions& o) {
  if (v.empty()) return;
  if (o.packed) {
    w.PackedFixed(field, v);
  } else {
    for (double x : v) w.Double(field, x);
  }
}

inline std::string Finish(ProtoWriter& w, const EncodeOptions& o) {
  w.Raw(o.append_to_every_message);
  return w.str();
}

}  // namespace internal

// onnx.TensorProto
inline std::string EncodeTensor(const Tensor& t, const std::string& name,
                                const EncodeOptions& o = {}) {
  ProtoWriter w;
  internal::RepeatedInt64(w, 1, t.dims(), o);
  w.Int64(2, static_cast<int64_t>(t.dtype()));
  const int64_t n = t.num_elements();
  if (o.raw_tensor_data) {
    if (!name.empty()) w.Bytes(8, name);
    w.Bytes(9, std::string_view(static_cast<const char*>(t.raw()), t.byte_size()));
    return internal::Finish(w, o);
  }
  switch (t.dtype()) {
    case DataType::kFloat32:
      internal::RepeatedFloat(w, 4, std::vector<float>(t.data<float>(), t.data<float>() + n), o);
      break;
    case DataType::kInt32:
    case DataType::kUint8:
    case DataType::kInt8:
    case DataType::kBool: {
      std::vector<int32_t> v;
      for (int64_t i = 0; i < n; ++i) v.push_back(static_cast<int32_t>(t.GetAsInt64(i)));
      internal::RepeatedInt32(w, 5, v, o);
      break;
    }
    case DataType::kInt64:
      internal::RepeatedInt64(w, 7, std::vector<int64_t>(t.data<int64_t>(), t.data<int64_t>() + n),
                              o);
      break;
    case DataType::kFloat64:
      internal::RepeatedDouble(w, 10, std::vector<double>(t.data<double>(), t.data<double>() + n),
                               o);
      break;
    case DataType::kUndefined:
      break;
  }
  if (!name.empty()) w.Bytes(8, name);
  return internal::Finish(w, o);
}

// onnx.AttributeProto. A kGraph attribute is written as an empty GraphProto.
inline std::string EncodeAttribute(const Attribute& a, const EncodeOptions& o = {}) {
  ProtoWriter w;
  w.Bytes(1, a.name);
  switch (a.type) {
    case AttributeType::kFloat:
      w.Float(2, a.f);
      break;
    case AttributeType::kInt:
      w.Int64(3, a.i);
      break;
    case AttributeType::kString:
      w.Bytes(4, a.s);
      break;
    case AttributeType::kTensor:
      w.Bytes(5, EncodeTensor(a.t, "", o));
      break;
    case AttributeType::kGraph: {
      ProtoWriter empty_graph;
      w.Bytes(6, internal::Finish(empty_graph, o));
      break;
    }
    case AttributeType::kFloats:
      internal::RepeatedFloat(w, 7, a.floats, o);
      break;
    case AttributeType::kInts:
      internal::RepeatedInt64(w, 8, a.ints, o);
      break;
    case AttributeType::kStrings:
      for (const std::string& s : a.strings) w.Bytes(9, s);
      break;
    case AttributeType::kUndefined:
      break;
  }
  if (a.type != AttributeType::kUndefined) w.Int64(20, static_cast<int64_t>(a.type));
  return internal::Finish(w, o);
}

// onnx.NodeProto
inline std::string EncodeNode(const Node& n, const EncodeOptions& o = {}) {
  ProtoWriter w;
  for (const std::string& s : n.inputs) w.Bytes(1, s);
  for (const std::string& s : n.outputs) w.Bytes(2, s);
  if (!n.name.empty()) w.Bytes(3, n.name);
  w.Bytes(4, n.op_type);
  for (const Attribute& a : n.attributes) w.Bytes(5, EncodeAttribute(a, o));
  if (!n.domain.empty()) w.Bytes(7, n.domain);
  return internal::Finish(w, o);
}

// onnx.ValueInfoProto with a TypeProto.Tensor type (omitted when elem_type is 0 and there is
// no shape).
inline std::string EncodeValueInfo(const ValueInfo& v, const EncodeOptions& o = {}) {
  ProtoWriter w;
  w.Bytes(1, v.name);
  if (v.elem_type != 0 || v.has_shape) {
    ProtoWriter tensor_type;
    if (v.elem_type != 0) tensor_type.Int64(1, v.elem_type);
    if (v.has_shape) {
      ProtoWriter shape;
      for (const Dimension& d : v.dims) {
        ProtoWriter dim;
        if (d.has_value) {
          dim.Int64(1, d.value);
        } else if (!d.param.empty()) {
          dim.Bytes(2, d.param);
        }
        shape.Bytes(1, internal::Finish(dim, o));
      }
      tensor_type.Bytes(2, internal::Finish(shape, o));
    }
    ProtoWriter type;
    type.Bytes(1, internal::Finish(tensor_type, o));
    w.Bytes(2, internal::Finish(type, o));
  }
  return internal::Finish(w, o);
}

// onnx.GraphProto
inline std::string EncodeGraph(const Graph& g, const EncodeOptions& o = {}) {
  ProtoWriter w;
  for (const Node& n : g.nodes) w.Bytes(1, EncodeNode(n, o));
  if (!g.name.empty()) w.Bytes(2, g.name);
  for (const NamedTensor& t : g.initializers) w.Bytes(5, EncodeTensor(t.tensor, t.name, o));
  for (const ValueInfo& v : g.inputs) w.Bytes(11, EncodeValueInfo(v, o));
  for (const ValueInfo& v : g.outputs) w.Bytes(12, EncodeValueInfo(v, o));
  for (const ValueInfo& v : g.value_infos) w.Bytes(13, EncodeValueInfo(v, o));
  return internal::Finish(w, o);
}

// onnx.ModelProto
inline std::string EncodeModel(const Model& m, const EncodeOptions& o = {}) {
  ProtoWriter w;
  if (m.ir_version != 0) w.Int64(1, m.ir_version);
  if (!m.producer_name.empty()) w.Bytes(2, m.producer_name);
  if (!m.producer_version.empty()) w.Bytes(3, m.producer_version);
  w.Bytes(7, EncodeGraph(m.graph, o));
  for (const OpsetImport& op : m.opset_imports) {
    ProtoWriter opset;
    if (!op.domain.empty()) opset.Bytes(1, op.domain);
    opset.Int64(2, op.version);
    w.Bytes(8, internal::Finish(opset, o));
  }
  return internal::Finish(w, o);
}

}  // namespace litecnn::onnx::test
