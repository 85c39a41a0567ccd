// Message decoders: one function per ONNX message, each a loop over the message's fields that
// dispatches on the field number. Field numbers follow onnx/onnx.proto (IR version 10).
// Protobuf semantics kept: fields may come in any order, repeated fields accumulate, a repeated
// scalar may be packed or not, the last value of a singular scalar wins, and unknown fields of
// every wire type are skipped.
#include "onnx/decoder.h"

#include <string>
#include <string_view>
#include <utility>

#include "onnx/tensor_proto.h"
#include "onnx/wire.h"

namespace litecnn::onnx {
namespace {

using wire::FieldId;
using wire::Reader;
using wire::Tag;
using wire::WireType;

// Decoded structures (a Node, an Attribute, a std::string in a vector...) are larger than their
// smallest encoding (an empty submessage is 2 bytes), so a hostile file of empty submessages
// could amplify memory use ~100x. Charging every decoded object against a budget proportional to
// the input bounds that; real models stay far below (their bulk is tensor data, charged 1:1).
constexpr size_t kBudgetPerInputByte = 64;
constexpr size_t kBudgetFloor = size_t{1} << 20;

constexpr int32_t kMaxKnownAttributeType = 14;  // TYPE_PROTOS in onnx.proto

// Saturates instead of wrapping: size_t is 32 bits on wasm.
size_t StructureBudget(size_t input_size) {
  const size_t max = static_cast<size_t>(-1);
  if (input_size > (max - kBudgetFloor) / kBudgetPerInputByte) return max;
  return kBudgetFloor + kBudgetPerInputByte * input_size;
}

class Decoder {
 public:
  Decoder(const DecodeLimits& limits, size_t input_size, const ExternalPayloads* payloads = nullptr)
      : limits_(limits), budget_(StructureBudget(input_size)), payloads_(payloads) {}

  Status DecodeModel(Reader& r, Model* model);
  Status DecodeTensorProto(Reader& r, NamedTensor* out);

 private:
  // Tracks message nesting for the lifetime of one Decode* call.
  class Nesting {
   public:
    explicit Nesting(int* depth) : depth_(depth) { ++*depth_; }
    ~Nesting() { --*depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    int* depth_;
  };

  Status CheckNesting(const char* message, size_t offset) const;
  Status Charge(size_t bytes, const char* message, size_t offset);
  // Skips a field this decoder does not read (any wire type, groups up to the nesting limit).
  Status Skip(Reader& r, const Tag& tag, const FieldId& field);
  // Skips a known-but-ignored field after checking its declared wire type.
  Status SkipKnown(Reader& r, const Tag& tag, const FieldId& field, WireType expected);
  int GroupDepthLeft() const { return limits_.max_nesting - depth_; }

  Status DecodeOpsetImport(Reader& r, OpsetImport* out);
  Status DecodeGraph(Reader& r, Graph* graph);
  Status DecodeNode(Reader& r, Node* node);
  Status DecodeAttribute(Reader& r, Attribute* attr);
  Status DecodeValueInfo(Reader& r, ValueInfo* info);
  Status DecodeTypeProto(Reader& r, ValueInfo* info);
  Status DecodeTensorType(Reader& r, ValueInfo* info);
  Status DecodeShape(Reader& r, ValueInfo* info);
  Status DecodeDimension(Reader& r, Dimension* dim);
  Status DecodeTensorFields(Reader& r, TensorProtoFields* fields);
  // Reads a length-delimited string and appends it to `out`.
  Status AppendString(Reader& r, const Tag& tag, const FieldId& field,
                      std::vector<std::string>* out);

