// Message decoders: one table of known fields and one callback per ONNX message, on top of
// wire::ForEachField, which owns the wire format's checks (bounds, wire types, nesting, skipping).
// Field numbers follow onnx/onnx.proto (IR version 10). Protobuf semantics kept: fields may come
// in any order, repeated fields accumulate, a repeated scalar may be packed or not, the last value
// of a singular scalar wins, and unknown fields of every wire type are skipped.
#include "onnx/decoder.h"

#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "onnx/tensor_proto.h"
#include "onnx/wire.h"

namespace litecnn::onnx {
namespace {

using wire::Field;
using wire::FieldKind;
using wire::FieldSpec;
using wire::MessageSpec;
using wire::Reader;

// --- field tables -------------------------------------------------------------------------------
// A field listed here is type-checked even when the decoder ignores it (doc_string, domain...), so
// that a malformed one is reported; a field not listed is skipped whatever its wire type.

constexpr FieldSpec kModelFields[] = {
    {1, "ir_version", FieldKind::kVarint},
    {2, "producer_name", FieldKind::kBytes},
    {3, "producer_version", FieldKind::kBytes},
    // domain, model_version and doc_string (like the unlisted metadata_props, training_info,
    // functions and configuration) do not affect inference in litecnn.
    {4, "domain", FieldKind::kBytes},
    {5, "model_version", FieldKind::kVarint},
    {6, "doc_string", FieldKind::kBytes},
    {7, "graph", FieldKind::kMessage},
    {8, "opset_import", FieldKind::kMessage},
};
constexpr MessageSpec kModelProto("ModelProto", kModelFields);

constexpr FieldSpec kOpsetImportFields[] = {
    {1, "domain", FieldKind::kBytes},
    {2, "version", FieldKind::kVarint},
};
constexpr MessageSpec kOpsetImport("OperatorSetIdProto", kOpsetImportFields);

// Unlisted: quantization_annotation, metadata_props.
constexpr FieldSpec kGraphFields[] = {
    {1, "node", FieldKind::kMessage},
    {2, "name", FieldKind::kBytes},
    {5, "initializer", FieldKind::kMessage},
    {10, "doc_string", FieldKind::kBytes},
    {11, "input", FieldKind::kMessage},
    {12, "output", FieldKind::kMessage},
    {13, "value_info", FieldKind::kMessage},
    {15, "sparse_initializer", FieldKind::kUnsupported, "sparse initializers are not supported"},
};
constexpr MessageSpec kGraphProto("GraphProto", kGraphFields);

// Unlisted: overload, metadata_props, device_configurations.
constexpr FieldSpec kNodeFields[] = {
    {1, "input", FieldKind::kBytes},  // repeated; "" marks an omitted optional input
    {2, "output", FieldKind::kBytes},
    {3, "name", FieldKind::kBytes},
    {4, "op_type", FieldKind::kBytes},
    {5, "attribute", FieldKind::kMessage},
    // Type-checked, then ignored.
    {6, "doc_string", FieldKind::kBytes},
    {7, "domain", FieldKind::kBytes},
};
constexpr MessageSpec kNodeProto("NodeProto", kNodeFields);

// Unlisted: sparse_tensor(s), tp, type_protos.
constexpr FieldSpec kAttributeFields[] = {
    {1, "name", FieldKind::kBytes},
    {2, "f", FieldKind::kFixed32},
    {3, "i", FieldKind::kVarint},
    {4, "s", FieldKind::kBytes},
    {5, "t", FieldKind::kMessage},
    // Subgraphs (If/Loop bodies) are not decoded; the type is still recorded so that the graph
    // builder can say which node needs control flow.
    {6, "g", FieldKind::kBytes},
    {7, "floats", FieldKind::kPackedFixed32},
    {8, "ints", FieldKind::kPackedVarint},
    {9, "strings", FieldKind::kBytes},
    {10, "tensors", FieldKind::kBytes},
    {11, "graphs", FieldKind::kBytes},
    {13, "doc_string", FieldKind::kBytes},
    {20, "type", FieldKind::kVarint},
    // Only meaningful inside FunctionProto bodies, which litecnn does not expand.
    {21, "ref_attr_name", FieldKind::kUnsupported, "attribute references are not supported"},
};
constexpr MessageSpec kAttributeProto("AttributeProto", kAttributeFields);

// Unlisted: doc_string, metadata_props.
constexpr FieldSpec kValueInfoFields[] = {
    {1, "name", FieldKind::kBytes},
    {2, "type", FieldKind::kMessage},
};
constexpr MessageSpec kValueInfoProto("ValueInfoProto", kValueInfoFields);

// Unlisted: sequence_type, map_type, optional_type, sparse_tensor_type, denotation. litecnn only
// runs dense tensors, so such values keep elem_type 0 and the graph builder rejects them if they
// are actually used.
constexpr FieldSpec kTypeFields[] = {{1, "tensor_type", FieldKind::kMessage}};
constexpr MessageSpec kTypeProto("TypeProto", kTypeFields);

constexpr FieldSpec kTensorTypeFields[] = {
    {1, "elem_type", FieldKind::kVarint},
    {2, "shape", FieldKind::kMessage},
};
constexpr MessageSpec kTensorType("TypeProto.Tensor", kTensorTypeFields);

constexpr FieldSpec kShapeFields[] = {{1, "dim", FieldKind::kMessage}};
constexpr MessageSpec kShapeProto("TensorShapeProto", kShapeFields);

// Unlisted: denotation.
constexpr FieldSpec kDimensionFields[] = {
    {1, "dim_value", FieldKind::kVarint},
    {2, "dim_param", FieldKind::kBytes},
};
constexpr MessageSpec kDimension("TensorShapeProto.Dimension", kDimensionFields);

// Unlisted: metadata_props.
constexpr FieldSpec kTensorFields[] = {
    {1, "dims", FieldKind::kPackedVarint},
    {2, "data_type", FieldKind::kVarint},
    {3, "segment", FieldKind::kUnsupported, "segmented tensors are not supported"},
    {4, "float_data", FieldKind::kPackedFixed32},
    {5, "int32_data", FieldKind::kPackedVarint},
    {6, "string_data", FieldKind::kUnsupported, "string tensors are not supported"},
    {7, "int64_data", FieldKind::kPackedVarint},
    {8, "name", FieldKind::kBytes},
    {9, "raw_data", FieldKind::kBytes},
    {10, "double_data", FieldKind::kPackedFixed64},
    {11, "uint64_data", FieldKind::kPackedVarint},
    {12, "doc_string", FieldKind::kBytes},
    // Entries (location, offset, length) are not read: BuildTensor rejects external data.
    {13, "external_data", FieldKind::kBytes},
    {14, "data_location", FieldKind::kVarint},
    // Last, so that kTensorProto can leave it out (see there).
    {kExternalPayloadField, "external payload", FieldKind::kVarint},
};
static_assert(kTensorFields[std::size(kTensorFields) - 1].number == kExternalPayloadField);
// The payload field exists only in the skeletons web/src/onnx_split.js makes, which are decoded
// with ExternalPayloads; in a plain .onnx file it is an unknown field, skipped like any other.
constexpr MessageSpec kTensorProtoWithPayloads("TensorProto", kTensorFields);
constexpr MessageSpec kTensorProto("TensorProto", kTensorFields, std::size(kTensorFields) - 1);

// --- the decoder --------------------------------------------------------------------------------

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
      : limits_(limits),
        budget_(StructureBudget(input_size)),
        payloads_(payloads),
        nesting_(limits.max_nesting) {}

