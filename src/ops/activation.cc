// Elementwise activations (Relu, Clip, HardSwish, HardSigmoid, Sigmoid, LeakyRelu, Elu, Selu,
// Tanh) and the pass-through ops (Identity, inference-mode Dropout). They keep their input's
// layout: an elementwise op does not care how elements are arranged, so no layout conversion is
// ever needed around them.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ops/capabilities.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class UnaryOp : public Op {
 public:
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, max_inputs_));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input"));
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = in[0]->dims;
    return InferExtra(in);
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    Apply(static_cast<size_t>(in[0].num_elements()), in[0].as<const float>(), out[0].as<float>());
    return Status::Ok();
  }

 protected:
  virtual Status InferExtra(const std::vector<const TensorDesc*>&) { return Status::Ok(); }
  virtual void Apply(size_t n, const float* x, float* y) = 0;
  size_t max_inputs_ = 1;
};

class ReluOp final : public UnaryOp, public ActivationOp {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  bool AsActivation(Activation* act) const override {
    act->kind = Activation::Kind::kClamp;
    act->min = 0.f;
    act->max = INFINITY;
    return true;
  }
  void Apply(size_t n, const float* x, float* y) override {
    Elementwise().clamp(n, x, y, 0.f, INFINITY);
  }
};

// Clip: bounds are attributes before version 11 and optional constant inputs from version 11.
class ClipOp final : public UnaryOp, public ActivationOp {
 public:
  Status Init(const Attributes& attrs) {
    if (attrs.version() < 11) {
      LITECNN_ASSIGN_OR_RETURN(min_, attrs.GetFloat("min", -FLT_MAX));
      LITECNN_ASSIGN_OR_RETURN(max_, attrs.GetFloat("max", FLT_MAX));
    } else {
      max_inputs_ = 3;
    }
    return Status::Ok();
  }
  Status InferExtra(const std::vector<const TensorDesc*>& in) override {
    if (in.size() > 1 && in[1]) {
      LITECNN_ASSIGN_OR_RETURN(min_, ConstantScalar(in[1], "Clip min"));
    }
    if (in.size() > 2 && in[2]) {
      LITECNN_ASSIGN_OR_RETURN(max_, ConstantScalar(in[2], "Clip max"));
    }
    return Status::Ok();
  }
  bool AsActivation(Activation* act) const override {
    act->kind = Activation::Kind::kClamp;
    act->min = min_;
    act->max = max_;
    return true;
  }
  void Apply(size_t n, const float* x, float* y) override {
    // ONNX: min > max makes every output max; clamp(x) applied as min(max(x, lo), hi) does that.
    Elementwise().clamp(n, x, y, min_, max_);
  }

 private:
  float min_ = -FLT_MAX, max_ = FLT_MAX;
};

class HardSwishOp final : public UnaryOp, public ActivationOp {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  bool AsActivation(Activation* act) const override {
    act->kind = Activation::Kind::kHardSwish;
    return true;
  }
  void Apply(size_t n, const float* x, float* y) override { Elementwise().hswish(n, x, y); }
};

class HardSigmoidOp final : public UnaryOp, public ActivationOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(alpha_, attrs.GetFloat("alpha", 0.2f));
    LITECNN_ASSIGN_OR_RETURN(beta_, attrs.GetFloat("beta", 0.5f));
    return Status::Ok();
  }
  bool AsActivation(Activation* act) const override {
    act->kind = Activation::Kind::kHardSigmoid;
    act->alpha = alpha_;
    act->beta = beta_;
    return true;
  }
  void Apply(size_t n, const float* x, float* y) override {
    Elementwise().hsigmoid(n, x, y, alpha_, beta_);
  }

 private:
  float alpha_ = 0.2f, beta_ = 0.5f;
};

class SigmoidOp final : public UnaryOp {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  void Apply(size_t n, const float* x, float* y) override { Elementwise().sigmoid(n, x, y); }
};

// LeakyRelu, Elu, Selu and Tanh: one class, the curve picks the kernel and its parameters (their
// versions change only types and drop consumed_inputs, which inference ignores).
enum class Curve { kLeakyRelu, kElu, kSelu, kTanh };

