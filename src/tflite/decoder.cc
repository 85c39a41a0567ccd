// Table decoders: one function per schema table, reading its fields by slot through fb::Table,
// which owns the format's checks. Slot numbers follow schema.fbs (fields in declaration order,
// from 0; a union takes two slots, its type then its value). Fields litecnn does not use
// (signature_defs, metadata_buffer, mutating_variable_inputs, quantization min/max,
// builtin_options_2, variant_tensors) are not read, as the FlatBuffers format allows.
#include "tflite/decoder.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "tflite/flatbuffer.h"
#include "tflite/options.h"

namespace litecnn::tflite {
namespace {

// Decoded structures can be far larger than their encoding: a vector of a million offsets to one
// Tensor table (4 MB) would decode into a million tensors with their shapes and names. Charging
// every decoded object against a budget proportional to the input bounds that, as the ONNX
// decoder does; real models stay far below (their bulk is buffer data, which is not copied).
constexpr uint64_t kBudgetPerInputByte = 64;
constexpr uint64_t kBudgetFloor = uint64_t{1} << 20;

// Union types of SparseIndexVector.
constexpr uint8_t kInt32Vector = 1, kUint16Vector = 2, kUint8Vector = 3;

std::string At(const char* what, size_t i) { return std::string(what) + " " + std::to_string(i); }

class Decoder {
 public:
  Decoder(const fb::Buffer& buf, const DecodeLimits& limits)
      : buf_(buf), limits_(limits), budget_(kBudgetFloor + kBudgetPerInputByte * buf.size) {}

  Status DecodeModel(Model* model);

 private:
  // Counts `bytes` of decoded structure against the budget.
  Status Charge(uint64_t bytes, const char* what);
  Status ReadString(const fb::Table& t, uint16_t slot, const char* name, std::string* out);
  // A vector of int32, or of uint8/uint16 widened to int32 (Stored: the type in the file).
  template <typename Stored>
  Status ReadIntVector(const fb::Table& t, uint16_t slot, const char* name,
                       std::vector<int32_t>* out);
  Status ReadTableVector(const fb::Table& t, uint16_t slot, const char* name, fb::Vector* out,
                         size_t decoded_size);

  Status DecodeOperatorCode(const fb::Table& t, OperatorCode* out);
  Status DecodeBuffer(const fb::Table& t, Buffer* out);
  Status DecodeSubGraph(const fb::Table& t, SubGraph* out);
  Status DecodeTensor(const fb::Table& t, Tensor* out);
  Status DecodeQuantization(const fb::Table& t, QuantizationParameters* out);
  Status DecodeSparsity(const fb::Table& t, SparsityParameters* out);
  Status DecodeDimension(const fb::Table& t, DimensionMetadata* out);
  Status DecodeIndexVector(const fb::Table& t, uint16_t type_slot, const char* name,
                           std::vector<int32_t>* out);
  Status DecodeOperator(const fb::Table& t, Operator* out);
  // An external byte range [offset, offset + size) of the file, for Buffer.offset/size and
  // Operator.large_custom_options_*.
  Status ExternalBytes(const fb::Table& t, uint16_t offset_slot, const char* offset_name,
                       bool has_inline, ByteView* out, bool* external);
  Status CheckIndices(const Model& model);