  Status DecodeModel(Reader r, Model* model);
  Status DecodeTensorProto(Reader r, NamedTensor* out);

 private:
  Status Charge(size_t bytes, const char* message, size_t offset);
  // Appends a decoded std::string (charged against the budget) to `out`.
  Status AppendString(const Field& f, std::vector<std::string>* out);

  Status DecodeOpsetImport(Reader r, OpsetImport* out);
  Status DecodeGraph(Reader r, Graph* graph);
  Status DecodeNode(Reader r, Node* node);
  Status DecodeAttribute(Reader r, Attribute* attr);
  Status DecodeValueInfo(Reader r, ValueInfo* info);
  Status DecodeTypeProto(Reader r, ValueInfo* info);
  Status DecodeTensorType(Reader r, ValueInfo* info);
  Status DecodeShape(Reader r, ValueInfo* info);
  Status DecodeDimension(Reader r, Dimension* dim);
  Status DecodeTensorFields(Reader r, TensorProtoFields* fields);

  const DecodeLimits& limits_;
  size_t budget_;
  const ExternalPayloads* payloads_;
  wire::Nesting nesting_;
  int64_t nodes_ = 0;
};

Status Decoder::Charge(size_t bytes, const char* message, size_t offset) {
  if (bytes > budget_) {
    return LimitExceeded(std::string(message) + " at byte " + std::to_string(offset) +
                         ": decoded model structure exceeds " +
                         std::to_string(kBudgetPerInputByte) + " bytes per input byte");
  }
  budget_ -= bytes;
  return Status::Ok();
}

Status Decoder::AppendString(const Field& f, std::vector<std::string>* out) {
  LITECNN_RETURN_IF_ERROR(Charge(sizeof(std::string), f.id.message, f.offset));
  std::string s;
  f.AssignString(&s);
  out->push_back(std::move(s));
  return Status::Ok();
}

// --- ModelProto --------------------------------------------------------------------------------

Status Decoder::DecodeModel(Reader r, Model* model) {
  bool has_graph = false;
  LITECNN_RETURN_IF_ERROR(
      wire::ForEachField(r, kModelProto, &nesting_, [&](const Field& f) -> Status {
        switch (f.id.number) {
          case 1:
            model->ir_version = f.AsInt64();
            break;
          case 2:
            f.AssignString(&model->producer_name);
            break;
          case 3:
            f.AssignString(&model->producer_version);
            break;
          case 7:
            // A repeated singular message merges into the previous one, as in protobuf.
            LITECNN_RETURN_IF_ERROR(DecodeGraph(f.AsMessage(), &model->graph));
            has_graph = true;
            break;
          case 8:
            LITECNN_RETURN_IF_ERROR(Charge(sizeof(OpsetImport), f.id.message, f.offset));
            model->opset_imports.emplace_back();
            return DecodeOpsetImport(f.AsMessage(), &model->opset_imports.back());
        }
        return Status::Ok();
      }));
  // Both are required by ONNX from IR version 3 (IR 1 and 2 predate opset_import: such a model
  // is opset 1). Checking them also means that a file cut at a field boundary, which is
  // otherwise a valid protobuf prefix, is rejected.
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxNodes", "the graph", nodes_, limits_.max_nodes, "nodes"));
  if (!has_graph) return InvalidModel("ModelProto has no graph (field 7)");
  const bool predates_opset_import = model->ir_version == 1 || model->ir_version == 2;
  if (model->opset_imports.empty() && !predates_opset_import) {
    return InvalidModel(
        "ModelProto has no opset_import (field 8), which IR version 3 and later "
        "require");
  }
  return Status::Ok();
}

Status Decoder::DecodeOpsetImport(Reader r, OpsetImport* out) {
  return wire::ForEachField(r, kOpsetImport, &nesting_, [&](const Field& f) {
    if (f.id.number == 1) f.AssignString(&out->domain);
    if (f.id.number == 2) out->version = f.AsInt64();
    return Status::Ok();
  });
}

// --- GraphProto --------------------------------------------------------------------------------

Status Decoder::DecodeGraph(Reader r, Graph* graph) {
  return wire::ForEachField(r, kGraphProto, &nesting_, [&](const Field& f) -> Status {
    switch (f.id.number) {
      case 1: {
        // Past the limit, nodes are only counted (their bytes are already skipped), so that the
        // error can say by how much the graph is over it.
        if (++nodes_ > limits_.max_nodes) break;
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(Node), f.id.message, f.offset));
        graph->nodes.emplace_back();
        Node& node = graph->nodes.back();
        Status st = DecodeNode(f.AsMessage(), &node);
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
        f.AssignString(&graph->name);
        break;
      case 5: {
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(NamedTensor), f.id.message, f.offset));
        NamedTensor t;
        LITECNN_RETURN_IF_ERROR(DecodeTensorProto(f.AsMessage(), &t));
        graph->initializers.push_back(std::move(t));
        break;
      }
      case 11:
      case 12:
      case 13: {
        std::vector<ValueInfo>* list = f.id.number == 11   ? &graph->inputs
                                       : f.id.number == 12 ? &graph->outputs
                                                           : &graph->value_infos;
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(ValueInfo), f.id.message, f.offset));
        list->emplace_back();
        return DecodeValueInfo(f.AsMessage(), &list->back());
      }
    }
    return Status::Ok();
  });
}

