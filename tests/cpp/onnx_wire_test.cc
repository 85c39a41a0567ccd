// Tests for wire::ForEachField, the one message loop every ONNX decoder is built on: what it
// hands the callback, each malformed-input class it must reject on its own (so that no decoder
// has to), the nesting limit, and that a callback's error ends the walk.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "onnx/wire.h"
#include "onnx_test_encoder.h"
#include "test_model_builder.h"

namespace litecnn::onnx::wire {
namespace {

using litecnn::test::FailsWith;
using test::ProtoWriter;

constexpr FieldSpec kFields[] = {
    {1, "count", FieldKind::kVarint},
    {2, "scale", FieldKind::kFixed32},
    {3, "name", FieldKind::kBytes},
    {4, "child", FieldKind::kMessage},
    {5, "values", FieldKind::kPackedVarint},
    {6, "weights", FieldKind::kPackedFixed32},
    {7, "legacy", FieldKind::kUnsupported, "legacy fields are not supported"},
};
constexpr MessageSpec kMsg("Msg", kFields);

// Keeps the input alive beside the reader, as an exact-size heap copy so that AddressSanitizer
// flags any read past the end.
struct Input {
  explicit Input(const std::string& s, size_t base_offset = 0)
      : bytes(s.begin(), s.end()), base(base_offset) {}
  Reader reader() const { return Reader(bytes.data(), bytes.size(), base); }
  std::vector<uint8_t> bytes;
  size_t base;
};

// Walks `bytes` with a callback that records every field.
Status Walk(const std::string& bytes, std::vector<Field>* seen = nullptr, int max_nesting = 16) {
  Input in(bytes);
  Nesting nesting(max_nesting);
  Status st = ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
    if (seen != nullptr) seen->push_back(f);
    return Status::Ok();
  });
  EXPECT_EQ(nesting.depth, 0) << "the walk must leave its nesting level on every path";
  return st;
}

TEST(WireForEachField, HandsEachFieldWithItsValueAndAbsoluteOffsets) {
  ProtoWriter w;
  w.Int64(1, 300).Fixed32(2, 0x3f800000u).Bytes(3, "abc").Fixed64(1000, 42).Int64(1, 7);
  Input in(w.str(), 100);  // as if the message started at byte 100 of a file
  Nesting nesting(16);
  std::vector<Field> seen;
  ASSERT_TRUE(ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
                seen.push_back(f);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].id.number, 1u);
  EXPECT_STREQ(seen[0].id.name, "count");
  EXPECT_EQ(seen[0].type, WireType::kVarint);
  EXPECT_EQ(seen[0].offset, 100u);
  EXPECT_EQ(seen[0].value_offset, 101u);
  EXPECT_EQ(seen[0].AsInt64(), 300);
  EXPECT_EQ(seen[1].AsFloat(), 1.0f);
  std::string name;
  seen[2].AssignString(&name);
  EXPECT_EQ(name, "abc");
  EXPECT_EQ(seen[2].offset, 108u);        // 3 bytes of field 1, 5 of field 2
  EXPECT_EQ(seen[2].value_offset, 109u);  // the length prefix
  EXPECT_EQ(seen[2].bytes_offset, 110u);
  // Unknown fields are visited too, without a name.
  EXPECT_EQ(seen[3].id.number, 1000u);
  EXPECT_EQ(seen[3].id.name, nullptr);
  EXPECT_EQ(seen[3].type, WireType::kFixed64);
  EXPECT_EQ(seen[3].scalar, 42u);
  // Repeats arrive in wire order (the last value of a singular field wins in the callback).
  EXPECT_EQ(seen[4].AsInt64(), 7);
}

TEST(WireForEachField, EmptyMessageVisitsNothing) {
  std::vector<Field> seen;
  EXPECT_TRUE(Walk("", &seen).ok());
  EXPECT_TRUE(seen.empty());
}

