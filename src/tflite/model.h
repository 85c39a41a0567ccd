// Plain C++ mirrors of the TFLite schema tables litecnn reads (tensorflow/lite/schema/schema.fbs,
// version 3c). tflite/decoder.h fills them from a .tflite file; the importer translates them.
// Unlike onnx/model_proto.h, every index here is checked by the decoder (tensor indices of
// operators and subgraphs, buffer indices of tensors, opcode indices of operators), so a consumer
// may index with them directly; what the values mean (shapes that agree with a buffer's size, an
// op's inputs) is the importer's to check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace litecnn::tflite {

// schema.fbs TensorType (byte).
enum class TensorType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUint8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUint64 = 12,
  kResource = 13,
  kVariant = 14,
  kUint32 = 15,
  kUint16 = 16,
  kInt4 = 17,
};
// "FLOAT32", or "TensorType 99" for a value the schema does not define.
std::string TensorTypeName(TensorType type);

// schema.fbs BuiltinOperator (int32): the ops litecnn's target models use, and a few that
// errors name often. Other values are kept as they are (OperatorCode::builtin_code).
enum class BuiltinOperator : int32_t {
  kAdd = 0,
  kAveragePool2D = 1,
  kConcatenation = 2,
  kConv2D = 3,
  kDepthwiseConv2D = 4,
  kDepthToSpace = 5,
  kDequantize = 6,
  kFullyConnected = 9,
  kLogistic = 14,
  kMaxPool2D = 17,
  kMul = 18,
  kRelu = 19,
  kReluN1To1 = 20,
  kRelu6 = 21,
  kReshape = 22,
  kResizeBilinear = 23,
  kSoftmax = 25,
  kTanh = 28,
  kCustom = 32,
  kPad = 34,
  kTranspose = 39,
  kMean = 40,
  kSub = 41,
  kDiv = 42,
  kStridedSlice = 45,
  kPrelu = 54,
  kTransposeConv = 67,
  kResizeNearestNeighbor = 97,
  kLeakyRelu = 98,
  kHardSwish = 117,
  kDensify = 124,
  // OperatorCode.deprecated_builtin_code holds this for every code above 126 (it is a byte).
  kPlaceholderForGreaterOpCodes = 127,
};
// "CONV_2D", or "BUILTIN_OPERATOR_132" for one not listed above.
std::string BuiltinOperatorName(int32_t code);

enum class Padding : int8_t { kSame = 0, kValid = 1 };
enum class Activation : int8_t {
  kNone = 0,
  kRelu = 1,
  kReluN1To1 = 2,
  kRelu6 = 3,
  kTanh = 4,
  kSignBit = 5,
};
// "RELU6", or "ActivationFunctionType 9".
std::string ActivationName(Activation activation);

// --- builtin options: one struct per options table litecnn reads; defaults as in schema.fbs ---

struct Conv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1;
  int32_t dilation_h = 1;
};

struct DepthwiseConv2DOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  int32_t depth_multiplier = 0;  // redundant with the filter's shape; TF >= 2.1 ignores it
  Activation activation = Activation::kNone;
  int32_t dilation_w = 1;
  int32_t dilation_h = 1;
};

struct Pool2DOptions {  // MAX_POOL_2D, AVERAGE_POOL_2D
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  int32_t filter_w = 0;
  int32_t filter_h = 0;
  Activation activation = Activation::kNone;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  int8_t weights_format = 0;  // 0 DEFAULT; 1 SHUFFLED4x16INT8 (quantized only)
  bool keep_num_dims = false;
};

struct SoftmaxOptions {
  float beta = 0;
};

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};

// AddOptions, MulOptions, SubOptions and DivOptions: the fused activation is all a float
// model uses (AddOptions.pot_scale_int16 is for int16 quantization).
struct BinaryOptions {
  Activation activation = Activation::kNone;
};

struct ResizeBilinearOptions {
  bool align_corners = false;
  bool half_pixel_centers = false;
};

struct ReshapeOptions {
  bool has_new_shape = false;  // absent: the shape comes from the op's second input
  std::vector<int32_t> new_shape;
};

struct ReducerOptions {  // MEAN, SUM, REDUCE_MAX...
  bool keep_dims = false;
};

struct DepthToSpaceOptions {
  int32_t block_size = 0;
};

struct TransposeConvOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0;
  int32_t stride_h = 0;
  Activation activation = Activation::kNone;
};

// Options tables without fields (PadOptions, HardSwishOptions, DequantizeOptions,
// DensifyOptions, TransposeOptions...), and options litecnn does not read: only the union type
// (Operator::builtin_options_type) tells them apart.
struct OtherOptions {};

using BuiltinOptions =
    std::variant<std::monostate, Conv2DOptions, DepthwiseConv2DOptions, Pool2DOptions,
                 FullyConnectedOptions, SoftmaxOptions, ConcatenationOptions, BinaryOptions,
                 ResizeBilinearOptions, ReshapeOptions, ReducerOptions, TransposeConvOptions,
                 DepthToSpaceOptions, OtherOptions>;

