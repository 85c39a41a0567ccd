// Add, Sub, Mul, Div, Pow and PRelu with numpy broadcasting (PRelu's slope unidirectionally, onto
// X), the n-ary Sum, Mean, Max, Min, folded pairwise through the same pair step, and the predicates
// (Equal, Greater, Less, GreaterOrEqual, LessOrEqual, And, Or, Xor), whose output is bool.
// Arithmetic inputs are read through strides, so they may be in different layouts (an NHWC
// activation times a plain [1, C, 1, 1] squeeze-excitation scale) without a conversion copy.
// float32 arithmetic goes through the kernels; int64 (shape arithmetic that torch.onnx.export
// emits; Add, Sub, Mul, Div only), Pow (float32, int64 and int32 bases and exponents) and the
// predicates (a detector's peak mask: M-LSD's Equal(MaxPool(s), s)) through a loop here.
#include <algorithm>
#include <cmath>
#include <optional>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "ops/capabilities.h"
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
  kMax,
  kMin,
  kPRelu,
  kPow,  // float32, int64 or int32 base and exponent (a loop here, not a kernel)
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
    default:  // the other kinds are float32 only (Infer)
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

// Same-shape operands, an NHWC activation times / plus a per-(image, channel) vector
// (squeeze-excitation's gate), and PRelu's one slope or slope per channel (axis 1 of an NHWC
// activation, or the last axis of a plain one): the dense kernels instead of the strided loop.
bool RunFastPath(BinaryKind kind, const TensorView& a, const TensorView& b, const TensorView& y) {
  const ElementwiseKernels& ew = Elementwise();
  const size_t n = static_cast<size_t>(y.num_elements());
  if (kind == BinaryKind::kPRelu) {
    // a has y's dims and layout (unidirectional broadcast; the output's layout follows input 0).
    const int64_t slopes = b.num_elements();
    if (slopes == 1) {
      ew.lrelu(n, a.as<const float>(), y.as<float>(), b.as<const float>()[0]);
      return true;
    }
    // The slope, right-aligned on y's axes, must have all its elements on y's innermost
    // physical axis (channels in NHWC, the last axis in plain), and as many as that axis.
    const size_t rank = y.dims.size(), rank_b = b.dims.size();
    const size_t inner = y.layout == Layout::kNHWC ? 1 : rank - 1;
    if (n == 0 || rank_b > rank || rank - rank_b > inner ||
        b.dims[inner - (rank - rank_b)] != slopes || y.dims[inner] != slopes) {
      return false;
    }
    const size_t channels = static_cast<size_t>(slopes);
    ew.prelu_rowvec(n / channels, channels, a.as<const float>(), b.as<const float>(),
                    y.as<float>());
    return true;
  }
  if (kind != BinaryKind::kAdd && kind != BinaryKind::kMul) return false;
  if (a.dims == y.dims && b.dims == y.dims && a.layout == y.layout && b.layout == y.layout) {
    if (kind == BinaryKind::kAdd) {
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
    auto fn = kind == BinaryKind::kAdd ? ew.add_rowvec : ew.mul_rowvec;
    for (int64_t i = 0; i < d[0]; ++i) {
      const size_t image = i * rows * channels;
      fn(rows, channels, x.as<const float>() + image,
         v.as<const float>() + (v.dims[0] == 1 ? 0 : i * channels), y.as<float>() + image);
    }
    return true;
  }
  return false;
}

// Strides of a, read as broadcast onto y's dims, in y's physical order.
std::vector<ptrdiff_t> PhysicalStrides(const TensorView& a, const TensorView& y) {
  std::vector<ptrdiff_t> s = BroadcastStrides(a.dims, a.layout, y.dims);
  if (y.layout == Layout::kNHWC) s = {s[0], s[2], s[3], s[1]};
  return s;
}

// y = a (kind) b in float32, both broadcast onto y's dims. y may be a (same dims and layout):
// every kernel reads an element before it writes it.
void RunFloatPair(BinaryKind kind, const TensorView& a, const TensorView& b, const TensorView& y) {
  if (RunFastPath(kind, a, b, y)) return;
  const Dims pdims = PhysicalDims(y.dims, y.layout);
  const std::vector<size_t> udims(pdims.begin(), pdims.end());
  const std::vector<ptrdiff_t> as = PhysicalStrides(a, y), bs = PhysicalStrides(b, y);
  // In BinaryKind's order (the predicates never come here).
  static constexpr f32_vstrided_ukernel_fn kStrided[] = {
      f32_vadd_strided__scalar,  f32_vsub_strided__scalar, f32_vmul_strided__scalar,
      f32_vdiv_strided__scalar,  f32_vmax_strided__scalar, f32_vmin_strided__scalar,
      f32_vprelu_strided__scalar};
  kStrided[static_cast<int>(kind)](udims.size(), udims.data(), a.as<const float>(), as.data(),
                                   b.as<const float>(), bs.data(), y.as<float>());
}

// x^e as libm's powf computes it (its special cases are ONNX's, numpy's and onnxruntime's:
// x^0 = 1 for any x, 1^e = 1, a negative base to a non-integer power is NaN), with the two
// exponents models use most taken exactly: x^2 = x * x, and x^0.5 the square root (+0 for
// -0, +inf for -inf, as powf has them).
float PowF(float x, float e) {
  if (e == 2.f) return x * x;
  if (e == 0.5f) return x == -INFINITY ? INFINITY : std::sqrt(x) + 0.f;
  return std::pow(x, e);
}
// x^k for an integer exponent: exactly powf's beyond 2^24 too, where float(k) is always even
// and the sign must come from k's parity.
float PowInt(float x, int64_t k) {
  const float e = static_cast<float>(k);
  if (k >= -(int64_t{1} << 24) && k <= (int64_t{1} << 24)) return PowF(x, e);
  const float r = std::pow(std::fabs(x), e);
  return (k & 1) && std::signbit(x) ? -r : r;
}
// An integer base (version 12) to an integer power, exactly and modulo 2^64 (the caller narrows
// int32), by squaring; a negative power is 1 / x^k truncated: 0 but for bases 1 and -1 (and 0
// for a zero base, which has no value).
int64_t IntPow(int64_t x, int64_t k) {
  if (k < 0) return x == 1 ? 1 : x == -1 ? ((k & 1) ? -1 : 1) : 0;
  uint64_t r = 1, b = static_cast<uint64_t>(x);
  for (uint64_t e = static_cast<uint64_t>(k); e; e >>= 1, b *= b) {
    if (e & 1) r *= b;
  }
  return static_cast<int64_t>(r);
}
// An integer base to a float power: exact for whole exponents, else powf truncated towards 0
// (saturated; NaN gives 0), as onnxruntime casts its double pow back.
int64_t IntPowF(int64_t x, float e) {
  if (e == std::trunc(e) && std::fabs(e) < 9.2e18f) return IntPow(x, static_cast<int64_t>(e));
  const float r = std::pow(static_cast<float>(x), e);
  if (!(r > -9.2e18f && r < 9.2e18f)) return std::isnan(r) ? 0 : r < 0 ? INT64_MIN : INT64_MAX;
  return static_cast<int64_t>(r);
}

class BinaryOp : public Op {
 public:
  explicit BinaryOp(BinaryKind kind) : kind_(kind) {}
  Status Init(const Attributes& attrs) {
    version_ = attrs.version();
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
    if (kind_ == BinaryKind::kPRelu) return InferPRelu(*in[0], *in[1], &out->at(0));
    LITECNN_RETURN_IF_ERROR(LegacyBroadcast(in[0]->dims, in[1]->dims));
    if (kind_ == BinaryKind::kPow) LITECNN_RETURN_IF_ERROR(CheckPowTypes(*in[0], *in[1]));
    if (in[0]->dtype != in[1]->dtype && kind_ != BinaryKind::kPow) {
      return InvalidModel(std::string("input types differ: ") + DataTypeName(in[0]->dtype) +
                          " and " + DataTypeName(in[1]->dtype));
    }
    // Comparisons also take the int32 and bool inputs index arithmetic brings.
    const DataType t = in[0]->dtype;
    const bool supported = kind_ == BinaryKind::kPow ? true  // CheckPowTypes
                           : IsLogic(kind_)          ? t == DataType::kBool
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
    if (IsPredicate(kind_)) return RunPredicate(in[0], b, y);
    if (kind_ == BinaryKind::kPow) return RunPow(in[0], b, y);
    if (y.dtype == DataType::kFloat32) {
      RunFloatPair(kind_, in[0], b, y);
      return Status::Ok();
    }
    // Iterate the output in its physical order.
    RunInt(PhysicalDims(y.dims, y.layout), in[0].as<const int64_t>(), PhysicalStrides(in[0], y),
           b.as<const int64_t>(), PhysicalStrides(b, y), y.as<int64_t>());
    return Status::Ok();
  }

 protected:
  std::vector<float> slopes_;  // PRelu's constant slopes in a form PReluOp describes

 private:
  // PRelu: float32 only (version 9's int types are refused). The slope broadcasts onto X
  // (from version 7; before, the schema only has a slope of one element or of X's dims), so Y
  // has X's dims.
  Status InferPRelu(const TensorDesc& x, const TensorDesc& slope, TensorDesc* y) {
    LITECNN_RETURN_IF_ERROR(CheckFloat(x, "PRelu input X"));
    LITECNN_RETURN_IF_ERROR(CheckFloat(slope, "PRelu slope"));
    LITECNN_ASSIGN_OR_RETURN(const int64_t count, CheckedElementCount(slope.dims));
    if (legacy_ && count != 1 && slope.dims != x.dims) {
      return InvalidModel("slope " + DimsToString(slope.dims) +
                          " has neither one element nor X's dims " + DimsToString(x.dims) +
                          " (before version 7)");
    }
    Result<Dims> dims = BroadcastDims(x.dims, slope.dims);
    if (!dims.ok() || *dims != x.dims) {
      return InvalidModel("slope " + DimsToString(slope.dims) + " does not broadcast onto X " +
                          DimsToString(x.dims));
    }
    if (x.dims.size() > kMaxBinaryRank) {
      return Unsupported("rank " + std::to_string(x.dims.size()) + " (at most " +
                         std::to_string(kMaxBinaryRank) + ")");
    }
    y->dtype = x.dtype;
    y->dims = x.dims;
    // The forms a conv can apply (AsActivation): one constant slope, or one per channel of a
    // 4-D X.
    slopes_.clear();
    const Dims& d = slope.dims;
    const bool per_channel =
        x.dims.size() == 4 && count == x.dims[1] &&
        ((d.size() == 3 && d[0] == count) || (d.size() == 4 && d[0] == 1 && d[1] == count));
    if (slope.is_constant() && (count == 1 || per_channel)) {
      const float* v = slope.constant->data<float>();
      slopes_.assign(v, v + count);
    }
    return Status::Ok();
  }

  // Pow: base float32, or (from version 12) int64 or int32, whose type the output takes;
  // exponent of the base's type before version 12, then float32, int64 or int32.
  Status CheckPowTypes(const TensorDesc& x, const TensorDesc& e) const {
    const auto is_int = [](DataType t) { return t == DataType::kInt64 || t == DataType::kInt32; };
    if (x.dtype != DataType::kFloat32 && !is_int(x.dtype)) {
      return Unsupported(std::string("Pow of a ") + DataTypeName(x.dtype) +
                         " base (litecnn's are float32, int64 and int32)");
    }
    if (e.dtype != DataType::kFloat32 && !is_int(e.dtype)) {
      return Unsupported(std::string("Pow exponent of ") + DataTypeName(e.dtype) +
                         " (litecnn's are float32, int64 and int32)");
    }
    if (version_ < 12 && (x.dtype != DataType::kFloat32 || e.dtype != DataType::kFloat32)) {
      return InvalidModel(std::string("Pow of ") + DataTypeName(x.dtype) + " to " +
                          DataTypeName(e.dtype) + " (before version 12 both are one float type)");
    }
    return Status::Ok();
  }
  // One loop for every base and exponent type (an instantiation each would cost 1.3 KB of wasm).
  Status RunPow(const TensorView& a, const TensorView& b, const TensorView& y) const {
    const Dims dims = PhysicalDims(y.dims, y.layout);
    const std::vector<ptrdiff_t> as = PhysicalStrides(a, y), bs = PhysicalStrides(b, y);
    const DataType tx = a.dtype, te = b.dtype;
    ForEachBroadcast<2>(dims, {as.data(), bs.data()}, [&](int64_t i, const auto& at) {
      const ptrdiff_t j = at[1];
      const bool float_e = te == DataType::kFloat32;
      const float fe = float_e ? b.as<const float>()[j] : 0.f;
      const int64_t ie = float_e                  ? 0
                         : te == DataType::kInt64 ? b.as<const int64_t>()[j]
                                                  : b.as<const int32_t>()[j];
      if (tx == DataType::kFloat32) {
        const float v = a.as<const float>()[at[0]];
        y.as<float>()[i] = float_e ? PowF(v, fe) : PowInt(v, ie);
        return;
      }
      const int64_t v =
          tx == DataType::kInt64 ? a.as<const int64_t>()[at[0]] : a.as<const int32_t>()[at[0]];
      const int64_t r = float_e ? IntPowF(v, fe) : IntPow(v, ie);
      if (tx == DataType::kInt64) {
        y.as<int64_t>()[i] = r;
      } else {
        y.as<int32_t>()[i] = static_cast<int32_t>(r);
      }
    });
    return Status::Ok();
  }

  void RunInt(const Dims& dims, const int64_t* a, const std::vector<ptrdiff_t>& as,
              const int64_t* b, const std::vector<ptrdiff_t>& bs, int64_t* y) const {
    ForEachBroadcast<2>(dims, {as.data(), bs.data()}, [&](int64_t i, const auto& at) {
      y[i] = ApplyInt(kind_, a[at[0]], b[at[1]]);
    });
  }
  // Plain layout (layout_policy), so logical and physical order are the same.
  Status RunPredicate(const TensorView& a, const TensorView& b, const TensorView& y) const {
    const std::vector<ptrdiff_t> as = PhysicalStrides(a, y), bs = PhysicalStrides(b, y);
    switch (a.dtype) {
      case DataType::kFloat32:
        return Compare(y.dims, a.as<const float>(), as, b.as<const float>(), bs, y);
      case DataType::kInt64:
        return Compare(y.dims, a.as<const int64_t>(), as, b.as<const int64_t>(), bs, y);
      case DataType::kInt32:
        return Compare(y.dims, a.as<const int32_t>(), as, b.as<const int32_t>(), bs, y);
      default:  // bool
        return Compare(y.dims, a.as<const uint8_t>(), as, b.as<const uint8_t>(), bs, y);
    }
  }
  template <typename T>
  Status Compare(const Dims& dims, const T* a, const std::vector<ptrdiff_t>& as, const T* b,
                 const std::vector<ptrdiff_t>& bs, const TensorView& y) const {
    uint8_t* out = y.as<uint8_t>();
    ForEachBroadcast<2>(dims, {as.data(), bs.data()}, [&](int64_t i, const auto& at) {
      out[i] = ApplyPredicate(kind_, a[at[0]], b[at[1]]);
    });
    return Status::Ok();
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
  int64_t version_ = 7;
  bool legacy_ = false, legacy_broadcast_ = false;
  std::optional<int64_t> legacy_axis_;
  Dims b_dims_;
};

// PRelu is the binary op with its kind; apart, so that only it is an activation to the passes.
class PReluOp final : public BinaryOp, public ActivationOp {
 public:
  PReluOp() : BinaryOp(BinaryKind::kPRelu) {}
  // A constant slope that is one value, or one per channel of a 4-D X ([C, 1, 1] or
  // [1, C, 1, 1]): a leaky ReLU or a per-channel PRelu that a conv can apply to its output.
  bool AsActivation(Activation* act) const override {
    if (slopes_.empty()) return false;
    if (slopes_.size() == 1) {
      act->kind = Activation::Kind::kLeakyRelu;
      act->alpha = slopes_[0];
    } else {
      act->kind = Activation::Kind::kPRelu;
      act->slopes = slopes_;
    }
    return true;
  }
};

// Sum, Mean, Max, Min over one or more inputs: y = x0 op x1, then y = y op xk, each pair through
// RunFloatPair straight onto y's dims (the same as broadcasting pair by pair: broadcasting is
// associative); Mean then divides by the count. float32 only (Max and Min's int types from
// version 12 are refused). Before version 8 every input has the same dims.
class VariadicOp final : public Op {
 public:
  VariadicOp(BinaryKind kind, bool mean) : kind_(kind), mean_(mean) {}
  Status Init(const Attributes& attrs) {
    broadcast_ = attrs.version() >= 8;
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    if (in.empty()) return InvalidModel("expects at least 1 input, got 0");
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, in.size(), in.size()));
    Dims dims = in[0]->dims;
    for (const TensorDesc* x : in) {
      LITECNN_RETURN_IF_ERROR(CheckFloat(*x, "every input"));
      if (broadcast_) {
        LITECNN_ASSIGN_OR_RETURN(dims, BroadcastDims(dims, x->dims));
      } else if (x->dims != dims) {
        return InvalidModel("input dims " + DimsToString(dims) + " and " + DimsToString(x->dims) +
                            " differ (broadcasting starts at version 8)");
      }
    }
    if (dims.size() > kMaxBinaryRank) {
      return Unsupported("rank " + std::to_string(dims.size()) + " (at most " +
                         std::to_string(kMaxBinaryRank) + ")");
    }
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    if (in.size() == 1) {
      CopyUnlessAliased(in[0], y);  // same dims, and y takes x0's layout
      return Status::Ok();
    }
    RunFloatPair(kind_, in[0], in[1], y);
    for (size_t k = 2; k < in.size(); ++k) RunFloatPair(kind_, y, in[k], y);
    if (mean_) {
      // A division, as the formula is written (ONNX's reference and onnxruntime divide too).
      float count = static_cast<float>(in.size());
      const TensorView scalar{&count, DataType::kFloat32, Dims{}, Layout::kPlain};
      RunFloatPair(BinaryKind::kDiv, y, scalar, y);
    }
    return Status::Ok();
  }

 private:
  BinaryKind kind_;
  bool mean_;
  bool broadcast_ = true;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateAdd(const Attributes& a) {
  return CreateOp<BinaryOp>(a, BinaryKind::kAdd);
}
Result<std::unique_ptr<Op>> CreateSub(const Attributes& a) {
  return CreateOp<BinaryOp>(a, BinaryKind::kSub);
}
Result<std::unique_ptr<Op>> CreateMul(const Attributes& a) {
  return CreateOp<BinaryOp>(a, BinaryKind::kMul);
}
Result<std::unique_ptr<Op>> CreateDiv(const Attributes& a) {
  return CreateOp<BinaryOp>(a, BinaryKind::kDiv);
}
Result<std::unique_ptr<Op>> CreatePow(const Attributes& a) {
  return CreateOp<BinaryOp>(a, BinaryKind::kPow);
}
Result<std::unique_ptr<Op>> CreatePRelu(const Attributes& a) { return CreateOp<PReluOp>(a); }
Result<std::unique_ptr<Op>> CreateSum(const Attributes& a) {
  return CreateOp<VariadicOp>(a, BinaryKind::kAdd, false);
}
Result<std::unique_ptr<Op>> CreateMean(const Attributes& a) {
  return CreateOp<VariadicOp>(a, BinaryKind::kAdd, true);
}
Result<std::unique_ptr<Op>> CreateMax(const Attributes& a) {
  return CreateOp<VariadicOp>(a, BinaryKind::kMax, false);
}
Result<std::unique_ptr<Op>> CreateMin(const Attributes& a) {
  return CreateOp<VariadicOp>(a, BinaryKind::kMin, false);
}
#define LITECNN_PREDICATE_FACTORY(op)                           \
  Result<std::unique_ptr<Op>> Create##op(const Attributes& a) { \
    return CreateOp<BinaryOp>(a, BinaryKind::k##op);            \
  }
LITECNN_PREDICATE_FACTORY(Equal)
LITECNN_PREDICATE_FACTORY(Greater)
LITECNN_PREDICATE_FACTORY(Less)
LITECNN_PREDICATE_FACTORY(GreaterOrEqual)
LITECNN_PREDICATE_FACTORY(LessOrEqual)
LITECNN_PREDICATE_FACTORY(And)
LITECNN_PREDICATE_FACTORY(Or)
LITECNN_PREDICATE_FACTORY(Xor)
#undef LITECNN_PREDICATE_FACTORY

}  // namespace litecnn