TEST(WireForEachField, TruncatedVarintNamesFieldAndOffset) {
  ProtoWriter value;
  value.Tag(1, test::kWireVarint).Raw("\x80\x80");
  EXPECT_TRUE(FailsWith(Walk(value.str()), StatusCode::kInvalidModel,
                        {"Msg.count (field 1) at byte 1: truncated varint"}));
  // In the tag itself, before any field is known.
  ProtoWriter tag;
  tag.Int64(1, 1).Raw("\x88");
  EXPECT_TRUE(FailsWith(Walk(tag.str()), StatusCode::kInvalidModel,
                        {"Msg tag at byte 2: truncated varint"}));
  // Unknown fields are read with the same checks.
  ProtoWriter unknown;
  unknown.Tag(99, test::kWireVarint);
  EXPECT_TRUE(FailsWith(Walk(unknown.str()), StatusCode::kInvalidModel,
                        {"Msg field 99 at byte 2: truncated varint"}));
  ProtoWriter fixed;
  fixed.Tag(2, test::kWireFixed32).Raw("\x01\x02");
  EXPECT_TRUE(FailsWith(Walk(fixed.str()), StatusCode::kInvalidModel,
                        {"Msg.scale (field 2) at byte 1: truncated fixed32"}));
}

TEST(WireForEachField, LengthPastTheEndIsRejected) {
  ProtoWriter w;
  w.Tag(3, test::kWireLengthDelimited).Varint(100).Raw("abc");
  EXPECT_TRUE(
      FailsWith(Walk(w.str()), StatusCode::kInvalidModel,
                {"Msg.name (field 3) at byte 1", "length 100 exceeds the 3 bytes remaining"}));
  // A length near 2^64 neither wraps around nor allocates.
  ProtoWriter huge;
  huge.Tag(1000, test::kWireLengthDelimited).Varint(UINT64_MAX - 1).Raw("abc");
  EXPECT_TRUE(
      FailsWith(Walk(huge.str()), StatusCode::kInvalidModel, {"Msg field 1000", "exceeds"}));
  // A submessage's fields are bounded by the submessage, not by the rest of the file.
  ProtoWriter inner;
  inner.Tag(3, test::kWireLengthDelimited).Varint(4).Raw("ab");
  ProtoWriter outer;
  outer.Bytes(4, inner.str()).Raw("cdef");
  Input in(outer.str());
  Nesting nesting(16);
  Status st = ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
    return f.id.number == 4 ? ForEachField(f.AsMessage(), kMsg, &nesting,
                                           [](const Field&) { return Status::Ok(); })
                            : Status::Ok();
  });
  EXPECT_TRUE(
      FailsWith(st, StatusCode::kInvalidModel,
                {"Msg.name (field 3) at byte 3", "length 4 exceeds the 2 bytes remaining"}));
}

TEST(WireForEachField, InvalidTagsAreRejected) {
  EXPECT_TRUE(
      FailsWith(Walk(std::string("\x00\x01", 2)), StatusCode::kInvalidModel, {"field number 0"}));
  EXPECT_TRUE(FailsWith(Walk(std::string("\x0e\x01", 2)), StatusCode::kInvalidModel,
                        {"invalid wire type 6"}));
  EXPECT_TRUE(FailsWith(Walk(std::string("\x0f\x01", 2)), StatusCode::kInvalidModel,
                        {"invalid wire type 7"}));
  ProtoWriter big_tag;
  big_tag.Varint(uint64_t{1} << 35);
  EXPECT_TRUE(FailsWith(Walk(big_tag.str()), StatusCode::kInvalidModel, {"exceeds 32 bits"}));
}

