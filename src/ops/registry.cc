#include "ops/registry.h"

#include <algorithm>
#include <cstring>

#include "ops/op_list.h"

namespace litecnn {
namespace {

struct Entry {
  const char* op_type;
  OpFactory create;
};

// Every supported ONNX op type (default domain), one line each, sorted by name.
constexpr Entry kOps[] = {
    {"Add", CreateAdd},
    {"AveragePool", CreateAveragePool},
    {"BatchNormalization", CreateBatchNormalization},
    {"Cast", CreateCast},
    {"Clip", CreateClip},
    {"Concat", CreateConcat},
    {"Constant", CreateConstant},
    {"ConstantOfShape", CreateConstantOfShape},
    {"Conv", CreateConv},
    {"Div", CreateDiv},
    {"Dropout", CreateDropout},
    {"Flatten", CreateFlatten},
    {"Gather", CreateGather},
    {"Gemm", CreateGemm},
    {"GlobalAveragePool", CreateGlobalAveragePool},
    {"HardSigmoid", CreateHardSigmoid},
    {"HardSwish", CreateHardSwish},
    {"Identity", CreateIdentity},
    {"MatMul", CreateMatMul},
    {"MaxPool", CreateMaxPool},
    {"Mul", CreateMul},
    {"Pad", CreatePad},
    {"ReduceMean", CreateReduceMean},
    {"Relu", CreateRelu},
    {"Reshape", CreateReshape},
    {"Resize", CreateResize},
    {"Shape", CreateShape},
    {"Sigmoid", CreateSigmoid},
    {"Slice", CreateSlice},
    {"Softmax", CreateSoftmax},
    {"Split", CreateSplit},
    {"Squeeze", CreateSqueeze},
    {"Sub", CreateSub},
    {"Transpose", CreateTranspose},
    {"Unsqueeze", CreateUnsqueeze},
    {"Upsample", CreateUpsample},
};

}  // namespace

OpFactory FindOpFactory(const std::string& op_type) {
  for (const Entry& e : kOps) {
    if (op_type == e.op_type) return e.create;
  }
  return nullptr;
}

std::vector<std::string> SupportedOpTypes() {
  std::vector<std::string> names;
  for (const Entry& e : kOps) names.push_back(e.op_type);
  return names;
}

}  // namespace litecnn
