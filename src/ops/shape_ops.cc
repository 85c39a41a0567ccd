// Ops of the shape arithmetic that torch.onnx.export emits (Shape, Constant, ConstantOfShape,
// Range, Cast; Gather is in gather.cc). In the target models they only ever see load-time constants
// and are folded away; Cast also runs on tensors for completeness.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class ShapeOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(start_, attrs.GetInt("start", 0));
    LITECNN_ASSIGN_OR_RETURN(end_, attrs.GetInt("end", INT64_MAX));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    const Dims& x = in[0]->dims;
    const int64_t r = static_cast<int64_t>(x.size());
    int64_t s = start_ < 0 ? start_ + r : start_, e = end_ < 0 ? end_ + r : end_;
    s = std::clamp<int64_t>(s, 0, r);
    e = std::clamp<int64_t>(e, 0, r);
    Dims v(x.begin() + s, x.begin() + std::max(s, e));
    // The output is known at load time whatever the input's contents: make it a constant.
    out->at(0).dtype = DataType::kInt64;
    out->at(0).dims = {static_cast<int64_t>(v.size())};
    LITECNN_ASSIGN_OR_RETURN(Tensor shape, Tensor::FromInt64s({static_cast<int64_t>(v.size())}, v));
    out->at(0).constant = std::make_shared<Tensor>(std::move(shape));
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>&, const std::vector<TensorView>& out) override {
    return Internal("Shape output " + DimsToString(out[0].dims) + " is a constant");
  }

 private:
  int64_t start_ = 0, end_ = INT64_MAX;
};

class ConstantOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(Tensor value, Value(attrs));
    value_ = std::make_shared<Tensor>(std::move(value));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 0, 0));
    out->at(0).dtype = value_->dtype();
    out->at(0).dims = value_->dims();
    out->at(0).constant = value_;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>&, const std::vector<TensorView>&) override {
    return Internal("Constant is folded at load time");
  }

 private:
  // The tensor its one value attribute states.
  static Result<Tensor> Value(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(const Tensor* t, attrs.GetTensor("value"));
    if (t) return t->Clone();
    if (attrs.Has("value_float")) {
      LITECNN_ASSIGN_OR_RETURN(float f, attrs.GetFloat("value_float", 0));
      return Tensor::FromFloats({}, {f});
    }
    if (attrs.Has("value_floats")) {
      LITECNN_ASSIGN_OR_RETURN(std::vector<float> f, attrs.GetFloats("value_floats"));
      return Tensor::FromFloats({static_cast<int64_t>(f.size())}, f);
    }
    if (attrs.Has("value_int")) {
      LITECNN_ASSIGN_OR_RETURN(int64_t i, attrs.GetInt("value_int", 0));
      return Tensor::FromInt64s({}, {i});
    }
    if (attrs.Has("value_ints")) {
      LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> v, attrs.GetInts("value_ints"));
      return Tensor::FromInt64s({static_cast<int64_t>(v.size())}, v);
    }
    return Unsupported("Constant without a value, value_float(s) or value_int(s) attribute");
  }

  std::shared_ptr<Tensor> value_;
};

class ConstantOfShapeOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(const Tensor* t, attrs.GetTensor("value"));
    if (t && t->num_elements() != 1) return InvalidModel("value must have one element");
    LITECNN_ASSIGN_OR_RETURN(value_, t ? t->Clone() : Tensor::FromFloats({1}, {0.f}));
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    LITECNN_ASSIGN_OR_RETURN(Dims dims, ConstantInts(in[0], "shape"));
    // Shape inference checks the dims against Limits before the folding allocates them.
    out->at(0).dtype = value_.dtype();
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>&, const std::vector<TensorView>& out) override {
    const size_t esize = DataTypeSize(value_.dtype());
    char* dst = static_cast<char*>(out[0].data);
    for (int64_t i = 0; i < out[0].num_elements(); ++i) {
      std::memcpy(dst + i * esize, value_.raw(), esize);
    }
    return Status::Ok();
  }

 private:
  Tensor value_;
};

