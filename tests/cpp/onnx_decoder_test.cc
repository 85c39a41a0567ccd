// Tests for the ONNX protobuf decoder (src/onnx): round trips through the test encoder, every
// malformed-input class the decoder must reject, robustness against truncation and mutation,
// and a real file from ONNX's node tests when the libonnx-testdata package is installed.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "onnx/decoder.h"
#include "onnx_test_encoder.h"
#include "test_model_builder.h"

namespace litecnn::onnx {
namespace {

using litecnn::test::FailsWith;

using test::EncodeModel;
using test::EncodeOptions;
using test::EncodeTensor;
using test::ProtoWriter;

// Decodes from an exact-size heap copy so that AddressSanitizer flags any read past the end.
Result<Model> Decode(const std::string& bytes, const DecodeLimits& limits = {}) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  return DecodeModel(copy.data(), copy.size(), limits);
}

Result<NamedTensor> DecodeT(const std::string& bytes, const DecodeLimits& limits = {}) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  return DecodeTensor(copy.data(), copy.size(), limits);
}

template <typename T>
Tensor MakeTensor(DataType dtype, Dims dims, const std::vector<T>& values) {
  Tensor t = std::move(Tensor::Create(dtype, std::move(dims))).value();
  std::memcpy(t.raw(), values.data(), values.size() * sizeof(T));
  return t;
}

Attribute MakeAttr(const std::string& name, AttributeType type) {
  Attribute a;
  a.name = name;
  a.type = type;
  return a;
}

ValueInfo MakeValueInfo(const std::string& name, int32_t elem_type, std::vector<Dimension> dims,
                        bool has_shape = true) {
  ValueInfo v;
  v.name = name;
  v.elem_type = elem_type;
  v.has_shape = has_shape;
  v.dims = std::move(dims);
  return v;
}

Dimension DimValue(int64_t v) { return Dimension{true, v, ""}; }
Dimension DimParam(const std::string& p) { return Dimension{false, 0, p}; }

// A model exercising every field the decoder reads.
Model MakeFullModel() {
  Model m;
  m.ir_version = 8;
  m.producer_name = "litecnn-test";
  m.producer_version = "0.1";
  m.opset_imports = {{"", 13}, {"com.example", 1}};
  Graph& g = m.graph;
  g.name = "full";

  Node conv;
  conv.name = "conv";
  conv.op_type = "Conv";
  conv.inputs = {"x", "W", "B"};
  conv.outputs = {"y1"};
  Attribute ks = MakeAttr("kernel_shape", AttributeType::kInts);
  ks.ints = {3, 3};
  Attribute pads = MakeAttr("pads", AttributeType::kInts);
  pads.ints = {1, 1, 1, 1};
  Attribute auto_pad = MakeAttr("auto_pad", AttributeType::kString);
  auto_pad.s = "NOTSET";
  conv.attributes.push_back(std::move(ks));
  conv.attributes.push_back(std::move(pads));
  conv.attributes.push_back(std::move(auto_pad));
  g.nodes.push_back(std::move(conv));

  // One attribute of every representable type, with values that stress the encoding
  // (negative varints, embedded NUL, 2^40, empty strings).
  Node custom;
  custom.name = "every_attr";
  custom.op_type = "Custom";
  custom.domain = "com.example";
  custom.inputs = {"y1", "", "shape"};  // "" = omitted optional input
  custom.outputs = {"y"};
  Attribute f = MakeAttr("f", AttributeType::kFloat);
  f.f = -0.375f;
  Attribute i = MakeAttr("i", AttributeType::kInt);
  i.i = -7;
  Attribute s = MakeAttr("s", AttributeType::kString);
  s.s = std::string("he\0llo", 6);
  Attribute t = MakeAttr("t", AttributeType::kTensor);
  t.t = Tensor::FromFloats({2}, {1.5f, -2.0f}).value();
  Attribute gr = MakeAttr("g", AttributeType::kGraph);
  Attribute floats = MakeAttr("floats", AttributeType::kFloats);
  floats.floats = {1.0f, -0.25f, 1e30f};
  Attribute ints = MakeAttr("ints", AttributeType::kInts);
  ints.ints = {-1, 0, int64_t{1} << 40, INT64_MIN};
  Attribute strings = MakeAttr("strings", AttributeType::kStrings);
  strings.strings = {"a", "", "bc"};
  for (Attribute* a : {&f, &i, &s, &t, &gr, &floats, &ints, &strings}) {
    custom.attributes.push_back(std::move(*a));
  }
  g.nodes.push_back(std::move(custom));

  std::vector<float> w(2 * 1 * 3 * 3);
  for (size_t k = 0; k < w.size(); ++k) w[k] = 0.5f * static_cast<float>(k) - 3.0f;
  g.initializers.push_back({"W", Tensor::FromFloats({2, 1, 3, 3}, w).value()});
  g.initializers.push_back({"B", Tensor::FromFloats({2}, {0.25f, -1.0f}).value()});
  g.initializers.push_back({"shape", Tensor::FromInt64s({3}, {1, -1, INT64_MAX}).value()});
  g.initializers.push_back(
      {"i32", MakeTensor<int32_t>(DataType::kInt32, {3}, {INT32_MIN, 0, INT32_MAX})});
  g.initializers.push_back({"u8", MakeTensor<uint8_t>(DataType::kUint8, {4}, {0, 1, 128, 255})});
  g.initializers.push_back({"i8", MakeTensor<int8_t>(DataType::kInt8, {2}, {-128, 127})});
  g.initializers.push_back({"b", MakeTensor<uint8_t>(DataType::kBool, {3}, {1, 0, 1})});
  g.initializers.push_back(
      {"d", MakeTensor<double>(DataType::kFloat64, {2}, {3.141592653589793, -1e300})});
  // Not FromFloats: it memcpy()s from an empty vector's null data().
  g.initializers.push_back(
      {"empty", std::move(Tensor::Create(DataType::kFloat32, {0, 3})).value()});
  g.initializers.push_back({"scalar", Tensor::FromFloats({}, {42.0f}).value()});

  g.inputs.push_back(MakeValueInfo("x", 1, {DimParam("N"), DimValue(1), DimValue(5), DimValue(5)}));
  g.inputs.push_back(MakeValueInfo("W", 1, {}, /*has_shape=*/false));
  g.outputs.push_back(MakeValueInfo("y", 1, {Dimension{}, DimValue(2)}));
  g.value_infos.push_back(MakeValueInfo("y1", 1, {}, /*has_shape=*/true));  // scalar shape
  g.value_infos.push_back(MakeValueInfo("untyped", 0, {}, /*has_shape=*/false));
  return m;
}