  const DecodeLimits& limits_;
  size_t budget_;
  const ExternalPayloads* payloads_;
  int depth_ = 0;
  int64_t nodes_ = 0;
};

Status Decoder::CheckNesting(const char* message, size_t offset) const {
  if (depth_ > limits_.max_nesting) {
    return LimitExceeded(std::string(message) + " at byte " + std::to_string(offset) +
                         ": messages nested deeper than " + std::to_string(limits_.max_nesting));
  }
  return Status::Ok();
}

Status Decoder::Charge(size_t bytes, const char* message, size_t offset) {
  if (bytes > budget_) {
    return LimitExceeded(std::string(message) + " at byte " + std::to_string(offset) +
                         ": decoded model structure exceeds " +
                         std::to_string(kBudgetPerInputByte) + " bytes per input byte");
  }
  budget_ -= bytes;
  return Status::Ok();
}

Status Decoder::Skip(Reader& r, const Tag& tag, const FieldId& field) {
  return r.SkipField(field, tag, GroupDepthLeft());
}

Status Decoder::SkipKnown(Reader& r, const Tag& tag, const FieldId& field, WireType expected) {
  LITECNN_RETURN_IF_ERROR(wire::CheckWireType(tag, field, expected));
  return Skip(r, tag, field);
}

Status Decoder::AppendString(Reader& r, const Tag& tag, const FieldId& field,
                             std::vector<std::string>* out) {
  LITECNN_RETURN_IF_ERROR(Charge(sizeof(std::string), field.message, tag.offset));
  std::string s;
  LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, field, &s));
  out->push_back(std::move(s));
  return Status::Ok();
}

// --- ModelProto --------------------------------------------------------------------------------

Status Decoder::DecodeModel(Reader& r, Model* model) {
  static constexpr char kMsg[] = "ModelProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  bool has_graph = false;
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadInt64(r, tag, {kMsg, "ir_version", 1}, &model->ir_version));
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadString(r, tag, {kMsg, "producer_name", 2}, &model->producer_name));
        break;
      case 3:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadString(r, tag, {kMsg, "producer_version", 3}, &model->producer_version));
        break;
      case 7: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "graph", 7}, &sub));
        // A repeated singular message merges into the previous one, as in protobuf.
        LITECNN_RETURN_IF_ERROR(DecodeGraph(sub, &model->graph));
        has_graph = true;
        break;
      }
      case 8: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "opset_import", 8}, &sub));
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(OpsetImport), kMsg, tag.offset));
        model->opset_imports.emplace_back();
        LITECNN_RETURN_IF_ERROR(DecodeOpsetImport(sub, &model->opset_imports.back()));
        break;
      }
      // domain, model_version, doc_string, metadata_props, training_info, functions and
      // configuration do not affect inference in litecnn.
      case 4:
        LITECNN_RETURN_IF_ERROR(SkipKnown(r, tag, {kMsg, "domain", 4}, WireType::kLengthDelimited));
        break;
      case 5:
        LITECNN_RETURN_IF_ERROR(SkipKnown(r, tag, {kMsg, "model_version", 5}, WireType::kVarint));
        break;
      case 6:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "doc_string", 6}, WireType::kLengthDelimited));
        break;
      default:
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  // Both are required by ONNX (IR >= 3). Checking them also means that a file cut at a field
  // boundary, which is otherwise a valid protobuf prefix, is rejected.
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxNodes", "the graph", nodes_, limits_.max_nodes, "nodes"));
  if (!has_graph) return InvalidModel("ModelProto has no graph (field 7)");
  if (model->opset_imports.empty()) {
    return InvalidModel("ModelProto has no opset_import (field 8)");
  }
  return Status::Ok();
}

Status Decoder::DecodeOpsetImport(Reader& r, OpsetImport* out) {
  static constexpr char kMsg[] = "OperatorSetIdProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "domain", 1}, &out->domain));
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt64(r, tag, {kMsg, "version", 2}, &out->version));
        break;
      default:
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

// --- GraphProto --------------------------------------------------------------------------------