// Range: start, start + delta, ... below limit (above it for a negative delta), of
// max(ceil((limit - start) / delta), 0) elements, for float32, int32 and int64 scalars. Its
// length is the inputs' values, and ONNX bounds it by nothing else, so there is no length the
// memory plan could reserve for inputs fed at Run (src/README.md, "Outputs of data-dependent
// length"): the inputs must be constants, and the op is folded at load (torch exports' arange
// over a Shape). Shape inference checks the length against Limits before folding allocates it.
class RangeOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 3, 3));
    static const char* kNames[] = {"start", "limit", "delta"};
    const DataType t = in[0]->dtype;
    if (t != DataType::kFloat32 && t != DataType::kInt32 && t != DataType::kInt64) {
      return Unsupported(std::string("Range of ") + DataTypeName(t) +
                         " (litecnn's are float32, int32 and int64)");
    }
    for (size_t i = 0; i < 3; ++i) {
      if (in[i]->dtype != t) {
        return InvalidModel(std::string(kNames[i]) + " is " + DataTypeName(in[i]->dtype) +
                            ", start " + DataTypeName(t) + " (one type for all three)");
      }
      if (in[i]->dims.size() > 1 || CheckedElementCount(in[i]->dims).value() != 1) {
        return InvalidModel(std::string(kNames[i]) + " must be a scalar, got dims " +
                            DimsToString(in[i]->dims));
      }
    }
    for (size_t i = 0; i < 3; ++i) {
      if (!in[i]->is_constant()) {
        return Unsupported(std::string("Range with ") + kNames[i] +
                           " fed at Run: its output's length, (limit - start) / delta, is set by "
                           "the values alone (ONNX gives no bound), and litecnn reserves every "
                           "value at load; start, limit and delta must be constants");
      }
    }
    const Tensor &start = *in[0]->constant, &limit = *in[1]->constant, &delta = *in[2]->constant;
    int64_t n = 0;
    if (t == DataType::kFloat32) {
      const double s = start.GetAsDouble(0), l = limit.GetAsDouble(0), d = delta.GetAsDouble(0);
      if (d == 0) return InvalidModel("Range delta is 0");
      const double count = std::ceil((l - s) / d);
      if (std::isnan(count)) return InvalidModel("Range length (limit - start) / delta is NaN");
      // Above int64: the shape check reports it against maxTensorElements.
      n = count <= 0 ? 0 : count < 9.2e18 ? static_cast<int64_t>(count) : INT64_MAX;
    } else {
      const int64_t s = start.GetAsInt64(0), l = limit.GetAsInt64(0), d = delta.GetAsInt64(0);
      if (d == 0) return InvalidModel("Range delta is 0");
      // |limit - start| and |delta| in uint64, where neither can overflow.
      if ((d > 0 && l > s) || (d < 0 && l < s)) {
        const uint64_t span = d > 0 ? uint64_t(l) - uint64_t(s) : uint64_t(s) - uint64_t(l);
        const uint64_t step = d > 0 ? uint64_t(d) : uint64_t(0) - uint64_t(d);
        const uint64_t count = span / step + (span % step != 0);
        n = count > uint64_t{INT64_MAX} ? INT64_MAX : static_cast<int64_t>(count);
      }
    }
    out->at(0).dtype = t;
    out->at(0).dims = {n};
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const int64_t n = out[0].dims[0];
    switch (out[0].dtype) {
      case DataType::kFloat32: {
        // As ONNX's definition (and onnxruntime) computes it: each element the last plus delta.
        float v = in[0].as<const float>()[0];
        const float d = in[2].as<const float>()[0];
        float* y = out[0].as<float>();
        for (int64_t i = 0; i < n; ++i, v += d) y[i] = v;
        break;
      }
      default: {
        // Every element lies between start and limit, so it fits the type; i * delta may not
        // fit int64 (start INT64_MIN, limit INT64_MAX), so the sum is taken modulo 2^64.
        const bool i32 = out[0].dtype == DataType::kInt32;
        const auto at = [&](const TensorView& v) {
          return static_cast<uint64_t>(i32 ? v.as<const int32_t>()[0] : v.as<const int64_t>()[0]);
        };
        const uint64_t start = at(in[0]), delta = at(in[2]);
        for (int64_t i = 0; i < n; ++i) {
          const int64_t v = static_cast<int64_t>(start + static_cast<uint64_t>(i) * delta);
          if (i32) {
            out[0].as<int32_t>()[i] = static_cast<int32_t>(v);
          } else {
            out[0].as<int64_t>()[i] = v;
          }
        }
        break;
      }
    }
    return Status::Ok();
  }
};