void ExpectTensorEq(const Tensor& a, const Tensor& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.dtype(), b.dtype());
  EXPECT_EQ(a.dims(), b.dims());
  ASSERT_EQ(a.byte_size(), b.byte_size());
  if (a.byte_size() != 0) {
    EXPECT_EQ(0, std::memcmp(a.raw(), b.raw(), a.byte_size()));
  }
}

void ExpectValueInfosEq(const std::vector<ValueInfo>& a, const std::vector<ValueInfo>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    SCOPED_TRACE(a[k].name);
    EXPECT_EQ(a[k].name, b[k].name);
    EXPECT_EQ(a[k].elem_type, b[k].elem_type);
    EXPECT_EQ(a[k].has_shape, b[k].has_shape);
    ASSERT_EQ(a[k].dims.size(), b[k].dims.size());
    for (size_t d = 0; d < a[k].dims.size(); ++d) {
      EXPECT_EQ(a[k].dims[d].has_value, b[k].dims[d].has_value);
      EXPECT_EQ(a[k].dims[d].value, b[k].dims[d].value);
      EXPECT_EQ(a[k].dims[d].param, b[k].dims[d].param);
    }
  }
}

void ExpectModelsEq(const Model& a, const Model& b) {
  EXPECT_EQ(a.ir_version, b.ir_version);
  EXPECT_EQ(a.producer_name, b.producer_name);
  EXPECT_EQ(a.producer_version, b.producer_version);
  ASSERT_EQ(a.opset_imports.size(), b.opset_imports.size());
  for (size_t k = 0; k < a.opset_imports.size(); ++k) {
    EXPECT_EQ(a.opset_imports[k].domain, b.opset_imports[k].domain);
    EXPECT_EQ(a.opset_imports[k].version, b.opset_imports[k].version);
  }
  EXPECT_EQ(a.graph.name, b.graph.name);
  ASSERT_EQ(a.graph.nodes.size(), b.graph.nodes.size());
  for (size_t k = 0; k < a.graph.nodes.size(); ++k) {
    const Node& na = a.graph.nodes[k];
    const Node& nb = b.graph.nodes[k];
    SCOPED_TRACE(na.name);
    EXPECT_EQ(na.name, nb.name);
    EXPECT_EQ(na.op_type, nb.op_type);
    EXPECT_EQ(na.domain, nb.domain);
    EXPECT_EQ(na.inputs, nb.inputs);
    EXPECT_EQ(na.outputs, nb.outputs);
    ASSERT_EQ(na.attributes.size(), nb.attributes.size());
    for (size_t j = 0; j < na.attributes.size(); ++j) {
      const Attribute& x = na.attributes[j];
      const Attribute& y = nb.attributes[j];
      SCOPED_TRACE(x.name);
      EXPECT_EQ(x.name, y.name);
      EXPECT_EQ(x.type, y.type);
      EXPECT_EQ(x.f, y.f);
      EXPECT_EQ(x.i, y.i);
      EXPECT_EQ(x.s, y.s);
      EXPECT_EQ(x.floats, y.floats);
      EXPECT_EQ(x.ints, y.ints);
      EXPECT_EQ(x.strings, y.strings);
      if (x.type == AttributeType::kTensor) ExpectTensorEq(x.t, y.t, "attribute tensor");
    }
  }
  ASSERT_EQ(a.graph.initializers.size(), b.graph.initializers.size());
  for (size_t k = 0; k < a.graph.initializers.size(); ++k) {
    EXPECT_EQ(a.graph.initializers[k].name, b.graph.initializers[k].name);
    ExpectTensorEq(a.graph.initializers[k].tensor, b.graph.initializers[k].tensor,
                   a.graph.initializers[k].name);
  }
  ExpectValueInfosEq(a.graph.inputs, b.graph.inputs);
  ExpectValueInfosEq(a.graph.outputs, b.graph.outputs);
  ExpectValueInfosEq(a.graph.value_infos, b.graph.value_infos);
}

// Minimal valid model around the given GraphProto bytes.
std::string ModelWithGraph(const std::string& graph_bytes) {
  ProtoWriter opset;
  opset.Int64(2, 13);
  ProtoWriter m;
  m.Int64(1, 8).Bytes(7, graph_bytes).Bytes(8, opset.str());
  return m.str();
}

std::string ModelWithNode(const std::string& node_bytes) {
  return ModelWithGraph(ProtoWriter().Bytes(1, node_bytes).str());
}

std::string ModelWithInitializer(const std::string& tensor_bytes) {
  return ModelWithGraph(ProtoWriter().Bytes(5, tensor_bytes).str());
}

// --- round trips -------------------------------------------------------------------------------

class OnnxDecoderRoundTrip : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(OnnxDecoderRoundTrip, HandBuiltModelRoundTrips) {
  EncodeOptions o;
  o.packed = std::get<0>(GetParam());
  o.raw_tensor_data = std::get<1>(GetParam());
  const Model original = MakeFullModel();
  auto decoded = Decode(EncodeModel(original, o));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectModelsEq(original, decoded.value());
  EXPECT_EQ(decoded->DefaultOpsetVersion(), 13);
}

INSTANTIATE_TEST_SUITE_P(OnnxEncodings, OnnxDecoderRoundTrip,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<bool, bool>>& info) {
                           return std::string(std::get<0>(info.param) ? "Packed" : "Unpacked") +
                                  (std::get<1>(info.param) ? "RawData" : "TypedFields");
                         });

TEST(OnnxDecoderTest, UnknownFieldsOfEveryWireTypeAreSkippedInEveryMessage) {
  // Field numbers >= 1000 are unused by every ONNX message. The group nests a group and holds
  // scalars of every wire type.
  ProtoWriter unknown;
  unknown.Int64(1000, -1)
      .Fixed64(1001, 0x0123456789ABCDEFull)
      .Bytes(1002, "skip me")
      .Tag(1003, test::kWireStartGroup)
      .Int64(1, 5)
      .Tag(7, test::kWireStartGroup)
      .Fixed32(2, 9)
      .Tag(7, test::kWireEndGroup)
      .Bytes(3, "x")
      .Tag(1003, test::kWireEndGroup)
      .Fixed32(1004, 7);
  EncodeOptions o;
  o.append_to_every_message = unknown.str();
  const Model original = MakeFullModel();
  auto decoded = Decode(EncodeModel(original, o));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectModelsEq(original, decoded.value());
}

