#include "ops/attributes.h"

namespace litecnn {

using onnx::AttributeType;

const onnx::Attribute* Attributes::Find(const std::string& name) const {
  if (!attrs_) return nullptr;
  for (const auto& a : *attrs_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Status Attributes::WrongType(const onnx::Attribute& a, const char* expected) const {
  return InvalidModel("attribute '" + a.name + "' must be " + expected + " (type " +
                      std::to_string(static_cast<int>(a.type)) + " given)");
}

Result<int64_t> Attributes::GetInt(const std::string& name, int64_t default_value) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return default_value;
  if (a->type != AttributeType::kInt) return WrongType(*a, "an int");
  return a->i;
}

Result<float> Attributes::GetFloat(const std::string& name, float default_value) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return default_value;
  if (a->type != AttributeType::kFloat) return WrongType(*a, "a float");
  return a->f;
}

Result<std::string> Attributes::GetString(const std::string& name,
                                          const std::string& default_value) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return default_value;
  if (a->type != AttributeType::kString) return WrongType(*a, "a string");
  return a->s;
}

Result<std::vector<int64_t>> Attributes::GetInts(const std::string& name,
                                                 std::vector<int64_t> default_value) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return default_value;
  if (a->type != AttributeType::kInts) return WrongType(*a, "a list of ints");
  return a->ints;
}

Result<std::vector<float>> Attributes::GetFloats(const std::string& name,
                                                 std::vector<float> default_value) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return default_value;
  if (a->type != AttributeType::kFloats) return WrongType(*a, "a list of floats");
  return a->floats;
}

Result<const Tensor*> Attributes::GetTensor(const std::string& name) const {
  const onnx::Attribute* a = Find(name);
  if (!a) return static_cast<const Tensor*>(nullptr);
  if (a->type != AttributeType::kTensor) return WrongType(*a, "a tensor");
  return &a->t;
}

std::vector<std::string> Attributes::Names() const {
  std::vector<std::string> names;
  if (!attrs_) return names;
  for (const auto& a : *attrs_) names.push_back(a.name);
  return names;
}

}  // namespace litecnn
