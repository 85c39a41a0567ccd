// Typed access to a node's attributes with validation: a present attribute of the wrong type
// is an InvalidModel error naming the attribute.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "onnx/model_proto.h"

namespace litecnn {

class Attributes {
 public:
  // attrs may be null: no attributes (ops created by passes). version: the since_version of the
  // node's op in force at the model's opset (ops/registry.h), which decides what the attributes
  // and inputs mean.
  Attributes(const std::vector<onnx::Attribute>* attrs, int64_t version)
      : attrs_(attrs), version_(version) {}

  int64_t version() const { return version_; }
  bool Has(const std::string& name) const { return Find(name) != nullptr; }

  Result<int64_t> GetInt(const std::string& name, int64_t default_value) const;
  Result<float> GetFloat(const std::string& name, float default_value) const;
  Result<std::string> GetString(const std::string& name, const std::string& default_value) const;
  Result<std::vector<int64_t>> GetInts(const std::string& name,
                                       std::vector<int64_t> default_value = {}) const;
  Result<std::vector<float>> GetFloats(const std::string& name,
                                       std::vector<float> default_value = {}) const;
  // nullptr if absent
  Result<const Tensor*> GetTensor(const std::string& name) const;

  // Names of attributes present; used to reject unknown attributes where they change meaning.
  std::vector<std::string> Names() const;

 private:
  const onnx::Attribute* Find(const std::string& name) const;
  Status WrongType(const onnx::Attribute& a, const char* expected) const;
  const std::vector<onnx::Attribute>* attrs_;
  int64_t version_;
};

}  // namespace litecnn