TEST(OnnxDecoderTest, KnownButIgnoredFieldsAreSkipped) {
  ProtoWriter node;
  node.Bytes(1, "x").Bytes(2, "y").Bytes(4, "Relu").Bytes(6, "node doc");
  ProtoWriter graph;
  graph.Bytes(1, node.str()).Bytes(10, "graph doc").Bytes(14, "quant annotation");
  ProtoWriter opset;
  opset.Int64(2, 13);
  ProtoWriter m;
  m.Int64(1, 8).Bytes(4, "domain").Int64(5, 3).Bytes(6, "doc").Bytes(7, graph.str());
  m.Bytes(8, opset.str()).Bytes(14, "metadata").Bytes(25, "function");
  auto decoded = Decode(m.str());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->graph.nodes.size(), 1u);
  EXPECT_EQ(decoded->graph.nodes[0].op_type, "Relu");
}

TEST(OnnxDecoderTest, PackedAndUnpackedRepeatedIntsMixWithinOneField) {
  // Protobuf allows a repeated field to arrive as any mix of packed runs and single values.
  ProtoWriter attr;
  attr.Bytes(1, "ints").Int64(8, 1).PackedInt64(8, {2, -3}).Int64(8, 4).Int64(20, 7);
  ProtoWriter tensor;
  tensor.Int64(1, 2).PackedInt64(1, {3}).Int64(2, 1);
  tensor.Float(4, 1.0f).PackedFixed<float>(4, {2.0f, 3.0f, 4.0f, 5.0f}).Float(4, 6.0f);
  tensor.Bytes(8, "T");
  ProtoWriter node;
  node.Bytes(4, "Op").Bytes(5, attr.str());
  auto decoded =
      Decode(ModelWithGraph(ProtoWriter().Bytes(1, node.str()).Bytes(5, tensor.str()).str()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const Attribute& a = decoded->graph.nodes[0].attributes[0];
  EXPECT_EQ(a.type, AttributeType::kInts);
  EXPECT_EQ(a.ints, (std::vector<int64_t>{1, 2, -3, 4}));
  const Tensor& t = decoded->graph.initializers[0].tensor;
  EXPECT_EQ(t.dims(), (Dims{2, 3}));
  for (int k = 0; k < 6; ++k) EXPECT_EQ(t.data<float>()[k], static_cast<float>(k + 1));
}

TEST(OnnxDecoderTest, AttributeTypeIsInferredWhenTypeFieldIsAbsent) {
  // Models written before IR version 2 carry no AttributeProto.type.
  ProtoWriter node;
  node.Bytes(4, "Op")
      .Bytes(5, ProtoWriter().Bytes(1, "alpha").Float(2, 0.5f).str())
      .Bytes(5, ProtoWriter().Bytes(1, "axis").Int64(3, -1).str())
      .Bytes(5, ProtoWriter().Bytes(1, "perm").PackedInt64(8, {0, 2, 1}).str())
      .Bytes(5, ProtoWriter().Bytes(1, "body").Bytes(6, "").str());
  auto decoded = Decode(ModelWithNode(node.str()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const auto& attrs = decoded->graph.nodes[0].attributes;
  ASSERT_EQ(attrs.size(), 4u);
  EXPECT_EQ(attrs[0].type, AttributeType::kFloat);
  EXPECT_EQ(attrs[1].type, AttributeType::kInt);
  EXPECT_EQ(attrs[1].i, -1);
  EXPECT_EQ(attrs[2].type, AttributeType::kInts);
  EXPECT_EQ(attrs[3].type, AttributeType::kGraph);
}

TEST(OnnxDecoderTest, DimensionOneofKeepsLastValue) {
  ProtoWriter dim;
  dim.Int64(1, 4).Bytes(2, "N");
  ProtoWriter shape;
  shape.Bytes(1, dim.str());
  ProtoWriter tensor_type;
  tensor_type.Int64(1, 1).Bytes(2, shape.str());
  ProtoWriter vi;
  vi.Bytes(1, "x").Bytes(2, ProtoWriter().Bytes(1, tensor_type.str()).str());
  auto decoded = Decode(ModelWithGraph(ProtoWriter().Bytes(11, vi.str()).str()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const Dimension& d = decoded->graph.inputs[0].dims[0];
  EXPECT_FALSE(d.has_value);
  EXPECT_EQ(d.param, "N");
}

TEST(OnnxDecoderTest, NonTensorValueTypesLeaveElemTypeZero) {
  // TypeProto.sequence_type (field 4) wrapping a tensor type.
  ProtoWriter seq;
  seq.Bytes(1, ProtoWriter().Bytes(1, ProtoWriter().Int64(1, 1).str()).str());
  ProtoWriter vi;
  vi.Bytes(1, "s").Bytes(2, ProtoWriter().Bytes(4, seq.str()).str());
  auto decoded = Decode(ModelWithGraph(ProtoWriter().Bytes(11, vi.str()).str()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->graph.inputs[0].name, "s");
  EXPECT_EQ(decoded->graph.inputs[0].elem_type, 0);
  EXPECT_FALSE(decoded->graph.inputs[0].has_shape);
}

TEST(OnnxDecoderTest, DefaultOpsetVersionAcceptsBothSpellingsOfDefaultDomain) {
  Model m;
  EXPECT_EQ(m.DefaultOpsetVersion(), 1);  // no imports at all: opset 1 (IR < 3)
  m.opset_imports = {{"com.microsoft", 1}};
  EXPECT_EQ(m.DefaultOpsetVersion(), 0);
  m.opset_imports = {{"com.microsoft", 1}, {"ai.onnx", 17}};
  EXPECT_EQ(m.DefaultOpsetVersion(), 17);
  m.opset_imports = {{"", 11}};
  EXPECT_EQ(m.DefaultOpsetVersion(), 11);
}

// --- tensors ----------------------------------------------------------------------------------

TEST(OnnxDecoderTest, DecodeTensorReadsStandaloneTensorProto) {
  auto t = DecodeT(EncodeTensor(Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value(), "x"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->name, "x");
  ExpectTensorEq(t->tensor, Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value(), "x");
}

TEST(OnnxDecoderTest, RawDataSizeMismatchNamesTensorAndByteCounts) {
  ProtoWriter w;
  w.PackedInt64(1, {2, 2}).Int64(2, 1).Bytes(8, "W").Bytes(9, std::string(12, '\0'));
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel,
                        {"'W'", "raw_data has 12 bytes, expected 16"}));
  EXPECT_TRUE(FailsWith(Decode(ModelWithInitializer(w.str())).status(), StatusCode::kInvalidModel,
                        {"'W'", "12", "16"}));
}

// --- payloads cut out of the file (ExternalPayloads: the JS API's load path) -------------------

// A TensorProto W [2, 2] float whose raw_data is external payload `index`.
std::string TensorWithPayload(int64_t index) {
  ProtoWriter w;
  w.PackedInt64(1, {2, 2}).Int64(2, 1).Bytes(8, "W").Int64(kExternalPayloadField, index);
  return w.str();
}

ExternalPayloads FloatPayloads(std::vector<std::vector<float>> values) {
  ExternalPayloads p;
  for (const auto& v : values) p.sizes.push_back(v.size() * sizeof(float));
  p.read = [values](size_t i, void* dst) {
    std::memcpy(dst, values[i].data(), values[i].size() * sizeof(float));
  };
  return p;
}

Result<Model> DecodeWithPayloads(const std::string& bytes, const ExternalPayloads& payloads) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  return DecodeModel(copy.data(), copy.size(), {}, &payloads);
}

TEST(OnnxDecoderTest, ExternalPayloadFillsTheInitializer) {
  const ExternalPayloads payloads = FloatPayloads({{9, 9, 9, 9}, {1, 2, 3, 4}});
  auto m = DecodeWithPayloads(ModelWithInitializer(TensorWithPayload(1)), payloads);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->graph.initializers.size(), 1u);
  ExpectTensorEq(m->graph.initializers[0].tensor, Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value(),
                 "W");
}

TEST(OnnxDecoderTest, ExternalPayloadIndexOutOfRangeIsInvalid) {
  const ExternalPayloads payloads = FloatPayloads({{1, 2, 3, 4}});
  for (int64_t index : {int64_t{1}, int64_t{-1}, int64_t{1} << 40}) {
    EXPECT_TRUE(FailsWith(
        DecodeWithPayloads(ModelWithInitializer(TensorWithPayload(index)), payloads).status(),
        StatusCode::kInvalidModel, {"external payload"}))
        << index;
  }
}

TEST(OnnxDecoderTest, ExternalPayloadSizeMustMatchDims) {
  const ExternalPayloads payloads = FloatPayloads({{1, 2, 3}});
  EXPECT_TRUE(
      FailsWith(DecodeWithPayloads(ModelWithInitializer(TensorWithPayload(0)), payloads).status(),
                StatusCode::kInvalidModel, {"'W'", "raw_data has 12 bytes, expected 16"}));
}

TEST(OnnxDecoderTest, ExternalPayloadFieldIsAnUnknownFieldInAPlainFile) {
  // Without payloads the field is skipped like any unknown field: W then has no data at all.
  EXPECT_TRUE(FailsWith(Decode(ModelWithInitializer(TensorWithPayload(0))).status(),
                        StatusCode::kInvalidModel, {"'W'", "has no data"}));
}

TEST(OnnxDecoderTest, LaterRawDataReplacesAnExternalPayload) {
  const ExternalPayloads payloads = FloatPayloads({{9, 9, 9, 9}});
  ProtoWriter w;
  const float raw[4] = {1, 2, 3, 4};
  w.PackedInt64(1, {2, 2}).Int64(2, 1).Bytes(8, "W").Int64(kExternalPayloadField, 0);
  w.Bytes(9, std::string_view(reinterpret_cast<const char*>(raw), sizeof(raw)));
  auto m = DecodeWithPayloads(ModelWithInitializer(w.str()), payloads);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ExpectTensorEq(m->graph.initializers[0].tensor, Tensor::FromFloats({2, 2}, {1, 2, 3, 4}).value(),
                 "W");
}

TEST(OnnxDecoderTest, HugeDimsExceedElementLimitBeforeAllocating) {
  // 2^40 float elements: 4 TiB if the decoder allocated before checking.
  ProtoWriter w;
  w.PackedInt64(1, {int64_t{1} << 20, int64_t{1} << 20}).Int64(2, 1).Bytes(8, "big");
  w.Bytes(9, std::string(16, '\0'));
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kLimitExceeded, {"'big'"}));

  // With the element limit lifted, the data actually present (16 bytes) must still bound the
  // allocation: the size check fails instead of allocating 4 TiB (ASan would abort on that).
  DecodeLimits lifted;
  lifted.max_tensor_elements = INT64_MAX;
  EXPECT_TRUE(FailsWith(DecodeT(w.str(), lifted).status(), StatusCode::kInvalidModel,
                        {"'big'", "raw_data has 16 bytes"}));
  ProtoWriter no_data;
  no_data.PackedInt64(1, {int64_t{1} << 20, int64_t{1} << 20}).Int64(2, 1).Bytes(8, "big");
  EXPECT_TRUE(FailsWith(DecodeT(no_data.str(), lifted).status(), StatusCode::kInvalidModel,
                        {"'big'", "no data"}));
}

TEST(OnnxDecoderTest, ElementCountOverflowIsLimitExceeded) {
  ProtoWriter w;
  w.PackedInt64(1, {INT64_MAX, INT64_MAX, 2}).Int64(2, 1);
  DecodeLimits lifted;
  lifted.max_tensor_elements = INT64_MAX;
  EXPECT_TRUE(FailsWith(DecodeT(w.str(), lifted).status(), StatusCode::kLimitExceeded, {}));
}

TEST(OnnxDecoderTest, NegativeDimIsInvalid) {
  ProtoWriter w;
  w.PackedInt64(1, {2, -1}).Int64(2, 1).Bytes(8, "neg");
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel, {"'neg'"}));
}