  const fb::Buffer buf_;
  const DecodeLimits& limits_;
  uint64_t budget_;
  int64_t tensors_ = 0;
  int64_t operators_ = 0;
};

Status Decoder::Charge(uint64_t bytes, const char* what) {
  if (bytes <= budget_) {
    budget_ -= bytes;
    return Status::Ok();
  }
  return LimitExceeded(std::string(what) + ": the decoded model would take more than " +
                       std::to_string(kBudgetPerInputByte) +
                       " bytes per byte of the file (tables shared by many references?)");
}

Status Decoder::ReadString(const fb::Table& t, uint16_t slot, const char* name, std::string* out) {
  LITECNN_RETURN_IF_ERROR(t.String(slot, name, out));
  return Charge(out->size(), name);
}

template <typename Stored>
Status Decoder::ReadIntVector(const fb::Table& t, uint16_t slot, const char* name,
                              std::vector<int32_t>* out) {
  fb::Vector v;
  LITECNN_RETURN_IF_ERROR(t.VectorField(slot, name, sizeof(Stored), &v));
  LITECNN_RETURN_IF_ERROR(Charge(uint64_t{v.count} * sizeof(int32_t), name));
  out->resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) (*out)[i] = buf_.Load<Stored>(v.ElementPos(i));
  return Status::Ok();
}

Status Decoder::ReadTableVector(const fb::Table& t, uint16_t slot, const char* name,
                                fb::Vector* out, size_t decoded_size) {
  LITECNN_RETURN_IF_ERROR(t.VectorField(slot, name, 4, out));
  // Before the caller reserves: the count is bounded by the file (4 bytes each), not yet by
  // what its elements decode to.
  return Charge(uint64_t{out->count} * decoded_size, name);
}

// The size is in the slot after the offset's, in both tables.
Status Decoder::ExternalBytes(const fb::Table& t, uint16_t offset_slot, const char* offset_name,
                              bool has_inline, ByteView* out, bool* external) {
  uint64_t offset = 0, size = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint64_t>(offset_slot, offset_name, 0, &offset));
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint64_t>(offset_slot + 1, "size", 0, &size));
  // schema.fbs: "only valid if > 1" (1 is what the converter writes for an empty buffer).
  *external = offset > 1;
  if (!*external) return Status::Ok();
  const std::string where = std::string(t.name()) + " at byte " + std::to_string(t.pos());
  if (has_inline) {
    return InvalidModel(where + ": has both inline data and an external offset " +
                        std::to_string(offset));
  }
  if (offset > buf_.size || size > buf_.size - offset) {
    return InvalidModel(where + ": external data of " + std::to_string(size) +
                        " bytes at file offset " + std::to_string(offset) +
                        " runs past the end of the file (" + std::to_string(buf_.size) + " bytes)");
  }
  *out = ByteView{buf_.data + offset, static_cast<size_t>(size), static_cast<size_t>(offset)};
  return Status::Ok();
}

Status Decoder::DecodeOperatorCode(const fb::Table& t, OperatorCode* out) {
  LITECNN_RETURN_IF_ERROR(
      t.Scalar<int8_t>(0, "deprecated_builtin_code", 0, &out->deprecated_builtin_code));
  LITECNN_RETURN_IF_ERROR(ReadString(t, 1, "custom_code", &out->custom_code));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(2, "version", 1, &out->version));
  int32_t builtin = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(3, "builtin_code", 0, &builtin));
  if (builtin < 0 || out->deprecated_builtin_code < 0) {
    return InvalidModel("OperatorCode at byte " + std::to_string(t.pos()) +
                        ": negative builtin code (builtin_code " + std::to_string(builtin) +
                        ", deprecated_builtin_code " +
                        std::to_string(out->deprecated_builtin_code) + ")");
  }
  // TFLite's GetBuiltinCode: files before schema 3a leave builtin_code 0 (ADD) and store the op
  // in the byte; newer files store both, or 127 in the byte for codes that do not fit it.
  out->builtin_code = std::max<int32_t>(builtin, out->deprecated_builtin_code);
  return Status::Ok();
}

Status Decoder::DecodeBuffer(const fb::Table& t, Buffer* out) {
  fb::Vector data;
  LITECNN_RETURN_IF_ERROR(t.VectorField(0, "data", 1, &data));
  bool external = false;
  LITECNN_RETURN_IF_ERROR(ExternalBytes(t, 1, "offset", data.count > 0, &out->data, &external));
  if (!external) out->data = ByteView{buf_.data + data.pos, data.count, data.pos};
  return Status::Ok();
}

Status Decoder::DecodeIndexVector(const fb::Table& t, uint16_t type_slot, const char* name,
                                  std::vector<int32_t>* out) {
  uint8_t type = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint8_t>(type_slot, name, 0, &type));
  fb::Table values;
  bool present = false;
  LITECNN_RETURN_IF_ERROR(
      t.ChildTable(type_slot + 1, name, "SparseIndexVector", &values, &present));
  if (!present || type == 0) return Status::Ok();
  switch (type) {
    case kInt32Vector:
      return ReadIntVector<int32_t>(values, 0, "values", out);
    case kUint16Vector:
      return ReadIntVector<uint16_t>(values, 0, "values", out);
    case kUint8Vector:
      return ReadIntVector<uint8_t>(values, 0, "values", out);
    default:
      return fb::FieldError(t.Id(type_slot, name), t.pos(),
                            "unknown SparseIndexVector type " + std::to_string(type));
  }
}

Status Decoder::DecodeDimension(const fb::Table& t, DimensionMetadata* out) {
  int8_t format = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<int8_t>(0, "format", 0, &format));
  if (format != 0 && format != 1) {
    return fb::FieldError(t.Id(0, "format"), t.pos(),
                          "unknown DimensionType " + std::to_string(format));
  }
  out->format = static_cast<DimensionType>(format);
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(1, "dense_size", 0, &out->dense_size));
  LITECNN_RETURN_IF_ERROR(DecodeIndexVector(t, 2, "array_segments", &out->array_segments));
  return DecodeIndexVector(t, 4, "array_indices", &out->array_indices);
}

