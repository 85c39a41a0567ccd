// Hostile .tflite inputs: every class of malformed FlatBuffer the reader must reject with a
// Status naming the problem (never a crash: run under build-asan), the limits, and robustness
// against truncation and random mutation.
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
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

Status DecodeStatus(const std::string& bytes, const DecodeLimits& limits = {}) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());  // exact size: ASan sees overreads
  return DecodeModel(copy.data(), copy.size(), limits).status();
}

void Put32(std::string* bytes, size_t pos, uint32_t v) { std::memcpy(&(*bytes)[pos], &v, 4); }
void Put16(std::string* bytes, size_t pos, uint16_t v) { std::memcpy(&(*bytes)[pos], &v, 2); }

// A small model whose nodes the tests patch: one tensor named "x" of shape [1, 2].
struct Small {
  Ref model, subgraph, tensors, tensor, shape, name;
  std::string bytes;

  Small() {
    Table t = TensorT("x", {1, 2}, 0, 0);
    tensor = t;
    for (const Node::Field& f : tensor->fields) {
      if (f.slot == 0) shape = f.ref;
      if (f.slot == 3) name = f.ref;
    }
    subgraph = SubGraphT({tensor}, {0}, {0}, {});
    tensors = subgraph->fields[0].ref;
    model = ModelT({OperatorCodeT(0)}, {subgraph}, {BufferT("")});
    bytes = Finish(model);
  }
  // The offset in `bytes` of the vtable of the table at `table`.
  size_t VTable(const Ref& table) const {
    int32_t soffset;
    std::memcpy(&soffset, &bytes[table->pos], 4);
    return table->pos - soffset;
  }
};

TEST(TfliteHostileInputTest, SmallModelDecodes) {
  Small s;
  EXPECT_TRUE(DecodeStatus(s.bytes).ok()) << DecodeStatus(s.bytes).ToString();
}

TEST(TfliteHostileInputTest, WrongFileIdentifierIsNamed) {
  Small s;
  std::string bytes = s.bytes;
  std::memcpy(&bytes[4], "TFL2", 4);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"file identifier 'TFL2' at byte 4, expected 'TFL3'"}));
  std::memcpy(&bytes[4], "\x01\x02T3", 4);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"'\\x01\\x02T3'"}));
  EXPECT_TRUE(FailsWith(DecodeStatus(""), StatusCode::kInvalidModel, {"0 bytes is too short"}));
  EXPECT_TRUE(
      FailsWith(DecodeStatus(bytes.substr(0, 7)), StatusCode::kInvalidModel, {"too short"}));
}

TEST(TfliteHostileInputTest, RootOffsetOutsideOrMisaligned) {
  Small s;
  std::string bytes = s.bytes;
  Put32(&bytes, 0, static_cast<uint32_t>((bytes.size() + 3) / 4 * 4));
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"root offset at byte 0: Model table at byte", "past the end"}));
  Put32(&bytes, 0, 0xFFFFFFFFu);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"root offset"}));
  Put32(&bytes, 0, static_cast<uint32_t>(s.model->pos + 2));
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"not 4-byte aligned"}));
}

TEST(TfliteHostileInputTest, VTableOutsideTheBuffer) {
  Small s;
  std::string bytes = s.bytes;
  Put32(&bytes, s.tensor->pos, 0x7FFFFFF0u);  // vtable far before the buffer's start
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"subgraph 0", "Tensor table at byte", "vtable at byte -", "outside"}));
  Put32(&bytes, s.tensor->pos, static_cast<uint32_t>(-static_cast<int32_t>(bytes.size())));
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"outside the buffer"}));
  Put32(&bytes, s.tensor->pos, 1);  // odd vtable position
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"not 2-byte aligned"}));
}

TEST(TfliteHostileInputTest, VTableTooBigOrTooSmall) {
  Small s;
  const size_t vt = s.VTable(s.tensor);
  std::string bytes = s.bytes;
  Put16(&bytes, vt, 0xFFFE);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"vtable at byte " + std::to_string(vt) + " of 65534 bytes runs past"}));
  Put16(&bytes, vt, 7);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"has size 7 (must be even and at least 4)"}));
  Put16(&bytes, vt, 2);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"has size 2"}));
  bytes = s.bytes;
  Put16(&bytes, vt + 2, 0xFFFF);  // inline size
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"inline size 65535 runs past the end"}));
  Put16(&bytes, vt + 2, 2);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"inline size 2 is smaller than its vtable offset"}));
}