// --- NodeProto / AttributeProto ----------------------------------------------------------------

Status Decoder::DecodeNode(Reader r, Node* node) {
  return wire::ForEachField(r, kNodeProto, &nesting_, [&](const Field& f) -> Status {
    switch (f.id.number) {
      case 1:
        return AppendString(f, &node->inputs);
      case 2:
        return AppendString(f, &node->outputs);
      case 3:
        f.AssignString(&node->name);
        break;
      case 4:
        f.AssignString(&node->op_type);
        break;
      case 5:
        LITECNN_RETURN_IF_ERROR(Charge(sizeof(Attribute), f.id.message, f.offset));
        node->attributes.emplace_back();
        return DecodeAttribute(f.AsMessage(), &node->attributes.back());
      case 7:
        f.AssignString(&node->domain);
        break;
    }
    return Status::Ok();
  });
}

Status Decoder::DecodeAttribute(Reader r, Attribute* attr) {
  const size_t start = r.offset();
  int32_t type = 0;
  // Which value fields were present: used to infer the type when `type` is absent (models
  // written before IR version 2 did not set it).
  bool has_f = false, has_i = false, has_s = false, has_t = false, has_g = false;
  bool has_floats = false, has_ints = false, has_strings = false;
  LITECNN_RETURN_IF_ERROR(
      wire::ForEachField(r, kAttributeProto, &nesting_, [&](const Field& f) -> Status {
        switch (f.id.number) {
          case 1:
            f.AssignString(&attr->name);
            break;
          case 2:
            attr->f = f.AsFloat();
            has_f = true;
            break;
          case 3:
            attr->i = f.AsInt64();
            has_i = true;
            break;
          case 4:
            f.AssignString(&attr->s);
            has_s = true;
            break;
          case 5: {
            // Last one wins (a full protobuf merge of two TensorProtos is not worth supporting).
            NamedTensor t;
            LITECNN_RETURN_IF_ERROR(DecodeTensorProto(f.AsMessage(), &t));
            attr->t = std::move(t.tensor);
            has_t = true;
            break;
          }
          case 6:
            has_g = true;
            break;
          case 7:
            has_floats = true;
            return wire::AppendRepeated(f, &attr->floats);
          case 8:
            has_ints = true;
            return wire::AppendRepeated(f, &attr->ints);
          case 9:
            has_strings = true;
            return AppendString(f, &attr->strings);
          case 20:
            type = f.AsInt32();
            break;
        }
        return Status::Ok();
      }));

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

Status Decoder::DecodeValueInfo(Reader r, ValueInfo* info) {
  return wire::ForEachField(r, kValueInfoProto, &nesting_, [&](const Field& f) -> Status {
    if (f.id.number == 1) f.AssignString(&info->name);
    if (f.id.number == 2) return DecodeTypeProto(f.AsMessage(), info);
    return Status::Ok();
  });
}

Status Decoder::DecodeTypeProto(Reader r, ValueInfo* info) {
  return wire::ForEachField(r, kTypeProto, &nesting_, [&](const Field& f) -> Status {
    if (f.id.number == 1) return DecodeTensorType(f.AsMessage(), info);
    return Status::Ok();
  });
}

Status Decoder::DecodeTensorType(Reader r, ValueInfo* info) {
  return wire::ForEachField(r, kTensorType, &nesting_, [&](const Field& f) -> Status {
    if (f.id.number == 1) info->elem_type = f.AsInt32();
    if (f.id.number == 2) {
      info->has_shape = true;
      return DecodeShape(f.AsMessage(), info);
    }
    return Status::Ok();
  });
}

Status Decoder::DecodeShape(Reader r, ValueInfo* info) {
  return wire::ForEachField(r, kShapeProto, &nesting_, [&](const Field& f) -> Status {
    if (f.id.number != 1) return Status::Ok();
    LITECNN_RETURN_IF_ERROR(Charge(sizeof(Dimension), f.id.message, f.offset));
    info->dims.emplace_back();
    return DecodeDimension(f.AsMessage(), &info->dims.back());
  });
}

Status Decoder::DecodeDimension(Reader r, Dimension* dim) {
  return wire::ForEachField(r, kDimension, &nesting_, [&](const Field& f) {
    // dim_value and dim_param form a oneof: the last one on the wire wins.
    if (f.id.number == 1) {
      dim->value = f.AsInt64();
      dim->has_value = true;
      dim->param.clear();
    } else if (f.id.number == 2) {
      f.AssignString(&dim->param);
      dim->has_value = false;
      dim->value = 0;
    }
    return Status::Ok();
  });
}

// --- TensorProto -------------------------------------------------------------------------------

Status Decoder::DecodeTensorProto(Reader r, NamedTensor* out) {
  TensorProtoFields fields;
  fields.offset = r.offset();
  LITECNN_RETURN_IF_ERROR(DecodeTensorFields(r, &fields));
  LITECNN_ASSIGN_OR_RETURN(*out, BuildTensor(fields, limits_, payloads_));
  return Status::Ok();
}

Status Decoder::DecodeTensorFields(Reader r, TensorProtoFields* tp) {
  const MessageSpec& spec = payloads_ != nullptr ? kTensorProtoWithPayloads : kTensorProto;
  return wire::ForEachField(r, spec, &nesting_, [&](const Field& f) -> Status {
    switch (f.id.number) {
      case 1:
        return wire::AppendRepeated(f, &tp->dims);
      case 2:
        tp->data_type = f.AsInt32();
        break;
      case 4:
        return wire::AppendRepeated(f, &tp->float_data);
      case 5:
        return wire::AppendRepeated(f, &tp->int32_data);
      case 7:
        return wire::AppendRepeated(f, &tp->int64_data);
      case 8:
        f.AssignString(&tp->name);
        break;
      case 9:
        // A view, not a copy: BuildTensor copies straight into the tensor's aligned buffer.
        tp->raw_data = f.bytes;
        tp->external_payload = -1;  // the last raw_data wins, as in protobuf
        tp->has_raw_data = true;
        break;
      case 10:
        return wire::AppendRepeated(f, &tp->double_data);
      case 11:
        return wire::AppendRepeated(f, &tp->uint64_data);
      case 13:
        tp->has_external_data = true;
        break;
      case 14:
        tp->data_location = f.AsInt32();
        break;
      case kExternalPayloadField: {
        if (payloads_ == nullptr) break;  // an unknown field in a plain .onnx file
        const int64_t index = f.AsInt64();
        if (index < 0 || static_cast<uint64_t>(index) >= payloads_->sizes.size()) {
          return InvalidModel("TensorProto at byte " + std::to_string(f.offset) +
                              ": external payload " + std::to_string(index) + " of " +
                              std::to_string(payloads_->sizes.size()));
        }
        tp->external_payload = index;
        tp->raw_data = {};
        tp->has_raw_data = true;
        break;
      }
    }
    return Status::Ok();
  });
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
  Model model;
  Decoder decoder(limits, size, payloads);
  LITECNN_RETURN_IF_ERROR(decoder.DecodeModel(Reader(data, size), &model));
  return model;
}

Result<NamedTensor> DecodeTensor(const uint8_t* data, size_t size, const DecodeLimits& limits) {
  LITECNN_RETURN_IF_ERROR(CheckInput(data, size, limits, "the tensor file"));
  NamedTensor tensor;
  Decoder decoder(limits, size);
  LITECNN_RETURN_IF_ERROR(decoder.DecodeTensorProto(Reader(data, size), &tensor));
  return tensor;
}

}  // namespace litecnn::onnx
