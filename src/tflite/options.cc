// Slot numbers follow schema.fbs: a table's fields in declaration order, from 0.
#include "tflite/options.h"

#include <string>

#include "core/limits.h"

namespace litecnn::tflite {
namespace {

constexpr uint16_t kOperatorBuiltinOptions = 4;  // Operator.builtin_options

Status ReadPadding(const fb::Table& t, uint16_t slot, Padding* out) {
  int8_t v = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<int8_t>(slot, "padding", 0, &v));
  *out = static_cast<Padding>(v);
  return Status::Ok();
}

Status ReadActivation(const fb::Table& t, uint16_t slot, Activation* out) {
  int8_t v = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<int8_t>(slot, "fused_activation_function", 0, &v));
  *out = static_cast<Activation>(v);
  return Status::Ok();
}

Status ReadBool(const fb::Table& t, uint16_t slot, const char* name, bool* out) {
  uint8_t v = 0;
  LITECNN_RETURN_IF_ERROR(t.Scalar<uint8_t>(slot, name, 0, &v));
  *out = v != 0;
  return Status::Ok();
}

Status DecodeConv2D(const fb::Table& t, Conv2DOptions* o) {
  LITECNN_RETURN_IF_ERROR(ReadPadding(t, 0, &o->padding));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(1, "stride_w", 0, &o->stride_w));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(2, "stride_h", 0, &o->stride_h));
  LITECNN_RETURN_IF_ERROR(ReadActivation(t, 3, &o->activation));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(4, "dilation_w_factor", 1, &o->dilation_w));
  return t.Scalar<int32_t>(5, "dilation_h_factor", 1, &o->dilation_h);
}

Status DecodeDepthwise(const fb::Table& t, DepthwiseConv2DOptions* o) {
  LITECNN_RETURN_IF_ERROR(ReadPadding(t, 0, &o->padding));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(1, "stride_w", 0, &o->stride_w));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(2, "stride_h", 0, &o->stride_h));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(3, "depth_multiplier", 0, &o->depth_multiplier));
  LITECNN_RETURN_IF_ERROR(ReadActivation(t, 4, &o->activation));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(5, "dilation_w_factor", 1, &o->dilation_w));
  return t.Scalar<int32_t>(6, "dilation_h_factor", 1, &o->dilation_h);
}

Status DecodePool2D(const fb::Table& t, Pool2DOptions* o) {
  LITECNN_RETURN_IF_ERROR(ReadPadding(t, 0, &o->padding));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(1, "stride_w", 0, &o->stride_w));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(2, "stride_h", 0, &o->stride_h));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(3, "filter_width", 0, &o->filter_w));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(4, "filter_height", 0, &o->filter_h));
  return ReadActivation(t, 5, &o->activation);
}

Status DecodeFullyConnected(const fb::Table& t, FullyConnectedOptions* o) {
  LITECNN_RETURN_IF_ERROR(ReadActivation(t, 0, &o->activation));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int8_t>(1, "weights_format", 0, &o->weights_format));
  return ReadBool(t, 2, "keep_num_dims", &o->keep_num_dims);
}

Status DecodeReshape(const fb::Table& t, int64_t max_rank, ReshapeOptions* o) {
  o->has_new_shape = t.Has(0);
  fb::Vector v;
  LITECNN_RETURN_IF_ERROR(t.VectorField(0, "new_shape", 4, &v));
  LITECNN_RETURN_IF_ERROR(
      CheckLimit("maxRank", "ReshapeOptions.new_shape", v.count, max_rank, "dimensions"));
  o->new_shape.resize(v.count);
  for (uint32_t i = 0; i < v.count; ++i) {
    o->new_shape[i] = t.buffer().Load<int32_t>(v.ElementPos(i));
  }
  return Status::Ok();
}

Status DecodeTransposeConv(const fb::Table& t, TransposeConvOptions* o) {
  LITECNN_RETURN_IF_ERROR(ReadPadding(t, 0, &o->padding));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(1, "stride_w", 0, &o->stride_w));
  LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(2, "stride_h", 0, &o->stride_h));
  return ReadActivation(t, 3, &o->activation);
}