TEST(OnnxDecoderTest, RankAboveLimitIsLimitExceeded) {
  ProtoWriter w;
  w.PackedInt64(1, std::vector<int64_t>(9, 1)).Int64(2, 1).Bytes(8, "deep");
  w.Bytes(9, std::string(4, '\0'));
  EXPECT_TRUE(FailsWith(
      DecodeT(w.str()).status(), StatusCode::kLimitExceeded,
      {"limit maxRank exceeded", "'deep'", "has 9 dimensions, 1 more than the maximum of 8"}));
  DecodeLimits more;
  more.max_rank = 9;
  EXPECT_TRUE(DecodeT(w.str(), more).ok());
}

TEST(OnnxDecoderTest, ExternalDataIsUnsupported) {
  ProtoWriter entry;
  entry.Bytes(1, "location").Bytes(2, "weights.bin");
  ProtoWriter w;
  w.PackedInt64(1, {4}).Int64(2, 1).Bytes(8, "ext").Bytes(13, entry.str()).Int64(14, 1);
  EXPECT_TRUE(
      FailsWith(DecodeT(w.str()).status(), StatusCode::kUnsupported, {"'ext'", "external data"}));
  EXPECT_TRUE(FailsWith(Decode(ModelWithInitializer(w.str())).status(), StatusCode::kUnsupported,
                        {"external data"}));
  ProtoWriter location_only;
  location_only.PackedInt64(1, {4}).Int64(2, 1).Bytes(8, "ext").Int64(14, 1);
  EXPECT_TRUE(FailsWith(DecodeT(location_only.str()).status(), StatusCode::kUnsupported,
                        {"external data"}));
}