Status Decoder::DecodeGraph(Reader& r, Graph* graph) {
  static constexpr char kMsg[] = "GraphProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "node", 1}, &sub));
        // Past the limit, nodes are only counted (their bytes are already skipped), so that the
        // error can say by how much the graph is over it.
        if (++nodes_ > limits_.max_nodes) break;
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(Node), kMsg, tag.offset));
        graph->nodes.emplace_back();
        Node& node = graph->nodes.back();
        Status st = DecodeNode(sub, &node);
        if (!st.ok()) {
          // Name the node when its name was decoded before the error (the usual field order).
          std::string context = "node " + std::to_string(graph->nodes.size() - 1);
          if (!node.name.empty()) context += " '" + node.name + "'";
          if (!node.op_type.empty()) context += " (" + node.op_type + ")";
          return st.WithContext(context);
        }
        break;
      }
      case 2:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "name", 2}, &graph->name));
        break;
      case 5: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "initializer", 5}, &sub));
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(NamedTensor), kMsg, tag.offset));
        NamedTensor t;
        LITECNN_RETURN_IF_ERROR(DecodeTensorProto(sub, &t));
        graph->initializers.push_back(std::move(t));
        break;
      }
      case 11:
      case 12:
      case 13: {
        const FieldId field = tag.field == 11   ? FieldId{kMsg, "input", 11}
                              : tag.field == 12 ? FieldId{kMsg, "output", 12}
                                                : FieldId{kMsg, "value_info", 13};
        std::vector<ValueInfo>* list = tag.field == 11   ? &graph->inputs
                                       : tag.field == 12 ? &graph->outputs
                                                         : &graph->value_infos;
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, field, &sub));
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(ValueInfo), kMsg, tag.offset));
        list->emplace_back();
        LITECNN_RETURN_IF_ERROR(DecodeValueInfo(sub, &list->back()));
        break;
      }
      case 15:
        return Unsupported("GraphProto.sparse_initializer (field 15) at byte " +
                           std::to_string(tag.offset) + ": sparse initializers are not supported");
      case 10:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "doc_string", 10}, WireType::kLengthDelimited));
        break;
      default:  // quantization_annotation, metadata_props, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

// --- NodeProto / AttributeProto ----------------------------------------------------------------

Status Decoder::DecodeNode(Reader& r, Node* node) {
  static constexpr char kMsg[] = "NodeProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(AppendString(r, tag, {kMsg, "input", 1}, &node->inputs));
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(AppendString(r, tag, {kMsg, "output", 2}, &node->outputs));
        break;
      case 3:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "name", 3}, &node->name));
        break;
      case 4:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "op_type", 4}, &node->op_type));
        break;
      case 5: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "attribute", 5}, &sub));
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(Attribute), kMsg, tag.offset));
        node->attributes.emplace_back();
        LITECNN_RETURN_IF_ERROR(DecodeAttribute(sub, &node->attributes.back()));
        break;
      }
      case 6:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "doc_string", 6}, WireType::kLengthDelimited));
        break;
      case 7:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "domain", 7}, &node->domain));
        break;
      default:  // overload, metadata_props, device_configurations, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