TEST(WireForEachField, UnknownGroupsAreSkippedAndMalformedOnesRejected) {
  // Wire types 3 and 4 (proto2 groups) are legal for unknown fields: skipped, nested groups too.
  ProtoWriter w;
  w.Tag(50, test::kWireStartGroup)
      .Int64(1, 5)
      .Tag(51, test::kWireStartGroup)
      .Bytes(3, "x")
      .Tag(51, test::kWireEndGroup)
      .Tag(50, test::kWireEndGroup)
      .Int64(1, 9);
  std::vector<Field> seen;
  ASSERT_TRUE(Walk(w.str(), &seen).ok());
  ASSERT_EQ(seen.size(), 2u);  // the group's contents are not fields of this message
  EXPECT_EQ(seen[0].type, WireType::kStartGroup);
  EXPECT_EQ(seen[0].id.number, 50u);
  EXPECT_EQ(seen[1].AsInt64(), 9);

  ProtoWriter stray_end;
  stray_end.Tag(50, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Walk(stray_end.str()), StatusCode::kInvalidModel,
                        {"Msg field 50 at byte 0", "end-group tag without a matching start"}));
  ProtoWriter mismatched;
  mismatched.Tag(50, test::kWireStartGroup).Tag(51, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Walk(mismatched.str()), StatusCode::kInvalidModel,
                        {"does not match start-group field 50"}));
  ProtoWriter unterminated;
  unterminated.Tag(50, test::kWireStartGroup).Int64(1, 1);
  EXPECT_TRUE(FailsWith(Walk(unterminated.str()), StatusCode::kInvalidModel, {"not terminated"}));
  // A known field is never a group: its wire type is wrong, whatever follows.
  ProtoWriter known;
  known.Tag(1, test::kWireStartGroup).Tag(1, test::kWireEndGroup);
  EXPECT_TRUE(
      FailsWith(Walk(known.str()), StatusCode::kInvalidModel,
                {"Msg.count (field 1) at byte 0", "wire type 3 (start-group)", "varint expected"}));
  ProtoWriter known_end;
  known_end.Tag(3, test::kWireEndGroup);
  EXPECT_TRUE(FailsWith(Walk(known_end.str()), StatusCode::kInvalidModel,
                        {"Msg.name (field 3)", "wire type 4 (end-group)", "length-delimited"}));
}

TEST(WireForEachField, KnownFieldWireTypeIsCheckedBeforeItsValue) {
  // A varint field sent as a length-delimited value whose length is also bad: the mismatch is
  // what names the problem.
  ProtoWriter w;
  w.Tag(1, test::kWireLengthDelimited).Varint(100);
  EXPECT_TRUE(FailsWith(
      Walk(w.str()), StatusCode::kInvalidModel,
      {"Msg.count (field 1) at byte 0", "wire type 2 (length-delimited) where varint expected"}));
  ProtoWriter message;
  message.Int64(4, 1);
  EXPECT_TRUE(FailsWith(Walk(message.str()), StatusCode::kInvalidModel,
                        {"Msg.child (field 4)", "where length-delimited message expected"}));
  ProtoWriter packed;
  packed.Fixed32(5, 1);
  EXPECT_TRUE(FailsWith(Walk(packed.str()), StatusCode::kInvalidModel,
                        {"Msg.values (field 5)", "where varint or packed run expected"}));
}

TEST(WireForEachField, UnsupportedFieldFailsAtItsTag) {
  ProtoWriter w;
  w.Int64(1, 1).Tag(7, test::kWireLengthDelimited).Varint(1000);  // and its length is bad too
  std::vector<Field> seen;
  EXPECT_TRUE(FailsWith(Walk(w.str(), &seen), StatusCode::kUnsupported,
                        {"Msg.legacy (field 7) at byte 2: legacy fields are not supported"}));
  EXPECT_EQ(seen.size(), 1u);
}

// A message of `levels` levels: each level's field 4 holds the next.
std::string Nested(int levels) {
  std::string inner;
  for (int k = 1; k < levels; ++k) inner = ProtoWriter().Bytes(4, inner).str();
  return inner;
}

Status WalkNested(Reader r, Nesting* nesting, int* deepest) {
  *deepest = std::max(*deepest, nesting->depth + 1);
  return ForEachField(r, kMsg, nesting, [&](const Field& f) {
    return f.id.number == 4 ? WalkNested(f.AsMessage(), nesting, deepest) : Status::Ok();
  });
}

