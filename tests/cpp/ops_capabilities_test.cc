// The capabilities each op offers the passes (ops/capabilities.h): the passes find ops only
// through these, so an op that loses one silently stops being fused. Pins, per op type, which
// capabilities it has, and the state changes that withdraw one.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ops/capabilities.h"
#include "ops/registry.h"

namespace litecnn {
namespace {

std::unique_ptr<Op> Create(const std::string& op_type, int64_t opset = 14) {
  const ResolvedOp resolved = ResolveOp(op_type, opset);
  EXPECT_NE(resolved.create, nullptr) << resolved.missing;
  if (!resolved.create) return nullptr;
  auto op = resolved.create(Attributes(nullptr, resolved.version));
  EXPECT_TRUE(op.ok()) << op_type << ": " << op.status().ToString();
  return op.ok() ? std::move(op).value() : nullptr;
}

TEST(OpCapabilities, relu_clip_hardswish_hardsigmoid_are_activations) {
  for (const char* type : {"Relu", "Clip", "HardSwish", "HardSigmoid"}) {
    auto op = Create(type);
    ASSERT_TRUE(op);
    const ActivationOp* act = As<ActivationOp>(op.get());
    ASSERT_NE(act, nullptr) << type;
    Activation a;
    EXPECT_TRUE(act->AsActivation(&a)) << type;
    EXPECT_NE(a.kind, Activation::Kind::kNone) << type;
  }
}

TEST(OpCapabilities, sigmoid_is_not_a_fusable_activation) {
  auto op = Create("Sigmoid");
  ASSERT_TRUE(op);
  EXPECT_EQ(As<ActivationOp>(op.get()), nullptr);
}

TEST(OpCapabilities, identity_and_dropout_pass_through) {
  for (const char* type : {"Identity", "Dropout"}) {
    auto op = Create(type);
    ASSERT_TRUE(op);
    EXPECT_NE(As<IdentityOp>(op.get()), nullptr) << type;
  }
}

TEST(OpCapabilities, conv_fuses_folds_and_reads_and_writes_slices) {
  auto op = Create("Conv");
  ASSERT_TRUE(op);
  EXPECT_NE(As<FusesActivation>(op.get()), nullptr);
  EXPECT_NE(As<FusesAddend>(op.get()), nullptr);
  EXPECT_NE(As<ReadsChannelSlices>(op.get()), nullptr);
  EXPECT_NE(As<WritesChannelSlices>(op.get()), nullptr);
  const FoldsOutputAffine* folder = As<FoldsOutputAffine>(op.get());
  ASSERT_NE(folder, nullptr);
  size_t w = 0, b = 0;
  EXPECT_TRUE(folder->OutputAffineInputs(&w, &b));
  EXPECT_EQ(w, 1u);
  EXPECT_EQ(b, 2u);
}

TEST(OpCapabilities, conv_with_fused_activation_folds_no_affine) {
  auto op = Create("Conv");
  ASSERT_TRUE(op);
  Activation relu;
  relu.kind = Activation::Kind::kClamp;
  relu.min = 0.f;
  ASSERT_TRUE(As<FusesActivation>(op.get())->FuseActivation(relu));
  size_t w = 0, b = 0;
  EXPECT_FALSE(As<FoldsOutputAffine>(op.get())->OutputAffineInputs(&w, &b));
}

TEST(OpCapabilities, conv_with_fused_addend_folds_no_affine) {
  auto op = Create("Conv");
  ASSERT_TRUE(op);
  ASSERT_TRUE(As<FusesAddend>(op.get())->FuseAddend(8));
  size_t w = 0, b = 0;
  EXPECT_FALSE(As<FoldsOutputAffine>(op.get())->OutputAffineInputs(&w, &b));
}

TEST(OpCapabilities, batch_norm_is_a_channel_affine) {
  auto op = Create("BatchNormalization");
  ASSERT_TRUE(op);
  EXPECT_NE(As<ChannelAffineOp>(op.get()), nullptr);
}

TEST(OpCapabilities, slice_and_transpose_describe_themselves) {
  auto slice = Create("Slice");
  auto transpose = Create("Transpose");
  ASSERT_TRUE(slice && transpose);
  EXPECT_NE(As<ChannelSliceOp>(slice.get()), nullptr);
  EXPECT_NE(As<PermutationOp>(transpose.get()), nullptr);
}

TEST(OpCapabilities, elementwise_binary_ops_have_none) {
  auto op = Create("Add");
  ASSERT_TRUE(op);
  EXPECT_EQ(As<ActivationOp>(op.get()), nullptr);
  EXPECT_EQ(As<FusesActivation>(op.get()), nullptr);
  EXPECT_EQ(As<FusesAddend>(op.get()), nullptr);
  EXPECT_EQ(As<FoldsOutputAffine>(op.get()), nullptr);
  EXPECT_EQ(As<IdentityOp>(op.get()), nullptr);
  EXPECT_EQ(As<ReadsChannelSlices>(op.get()), nullptr);
  EXPECT_EQ(As<WritesChannelSlices>(op.get()), nullptr);
}

}  // namespace
}  // namespace litecnn
