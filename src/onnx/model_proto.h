// Plain C++ mirrors of the ONNX protobuf messages litecnn reads. The wire decoder
// (onnx/decoder.h) fills them; graph/ builds the IR from them. Nothing here validates semantics
// (that a node's inputs exist, that attributes make sense): that is the graph builder's job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace litecnn::onnx {

// onnx.AttributeProto.AttributeType
enum class AttributeType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kInt = 2,
  kString = 3,
  kTensor = 4,
  kGraph = 5,
  kFloats = 6,
  kInts = 7,
  kStrings = 8,
};

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::kUndefined;
  float f = 0;
  int64_t i = 0;
  std::string s;
  Tensor t;  // valid when type == kTensor
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  // Subgraphs (If/Loop bodies) are not decoded: litecnn does not run control flow.
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;               // "" or "ai.onnx" for the default domain (IsDefaultDomain)
  std::vector<std::string> inputs;  // "" marks an omitted optional input
  std::vector<std::string> outputs;
  std::vector<Attribute> attributes;
};

struct Dimension {
  bool has_value = false;  // false: symbolic (dim_param) or unknown
  int64_t value = 0;
  std::string param;
};

struct ValueInfo {
  std::string name;
  int32_t elem_type = 0;  // onnx.TensorProto.DataType; 0 when absent
  bool has_shape = false;
  std::vector<Dimension> dims;
};

using litecnn::NamedTensor;

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<NamedTensor> initializers;
  std::vector<ValueInfo> inputs;  // may include initializers (IR < 4)
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_infos;
};

// ONNX spells the default operator set both as "" and as "ai.onnx".
inline bool IsDefaultDomain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx";
}

struct OpsetImport {
  std::string domain;
  int64_t version = 0;
};

struct Model {
  int64_t ir_version = 0;
  std::vector<OpsetImport> opset_imports;
  std::string producer_name;
  std::string producer_version;
  Graph graph;

  // Version of the default domain as imported; 1 when the model imports no operator set at all
  // (IR versions 1 and 2 predate opset_import: their models are opset 1); 0 when it imports
  // other domains only.
  int64_t DefaultOpsetVersion() const;
};

}  // namespace litecnn::onnx