TEST(OnnxDecoderTest, UnsupportedDataTypeNamesTypeNumberAndTensor) {
  ProtoWriter w;
  w.PackedInt64(1, {2}).Int64(2, 10).Bytes(8, "half").PackedInt32(5, {0x3C00, 0});
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kUnsupported,
                        {"'half'", "data type 10 (float16)"}));
}

TEST(OnnxDecoderTest, SegmentAndStringDataAreUnsupported) {
  ProtoWriter segment;
  segment.Int64(2, 1).Bytes(3, ProtoWriter().Int64(1, 0).Int64(2, 1).str());
  EXPECT_TRUE(FailsWith(DecodeT(segment.str()).status(), StatusCode::kUnsupported,
                        {"TensorProto.segment (field 3)"}));
  ProtoWriter strings;
  strings.PackedInt64(1, {1}).Int64(2, 8).Bytes(6, "abc");
  EXPECT_TRUE(FailsWith(DecodeT(strings.str()).status(), StatusCode::kUnsupported,
                        {"TensorProto.string_data (field 6)"}));
}

TEST(OnnxDecoderTest, TypedFieldCountMustMatchElementCount) {
  ProtoWriter w;
  w.PackedInt64(1, {3}).Int64(2, 7).Bytes(8, "ids").PackedInt64(7, {1, 2});
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel,
                        {"'ids'", "2 int64_data values, expected 3"}));
}

TEST(OnnxDecoderTest, TensorWithoutDataFailsUnlessEmpty) {
  ProtoWriter w;
  w.PackedInt64(1, {3}).Int64(2, 1).Bytes(8, "nodata");
  EXPECT_TRUE(
      FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel, {"'nodata'", "no data"}));
  ProtoWriter empty;
  empty.PackedInt64(1, {0, 5}).Int64(2, 1).Bytes(8, "empty");
  auto t = DecodeT(empty.str());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tensor.num_elements(), 0);
}

TEST(OnnxDecoderTest, DataInFieldOfAnotherTypeIsInvalid) {
  ProtoWriter w;
  w.PackedInt64(1, {2}).Int64(2, 1).Bytes(8, "mixed").PackedInt64(7, {1, 2});
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel,
                        {"'mixed'", "int64_data", "float32"}));
  ProtoWriter both;
  both.PackedInt64(1, {1}).Int64(2, 1).PackedFixed<float>(4, {1.0f}).Bytes(9, std::string(4, 0));
  EXPECT_TRUE(FailsWith(DecodeT(both.str()).status(), StatusCode::kInvalidModel,
                        {"both raw_data and float_data"}));
}

TEST(OnnxDecoderTest, Int32DataIsNarrowedWithRangeCheck) {
  ProtoWriter ok;
  ok.PackedInt64(1, {3}).Int64(2, 3).PackedInt32(5, {-128, 0, 127});
  auto t = DecodeT(ok.str());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tensor.data<int8_t>()[0], -128);
  EXPECT_EQ(t->tensor.data<int8_t>()[2], 127);

  ProtoWriter bad;
  bad.PackedInt64(1, {2}).Int64(2, 2).Bytes(8, "u8").PackedInt32(5, {255, 256});
  EXPECT_TRUE(FailsWith(DecodeT(bad.str()).status(), StatusCode::kInvalidModel,
                        {"'u8'", "int32_data[1] = 256", "uint8"}));
}

TEST(OnnxDecoderTest, BoolValuesAreNormalizedToZeroOrOne) {
  ProtoWriter raw;
  raw.PackedInt64(1, {3}).Int64(2, 9).Bytes(9, std::string("\x00\x02\xff", 3));
  auto t = DecodeT(raw.str());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tensor.data<uint8_t>()[0], 0);
  EXPECT_EQ(t->tensor.data<uint8_t>()[1], 1);
  EXPECT_EQ(t->tensor.data<uint8_t>()[2], 1);
}

TEST(OnnxDecoderTest, PackedFloatRunMustBeMultipleOfFour) {
  ProtoWriter w;
  w.PackedInt64(1, {1}).Int64(2, 1).Bytes(4, std::string(5, '\0'));
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel,
                        {"TensorProto.float_data (field 4)", "not a multiple of 4"}));
}

// --- wire format errors -----------------------------------------------------------------------

TEST(OnnxDecoderTest, EmptyPackedRunAddsNothing) {
  // Found by fuzz_load: an empty packed run was copied to an empty vector's null data().
  ProtoWriter w;
  w.PackedInt64(1, {0}).Int64(2, 1).Bytes(4, "").Bytes(8, "none");
  auto t = DecodeT(w.str());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tensor.num_elements(), 0);
}

TEST(OnnxDecoderTest, TruncatedVarintNamesFieldAndOffset) {
  ProtoWriter w;
  w.Tag(1, test::kWireVarint).Raw("\x80");
  EXPECT_TRUE(FailsWith(DecodeT(w.str()).status(), StatusCode::kInvalidModel,
                        {"TensorProto.dims (field 1) at byte 1: truncated varint"}));
}