Status Decoder::DecodeAttribute(Reader& r, Attribute* attr) {
  static constexpr char kMsg[] = "AttributeProto";
  Nesting nesting(&depth_);
  const size_t start = r.offset();
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, start));
  int32_t type = 0;
  // Which value fields were present: used to infer the type when `type` is absent (models
  // written before IR version 2 did not set it).
  bool has_f = false, has_i = false, has_s = false, has_t = false, has_g = false;
  bool has_floats = false, has_ints = false, has_strings = false;
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "name", 1}, &attr->name));
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(wire::ReadFloat(r, tag, {kMsg, "f", 2}, &attr->f));
        has_f = true;
        break;
      case 3:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt64(r, tag, {kMsg, "i", 3}, &attr->i));
        has_i = true;
        break;
      case 4:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "s", 4}, &attr->s));
        has_s = true;
        break;
      case 5: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "t", 5}, &sub));
        // Last one wins (a full protobuf merge of two TensorProtos is not worth supporting).
        NamedTensor t;
        LITECNN_RETURN_IF_ERROR(DecodeTensorProto(sub, &t));
        attr->t = std::move(t.tensor);
        has_t = true;
        break;
      }
      case 6:
        // Subgraphs (If/Loop bodies) are not decoded; the type is still recorded so that the
        // graph builder can say which node needs control flow.
        LITECNN_RETURN_IF_ERROR(SkipKnown(r, tag, {kMsg, "g", 6}, WireType::kLengthDelimited));
        has_g = true;
        break;
      case 7:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedFloat(r, tag, {kMsg, "floats", 7}, &attr->floats));
        has_floats = true;
        break;
      case 8:
        LITECNN_RETURN_IF_ERROR(wire::ReadRepeatedInt64(r, tag, {kMsg, "ints", 8}, &attr->ints));
        has_ints = true;
        break;
      case 9:
        LITECNN_RETURN_IF_ERROR(AppendString(r, tag, {kMsg, "strings", 9}, &attr->strings));
        has_strings = true;
        break;
      case 10:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "tensors", 10}, WireType::kLengthDelimited));
        break;
      case 11:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "graphs", 11}, WireType::kLengthDelimited));
        break;
      case 13:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "doc_string", 13}, WireType::kLengthDelimited));
        break;
      case 20:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt32(r, tag, {kMsg, "type", 20}, &type));
        break;
      case 21:
        // Only meaningful inside FunctionProto bodies, which litecnn does not expand.
        return Unsupported("AttributeProto.ref_attr_name (field 21) at byte " +
                           std::to_string(tag.offset) + ": attribute references are not supported");
      default:  // sparse_tensor(s), tp, type_protos, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }

  const std::string where = "AttributeProto '" + attr->name + "' at byte " + std::to_string(start);
  if (type < 0 || type > kMaxKnownAttributeType) {
    return InvalidModel(where + ": invalid attribute type " + std::to_string(type));
  }
  if (type > static_cast<int32_t>(AttributeType::kStrings)) {
    // TENSORS, GRAPHS, SPARSE_TENSOR(S), TYPE_PROTO(S): no lightweight CNN op takes them, and
    // the Attribute struct cannot represent them.
    return Unsupported(where + ": attribute type " + std::to_string(type) + " is not supported");
  }
  if (type == 0) {
    type = has_f         ? 1
           : has_i       ? 2
           : has_s       ? 3
           : has_t       ? 4
           : has_g       ? 5
           : has_floats  ? 6
           : has_ints    ? 7
           : has_strings ? 8
                         : 0;
  }
  // A TENSOR attribute without its tensor would reach the ops as a tensor of no dtype.
  if (type == static_cast<int32_t>(AttributeType::kTensor) && !has_t) {
    return InvalidModel(where + ": type TENSOR without a tensor (field t)");
  }
  attr->type = static_cast<AttributeType>(type);
  return Status::Ok();
}

// --- ValueInfoProto and TypeProto --------------------------------------------------------------

Status Decoder::DecodeValueInfo(Reader& r, ValueInfo* info) {
  static constexpr char kMsg[] = "ValueInfoProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "name", 1}, &info->name));
        break;
      case 2: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "type", 2}, &sub));
        LITECNN_RETURN_IF_ERROR(DecodeTypeProto(sub, info));
        break;
      }
      default:  // doc_string, metadata_props, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

Status Decoder::DecodeTypeProto(Reader& r, ValueInfo* info) {
  static constexpr char kMsg[] = "TypeProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    if (tag.field == 1) {
      Reader sub;
      LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "tensor_type", 1}, &sub));
      LITECNN_RETURN_IF_ERROR(DecodeTensorType(sub, info));
    } else {
      // sequence_type, map_type, optional_type, sparse_tensor_type, denotation: litecnn only
      // runs dense tensors, so such values keep elem_type 0 and the graph builder rejects them
      // if they are actually used.
      LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
    }
  }
  return Status::Ok();
}

