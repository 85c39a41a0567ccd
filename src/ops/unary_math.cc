// Elementwise math ops that CNNs seldom run hot (Abs, Neg, Exp, Log, Sqrt, Reciprocal, Floor,
// Ceil, Softplus, Softsign, Erf, Gelu): one op over one table of scalar functions, not a class
// and a SIMD kernel each, for the download's sake. float32 only: the int types that Abs and Neg
// gain at version 6 are refused by the dtype check. Their versions change nothing else
// (consumed_inputs, dropped at 6, is ignored), and like the other elementwise ops they keep their
// input's layout.
#include <cmath>

#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

enum class MathFn {
  kAbs,
  kNeg,
  kExp,
  kLog,
  kSqrt,
  kReciprocal,
  kFloor,
  kCeil,
  kSoftplus,
  kSoftsign,
  kErf,
  kGelu,
  kGeluTanh,
};

// In MathFn's order. Softplus and both Gelus are written in the forms that neither overflow nor
// cancel: log1p(exp(-|x|)) + max(x, 0), and Gelu's 0.5 (1 + erf) or 0.5 (1 + tanh), which cancel
// to nothing for negative x, as erfc and a logistic sigmoid (0.5 (1 + tanh(u)) = 1 / (1 +
// exp(-2u))). All in float: libm's double erfc and exp cost the download 3.0 KB gzipped
// (measured), and erfcf shares its code with the erff that Erf links.
using ScalarFn = float (*)(float);
constexpr ScalarFn kMath[] = {
    [](float x) { return std::fabs(x); },
    [](float x) { return -x; },
    [](float x) { return std::exp(x); },
    [](float x) { return std::log(x); },
    [](float x) { return std::sqrt(x); },
    [](float x) { return 1.0f / x; },
    [](float x) { return std::floor(x); },
    [](float x) { return std::ceil(x); },
    [](float x) { return std::log1p(std::exp(-std::fabs(x))) + (x > 0 ? x : 0.0f); },
    [](float x) { return x / (1.0f + std::fabs(x)); },
    [](float x) { return std::erf(x); },
    [](float x) { return 0.5f * x * std::erfc(x * -0.70710678f); },
    [](float x) {
      const float u = 0.7978845608f * (x + 0.044715f * x * x * x);  // sqrt(2 / pi) (x + ...)
      return x / (1.0f + std::exp(-2.0f * u));
    },
};

class UnaryMathOp final : public Op {
 public:
  explicit UnaryMathOp(MathFn fn) : fn_(fn) {}
  Status Init(const Attributes& attrs) {
    if (fn_ != MathFn::kGelu) return Status::Ok();
    LITECNN_ASSIGN_OR_RETURN(std::string approximate, attrs.GetString("approximate", "none"));
    if (approximate == "tanh") {
      fn_ = MathFn::kGeluTanh;
    } else if (approximate != "none") {
      return InvalidModel("Gelu approximate must be 'none' or 'tanh', got '" + approximate + "'");
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input"));
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = in[0]->dims;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const ScalarFn f = kMath[static_cast<int>(fn_)];
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    const int64_t n = in[0].num_elements();
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
    return Status::Ok();
  }

 private:
  MathFn fn_;
};

}  // namespace

#define LITECNN_UNARY_MATH_FACTORY(name, fn)                      \
  Result<std::unique_ptr<Op>> Create##name(const Attributes& a) { \
    return CreateOp<UnaryMathOp>(a, MathFn::fn);                  \
  }
LITECNN_UNARY_MATH_FACTORY(Abs, kAbs)
LITECNN_UNARY_MATH_FACTORY(Neg, kNeg)
LITECNN_UNARY_MATH_FACTORY(Exp, kExp)
LITECNN_UNARY_MATH_FACTORY(Log, kLog)
LITECNN_UNARY_MATH_FACTORY(Sqrt, kSqrt)
LITECNN_UNARY_MATH_FACTORY(Reciprocal, kReciprocal)
LITECNN_UNARY_MATH_FACTORY(Floor, kFloor)
LITECNN_UNARY_MATH_FACTORY(Ceil, kCeil)
LITECNN_UNARY_MATH_FACTORY(Softplus, kSoftplus)
LITECNN_UNARY_MATH_FACTORY(Softsign, kSoftsign)
LITECNN_UNARY_MATH_FACTORY(Erf, kErf)
LITECNN_UNARY_MATH_FACTORY(Gelu, kGelu)
#undef LITECNN_UNARY_MATH_FACTORY

}  // namespace litecnn