class CurveOp final : public UnaryOp, public ActivationOp {
 public:
  explicit CurveOp(Curve curve) : curve_(curve) {}
  Status Init(const Attributes& attrs) {
    switch (curve_) {
      case Curve::kLeakyRelu: {
        LITECNN_ASSIGN_OR_RETURN(alpha_, attrs.GetFloat("alpha", 0.01f));
        break;
      }
      case Curve::kElu: {
        LITECNN_ASSIGN_OR_RETURN(alpha_, attrs.GetFloat("alpha", 1.0f));
        break;
      }
      case Curve::kSelu: {
        // The ELU kernel's x > 0 ? beta x : alpha expm1(x) with beta = gamma and alpha * gamma.
        LITECNN_ASSIGN_OR_RETURN(float alpha, attrs.GetFloat("alpha", 1.67326319217681884765625f));
        LITECNN_ASSIGN_OR_RETURN(beta_, attrs.GetFloat("gamma", 1.05070102214813232421875f));
        alpha_ = alpha * beta_;
        break;
      }
      case Curve::kTanh:
        break;
    }
    return Status::Ok();
  }
  // Only the leaky ReLU is a conv post-op: the others are rare after convs in CNNs and would
  // each add a kernel call to every conv's post-op switch for no measured model.
  bool AsActivation(Activation* act) const override {
    if (curve_ != Curve::kLeakyRelu) return false;
    act->kind = Activation::Kind::kLeakyRelu;
    act->alpha = alpha_;
    return true;
  }
  void Apply(size_t n, const float* x, float* y) override {
    const ElementwiseKernels& ew = Elementwise();
    switch (curve_) {
      case Curve::kLeakyRelu:
        ew.lrelu(n, x, y, alpha_);
        break;
      case Curve::kElu:
      case Curve::kSelu:
        ew.elu(n, x, y, alpha_, beta_);
        break;
      case Curve::kTanh:
        ew.tanh(n, x, y);
        break;
    }
  }

 private:
  Curve curve_;
  float alpha_ = 0.f, beta_ = 1.f;
};

// Identity and Dropout copy their input (any dtype). The drop-identity pass removes them from
// real graphs; the copy is what constant folding and unoptimised graphs use. Dropout runs in
// inference mode, where it drops nothing: its is_test and ratio (attributes before version 12,
// ratio an input from 12) change nothing, and its optional mask output is all ones, of the
// data's type before version 10 and bool from 10. Training mode (the training_mode input from
// version 12) is refused.
class PassThroughOp final : public Op, public IdentityOp {
 public:
  explicit PassThroughOp(bool dropout = false) : dropout_(dropout) {}
  Status Init(const Attributes& attrs) {
    bool_mask_ = attrs.version() >= 10;
    max_inputs_ = !dropout_ ? 1 : attrs.version() >= 12 ? 3 : 1;
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, max_inputs_));
    if (in.size() > 2 && in[2]) {
      if (!in[2]->is_constant() || in[2]->constant->GetAsDouble(0) != 0) {
        return Unsupported("Dropout in training mode");
      }
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = in[0]->dims;
    if (out->size() > 1) {
      if (!dropout_ || out->size() > 2) return InvalidModel("too many outputs");
      const DataType mask = bool_mask_ ? DataType::kBool : in[0]->dtype;
      if (mask != DataType::kBool && mask != DataType::kFloat32) {
        return Unsupported(std::string("a Dropout mask of type ") + DataTypeName(mask));
      }
      out->at(1).dtype = mask;
      out->at(1).dims = in[0]->dims;
    }
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    CopyUnlessAliased(in[0], out[0]);
    if (out.size() > 1) {
      const TensorView& mask = out[1];
      const size_t n = static_cast<size_t>(mask.num_elements());
      if (mask.dtype == DataType::kBool) {
        std::fill_n(mask.as<uint8_t>(), n, uint8_t{1});
      } else {
        std::fill_n(mask.as<float>(), n, 1.f);
      }
    }
    return Status::Ok();
  }

 private:
  bool dropout_;
  bool bool_mask_ = true;
  size_t max_inputs_ = 1;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateRelu(const Attributes& a) { return CreateOp<ReluOp>(a); }
Result<std::unique_ptr<Op>> CreateClip(const Attributes& a) { return CreateOp<ClipOp>(a); }
Result<std::unique_ptr<Op>> CreateHardSwish(const Attributes& a) {
  return CreateOp<HardSwishOp>(a);
}
Result<std::unique_ptr<Op>> CreateHardSigmoid(const Attributes& a) {
  return CreateOp<HardSigmoidOp>(a);
}
Result<std::unique_ptr<Op>> CreateSigmoid(const Attributes& a) { return CreateOp<SigmoidOp>(a); }
Result<std::unique_ptr<Op>> CreateLeakyRelu(const Attributes& a) {
  return CreateOp<CurveOp>(a, Curve::kLeakyRelu);
}
Result<std::unique_ptr<Op>> CreateElu(const Attributes& a) {
  return CreateOp<CurveOp>(a, Curve::kElu);
}
Result<std::unique_ptr<Op>> CreateSelu(const Attributes& a) {
  return CreateOp<CurveOp>(a, Curve::kSelu);
}
Result<std::unique_ptr<Op>> CreateTanh(const Attributes& a) {
  return CreateOp<CurveOp>(a, Curve::kTanh);
}
Result<std::unique_ptr<Op>> CreateIdentity(const Attributes& a) {
  return CreateOp<PassThroughOp>(a);
}
Result<std::unique_ptr<Op>> CreateDropout(const Attributes& a) {
  return CreateOp<PassThroughOp>(a, true);
}

}  // namespace litecnn