TEST(TfliteHostileInputTest, FieldOutsideItsTable) {
  Small s;
  const size_t vt = s.VTable(s.tensor);
  std::string bytes = s.bytes;
  Put16(&bytes, vt + 4 + 2 * 2, 0x7FF0);  // Tensor.buffer (slot 2) far past the table
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"Tensor.buffer (field 2)", "outside its table's inline size"}));
  Put16(&bytes, vt + 4 + 2 * 2, 2);  // overlapping the soffset
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"Tensor.buffer"}));
}

TEST(TfliteHostileInputTest, MisalignedScalarField) {
  Small s;
  const size_t vt = s.VTable(s.tensor);
  std::string bytes = s.bytes;
  uint16_t offset;
  std::memcpy(&offset, &bytes[vt + 4 + 2 * 2], 2);
  Put16(&bytes, vt + 4 + 2 * 2, offset + 1);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"Tensor.buffer (field 2)", "not 4-byte aligned"}));
}

TEST(TfliteHostileInputTest, OffsetsPointingOutside) {
  Small s;
  std::string bytes = s.bytes;
  const size_t shape_field = s.tensor->field_pos.at(0);
  Put32(&bytes, shape_field, static_cast<uint32_t>(bytes.size()));
  EXPECT_TRUE(FailsWith(
      DecodeStatus(bytes), StatusCode::kInvalidModel,
      {"subgraph 0: tensor 0: Tensor.shape (field 0) at byte " + std::to_string(shape_field),
       "points outside the buffer"}));
  Put32(&bytes, shape_field, 0xFFFFFFFFu);  // wraps in 32 bits, not in the reader's 64
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"points outside"}));
  // An element of a vector of tables.
  bytes = s.bytes;
  Put32(&bytes, s.tensors->pos + 4, 0x10000000u);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"SubGraph.tensors (field 0)", "points outside"}));
}

// Offsets are unsigned and relative to the field holding them, so the only "cycle" a file can
// state is an offset of 0: the field itself, which is then no valid table.
TEST(TfliteHostileInputTest, SelfReferenceIsNoValidTable) {
  Small s;
  std::string bytes = s.bytes;
  Put32(&bytes, 0, 0);  // the root table at byte 0: its soffset (0) makes byte 0 its vtable
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"root offset at byte 0", "vtable at byte 0 has size 0"}));
  bytes = s.bytes;
  Put32(&bytes, s.tensors->pos + 4, 0);  // element 0 of tensors: the element itself
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"SubGraph.tensors (field 0)", "element 0", "vtable"}));
}

TEST(TfliteHostileInputTest, VectorLengthOverflow) {
  Small s;
  std::string bytes = s.bytes;
  Put32(&bytes, s.shape->pos, 0xFFFFFFFFu);  // 4 x 2^32 bytes: wraps a 32-bit product
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"Tensor.shape (field 0)", "vector of 4294967295 x 4 bytes runs past"}));
  Put32(&bytes, s.shape->pos, 0x40000000u);  // 4 x 2^30 = 2^32: wraps to 0 in 32 bits
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"runs past"}));
  bytes = s.bytes;
  Put32(&bytes, s.tensors->pos, 0x40000001u);  // the vector of tables
  EXPECT_TRUE(
      FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel, {"SubGraph.tensors", "runs past"}));
}

TEST(TfliteHostileInputTest, StringLengthAndTerminator) {
  Small s;
  std::string bytes = s.bytes;
  Put32(&bytes, s.name->pos, 0x7FFFFFFFu);
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"Tensor.name (field 3)", "runs past"}));
  bytes = s.bytes;
  bytes[s.name->pos + 5] = 'y';  // "x" then the terminator
  EXPECT_TRUE(FailsWith(DecodeStatus(bytes), StatusCode::kInvalidModel,
                        {"Tensor.name", "not followed by a 0 byte"}));
}

TEST(TfliteHostileInputTest, UnknownSparseIndexTypeIsNamed) {
  Table t = TensorT("w", {2}, 0, 0);
  t.Child(6, Table().Child(2, Tables({Table().I8(0, 1).U8(2, 9).Child(3, Table())})));
  Status st = DecodeStatus(Finish(ModelT({}, {SubGraphT({t}, {}, {}, {})}, {BufferT("")})));
  EXPECT_TRUE(FailsWith(st, StatusCode::kInvalidModel,
                        {"tensor 0: dim_metadata 0:", "unknown SparseIndexVector type 9"}));
}

