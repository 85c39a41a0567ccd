#include "tflite/model.h"

#include <iterator>

namespace litecnn::tflite {

std::string TensorTypeName(TensorType type) {
  static const char* const kNames[] = {
      "FLOAT32", "FLOAT16",  "INT32",     "UINT8",  "INT64",   "STRING",
      "BOOL",    "INT16",    "COMPLEX64", "INT8",   "FLOAT64", "COMPLEX128",
      "UINT64",  "RESOURCE", "VARIANT",   "UINT32", "UINT16",  "INT4",
  };
  const int v = static_cast<int>(type);
  if (v >= 0 && v < static_cast<int>(std::size(kNames))) return kNames[v];
  return "TensorType " + std::to_string(v);
}

std::string BuiltinOperatorName(int32_t code) {
  struct Entry {
    BuiltinOperator op;
    const char* name;
  };
  static const Entry kNames[] = {
      {BuiltinOperator::kAdd, "ADD"},
      {BuiltinOperator::kAveragePool2D, "AVERAGE_POOL_2D"},
      {BuiltinOperator::kConcatenation, "CONCATENATION"},
      {BuiltinOperator::kConv2D, "CONV_2D"},
      {BuiltinOperator::kDepthwiseConv2D, "DEPTHWISE_CONV_2D"},
      {BuiltinOperator::kDepthToSpace, "DEPTH_TO_SPACE"},
      {BuiltinOperator::kDequantize, "DEQUANTIZE"},
      {BuiltinOperator::kFullyConnected, "FULLY_CONNECTED"},
      {BuiltinOperator::kLogistic, "LOGISTIC"},
      {BuiltinOperator::kMaxPool2D, "MAX_POOL_2D"},
      {BuiltinOperator::kMul, "MUL"},
      {BuiltinOperator::kRelu, "RELU"},
      {BuiltinOperator::kReluN1To1, "RELU_N1_TO_1"},
      {BuiltinOperator::kRelu6, "RELU6"},
      {BuiltinOperator::kReshape, "RESHAPE"},
      {BuiltinOperator::kResizeBilinear, "RESIZE_BILINEAR"},
      {BuiltinOperator::kSoftmax, "SOFTMAX"},
      {BuiltinOperator::kTanh, "TANH"},
      {BuiltinOperator::kCustom, "CUSTOM"},
      {BuiltinOperator::kPad, "PAD"},
      {BuiltinOperator::kTranspose, "TRANSPOSE"},
      {BuiltinOperator::kMean, "MEAN"},
      {BuiltinOperator::kSub, "SUB"},
      {BuiltinOperator::kDiv, "DIV"},
      {BuiltinOperator::kStridedSlice, "STRIDED_SLICE"},
      {BuiltinOperator::kPrelu, "PRELU"},
      {BuiltinOperator::kTransposeConv, "TRANSPOSE_CONV"},
      {BuiltinOperator::kResizeNearestNeighbor, "RESIZE_NEAREST_NEIGHBOR"},
      {BuiltinOperator::kLeakyRelu, "LEAKY_RELU"},
      {BuiltinOperator::kHardSwish, "HARD_SWISH"},
      {BuiltinOperator::kDensify, "DENSIFY"},
      {BuiltinOperator::kPlaceholderForGreaterOpCodes, "PLACEHOLDER_FOR_GREATER_OP_CODES"},
  };
  for (const Entry& e : kNames) {
    if (static_cast<int32_t>(e.op) == code) return e.name;
  }
  return "BUILTIN_OPERATOR_" + std::to_string(code);
}

std::string ActivationName(Activation activation) {
  static const char* const kNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};
  const int v = static_cast<int>(activation);
  if (v >= 0 && v < static_cast<int>(std::size(kNames))) return kNames[v];
  return "ActivationFunctionType " + std::to_string(v);
}

}  // namespace litecnn::tflite