Status Decoder::DecodeTensorType(Reader& r, ValueInfo* info) {
  static constexpr char kMsg[] = "TypeProto.Tensor";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt32(r, tag, {kMsg, "elem_type", 1}, &info->elem_type));
        break;
      case 2: {
        Reader sub;
        LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "shape", 2}, &sub));
        info->has_shape = true;
        LITECNN_RETURN_IF_ERROR(DecodeShape(sub, info));
        break;
      }
      default:
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

Status Decoder::DecodeShape(Reader& r, ValueInfo* info) {
  static constexpr char kMsg[] = "TensorShapeProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    if (tag.field == 1) {
      Reader sub;
      LITECNN_RETURN_IF_ERROR(wire::ReadSubmessage(r, tag, {kMsg, "dim", 1}, &sub));
      LITECNN_RETURN_IF_ERROR(Charge(sizeof(Dimension), kMsg, tag.offset));
      info->dims.emplace_back();
      LITECNN_RETURN_IF_ERROR(DecodeDimension(sub, &info->dims.back()));
    } else {
      LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
    }
  }
  return Status::Ok();
}

Status Decoder::DecodeDimension(Reader& r, Dimension* dim) {
  static constexpr char kMsg[] = "TensorShapeProto.Dimension";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    // dim_value and dim_param form a oneof: the last one on the wire wins.
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt64(r, tag, {kMsg, "dim_value", 1}, &dim->value));
        dim->has_value = true;
        dim->param.clear();
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "dim_param", 2}, &dim->param));
        dim->has_value = false;
        dim->value = 0;
        break;
      default:  // denotation, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

// --- TensorProto -------------------------------------------------------------------------------

Status Decoder::DecodeTensorProto(Reader& r, NamedTensor* out) {
  TensorProtoFields fields;
  fields.offset = r.offset();
  LITECNN_RETURN_IF_ERROR(DecodeTensorFields(r, &fields));
  LITECNN_ASSIGN_OR_RETURN(*out, BuildTensor(fields, limits_, payloads_));
  return Status::Ok();
}