// Cast: `to` is a TensorProto type number, or before version 6 its name ("FLOAT"). Version 19's
// saturate only concerns float8, which litecnn does not hold.
class CastOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    int64_t to = 0;
    if (attrs.version() < 6) {
      LITECNN_ASSIGN_OR_RETURN(std::string name, attrs.GetString("to", ""));
      LITECNN_ASSIGN_OR_RETURN(to, TypeNumber(name));
    } else {
      LITECNN_ASSIGN_OR_RETURN(to, attrs.GetInt("to", 0));
    }
    if (!IsSupportedDataType(static_cast<int32_t>(to))) {
      return Unsupported("Cast to element type " + std::to_string(to));
    }
    to_ = static_cast<DataType>(to);
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    if (DataTypeSize(in[0]->dtype) == 0) return Unsupported("Cast from this element type");
    out->at(0).dtype = to_;
    out->at(0).dims = in[0]->dims;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    if (in[0].layout != out[0].layout) return Internal("Cast across layouts");
    const int64_t n = in[0].num_elements();
    for (int64_t i = 0; i < n; ++i) Store(out[0], i, Load(in[0], i));
    return Status::Ok();
  }

 private:
  // int64 travels as int64 so that large shape values stay exact; everything else as double.
  struct Scalar {
    bool is_int;
    int64_t i;
    double d;
  };
  static Scalar Load(const TensorView& v, int64_t i) {
    switch (v.dtype) {
      case DataType::kInt64:
        return {true, v.as<const int64_t>()[i], 0};
      case DataType::kInt32:
        return {true, v.as<const int32_t>()[i], 0};
      case DataType::kFloat32:
        return {false, 0, v.as<const float>()[i]};
      case DataType::kFloat64:
        return {false, 0, v.as<const double>()[i]};
      case DataType::kUint8:
        return {true, v.as<const uint8_t>()[i], 0};
      case DataType::kInt8:
        return {true, v.as<const int8_t>()[i], 0};
      case DataType::kBool:
        return {true, v.as<const uint8_t>()[i] ? 1 : 0, 0};
      default:
        return {true, 0, 0};
    }
  }
  static int64_t ToInt(const Scalar& s) {
    if (s.is_int) return s.i;
    if (!(s.d > -9.2e18 && s.d < 9.2e18)) return 0;  // NaN / out of range: no UB
    return static_cast<int64_t>(s.d);
  }
  static void Store(const TensorView& v, int64_t i, const Scalar& s) {
    const double d = s.is_int ? static_cast<double>(s.i) : s.d;
    switch (v.dtype) {
      case DataType::kInt64:
        v.as<int64_t>()[i] = ToInt(s);
        break;
      case DataType::kInt32:
        v.as<int32_t>()[i] = static_cast<int32_t>(ToInt(s));
        break;
      case DataType::kFloat32:
        v.as<float>()[i] = static_cast<float>(d);
        break;
      case DataType::kFloat64:
        v.as<double>()[i] = d;
        break;
      case DataType::kUint8:
        v.as<uint8_t>()[i] = static_cast<uint8_t>(ToInt(s));
        break;
      case DataType::kInt8:
        v.as<int8_t>()[i] = static_cast<int8_t>(ToInt(s));
        break;
      case DataType::kBool:
        v.as<uint8_t>()[i] = s.is_int ? s.i != 0 : s.d != 0;
        break;
      default:
        break;
    }
  }
  // TensorProto.DataType's names of the types litecnn holds.
  static Result<int64_t> TypeNumber(const std::string& name) {
    static constexpr struct {
      const char* name;
      DataType type;
    } kNames[] = {{"FLOAT", DataType::kFloat32}, {"UINT8", DataType::kUint8},
                  {"INT8", DataType::kInt8},     {"INT32", DataType::kInt32},
                  {"INT64", DataType::kInt64},   {"BOOL", DataType::kBool},
                  {"DOUBLE", DataType::kFloat64}};
    for (const auto& n : kNames) {
      if (name == n.name) return static_cast<int64_t>(n.type);
    }
    return Unsupported("Cast to element type '" + name + "'");
  }
  DataType to_ = DataType::kFloat32;
};