TEST(OnnxDecoderTest, ElevenByteVarintIsRejected) {
  ProtoWriter w;
  w.Tag(1, test::kWireVarint).Raw(std::string(10, '\xff')).Raw("\x01");
  EXPECT_TRUE(
      FailsWith(Decode(w.str()).status(), StatusCode::kInvalidModel,
                {"ModelProto.ir_version (field 1) at byte 1: varint longer than 10 bytes"}));
}

TEST(OnnxDecoderTest, TenByteVarintBeyond64BitsIsRejected) {
  ProtoWriter w;
  w.Tag(1, test::kWireVarint).Raw(std::string(9, '\xff')).Raw("\x02");
  EXPECT_TRUE(FailsWith(Decode(w.str()).status(), StatusCode::kInvalidModel,
                        {"ModelProto.ir_version (field 1)", "overflows 64 bits"}));
  // The largest 10-byte varint (2^64 - 1) is legal and decodes as -1.
  ProtoWriter max;
  max.Tag(1, test::kWireVarint).Raw(std::string(9, '\xff')).Raw("\x01");
  auto decoded = Decode(max.str() + ModelWithGraph("").substr(2));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->ir_version, -1);
}

TEST(OnnxDecoderTest, LengthPrefixBeyondRemainingBytesIsRejected) {
  ProtoWriter w;
  w.Tag(7, test::kWireLengthDelimited).Varint(100).Raw("abc");
  EXPECT_TRUE(
      FailsWith(Decode(w.str()).status(), StatusCode::kInvalidModel,
                {"ModelProto.graph (field 7) at byte 1", "length 100 exceeds the 3 bytes"}));
  // A length near 2^64 must neither wrap around nor allocate.
  ProtoWriter huge;
  huge.Tag(9, test::kWireLengthDelimited).Varint(UINT64_MAX - 1).Raw("abc");
  EXPECT_TRUE(FailsWith(DecodeT(huge.str()).status(), StatusCode::kInvalidModel,
                        {"TensorProto.raw_data (field 9)", "exceeds"}));
}

TEST(OnnxDecoderTest, WireTypeMismatchNamesField) {
  ProtoWriter node;
  node.Bytes(1, "x").Int64(4, 3);  // op_type as a varint
  EXPECT_TRUE(FailsWith(Decode(ModelWithNode(node.str())).status(), StatusCode::kInvalidModel,
                        {"NodeProto.op_type (field 4)", "wire type 0 (varint)"}));
  ProtoWriter model;
  model.Bytes(1, "8");  // ir_version as a string
  EXPECT_TRUE(FailsWith(Decode(model.str()).status(), StatusCode::kInvalidModel,
                        {"ModelProto.ir_version (field 1) at byte 0", "length-delimited"}));
  ProtoWriter attr;
  attr.Bytes(1, "alpha").Int64(2, 1);  // f as a varint instead of fixed32
  EXPECT_TRUE(FailsWith(
      Decode(ModelWithNode(ProtoWriter().Bytes(4, "Op").Bytes(5, attr.str()).str())).status(),
      StatusCode::kInvalidModel, {"AttributeProto.f (field 2)", "fixed32"}));
  ProtoWriter doc;
  doc.Bytes(4, "Op").Int64(6, 1);  // doc_string is skipped, but still type-checked
  EXPECT_TRUE(FailsWith(Decode(ModelWithNode(doc.str())).status(), StatusCode::kInvalidModel,
                        {"NodeProto.doc_string (field 6)"}));
}

TEST(OnnxDecoderTest, NestedErrorsReportAbsoluteByteOffsets) {
  ProtoWriter node;
  node.Bytes(1, "x").Bytes(2, "y").Int64(4, 3);  // op_type as a varint, tag byte 0x20
  const std::string model = ModelWithNode(node.str());
  const size_t offset = model.find(std::string("\x20\x03", 2));
  ASSERT_NE(offset, std::string::npos);
  EXPECT_TRUE(FailsWith(Decode(model).status(), StatusCode::kInvalidModel,
                        {"NodeProto.op_type (field 4) at byte " + std::to_string(offset) + ":"}));
}

TEST(OnnxDecoderTest, InvalidTagsAreRejected) {
  EXPECT_TRUE(FailsWith(Decode(std::string("\x00\x01", 2)).status(), StatusCode::kInvalidModel,
                        {"field number 0"}));
  EXPECT_TRUE(FailsWith(Decode(std::string("\x0e\x01", 2)).status(), StatusCode::kInvalidModel,
                        {"invalid wire type 6"}));
  EXPECT_TRUE(FailsWith(Decode(std::string("\x0f\x01", 2)).status(), StatusCode::kInvalidModel,
                        {"invalid wire type 7"}));
  ProtoWriter big_tag;
  big_tag.Varint(uint64_t{1} << 35);
  EXPECT_TRUE(
      FailsWith(Decode(big_tag.str()).status(), StatusCode::kInvalidModel, {"exceeds 32 bits"}));
}

TEST(OnnxDecoderTest, MalformedGroupsAreRejected) {
  ProtoWriter stray_end;
  stray_end.Tag(50, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Decode(stray_end.str()).status(), StatusCode::kInvalidModel,
                        {"ModelProto field 50", "end-group tag without a matching start"}));
  ProtoWriter mismatched;
  mismatched.Tag(50, test::kWireStartGroup).Int64(1, 1).Tag(51, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Decode(mismatched.str()).status(), StatusCode::kInvalidModel,
                        {"does not match start-group field 50"}));
  ProtoWriter unterminated;
  unterminated.Tag(50, test::kWireStartGroup).Int64(1, 1);
  EXPECT_TRUE(FailsWith(Decode(unterminated.str()).status(), StatusCode::kInvalidModel,
                        {"not terminated"}));
  // A group may not run past the end of its enclosing submessage.
  ProtoWriter node;
  node.Bytes(4, "Op").Tag(50, test::kWireStartGroup);
  ProtoWriter graph;
  graph.Bytes(1, node.str());
  graph.Tag(50, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Decode(ModelWithGraph(graph.str())).status(), StatusCode::kInvalidModel,
                        {"NodeProto field 50", "not terminated"}));
}

