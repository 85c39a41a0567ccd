// Elementwise binary ops with numpy broadcasting: the arithmetic Add, Sub, Mul, Div, and the
// predicates (Equal, Greater, Less, GreaterOrEqual, LessOrEqual, And, Or, Xor), whose output is
// bool. Arithmetic inputs are read through strides, so they may be in different layouts (an
// NHWC activation times a plain [1, C, 1, 1] squeeze-excitation scale) without a conversion
// copy. float32 arithmetic goes through the kernels; int64 (shape arithmetic that
// torch.onnx.export emits) and the predicates (a detector's peak mask: M-LSD's
// Equal(MaxPool(s), s)) through a loop here.
#include <algorithm>
#include <cmath>
#include <optional>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

enum class BinaryKind {
  kAdd,
  kSub,
  kMul,
  kDiv,
  // Predicates: bool output.
  kEqual,
  kGreater,
  kLess,
  kGreaterOrEqual,
  kLessOrEqual,
  kAnd,
  kOr,
  kXor,
};

bool IsPredicate(BinaryKind k) { return k >= BinaryKind::kEqual; }
bool IsLogic(BinaryKind k) { return k >= BinaryKind::kAnd; }

int64_t ApplyInt(BinaryKind k, int64_t a, int64_t b) {
  switch (k) {
    case BinaryKind::kAdd:
      return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    case BinaryKind::kSub:
      return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
    case BinaryKind::kMul:
      return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    case BinaryKind::kDiv:
      // Division by zero (and INT64_MIN / -1) has no defined result: yield 0 rather than trap.
      if (b == 0 || (a == INT64_MIN && b == -1)) return 0;
      return a / b;
    default:
      return 0;
  }
}

template <typename T>
bool ApplyPredicate(BinaryKind k, T a, T b) {
  switch (k) {
    case BinaryKind::kEqual:
      return a == b;
    case BinaryKind::kGreater:
      return a > b;
    case BinaryKind::kLess:
      return a < b;
    case BinaryKind::kGreaterOrEqual:
      return a >= b;
    case BinaryKind::kLessOrEqual:
      return a <= b;
    case BinaryKind::kAnd:
      return a && b;
    case BinaryKind::kOr:
      return a || b;
    case BinaryKind::kXor:
      return !a != !b;
    default:
      return false;
  }
}