Status Decoder::DecodeSparsity(const fb::Table& t, SparsityParameters* out) {
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 0, "traversal_order", &out->traversal_order));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 1, "block_map", &out->block_map));
  fb::Vector dims;
  LITECNN_RETURN_IF_ERROR(ReadTableVector(t, 2, "dim_metadata", &dims, sizeof(DimensionMetadata)));
  out->dim_metadata.resize(dims.count);
  for (uint32_t i = 0; i < dims.count; ++i) {
    fb::Table d;
    LITECNN_RETURN_IF_ERROR(t.TableAt(dims, i, "DimensionMetadata", &d));
    Status st = DecodeDimension(d, &out->dim_metadata[i]);
    if (!st.ok()) return st.WithContext(At("dim_metadata", i));
  }
  return Status::Ok();
}

Status Decoder::DecodeQuantization(const fb::Table& t, QuantizationParameters* out) {
  fb::Vector scale, zero_point;
  LITECNN_RETURN_IF_ERROR(t.VectorField(2, "scale", 4, &scale));
  LITECNN_RETURN_IF_ERROR(t.VectorField(3, "zero_point", 8, &zero_point));
  LITECNN_RETURN_IF_ERROR(
      Charge(uint64_t{scale.count} * 4 + uint64_t{zero_point.count} * 8, "QuantizationParameters"));
  out->scale.resize(scale.count);
  for (uint32_t i = 0; i < scale.count; ++i) out->scale[i] = buf_.Load<float>(scale.ElementPos(i));
  out->zero_point.resize(zero_point.count);
  for (uint32_t i = 0; i < zero_point.count; ++i) {
    out->zero_point[i] = buf_.Load<int64_t>(zero_point.ElementPos(i));
  }
  uint8_t details = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint8_t>(4, "details_type", 0, &details));
  out->has_details = details != 0;
  return t.Scalar<int32_t>(6, "quantized_dimension", 0, &out->quantized_dimension);
}

Status Decoder::DecodeTensor(const fb::Table& t, Tensor* out) {
  out->offset = t.pos();
  LITECNN_RETURN_IF_ERROR(ReadString(t, 3, "name", &out->name));
  // Checked against maxRank before the dims are copied, so that a shared huge shape vector
  // costs nothing; then the element count, as for an ONNX initializer.
  fb::Vector shape;
  LITECNN_RETURN_IF_ERROR(t.VectorField(0, "shape", 4, &shape));
  const std::string what = "tensor '" + out->name + "'";
  LITECNN_RETURN_IF_ERROR(
      CheckLimit("maxRank", what + " shape", shape.count, limits_.max_rank, "dimensions"));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 0, "shape", &out->shape));
  LITECNN_RETURN_IF_ERROR(
      CheckTensorLimits(Dims(out->shape.begin(), out->shape.end()), limits_, what).status());
  int8_t type = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<int8_t>(1, "type", 0, &type));
  out->type = static_cast<TensorType>(type);
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint32_t>(2, "buffer", 0, &out->buffer));
  uint8_t is_variable = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint8_t>(5, "is_variable", 0, &is_variable));
  out->is_variable = is_variable != 0;

  fb::Table child;
  bool present = false;
  LITECNN_RETURN_IF_ERROR(
      t.ChildTable(4, "quantization", "QuantizationParameters", &child, &present));
  if (present) LITECNN_RETURN_IF_ERROR(DecodeQuantization(child, &out->quantization.emplace()));
  LITECNN_RETURN_IF_ERROR(t.ChildTable(6, "sparsity", "SparsityParameters", &child, &present));
  if (present) LITECNN_RETURN_IF_ERROR(DecodeSparsity(child, &out->sparsity.emplace()));
  if (t.Has(7)) {
    fb::Vector signature;
    LITECNN_RETURN_IF_ERROR(t.VectorField(7, "shape_signature", 4, &signature));
    LITECNN_RETURN_IF_ERROR(CheckLimit("maxRank", what + " shape_signature", signature.count,
                                       limits_.max_rank, "dimensions"));
    LITECNN_RETURN_IF_ERROR(
        ReadIntVector<int32_t>(t, 7, "shape_signature", &out->shape_signature.emplace()));
  }
  return Status::Ok();
}