TEST(OnnxDecoderTest, DeeplyNestedGroupsHitNestingLimit) {
  ProtoWriter deep;
  for (int k = 0; k < 100; ++k) deep.Tag(50, test::kWireStartGroup);
  for (int k = 0; k < 100; ++k) deep.Tag(50, test::kWireEndGroup);
  const std::string model = deep.str() + ModelWithGraph("");
  EXPECT_TRUE(FailsWith(Decode(model).status(), StatusCode::kLimitExceeded, {"nested deeper"}));
  DecodeLimits lifted;
  lifted.max_nesting = 101;
  EXPECT_TRUE(Decode(model, lifted).ok());
}

TEST(OnnxDecoderTest, MessageNestingBeyondLimitFails) {
  // ModelProto > GraphProto > ValueInfoProto > TypeProto > TypeProto.Tensor >
  // TensorShapeProto > Dimension is 7 levels.
  Model m;
  m.opset_imports = {{"", 13}};
  m.graph.inputs.push_back(MakeValueInfo("x", 1, {DimValue(1)}));
  const std::string bytes = EncodeModel(m);
  DecodeLimits limits;
  limits.max_nesting = 7;
  EXPECT_TRUE(Decode(bytes, limits).ok());
  limits.max_nesting = 6;
  EXPECT_TRUE(FailsWith(Decode(bytes, limits).status(), StatusCode::kLimitExceeded,
                        {"TensorShapeProto.Dimension", "nested deeper than 6"}));
}

TEST(OnnxDecoderTest, SparseInitializerIsUnsupported) {
  EXPECT_TRUE(FailsWith(Decode(ModelWithGraph(ProtoWriter().Bytes(15, "").str())).status(),
                        StatusCode::kUnsupported, {"GraphProto.sparse_initializer (field 15)"}));
}

TEST(OnnxDecoderTest, AttributeReferencesAndListTypesAreUnsupported) {
  ProtoWriter ref;
  ref.Bytes(1, "alpha").Bytes(21, "outer_alpha").Int64(20, 1);
  EXPECT_TRUE(FailsWith(
      Decode(ModelWithNode(ProtoWriter().Bytes(4, "Op").Bytes(5, ref.str()).str())).status(),
      StatusCode::kUnsupported, {"ref_attr_name (field 21)"}));
  ProtoWriter tensors;
  tensors.Bytes(1, "ts").Bytes(10, "").Int64(20, 9);
  EXPECT_TRUE(FailsWith(
      Decode(ModelWithNode(ProtoWriter().Bytes(4, "Op").Bytes(5, tensors.str()).str())).status(),
      StatusCode::kUnsupported, {"'ts'", "attribute type 9"}));
  ProtoWriter bogus;
  bogus.Bytes(1, "b").Int64(20, 99);
  EXPECT_TRUE(FailsWith(
      Decode(ModelWithNode(ProtoWriter().Bytes(4, "Op").Bytes(5, bogus.str()).str())).status(),
      StatusCode::kInvalidModel, {"'b'", "invalid attribute type 99"}));
}

TEST(OnnxDecoderTest, TensorAttributeWithoutItsTensorIsInvalid) {
  // A Constant whose `value` says TENSOR and carries none (what the fuzzer found): the op
  // would otherwise receive a tensor of no dtype.
  ProtoWriter value;
  value.Bytes(1, "value").Int64(20, 4);
  EXPECT_TRUE(FailsWith(
      Decode(ModelWithNode(ProtoWriter().Bytes(4, "Constant").Bytes(5, value.str()).str()))
          .status(),
      StatusCode::kInvalidModel, {"'value'", "type TENSOR without a tensor (field t)"}));
}

TEST(OnnxDecoderTest, NodeErrorsNameTheNode) {
  ProtoWriter attr;
  attr.Bytes(1, "value").Bytes(5, ProtoWriter().PackedInt64(1, {2}).Int64(2, 1).str());
  ProtoWriter node;
  node.Bytes(3, "const0").Bytes(4, "Constant").Bytes(5, attr.str());
  EXPECT_TRUE(FailsWith(Decode(ModelWithNode(node.str())).status(), StatusCode::kInvalidModel,
                        {"node 0 'const0' (Constant)", "no data"}));
}

TEST(OnnxDecoderTest, ModelWithoutGraphOrOpsetIsInvalid) {
  EXPECT_TRUE(FailsWith(Decode("").status(), StatusCode::kInvalidModel, {"no graph"}));
  ProtoWriter no_opset;
  no_opset.Int64(1, 8).Bytes(7, "");
  EXPECT_TRUE(
      FailsWith(Decode(no_opset.str()).status(), StatusCode::kInvalidModel, {"no opset_import"}));
}

TEST(OnnxDecoderTest, IrVersion2WithoutOpsetImportIsOpset1) {
  ProtoWriter ir2;
  ir2.Int64(1, 2).Bytes(7, "");
  auto m = Decode(ir2.str());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->DefaultOpsetVersion(), 1);
}

// --- limits -----------------------------------------------------------------------------------

TEST(OnnxDecoderTest, NodeCountAboveLimitIsLimitExceeded) {
  ProtoWriter graph;
  for (int k = 0; k < 11; ++k) graph.Bytes(1, ProtoWriter().Bytes(4, "Relu").str());
  DecodeLimits limits;
  limits.max_nodes = 11;
  EXPECT_TRUE(Decode(ModelWithGraph(graph.str()), limits).ok());
  limits.max_nodes = 10;
  EXPECT_TRUE(FailsWith(Decode(ModelWithGraph(graph.str()), limits).status(),
                        StatusCode::kLimitExceeded,
                        {"limit maxNodes exceeded: the graph has 11 nodes, 1 more than the "
                         "maximum of 10"}));
}

TEST(OnnxDecoderTest, ModelBytesAboveLimitIsLimitExceeded) {
  const std::string bytes = EncodeModel(MakeFullModel());
  DecodeLimits limits;
  limits.max_model_bytes = bytes.size() - 1;
  EXPECT_TRUE(FailsWith(Decode(bytes, limits).status(), StatusCode::kLimitExceeded,
                        {"limit maxModelBytes exceeded: the model has " +
                         std::to_string(bytes.size()) + " bytes, 1 more than the maximum"}));
  limits.max_model_bytes = bytes.size();
  EXPECT_TRUE(Decode(bytes, limits).ok());
}