class BinaryOp final : public Op {
 public:
  explicit BinaryOp(BinaryKind kind) : kind_(kind) {}
  Status Init(const Attributes& attrs) {
    legacy_ = attrs.version() < 7;
    if (!legacy_) return Status::Ok();
    LITECNN_ASSIGN_OR_RETURN(int64_t broadcast, attrs.GetInt("broadcast", 0));
    legacy_broadcast_ = broadcast != 0;
    if (attrs.Has("axis")) {
      LITECNN_ASSIGN_OR_RETURN(int64_t axis, attrs.GetInt("axis", 0));
      legacy_axis_ = axis;
    }
    return Status::Ok();
  }
  // B laid over A's axes (legacy broadcasting) changes B's rank: read it as plain bytes. A
  // predicate's bool output stays plain too (it feeds Cast, Where, Not: no layout to keep).
  LayoutPolicy layout_policy() const override {
    return b_dims_.empty() && !IsPredicate(kind_) ? LayoutPolicy::kAny : LayoutPolicy::kPlain;
  }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    LITECNN_RETURN_IF_ERROR(LegacyBroadcast(in[0]->dims, in[1]->dims));
    if (in[0]->dtype != in[1]->dtype) {
      return InvalidModel(std::string("input types differ: ") + DataTypeName(in[0]->dtype) +
                          " and " + DataTypeName(in[1]->dtype));
    }
    const DataType t = in[0]->dtype;
    // Comparisons also take the int32 and bool inputs index arithmetic brings.
    const bool supported = IsLogic(kind_)                                     ? t == DataType::kBool
                           : t == DataType::kFloat32 || t == DataType::kInt64 ? true
                           : t == DataType::kInt32
                               ? IsPredicate(kind_)
                               : t == DataType::kBool && kind_ == BinaryKind::kEqual;
    if (!supported) return Unsupported(std::string("element type ") + DataTypeName(t));
    LITECNN_ASSIGN_OR_RETURN(Dims dims,
                             BroadcastDims(in[0]->dims, b_dims_.empty() ? in[1]->dims : b_dims_));
    if (dims.size() > kMaxBinaryRank) {
      return Unsupported("rank " + std::to_string(dims.size()) + " (at most " +
                         std::to_string(kMaxBinaryRank) + ")");
    }
    out->at(0).dtype = IsPredicate(kind_) ? DataType::kBool : t;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    TensorView b = in[1];
    if (!b_dims_.empty()) b.dims = b_dims_;
    if (y.dtype == DataType::kFloat32 && !IsPredicate(kind_) && RunFastPath(in[0], b, y)) {
      return Status::Ok();
    }
    // Iterate the output in its physical order: permute logical axes accordingly.
    const Dims pdims = PhysicalDims(y.dims, y.layout);
    std::vector<ptrdiff_t> as = BroadcastStrides(in[0].dims, in[0].layout, y.dims);
    std::vector<ptrdiff_t> bs = BroadcastStrides(b.dims, b.layout, y.dims);
    if (y.layout == Layout::kNHWC) {
      as = {as[0], as[2], as[3], as[1]};
      bs = {bs[0], bs[2], bs[3], bs[1]};
    }
    if (IsPredicate(kind_)) {
      switch (in[0].dtype) {
        case DataType::kFloat32:
          RunPredicate(pdims, in[0].as<const float>(), as, b.as<const float>(), bs, y);
          break;
        case DataType::kInt64:
          RunPredicate(pdims, in[0].as<const int64_t>(), as, b.as<const int64_t>(), bs, y);
          break;
        case DataType::kInt32:
          RunPredicate(pdims, in[0].as<const int32_t>(), as, b.as<const int32_t>(), bs, y);
          break;
        default:  // bool
          RunPredicate(pdims, in[0].as<const uint8_t>(), as, b.as<const uint8_t>(), bs, y);
      }
      return Status::Ok();
    }
    if (y.dtype == DataType::kFloat32) {
      std::vector<size_t> udims(pdims.begin(), pdims.end());
      auto fn = kind_ == BinaryKind::kAdd   ? f32_vadd_strided__scalar
                : kind_ == BinaryKind::kSub ? f32_vsub_strided__scalar
                : kind_ == BinaryKind::kMul ? f32_vmul_strided__scalar
                                            : f32_vdiv_strided__scalar;
      fn(udims.size(), udims.data(), in[0].as<const float>(), as.data(), b.as<const float>(),
         bs.data(), y.as<float>());
      return Status::Ok();
    }
    RunInt(pdims, in[0].as<const int64_t>(), as, b.as<const int64_t>(), bs, y.as<int64_t>());
    return Status::Ok();
  }

 private:
  // Same-shape operands, and an NHWC activation times / plus a per-(image, channel) vector
  // (squeeze-excitation's gate): the dense kernels instead of the strided loop.
  bool RunFastPath(const TensorView& a, const TensorView& b, const TensorView& y) const {
    if (kind_ != BinaryKind::kAdd && kind_ != BinaryKind::kMul) return false;
    const ElementwiseKernels& ew = Elementwise();
    if (a.dims == y.dims && b.dims == y.dims && a.layout == y.layout && b.layout == y.layout) {
      const size_t n = static_cast<size_t>(y.num_elements());
      if (kind_ == BinaryKind::kAdd) {
        ew.add_minmax(n, a.as<const float>(), b.as<const float>(), y.as<float>(), -INFINITY,
                      INFINITY);
      } else {
        ew.mul(n, a.as<const float>(), b.as<const float>(), y.as<float>());
      }
      return true;
    }
    for (int side = 0; side < 2; ++side) {
      const TensorView& x = side ? b : a;
      const TensorView& v = side ? a : b;
      if (y.layout != Layout::kNHWC || x.dims != y.dims || x.layout != Layout::kNHWC) continue;
      // v must be [N or 1, C, 1, 1]: its channels are contiguous in either layout.
      const Dims& d = y.dims;
      if (v.dims.size() != 4 || (v.dims[0] != d[0] && v.dims[0] != 1) || v.dims[1] != d[1] ||
          v.dims[2] != 1 || v.dims[3] != 1) {
        continue;
      }
      const size_t rows = d[2] * d[3], channels = d[1];
      auto fn = kind_ == BinaryKind::kAdd ? ew.add_rowvec : ew.mul_rowvec;
      for (int64_t n = 0; n < d[0]; ++n) {
        const size_t image = n * rows * channels;
        fn(rows, channels, x.as<const float>() + image,
           v.as<const float>() + (v.dims[0] == 1 ? 0 : n * channels), y.as<float>() + image);
      }
      return true;
    }
    return false;
  }

  void RunInt(const Dims& dims, const int64_t* a, const std::vector<ptrdiff_t>& as,
              const int64_t* b, const std::vector<ptrdiff_t>& bs, int64_t* y) const {
    ForEachBroadcast<2>(dims, {as.data(), bs.data()}, [&](int64_t i, const auto& at) {
      y[i] = ApplyInt(kind_, a[at[0]], b[at[1]]);
    });
  }
  template <typename T>
  void RunPredicate(const Dims& dims, const T* a, const std::vector<ptrdiff_t>& as, const T* b,
                    const std::vector<ptrdiff_t>& bs, const TensorView& y) const {
    uint8_t* out = y.as<uint8_t>();
    ForEachBroadcast<2>(dims, {as.data(), bs.data()}, [&](int64_t i, const auto& at) {
      out[i] = ApplyPredicate(kind_, a[at[0]], b[at[1]]);
    });
  }
  // Before version 7 the inputs have equal dims unless broadcast=1, which lays B's dims over A's
  // from `axis` (default: A's last ones). That is numpy broadcasting of B with 1s around its
  // dims (b_dims_, empty when B is read as it is).
  Status LegacyBroadcast(const Dims& a, const Dims& b) {
    b_dims_.clear();
    if (!legacy_) return Status::Ok();
    if (!legacy_broadcast_) {
      if (a == b) return Status::Ok();
      return InvalidModel("dims " + DimsToString(a) + " and " + DimsToString(b) +
                          " differ, and broadcast is not set (before version 7)");
    }
    const int64_t ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
    const int64_t axis = legacy_axis_ ? *legacy_axis_ : ra - rb;
    if (axis < 0 || axis + rb > ra) {
      return InvalidModel("B " + DimsToString(b) + " does not fit A " + DimsToString(a) +
                          " from axis " + std::to_string(axis));
    }
    b_dims_.assign(ra, 1);
    std::copy(b.begin(), b.end(), b_dims_.begin() + axis);
    for (int64_t k = 0; k < ra; ++k) {
      if (b_dims_[k] != 1 && b_dims_[k] != a[k]) {
        return InvalidModel("B " + DimsToString(b) + " does not broadcast onto A " +
                            DimsToString(a) + " from axis " + std::to_string(axis));
      }
    }
    if (b_dims_ == b) b_dims_.clear();
    return Status::Ok();
  }

  BinaryKind kind_;
  bool legacy_ = false, legacy_broadcast_ = false;
  std::optional<int64_t> legacy_axis_;
  Dims b_dims_;
};

}  // namespace

#define LITECNN_BINARY_FACTORY(op)                              \
  Result<std::unique_ptr<Op>> Create##op(const Attributes& a) { \
    return CreateOp<BinaryOp>(a, BinaryKind::k##op);            \
  }
LITECNN_BINARY_FACTORY(Add)
LITECNN_BINARY_FACTORY(Sub)
LITECNN_BINARY_FACTORY(Mul)
LITECNN_BINARY_FACTORY(Div)
LITECNN_BINARY_FACTORY(Equal)
LITECNN_BINARY_FACTORY(Greater)
LITECNN_BINARY_FACTORY(Less)
LITECNN_BINARY_FACTORY(GreaterOrEqual)
LITECNN_BINARY_FACTORY(LessOrEqual)
LITECNN_BINARY_FACTORY(And)
LITECNN_BINARY_FACTORY(Or)
LITECNN_BINARY_FACTORY(Xor)
#undef LITECNN_BINARY_FACTORY

}  // namespace litecnn