TEST(WireForEachField, NestingDepthLimit) {
  for (int levels : {1, 3, 4, 50}) {
    Input in(Nested(levels));
    Nesting nesting(3);
    int deepest = 0;
    Status st = WalkNested(in.reader(), &nesting, &deepest);
    EXPECT_EQ(nesting.depth, 0);
    if (levels <= 3) {
      EXPECT_TRUE(st.ok()) << levels << ": " << st.ToString();
    } else {
      // The walk stops at the first level too deep: hostile nesting costs no deeper recursion.
      EXPECT_TRUE(
          FailsWith(st, StatusCode::kLimitExceeded, {"Msg at byte ", "nested deeper than 3"}))
          << levels;
      EXPECT_EQ(deepest, 4);
    }
  }
}

TEST(WireForEachField, GroupsCountAgainstTheNestingLeft) {
  // At depth 1 of 3, two levels of groups fit and three do not.
  auto groups = [](int n) {
    ProtoWriter w;
    for (int k = 0; k < n; ++k) w.Tag(50, test::kWireStartGroup);
    for (int k = 0; k < n; ++k) w.Tag(50, test::kWireEndGroup);
    return w.str();
  };
  EXPECT_TRUE(Walk(groups(2), nullptr, 3).ok());
  EXPECT_TRUE(FailsWith(Walk(groups(3), nullptr, 3), StatusCode::kLimitExceeded,
                        {"Msg field 50", "groups nested deeper than 2"}));
}

TEST(WireForEachField, CallbackErrorStopsTheWalkAndIsReturnedUnchanged) {
  ProtoWriter w;
  w.Int64(1, 1).Int64(1, 2).Int64(1, 3).Raw("\xff");  // the trailing garbage is never reached
  Input in(w.str());
  Nesting nesting(16);
  std::vector<int64_t> seen;
  Status st = ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
    seen.push_back(f.AsInt64());
    return f.AsInt64() == 2 ? InvalidArgument("stop at 2") : Status::Ok();
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "stop at 2");
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(nesting.depth, 0);
}

TEST(WireAppendRepeated, PackedAndUnpackedMix) {
  ProtoWriter w;
  w.Int64(5, 1).PackedInt64(5, {2, -3}).Int64(5, 4);
  w.Float(6, 0.5f).PackedFixed<float>(6, {1.5f, 2.5f});
  Input in(w.str());
  Nesting nesting(16);
  std::vector<int64_t> values;
  std::vector<float> weights;
  ASSERT_TRUE(ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
                return f.id.number == 5 ? AppendRepeated(f, &values) : AppendRepeated(f, &weights);
              }).ok());
  EXPECT_EQ(values, (std::vector<int64_t>{1, 2, -3, 4}));
  EXPECT_EQ(weights, (std::vector<float>{0.5f, 1.5f, 2.5f}));
}

TEST(WireAppendRepeated, MalformedRunsNameFieldAndOffset) {
  auto append = [](const std::string& bytes) {
    Input in(bytes);
    Nesting nesting(16);
    std::vector<int64_t> values;
    std::vector<float> weights;
    return ForEachField(in.reader(), kMsg, &nesting, [&](const Field& f) {
      return f.id.number == 5 ? AppendRepeated(f, &values) : AppendRepeated(f, &weights);
    });
  };
  // The run's last varint is cut off at the end of the run (byte 3), not of the file.
  ProtoWriter varints;
  varints.Bytes(5, "\x01\x80").Int64(1, 0);
  EXPECT_TRUE(FailsWith(append(varints.str()), StatusCode::kInvalidModel,
                        {"Msg.values (field 5) at byte 3: truncated varint"}));
  ProtoWriter floats;
  floats.Bytes(6, "abcdef");
  EXPECT_TRUE(FailsWith(
      append(floats.str()), StatusCode::kInvalidModel,
      {"Msg.weights (field 6) at byte 1", "packed run of 6 bytes is not a multiple of 4"}));
}

}  // namespace
}  // namespace litecnn::onnx::wire