// Copies a value between layouts (inserted by the layout pass, never in ONNX graphs).
class LayoutConvertOp final : public Op {
  // Below this a part's transpose costs less than handing it to another thread.
  static constexpr size_t kMinPixelsPerPart = 4096;

 public:
  explicit LayoutConvertOp(Layout to) : to_(to) {}
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = in[0]->dims;
    out->at(0).layout = to_;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    if (x.layout == Layout::kPlain && to_ == Layout::kNHWC && DataTypeSize(x.dtype) == 4) {
      // NCHW -> NHWC (an image model's input): per image, a [C][H*W] -> [H*W][C] transpose. On the
      // caller alone: as the first op of a run it would mostly wait for the pool's worker, still
      // waking from Model::Run's prewake (measured at 2 threads: 0.054 ms split, 0.044 not).
      const size_t n = static_cast<size_t>(x.dims[0]), c = static_cast<size_t>(x.dims[1]);
      const size_t pixels = static_cast<size_t>(x.dims[2] * x.dims[3]);
      const x32_transpose_chw_hwc_ukernel_fn transpose = Elementwise().transpose_chw_hwc;
      for (size_t i = 0; i < n; ++i) {
        transpose(c, pixels, x.as<const uint32_t>() + i * c * pixels, pixels,
                  out[0].as<uint32_t>() + i * c * pixels);
      }
      return Status::Ok();
    }
    if (x.layout == Layout::kNHWC && to_ == Layout::kPlain && DataTypeSize(x.dtype) == 4) {
      // NHWC -> NCHW (a net's output map): per image, a [H*W][C] -> [C][H*W] transpose, split
      // by pixel ranges (a segmentation net's scores are millions of elements).
      const size_t n = static_cast<size_t>(x.dims[0]), c = static_cast<size_t>(x.dims[1]);
      const size_t pixels = static_cast<size_t>(x.dims[2] * x.dims[3]);
      const x32_transpose_hwc_chw_ukernel_fn transpose = Elementwise().transpose_hwc_chw;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t* image = x.as<const uint32_t>() + i * c * pixels;
        uint32_t* planes = out[0].as<uint32_t>() + i * c * pixels;
        ParallelFor(
            par_, pixels,
            [&](const Part& part) {
              transpose(c, part.end - part.begin, image + part.begin * c, planes + part.begin,
                        pixels);
            },
            4, kMinPixelsPerPart);
      }
      return Status::Ok();
    }
    CopyStrided(DataTypeSize(x.dtype), x.dims, x.data, LogicalStrides(x.dims, x.layout),
                out[0].data, LogicalStrides(out[0].dims, out[0].layout));
    return Status::Ok();
  }

 private:
  Layout to_;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateShape(const Attributes& a) { return CreateOp<ShapeOp>(a); }
Result<std::unique_ptr<Op>> CreateConstant(const Attributes& a) { return CreateOp<ConstantOp>(a); }
Result<std::unique_ptr<Op>> CreateConstantOfShape(const Attributes& a) {
  return CreateOp<ConstantOfShapeOp>(a);
}
Result<std::unique_ptr<Op>> CreateRange(const Attributes& a) { return CreateOp<RangeOp>(a); }
Result<std::unique_ptr<Op>> CreateCast(const Attributes& a) { return CreateOp<CastOp>(a); }
std::unique_ptr<Op> CreateLayoutConvert(Layout to) { return std::make_unique<LayoutConvertOp>(to); }

}  // namespace litecnn