TEST(OnnxDecoderTest, FloodOfEmptySubmessagesHitsStructureBudget) {
  // Each 2-byte empty AttributeProto decodes into a sizeof(Attribute) object; the decoder bounds
  // the total at a fixed multiple of the input size instead of growing without limit.
  if (sizeof(Attribute) <= 2 * 64) GTEST_SKIP() << "Attribute too small to amplify here";
  ProtoWriter node;
  node.Bytes(4, "Op");
  for (int k = 0; k < 200000; ++k) node.Bytes(5, "");
  EXPECT_TRUE(FailsWith(Decode(ModelWithNode(node.str())).status(), StatusCode::kLimitExceeded,
                        {"bytes per input byte"}));
}

// --- robustness -------------------------------------------------------------------------------

TEST(OnnxDecoderTest, TruncatedAtEveryOffsetFails) {
  // A protobuf message has no end marker, so a cut between two elements of its last repeated
  // field is undetectable; the model therefore ends with its only opset_import, whose presence
  // (like the graph's) the decoder requires. Every other cut lands inside a length-delimited
  // field or a varint.
  Model model = MakeFullModel();
  model.opset_imports = {{"", 13}};
  for (bool packed : {true, false}) {
    EncodeOptions o;
    o.packed = packed;
    const std::string bytes = EncodeModel(model, o);
    ASSERT_TRUE(Decode(bytes).ok());
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto r = Decode(bytes.substr(0, n));
      EXPECT_FALSE(r.ok()) << "prefix of " << n << " of " << bytes.size() << " bytes decoded";
      if (!r.ok()) {
        EXPECT_FALSE(r.status().message().empty());
      }
    }
  }
}

TEST(OnnxDecoderTest, RandomBitFlipsNeverCrash) {
  const std::string bytes = EncodeModel(MakeFullModel());
  std::mt19937 rng(12345);
  int decoded_ok = 0;
  for (int iter = 0; iter < 2000; ++iter) {
    std::string mutated = bytes;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < flips; ++k) {
      mutated[rng() % mutated.size()] ^= static_cast<char>(1u << (rng() % 8));
    }
    auto r = Decode(mutated);
    if (r.ok()) {
      ++decoded_ok;
    } else {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  // Most flips land in tensor data or names and still decode; some must be caught.
  EXPECT_GT(decoded_ok, 0);
  EXPECT_LT(decoded_ok, 2000);
}

TEST(OnnxDecoderTest, RandomGarbageNeverCrashes) {
  std::mt19937 rng(777);
  for (int iter = 0; iter < 1000; ++iter) {
    std::string garbage(rng() % 300, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    auto m = Decode(garbage);
    if (!m.ok()) {
      EXPECT_FALSE(m.status().message().empty());
    }
    auto t = DecodeT(garbage);
    if (!t.ok()) {
      EXPECT_FALSE(t.status().message().empty());
    }
  }
  EXPECT_FALSE(Decode(std::string(64, '\xff')).ok());
  EXPECT_FALSE(Decode("not an onnx model at all").ok());
}

TEST(OnnxDecoderTest, NullDataWithSizeIsInvalidArgument) {
  EXPECT_EQ(DecodeModel(nullptr, 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeTensor(nullptr, 10).status().code(), StatusCode::kInvalidArgument);
}

// --- real files from ONNX's node tests ----------------------------------------------------------

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

const char kConvTestDir[] = "/usr/share/libonnx-testdata/data/node/test_conv_with_strides_padding";

TEST(OnnxDecoderTest, DecodesOnnxConvNodeTestModel) {
  std::string bytes;
  if (!ReadFile(std::string(kConvTestDir) + "/model.onnx", &bytes)) {
    GTEST_SKIP() << kConvTestDir << "/model.onnx missing (install Debian's libonnx-testdata)";
  }
  auto m = Decode(bytes);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->producer_name, "backend-test");
  EXPECT_EQ(m->DefaultOpsetVersion(), 11);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  const Node& conv = m->graph.nodes[0];
  EXPECT_EQ(conv.op_type, "Conv");
  EXPECT_EQ(conv.inputs, (std::vector<std::string>{"x", "W"}));
  EXPECT_EQ(conv.outputs, (std::vector<std::string>{"y"}));
  ASSERT_EQ(conv.attributes.size(), 3u);
  EXPECT_EQ(conv.attributes[0].name, "kernel_shape");
  EXPECT_EQ(conv.attributes[0].type, AttributeType::kInts);
  EXPECT_EQ(conv.attributes[0].ints, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(conv.attributes[1].ints, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(conv.attributes[2].name, "strides");
  EXPECT_EQ(conv.attributes[2].ints, (std::vector<int64_t>{2, 2}));
  ASSERT_EQ(m->graph.inputs.size(), 2u);
  EXPECT_EQ(m->graph.inputs[0].elem_type, 1);
  ASSERT_EQ(m->graph.inputs[0].dims.size(), 4u);
  EXPECT_EQ(m->graph.inputs[0].dims[2].value, 7);
  EXPECT_EQ(m->graph.inputs[0].dims[3].value, 5);
  ASSERT_EQ(m->graph.outputs.size(), 1u);
  EXPECT_EQ(m->graph.outputs[0].dims[2].value, 4);
  EXPECT_EQ(m->graph.outputs[0].dims[3].value, 3);

  // The real file (unpacked ints, explicit empty domain) must also reject every truncation.
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(Decode(bytes.substr(0, n)).ok()) << "prefix of " << n << " bytes decoded";
  }
}

TEST(OnnxDecoderTest, DecodesOnnxConvNodeTestInputTensor) {
  std::string bytes;
  if (!ReadFile(std::string(kConvTestDir) + "/test_data_set_0/input_0.pb", &bytes)) {
    GTEST_SKIP() << kConvTestDir << "/test_data_set_0/input_0.pb missing (libonnx-testdata)";
  }
  auto t = DecodeT(bytes);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->name, "x");
  EXPECT_EQ(t->tensor.dtype(), DataType::kFloat32);
  EXPECT_EQ(t->tensor.dims(), (Dims{1, 1, 7, 5}));
  for (int k = 0; k < 35; ++k) EXPECT_EQ(t->tensor.data<float>()[k], static_cast<float>(k));
}

}  // namespace
}  // namespace litecnn::onnx
