// Tests for the TFLite decoder (src/tflite): a Keras-like model written by the test builder with
// every field checked, each builtin options table, the operator-code rule, external buffers and
// the index checks. Hostile inputs are in tflite_hostile_input_test.cc.
#include <cstdint>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "test_model_builder.h"
#include "tflite/decoder.h"
#include "tflite_test_builder.h"
#include "tflite_test_models.h"

namespace litecnn::tflite {
namespace {

using litecnn::test::FailsWith;
using namespace test;  // NOLINT: the builder's vocabulary

// Decodes from an exact-size heap copy so that AddressSanitizer flags any read past the end.
// The copy must outlive the model (buffers are views into it).
struct Decoded {
  std::vector<uint8_t> bytes;
  Result<Model> model = Status(StatusCode::kInternal, "not decoded");
};

Decoded Decode(const std::string& bytes, const DecodeLimits& limits = {}) {
  Decoded d;
  d.bytes.assign(bytes.begin(), bytes.end());
  d.model = DecodeModel(d.bytes.data(), d.bytes.size(), limits);
  return d;
}

std::string AsString(const ByteView& v) {
  return std::string(reinterpret_cast<const char*>(v.data), v.size);
}

TEST(TfliteDecoderTest, DecodesKerasLikeModelWithEveryField) {
  const std::string bytes = KerasLikeModel();
  Decoded d = Decode(bytes);
  ASSERT_TRUE(d.model.ok()) << d.model.status().ToString();
  const Model& m = *d.model;
  EXPECT_EQ(m.version, 3u);
  EXPECT_EQ(m.description, "litecnn-test");
  ASSERT_EQ(m.metadata.size(), 1u);
  EXPECT_EQ(m.metadata[0].name, "min_runtime_version");
  EXPECT_EQ(AsString(m.buffers[m.metadata[0].buffer].data), "1.14.0");

  ASSERT_EQ(m.operator_codes.size(), 13u);
  EXPECT_EQ(m.operator_codes[0].builtin_code, 3);
  EXPECT_EQ(m.operator_codes[1].version, 2);
  EXPECT_EQ(m.operator_codes[9].builtin_code, 32);
  EXPECT_EQ(m.operator_codes[9].custom_code, "Convolution2DTransposeBias");
  EXPECT_EQ(m.operator_codes[12].builtin_code, 150);
  EXPECT_EQ(m.operator_codes[12].deprecated_builtin_code, 127);

  ASSERT_EQ(m.buffers.size(), 7u);
  EXPECT_EQ(m.buffers[0].data.size, 0u);
  EXPECT_EQ(m.buffers[1].data.size, 4u * 27 * 4);
  float w;
  std::memcpy(&w, m.buffers[1].data.data, 4);
  EXPECT_EQ(w, 0.25f);
  EXPECT_EQ(AsString(m.buffers[2].data), Raw(std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(m.buffers[3].data.size, 72u);
  EXPECT_EQ(bytes.substr(m.buffers[2].data.offset, 16), AsString(m.buffers[2].data));

  ASSERT_EQ(m.subgraphs.size(), 1u);
  const SubGraph& g = m.subgraphs[0];
  EXPECT_EQ(g.name, "keras");
  EXPECT_EQ(g.inputs, (std::vector<int32_t>{0}));
  EXPECT_EQ(g.outputs, (std::vector<int32_t>{14, 16, 17}));
  ASSERT_EQ(g.tensors.size(), 18u);
  const Tensor& in = g.tensors[0];
  EXPECT_EQ(in.name, "input");
  EXPECT_EQ(in.shape, (std::vector<int32_t>{1, 8, 8, 3}));
  ASSERT_TRUE(in.shape_signature.has_value());
  EXPECT_EQ(*in.shape_signature, (std::vector<int32_t>{-1, 8, 8, 3}));
  EXPECT_EQ(in.type, TensorType::kFloat32);
  EXPECT_EQ(in.buffer, 0u);
  EXPECT_FALSE(in.is_variable);
  EXPECT_FALSE(in.quantization.has_value());
  EXPECT_FALSE(in.sparsity.has_value());
  EXPECT_FALSE(g.tensors[1].shape_signature.has_value());
  EXPECT_EQ(g.tensors[4].type, TensorType::kFloat16);
  EXPECT_EQ(g.tensors[4].buffer, 3u);
  EXPECT_EQ(g.tensors[9].type, TensorType::kInt32);

  ASSERT_TRUE(g.tensors[8].quantization.has_value());
  EXPECT_EQ(g.tensors[8].quantization->scale, (std::vector<float>{0.5f}));
  EXPECT_EQ(g.tensors[8].quantization->zero_point, (std::vector<int64_t>{3}));
  EXPECT_EQ(g.tensors[8].quantization->quantized_dimension, 1);
  EXPECT_FALSE(g.tensors[8].quantization->has_details);

  ASSERT_TRUE(g.tensors[11].sparsity.has_value());
  const SparsityParameters& sp = *g.tensors[11].sparsity;
  EXPECT_EQ(sp.traversal_order, (std::vector<int32_t>{0, 1}));
  EXPECT_TRUE(sp.block_map.empty());
  ASSERT_EQ(sp.dim_metadata.size(), 2u);
  EXPECT_EQ(sp.dim_metadata[0].format, DimensionType::kDense);
  EXPECT_EQ(sp.dim_metadata[0].dense_size, 2);
  EXPECT_EQ(sp.dim_metadata[1].format, DimensionType::kSparseCsr);
  EXPECT_EQ(sp.dim_metadata[1].array_segments, (std::vector<int32_t>{0, 1, 3}));
  EXPECT_EQ(sp.dim_metadata[1].array_indices, (std::vector<int32_t>{2, 0, 3}));

  ASSERT_EQ(g.operators.size(), 12u);
  const Operator& conv = g.operators[0];
  EXPECT_EQ(conv.opcode_index, 0u);
  EXPECT_EQ(conv.inputs, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(conv.outputs, (std::vector<int32_t>{3}));
  EXPECT_EQ(conv.builtin_options_type, 1);
  const auto* co = std::get_if<Conv2DOptions>(&conv.builtin_options);
  ASSERT_NE(co, nullptr);
  EXPECT_EQ(co->padding, Padding::kSame);
  EXPECT_EQ(co->stride_w, 2);
  EXPECT_EQ(co->stride_h, 2);
  EXPECT_EQ(co->activation, Activation::kRelu6);
  EXPECT_EQ(co->dilation_w, 1);  // absent: the schema's default
  EXPECT_EQ(co->dilation_h, 1);

  EXPECT_TRUE(std::holds_alternative<std::monostate>(g.operators[1].builtin_options));
  const auto* dw = std::get_if<DepthwiseConv2DOptions>(&g.operators[2].builtin_options);
  ASSERT_NE(dw, nullptr);
  EXPECT_EQ(g.operators[2].inputs, (std::vector<int32_t>{3, 5, -1}));
  EXPECT_EQ(dw->padding, Padding::kValid);
  EXPECT_EQ(dw->stride_w, 1);
  EXPECT_EQ(dw->depth_multiplier, 1);
  EXPECT_EQ(dw->activation, Activation::kNone);
  EXPECT_EQ(dw->dilation_w, 2);
  EXPECT_EQ(dw->dilation_h, 3);
  const auto* add = std::get_if<BinaryOptions>(&g.operators[3].builtin_options);
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->activation, Activation::kRelu);
  const auto* pool = std::get_if<Pool2DOptions>(&g.operators[4].builtin_options);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->padding, Padding::kValid);
  EXPECT_EQ(pool->filter_w, 2);
  EXPECT_EQ(pool->filter_h, 2);
  EXPECT_EQ(pool->stride_h, 2);
  const auto* mean = std::get_if<ReducerOptions>(&g.operators[5].builtin_options);
  ASSERT_NE(mean, nullptr);
  EXPECT_TRUE(mean->keep_dims);
  EXPECT_TRUE(std::holds_alternative<OtherOptions>(g.operators[6].builtin_options));
  EXPECT_EQ(g.operators[6].builtin_options_type, 99);
  const auto* fc = std::get_if<FullyConnectedOptions>(&g.operators[7].builtin_options);
  ASSERT_NE(fc, nullptr);
  EXPECT_TRUE(fc->keep_num_dims);
  EXPECT_EQ(fc->weights_format, 0);
  const auto* softmax = std::get_if<SoftmaxOptions>(&g.operators[8].builtin_options);
  ASSERT_NE(softmax, nullptr);
  EXPECT_EQ(softmax->beta, 1.0f);
  const Operator& custom = g.operators[9];
  EXPECT_EQ(m.operator_codes[custom.opcode_index].custom_code, "Convolution2DTransposeBias");
  EXPECT_EQ(AsString(custom.custom_options), Raw<int32_t>({1, 2, 2}));
  EXPECT_EQ(custom.custom_options_format, 0);
  EXPECT_TRUE(std::holds_alternative<OtherOptions>(g.operators[10].builtin_options));
  const auto* reshape = std::get_if<ReshapeOptions>(&g.operators[11].builtin_options);
  ASSERT_NE(reshape, nullptr);
  EXPECT_TRUE(reshape->has_new_shape);
  EXPECT_EQ(reshape->new_shape, (std::vector<int32_t>{2}));
}

// One operator per options table the decoder reads that the Keras-like model lacks.
TEST(TfliteDecoderTest, DecodesEachOptionsTable) {
  std::vector<Ref> ops = {
      OperatorT(0, {0}, {0}, 10, Table().I32(0, -1).I8(1, 1)),                    // CONCATENATION
      OperatorT(0, {0}, {0}, 15, Table().U8(2, 0).U8(3, 1)),                      // RESIZE_BILINEAR
      OperatorT(0, {0}, {0}, 49, Table().I8(0, 1).I32(1, 2).I32(2, 3).I8(3, 3)),  // TRANSPOSE_CONV
      OperatorT(0, {0}, {0}, 21, Table().I8(0, 3)),                               // MUL
      OperatorT(0, {0}, {0}, 22, Table()),                                        // PAD
      OperatorT(0, {0}, {0}, 94, Table().I32(0, 2)),                              // DEPTH_TO_SPACE
      OperatorT(0, {0}, {0}, 17, Table()),  // RESHAPE from an input
      OperatorT(0, {0}, {0}, 1, nullptr),   // type without a table
  };
  Decoded d = Decode(
      Finish(ModelT({OperatorCodeT(0)}, {SubGraphT({TensorT("x", {1}, kF32, 0)}, {0}, {0}, ops)},
                    {BufferT("")})));
  ASSERT_TRUE(d.model.ok()) << d.model.status().ToString();
  const std::vector<Operator>& o = d.model->subgraphs[0].operators;
  const auto& concat = std::get<ConcatenationOptions>(o[0].builtin_options);
  EXPECT_EQ(concat.axis, -1);
  EXPECT_EQ(concat.activation, Activation::kRelu);
  const auto& resize = std::get<ResizeBilinearOptions>(o[1].builtin_options);
  EXPECT_FALSE(resize.align_corners);
  EXPECT_TRUE(resize.half_pixel_centers);
  const auto& deconv = std::get<TransposeConvOptions>(o[2].builtin_options);
  EXPECT_EQ(deconv.padding, Padding::kValid);
  EXPECT_EQ(deconv.stride_w, 2);
  EXPECT_EQ(deconv.stride_h, 3);
  EXPECT_EQ(deconv.activation, Activation::kRelu6);
  EXPECT_EQ(std::get<BinaryOptions>(o[3].builtin_options).activation, Activation::kRelu6);
  EXPECT_TRUE(std::holds_alternative<OtherOptions>(o[4].builtin_options));
  EXPECT_EQ(std::get<DepthToSpaceOptions>(o[5].builtin_options).block_size, 2);
  EXPECT_FALSE(std::get<ReshapeOptions>(o[6].builtin_options).has_new_shape);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(o[7].builtin_options));
}

TEST(TfliteDecoderTest, OperatorCodeTakesTheLargerOfBothFields) {
  std::vector<Ref> codes = {
      Table().I8(0, 4),                         // before schema 3a: the byte only
      Table().I32(3, 117).I8(0, 117),           // both
      Table().I32(3, 150).I8(0, 127),           // above 127
      Table().Child(1, Str("MyOp")).I8(0, 32),  // custom
      Table(),                                  // nothing: ADD
  };
  Decoded d = Decode(Finish(ModelT(codes, {SubGraphT({}, {}, {}, {})}, {BufferT("")})));
  ASSERT_TRUE(d.model.ok()) << d.model.status().ToString();
  const std::vector<OperatorCode>& c = d.model->operator_codes;
  EXPECT_EQ(c[0].builtin_code, 4);
  EXPECT_EQ(c[0].version, 1);
  EXPECT_EQ(c[1].builtin_code, 117);
  EXPECT_EQ(c[2].builtin_code, 150);
  EXPECT_EQ(c[3].builtin_code, 32);
  EXPECT_EQ(c[3].custom_code, "MyOp");
  EXPECT_EQ(c[4].builtin_code, 0);
  EXPECT_EQ(BuiltinOperatorName(c[1].builtin_code), "HARD_SWISH");
  EXPECT_EQ(BuiltinOperatorName(150), "BUILTIN_OPERATOR_150");

  Decoded negative =
      Decode(Finish(ModelT({Table().I8(0, -3)}, {SubGraphT({}, {}, {}, {})}, {BufferT("")})));
  EXPECT_TRUE(FailsWith(negative.model.status(), StatusCode::kInvalidModel,
                        {"operator code 0", "negative builtin code"}));
}

// schema 3c: buffers (and custom options) stored past the FlatBuffer, at a file offset.
TEST(TfliteDecoderTest, ExternalBuffersAreViewsIntoTheFile) {
  auto model = [](uint64_t offset, uint64_t size, const std::string& inline_data) {
    Table buffer;
    buffer.U64(1, offset).U64(2, size);
    if (!inline_data.empty()) buffer.Child(0, Bytes(inline_data));
    return Finish(ModelT({}, {SubGraphT({}, {}, {}, {})}, {BufferT(""), buffer}));
  };
  std::string bytes = model(0, 8, "");
  const uint64_t offset = (bytes.size() + 15) / 16 * 16;
  bytes = model(offset, 8, "");
  bytes.resize(offset, '\0');
  bytes += "weights!";
  Decoded d = Decode(bytes);
  ASSERT_TRUE(d.model.ok()) << d.model.status().ToString();
  EXPECT_EQ(AsString(d.model->buffers[1].data), "weights!");
  EXPECT_EQ(d.model->buffers[1].data.offset, offset);

  EXPECT_TRUE(FailsWith(Decode(bytes.substr(0, bytes.size() - 1)).model.status(),
                        StatusCode::kInvalidModel,
                        {"buffer 1", "external data of 8 bytes at file offset", "runs past"}));
  EXPECT_TRUE(FailsWith(Decode(model(offset, ~uint64_t{0}, "")).model.status(),
                        StatusCode::kInvalidModel, {"buffer 1", "runs past the end of the file"}));
  EXPECT_TRUE(FailsWith(Decode(model(offset, 8, "x")).model.status(), StatusCode::kInvalidModel,
                        {"buffer 1", "both inline data and an external offset"}));
  // Offset 1 is the converter's placeholder for "no external data".
  Decoded placeholder = Decode(model(1, 0, "abc"));
  ASSERT_TRUE(placeholder.model.ok()) << placeholder.model.status().ToString();
  EXPECT_EQ(AsString(placeholder.model->buffers[1].data), "abc");
}

TEST(TfliteDecoderTest, IndicesOutOfRangeNameTheirOwner) {
  auto model = [](uint32_t opcode, std::vector<int32_t> inputs, uint32_t buffer,
                  std::vector<int32_t> graph_outputs) {
    return Finish(ModelT({OperatorCodeT(19)},
                         {SubGraphT({TensorT("a", {1}, kF32, buffer), TensorT("b", {1}, kF32, 0)},
                                    {0}, graph_outputs, {OperatorT(opcode, inputs, {1})})},
                         {BufferT("")}));
  };
  EXPECT_TRUE(Decode(model(0, {0, -1}, 0, {1})).model.ok());
  EXPECT_TRUE(FailsWith(Decode(model(1, {0}, 0, {1})).model.status(), StatusCode::kInvalidModel,
                        {"subgraph 0: operator 0: opcode_index 1 out of range"}));
  EXPECT_TRUE(FailsWith(Decode(model(0, {2}, 0, {1})).model.status(), StatusCode::kInvalidModel,
                        {"operator 0 inputs: tensor index 2 out of range"}));
  EXPECT_TRUE(FailsWith(Decode(model(0, {-2}, 0, {1})).model.status(), StatusCode::kInvalidModel,
                        {"tensor index -2"}));
  EXPECT_TRUE(FailsWith(Decode(model(0, {0}, 1, {1})).model.status(), StatusCode::kInvalidModel,
                        {"tensor 0 'a': buffer 1 out of range"}));
  EXPECT_TRUE(FailsWith(Decode(model(0, {0}, 0, {-1})).model.status(), StatusCode::kInvalidModel,
                        {"subgraph 0: outputs: tensor index -1"}));
}

TEST(TfliteDecoderTest, ModelWithoutSubgraphsIsInvalid) {
  EXPECT_TRUE(FailsWith(Decode(Finish(ModelT({}, {}, {BufferT("")}))).model.status(),
                        StatusCode::kInvalidModel, {"no subgraphs"}));
}

TEST(TfliteDecoderTest, DetectsTheFileIdentifier) {
  const std::string bytes = KerasLikeModel();
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  EXPECT_TRUE(HasTfliteIdentifier(p, bytes.size()));
  EXPECT_FALSE(HasTfliteIdentifier(p, 7));
  EXPECT_FALSE(HasTfliteIdentifier(nullptr, 0));
  const std::string onnx = "\x08\x07\x12\x04test";
  EXPECT_FALSE(HasTfliteIdentifier(reinterpret_cast<const uint8_t*>(onnx.data()), onnx.size()));
}

}  // namespace
}  // namespace litecnn::tflite