Status Decoder::DecodeOperator(const fb::Table& t, Operator* out) {
  out->offset = t.pos();
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint32_t>(0, "opcode_index", 0, &out->opcode_index));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 1, "inputs", &out->inputs));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 2, "outputs", &out->outputs));
  LITECNN_RETURN_IF_ERROR(
      t.Scalar<uint8_t>(3, "builtin_options_type", 0, &out->builtin_options_type));
  LITECNN_RETURN_IF_ERROR(
      DecodeBuiltinOptions(t, out->builtin_options_type, limits_.max_rank, &out->builtin_options));
  fb::Vector custom;
  LITECNN_RETURN_IF_ERROR(t.VectorField(5, "custom_options", 1, &custom));
  LITECNN_RETURN_IF_ERROR(
      t.Scalar<int8_t>(6, "custom_options_format", 0, &out->custom_options_format));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 8, "intermediates", &out->intermediates));
  bool external = false;
  LITECNN_RETURN_IF_ERROR(ExternalBytes(t, 9, "large_custom_options_offset", custom.count > 0,
                                        &out->custom_options, &external));
  if (!external) out->custom_options = ByteView{buf_.data + custom.pos, custom.count, custom.pos};
  return Status::Ok();
}

Status Decoder::DecodeSubGraph(const fb::Table& t, SubGraph* out) {
  LITECNN_RETURN_IF_ERROR(ReadString(t, 4, "name", &out->name));
  fb::Vector tensors, operators;
  LITECNN_RETURN_IF_ERROR(t.VectorField(0, "tensors", 4, &tensors));
  tensors_ += tensors.count;
  LITECNN_RETURN_IF_ERROR(
      CheckLimit("maxTensors", "the model's tensors", tensors_, limits_.max_tensors, "tensors"));
  LITECNN_RETURN_IF_ERROR(ReadTableVector(t, 0, "tensors", &tensors, sizeof(Tensor)));
  out->tensors.resize(tensors.count);
  for (uint32_t i = 0; i < tensors.count; ++i) {
    fb::Table tensor;
    Status st = t.TableAt(tensors, i, "Tensor", &tensor);
    if (st.ok()) st = DecodeTensor(tensor, &out->tensors[i]);
    if (!st.ok()) return st.WithContext(At("tensor", i));
  }
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 1, "inputs", &out->inputs));
  LITECNN_RETURN_IF_ERROR(ReadIntVector<int32_t>(t, 2, "outputs", &out->outputs));
  LITECNN_RETURN_IF_ERROR(t.VectorField(3, "operators", 4, &operators));
  operators_ += operators.count;
  // maxNodes, as for an ONNX graph: an operator is the node of a TFLite graph.
  LITECNN_RETURN_IF_ERROR(
      CheckLimit("maxNodes", "the model's operators", operators_, limits_.max_nodes, "operators"));
  LITECNN_RETURN_IF_ERROR(ReadTableVector(t, 3, "operators", &operators, sizeof(Operator)));
  out->operators.resize(operators.count);
  for (uint32_t i = 0; i < operators.count; ++i) {
    fb::Table op;
    Status st = t.TableAt(operators, i, "Operator", &op);
    if (st.ok()) st = DecodeOperator(op, &out->operators[i]);
    if (!st.ok()) return st.WithContext(At("operator", i));
  }
  return Status::Ok();
}

Status Decoder::DecodeModel(Model* model) {
  fb::Table root;
  LITECNN_RETURN_IF_ERROR(fb::RootTable(buf_, "TFL3", "Model", &root));
  LITECNN_RETURN_IF_ERROR(root.Scalar<uint32_t>(0, "version", 0, &model->version));
  LITECNN_RETURN_IF_ERROR(ReadString(root, 3, "description", &model->description));

  fb::Vector v;
  LITECNN_RETURN_IF_ERROR(ReadTableVector(root, 1, "operator_codes", &v, sizeof(OperatorCode)));
  model->operator_codes.resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table code;
    Status st = root.TableAt(v, i, "OperatorCode", &code);
    if (st.ok()) st = DecodeOperatorCode(code, &model->operator_codes[i]);
    if (!st.ok()) return st.WithContext(At("operator code", i));
  }

  LITECNN_RETURN_IF_ERROR(ReadTableVector(root, 4, "buffers", &v, sizeof(Buffer)));
  model->buffers.resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table buffer;
    Status st = root.TableAt(v, i, "Buffer", &buffer);
    if (st.ok()) st = DecodeBuffer(buffer, &model->buffers[i]);
    if (!st.ok()) return st.WithContext(At("buffer", i));
  }

  LITECNN_RETURN_IF_ERROR(ReadTableVector(root, 6, "metadata", &v, sizeof(Metadata)));
  model->metadata.resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table m;
    Status st = root.TableAt(v, i, "Metadata", &m);
    if (st.ok()) st = ReadString(m, 0, "name", &model->metadata[i].name);
    if (st.ok()) st = m.Scalar<uint32_t>(1, "buffer", 0, &model->metadata[i].buffer);
    if (!st.ok()) return st.WithContext(At("metadata", i));
  }

  LITECNN_RETURN_IF_ERROR(ReadTableVector(root, 2, "subgraphs", &v, sizeof(SubGraph)));
  if (v.count == 0) return InvalidModel("the model has no subgraphs (Model.subgraphs is empty)");
  model->subgraphs.resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    fb::Table sg;
    Status st = root.TableAt(v, i, "SubGraph", &sg);
    if (st.ok()) st = DecodeSubGraph(sg, &model->subgraphs[i]);
    if (!st.ok()) return st.WithContext(At("subgraph", i));
  }
  return CheckIndices(*model);
}