// The name of the options table of union type `type`, when decoder reads it; null otherwise.
const char* ReadTableName(BuiltinOptionsType type) {
  switch (type) {
    case BuiltinOptionsType::kConv2DOptions:
      return "Conv2DOptions";
    case BuiltinOptionsType::kDepthwiseConv2DOptions:
      return "DepthwiseConv2DOptions";
    case BuiltinOptionsType::kPool2DOptions:
      return "Pool2DOptions";
    case BuiltinOptionsType::kFullyConnectedOptions:
      return "FullyConnectedOptions";
    case BuiltinOptionsType::kSoftmaxOptions:
      return "SoftmaxOptions";
    case BuiltinOptionsType::kConcatenationOptions:
      return "ConcatenationOptions";
    case BuiltinOptionsType::kAddOptions:
      return "AddOptions";
    case BuiltinOptionsType::kMulOptions:
      return "MulOptions";
    case BuiltinOptionsType::kSubOptions:
      return "SubOptions";
    case BuiltinOptionsType::kDivOptions:
      return "DivOptions";
    case BuiltinOptionsType::kResizeBilinearOptions:
      return "ResizeBilinearOptions";
    case BuiltinOptionsType::kReshapeOptions:
      return "ReshapeOptions";
    case BuiltinOptionsType::kReducerOptions:
      return "ReducerOptions";
    case BuiltinOptionsType::kTransposeConvOptions:
      return "TransposeConvOptions";
    case BuiltinOptionsType::kDepthToSpaceOptions:
      return "DepthToSpaceOptions";
    default:
      return nullptr;
  }
}

}  // namespace

Status DecodeBuiltinOptions(const fb::Table& op, uint8_t type, int64_t max_rank,
                            BuiltinOptions* out) {
  *out = std::monostate{};
  const auto kind = static_cast<BuiltinOptionsType>(type);
  const char* name = ReadTableName(kind);
  if (type == 0 || !op.Has(kOperatorBuiltinOptions)) return Status::Ok();
  if (name == nullptr) {
    *out = OtherOptions{};
    return Status::Ok();
  }
  fb::Table t;
  bool present = false;
  LITECNN_RETURN_IF_ERROR(
      op.ChildTable(kOperatorBuiltinOptions, "builtin_options", name, &t, &present));
  switch (kind) {
    case BuiltinOptionsType::kConv2DOptions:
      return DecodeConv2D(t, &out->emplace<Conv2DOptions>());
    case BuiltinOptionsType::kDepthwiseConv2DOptions:
      return DecodeDepthwise(t, &out->emplace<DepthwiseConv2DOptions>());
    case BuiltinOptionsType::kPool2DOptions:
      return DecodePool2D(t, &out->emplace<Pool2DOptions>());
    case BuiltinOptionsType::kFullyConnectedOptions:
      return DecodeFullyConnected(t, &out->emplace<FullyConnectedOptions>());
    case BuiltinOptionsType::kSoftmaxOptions:
      return t.Scalar<float>(0, "beta", 0.0f, &out->emplace<SoftmaxOptions>().beta);
    case BuiltinOptionsType::kConcatenationOptions: {
      auto& o = out->emplace<ConcatenationOptions>();
      LITECNN_RETURN_IF_ERROR(t.Scalar<int32_t>(0, "axis", 0, &o.axis));
      return ReadActivation(t, 1, &o.activation);
    }
    case BuiltinOptionsType::kAddOptions:
    case BuiltinOptionsType::kMulOptions:
    case BuiltinOptionsType::kSubOptions:
    case BuiltinOptionsType::kDivOptions:
      return ReadActivation(t, 0, &out->emplace<BinaryOptions>().activation);
    case BuiltinOptionsType::kResizeBilinearOptions: {
      auto& o = out->emplace<ResizeBilinearOptions>();
      // Slots 0 and 1 are the deprecated new_height / new_width (the size is an input).
      LITECNN_RETURN_IF_ERROR(ReadBool(t, 2, "align_corners", &o.align_corners));
      return ReadBool(t, 3, "half_pixel_centers", &o.half_pixel_centers);
    }
    case BuiltinOptionsType::kReshapeOptions:
      return DecodeReshape(t, max_rank, &out->emplace<ReshapeOptions>());
    case BuiltinOptionsType::kReducerOptions:
      return ReadBool(t, 0, "keep_dims", &out->emplace<ReducerOptions>().keep_dims);
    case BuiltinOptionsType::kTransposeConvOptions:
      return DecodeTransposeConv(t, &out->emplace<TransposeConvOptions>());
    case BuiltinOptionsType::kDepthToSpaceOptions:
      return t.Scalar<int32_t>(0, "block_size", 0, &out->emplace<DepthToSpaceOptions>().block_size);
    default:
      break;
  }
  return Internal("builtin options type " + std::to_string(type) + " has a name but no decoder");
}

}  // namespace litecnn::tflite