TEST(TfliteHostileInputTest, SharedTablesHitTheStructureBudget) {
  // One tensor with a 64 KiB name, referenced 2000 times: 72 KB of file, 128 MB decoded.
  Ref tensor = TensorT(std::string(65536, 'n'), {1}, 0, 0);
  std::vector<Ref> tensors(2000, tensor);
  Status st = DecodeStatus(Finish(ModelT({}, {SubGraphT(tensors, {}, {}, {})}, {BufferT("")})));
  EXPECT_TRUE(FailsWith(st, StatusCode::kLimitExceeded,
                        {"subgraph 0: tensor", "bytes per byte of the file"}));
}

TEST(TfliteHostileInputTest, LimitsAreApplied) {
  Small s;
  DecodeLimits limits;
  limits.max_model_bytes = static_cast<int64_t>(s.bytes.size()) - 1;
  EXPECT_TRUE(FailsWith(DecodeStatus(s.bytes, limits), StatusCode::kLimitExceeded,
                        {"limit maxModelBytes exceeded"}));
  limits = {};
  limits.max_tensors = 0;
  EXPECT_TRUE(FailsWith(DecodeStatus(s.bytes, limits), StatusCode::kLimitExceeded,
                        {"limit maxTensors exceeded"}));

  auto with_shape = [](std::vector<int32_t> shape) {
    return Finish(
        ModelT({}, {SubGraphT({TensorT("big", shape, 0, 0)}, {}, {}, {})}, {BufferT("")}));
  };
  EXPECT_TRUE(FailsWith(DecodeStatus(with_shape({1, 1, 1, 1, 1, 1, 1, 1, 1})),
                        StatusCode::kLimitExceeded, {"limit maxRank exceeded", "'big'"}));
  EXPECT_TRUE(FailsWith(DecodeStatus(with_shape({1 << 20, 1 << 20})), StatusCode::kLimitExceeded,
                        {"limit maxTensorElements exceeded", "'big'"}));
  EXPECT_TRUE(FailsWith(DecodeStatus(with_shape({2, -1})), StatusCode::kInvalidModel,
                        {"negative dimension"}));

  std::vector<Ref> ops(3, OperatorT(0, {}, {}));
  const std::string three_ops =
      Finish(ModelT({OperatorCodeT(0)}, {SubGraphT({}, {}, {}, ops)}, {BufferT("")}));
  limits = {};
  limits.max_nodes = 2;
  EXPECT_TRUE(FailsWith(DecodeStatus(three_ops, limits), StatusCode::kLimitExceeded,
                        {"limit maxNodes exceeded", "3 operators"}));
  limits.max_nodes = 3;
  EXPECT_TRUE(DecodeStatus(three_ops, limits).ok());
}

TEST(TfliteHostileInputTest, ReshapeNewShapeIsBoundedByMaxRank) {
  std::vector<Ref> ops = {OperatorT(0, {}, {}, 17, Table().Child(0, Vec(std::vector<int32_t>(9))))};
  Status st = DecodeStatus(
      Finish(ModelT({OperatorCodeT(22)}, {SubGraphT({}, {}, {}, ops)}, {BufferT("")})));
  EXPECT_TRUE(FailsWith(st, StatusCode::kLimitExceeded,
                        {"operator 0: limit maxRank exceeded: ReshapeOptions.new_shape"}));
}

TEST(TfliteHostileInputTest, TruncatedAtEveryLengthFails) {
  // Every node is written after the nodes that reference it, and the file ends with a leaf (no
  // trailing padding), so every cut removes bytes some reference needs.
  const std::string bytes = FullModel();
  ASSERT_TRUE(DecodeStatus(bytes).ok()) << DecodeStatus(bytes).ToString();
  for (size_t n = 0; n < bytes.size(); ++n) {
    Status st = DecodeStatus(bytes.substr(0, n));
    EXPECT_FALSE(st.ok()) << "prefix of " << n << " of " << bytes.size() << " bytes decoded";
    EXPECT_FALSE(st.message().empty());
    EXPECT_NE(st.code(), StatusCode::kInternal) << st.ToString();
  }
}

TEST(TfliteHostileInputTest, RandomMutationsNeverCrash) {
  const std::string bytes = FullModel();
  std::mt19937 rng(16);
  for (int iter = 0; iter < 4000; ++iter) {
    std::string mutated = bytes;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      const size_t pos = rng() % mutated.size();
      if (rng() % 2) {
        mutated[pos] = static_cast<char>(rng());
      } else {
        mutated[pos] ^= static_cast<char>(1u << (rng() % 8));
      }
    }
    Status st = DecodeStatus(mutated);
    if (!st.ok()) {
      EXPECT_FALSE(st.message().empty());
      EXPECT_NE(st.code(), StatusCode::kInternal) << st.ToString();
    }
  }
}

}  // namespace
}  // namespace litecnn::tflite