// Every index a consumer would follow, so that it may index without checks.
Status Decoder::CheckIndices(const Model& model) {
  const size_t buffers = model.buffers.size();
  for (size_t m = 0; m < model.metadata.size(); ++m) {
    if (model.metadata[m].buffer >= buffers) {
      return InvalidModel("metadata " + std::to_string(m) + " '" + model.metadata[m].name +
                          "': buffer " + std::to_string(model.metadata[m].buffer) +
                          " out of range (the model has " + std::to_string(buffers) + ")");
    }
  }
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    const SubGraph& sg = model.subgraphs[s];
    const std::string where = At("subgraph", s);
    const int64_t tensors = static_cast<int64_t>(sg.tensors.size());
    auto check = [&](const std::vector<int32_t>& indices, bool optional, const std::string& what) {
      for (int32_t i : indices) {
        if ((i == -1 && optional) || (i >= 0 && i < tensors)) continue;
        return InvalidModel(where + ": " + what + ": tensor index " + std::to_string(i) +
                            " out of range (the subgraph has " + std::to_string(tensors) +
                            " tensors)");
      }
      return Status::Ok();
    };
    for (size_t t = 0; t < sg.tensors.size(); ++t) {
      if (sg.tensors[t].buffer >= buffers) {
        return InvalidModel(where + ": tensor " + std::to_string(t) + " '" + sg.tensors[t].name +
                            "': buffer " + std::to_string(sg.tensors[t].buffer) +
                            " out of range (the model has " + std::to_string(buffers) + ")");
      }
    }
    LITECNN_RETURN_IF_ERROR(check(sg.inputs, false, "inputs"));
    LITECNN_RETURN_IF_ERROR(check(sg.outputs, false, "outputs"));
    for (size_t o = 0; o < sg.operators.size(); ++o) {
      const Operator& op = sg.operators[o];
      const std::string what = At("operator", o);
      if (op.opcode_index >= model.operator_codes.size()) {
        return InvalidModel(where + ": " + what + ": opcode_index " +
                            std::to_string(op.opcode_index) + " out of range (the model has " +
                            std::to_string(model.operator_codes.size()) + " operator codes)");
      }
      // -1 marks an omitted optional tensor (TFLite accepts it in all three lists).
      LITECNN_RETURN_IF_ERROR(check(op.inputs, true, what + " inputs"));
      LITECNN_RETURN_IF_ERROR(check(op.outputs, true, what + " outputs"));
      LITECNN_RETURN_IF_ERROR(check(op.intermediates, true, what + " intermediates"));
    }
  }
  return Status::Ok();
}

}  // namespace

bool HasTfliteIdentifier(const uint8_t* data, size_t size) {
  return data != nullptr && size >= 8 && std::memcmp(data + 4, "TFL3", 4) == 0;
}

Result<Model> DecodeModel(const uint8_t* data, size_t size, const DecodeLimits& limits) {
  if (data == nullptr && size != 0) return InvalidArgument("null model data with a nonzero size");
  // In 64 bits: size_t is 32 bits on wasm.
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxModelBytes", "the model file", static_cast<int64_t>(size),
                                     limits.max_model_bytes, "bytes"));
  Model model;
  Decoder decoder(fb::Buffer{data, size}, limits);
  LITECNN_RETURN_IF_ERROR(decoder.DecodeModel(&model));
  return model;
}

}  // namespace litecnn::tflite