// schema.fbs union BuiltinOptions: the type numbers of the tables above.
enum class BuiltinOptionsType : uint8_t {
  kNone = 0,
  kConv2DOptions = 1,
  kDepthwiseConv2DOptions = 2,
  kPool2DOptions = 5,
  kFullyConnectedOptions = 8,
  kSoftmaxOptions = 9,
  kConcatenationOptions = 10,
  kAddOptions = 11,
  kResizeBilinearOptions = 15,
  kReshapeOptions = 17,
  kMulOptions = 21,
  kPadOptions = 22,
  kTransposeOptions = 26,
  kReducerOptions = 27,
  kSubOptions = 28,
  kDivOptions = 29,
  kDequantizeOptions = 38,
  kTransposeConvOptions = 49,
  kHardSwishOptions = 91,
  kDepthToSpaceOptions = 94,
  kDensifyOptions = 99,
};

// --- tensors ------------------------------------------------------------------------------------

// A view of bytes inside the decoded file (Buffer data, custom options): valid while the bytes
// given to DecodeModel are.
struct ByteView {
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t offset = 0;  // absolute file offset of data[0], for errors
};

enum class DimensionType : int8_t { kDense = 0, kSparseCsr = 1 };

// One dimension of a sparse tensor's traversal order (TACO format, schema.fbs
// DimensionMetadata). The index vectors are widened to int32 whatever their stored width
// (Int32Vector, Uint16Vector or Uint8Vector).
struct DimensionMetadata {
  DimensionType format = DimensionType::kDense;
  int32_t dense_size = 0;               // kDense
  std::vector<int32_t> array_segments;  // kSparseCsr: CSR row pointers
  std::vector<int32_t> array_indices;   // kSparseCsr: CSR column indices
};

struct SparsityParameters {
  std::vector<int32_t> traversal_order;
  std::vector<int32_t> block_map;
  std::vector<DimensionMetadata> dim_metadata;
};

// Quantization is kept only so that the importer can name a quantized tensor it refuses.
struct QuantizationParameters {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
  bool has_details = false;  // CustomQuantization
};

struct Tensor {
  std::string name;
  std::vector<int32_t> shape;  // NHWC for activations, OHWI / 1HWO for conv filters
  std::optional<std::vector<int32_t>> shape_signature;  // -1 for a dynamic dim
  TensorType type = TensorType::kFloat32;
  uint32_t buffer = 0;  // index into Model::buffers; 0 is the empty sentinel
  bool is_variable = false;
  std::optional<QuantizationParameters> quantization;
  std::optional<SparsityParameters> sparsity;
  size_t offset = 0;  // absolute position of the Tensor table, for errors
};

// --- operators ----------------------------------------------------------------------------------

struct OperatorCode {
  // The op, resolved from both fields of the file the way TFLite does: the larger of
  // builtin_code and deprecated_builtin_code (files before schema 3a have only the byte; newer
  // ones store codes above 126 as builtin_code with deprecated_builtin_code = 127).
  int32_t builtin_code = 0;
  int8_t deprecated_builtin_code = 0;  // as stored
  std::string custom_code;             // kCustom: "Convolution2DTransposeBias"...
  int32_t version = 1;
};

struct Operator {
  uint32_t opcode_index = 0;     // into Model::operator_codes
  std::vector<int32_t> inputs;   // tensor indices; -1 marks an omitted optional input
  std::vector<int32_t> outputs;  // tensor indices
  std::vector<int32_t> intermediates;
  uint8_t builtin_options_type = 0;  // the union's type (BuiltinOptionsType)
  BuiltinOptions builtin_options;    // monostate when absent
  ByteView custom_options;           // custom ops (inline, or large_custom_options_*)
  int8_t custom_options_format = 0;  // 0: FLEXBUFFERS (MediaPipe's ops store a raw C struct)
  size_t offset = 0;                 // absolute position of the Operator table
};

struct SubGraph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<int32_t> inputs;      // tensor indices
  std::vector<int32_t> outputs;     // tensor indices
  std::vector<Operator> operators;  // in execution order
};

struct Buffer {
  // Inline data, or the bytes at offset/size past the FlatBuffer (schema 3c's layout for
  // files over 2 GB); both views into the file.
  ByteView data;
};

struct Metadata {
  std::string name;  // "min_runtime_version", "TFLITE_METADATA"...
  uint32_t buffer = 0;
};

struct Model {
  uint32_t version = 0;  // schema version (3)
  std::string description;
  std::vector<OperatorCode> operator_codes;
  std::vector<SubGraph> subgraphs;  // subgraphs[0] is the model
  std::vector<Buffer> buffers;
  std::vector<Metadata> metadata;
};

}  // namespace litecnn::tflite