Status Decoder::DecodeTensorFields(Reader& r, TensorProtoFields* f) {
  static constexpr char kMsg[] = "TensorProto";
  Nesting nesting(&depth_);
  LITECNN_RETURN_IF_ERROR(CheckNesting(kMsg, r.offset()));
  while (!r.AtEnd()) {
    Tag tag;
    LITECNN_RETURN_IF_ERROR(r.ReadTag(kMsg, &tag));
    switch (tag.field) {
      case 1:
        LITECNN_RETURN_IF_ERROR(wire::ReadRepeatedInt64(r, tag, {kMsg, "dims", 1}, &f->dims));
        break;
      case 2:
        LITECNN_RETURN_IF_ERROR(wire::ReadInt32(r, tag, {kMsg, "data_type", 2}, &f->data_type));
        break;
      case 3:
        return Unsupported("TensorProto.segment (field 3) at byte " + std::to_string(tag.offset) +
                           ": segmented tensors are not supported");
      case 4:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedFloat(r, tag, {kMsg, "float_data", 4}, &f->float_data));
        break;
      case 5:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedInt32(r, tag, {kMsg, "int32_data", 5}, &f->int32_data));
        break;
      case 6:
        return Unsupported("TensorProto.string_data (field 6) at byte " +
                           std::to_string(tag.offset) + ": string tensors are not supported");
      case 7:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedInt64(r, tag, {kMsg, "int64_data", 7}, &f->int64_data));
        break;
      case 8:
        LITECNN_RETURN_IF_ERROR(wire::ReadString(r, tag, {kMsg, "name", 8}, &f->name));
        break;
      case 9:
        // A view, not a copy: BuildTensor copies straight into the tensor's aligned buffer.
        LITECNN_RETURN_IF_ERROR(wire::ReadBytesView(r, tag, {kMsg, "raw_data", 9}, &f->raw_data));
        f->external_payload = -1;  // the last raw_data wins, as in protobuf
        f->has_raw_data = true;
        break;
      case 10:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedDouble(r, tag, {kMsg, "double_data", 10}, &f->double_data));
        break;
      case 11:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadRepeatedUint64(r, tag, {kMsg, "uint64_data", 11}, &f->uint64_data));
        break;
      case 12:
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "doc_string", 12}, WireType::kLengthDelimited));
        break;
      case 13:
        // Entries (location, offset, length) are not read: BuildTensor rejects external data.
        LITECNN_RETURN_IF_ERROR(
            SkipKnown(r, tag, {kMsg, "external_data", 13}, WireType::kLengthDelimited));
        f->has_external_data = true;
        break;
      case 14:
        LITECNN_RETURN_IF_ERROR(
            wire::ReadInt32(r, tag, {kMsg, "data_location", 14}, &f->data_location));
        break;
      case kExternalPayloadField: {
        if (payloads_ == nullptr) {  // an unknown field in a plain .onnx file
          LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
          break;
        }
        int64_t index = 0;
        LITECNN_RETURN_IF_ERROR(
            wire::ReadInt64(r, tag, {kMsg, "external payload", tag.field}, &index));
        if (index < 0 || static_cast<uint64_t>(index) >= payloads_->sizes.size()) {
          return InvalidModel("TensorProto at byte " + std::to_string(tag.offset) +
                              ": external payload " + std::to_string(index) + " of " +
                              std::to_string(payloads_->sizes.size()));
        }
        f->external_payload = index;
        f->raw_data = {};
        f->has_raw_data = true;
        break;
      }
      default:  // metadata_props, future fields
        LITECNN_RETURN_IF_ERROR(Skip(r, tag, {kMsg, nullptr, tag.field}));
        break;
    }
  }
  return Status::Ok();
}

Status CheckInput(const uint8_t* data, size_t size, const DecodeLimits& limits, const char* what) {
  if (data == nullptr && size != 0) return InvalidArgument("null data with nonzero size");
  // size_t to uint64 first: a (64-bit) size above INT64_MAX must not turn negative.
  const uint64_t bytes = size;
  if (bytes > static_cast<uint64_t>(INT64_MAX)) return LimitExceeded("input size overflows");
  return CheckLimit("maxModelBytes", what, static_cast<int64_t>(bytes), limits.max_model_bytes,
                    "bytes");
}

}  // namespace

Result<Model> DecodeModel(const uint8_t* data, size_t size, const DecodeLimits& limits,
                          const ExternalPayloads* payloads) {
  LITECNN_RETURN_IF_ERROR(CheckInput(data, size, limits, "the model"));
  if (payloads != nullptr) {
    // The file's size: what is in `data` plus the payloads cut out of it (each a part of it).
    uint64_t file_bytes = size;
    for (size_t s : payloads->sizes) file_bytes += s;
    LITECNN_RETURN_IF_ERROR(CheckLimit("maxModelBytes", "the model",
                                       static_cast<int64_t>(file_bytes), limits.max_model_bytes,
                                       "bytes"));
  }
  Reader reader(data, size);
  Model model;
  Decoder decoder(limits, size, payloads);
  LITECNN_RETURN_IF_ERROR(decoder.DecodeModel(reader, &model));
  return model;
}

Result<NamedTensor> DecodeTensor(const uint8_t* data, size_t size, const DecodeLimits& limits) {
  LITECNN_RETURN_IF_ERROR(CheckInput(data, size, limits, "the tensor file"));
  Reader reader(data, size);
  NamedTensor tensor;
  Decoder decoder(limits, size);
  LITECNN_RETURN_IF_ERROR(decoder.DecodeTensorProto(reader, &tensor));
  return tensor;
}

}  // namespace litecnn::onnx
