// Elementwise activations (Relu, Clip, HardSwish, HardSigmoid, Sigmoid) and the pass-through ops
// (Identity, inference-mode Dropout). They keep their input's layout: an elementwise op does not
// care how elements are arranged, so no layout conversion is ever needed around them.
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

// Clip: bounds are attributes before opset 11 and optional constant inputs from opset 11.
class ClipOp final : public UnaryOp, public ActivationOp {
 public:
  Status Init(const Attributes& attrs) {
    if (attrs.opset() < 11) {
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

// Identity and Dropout copy their input (any dtype). The drop-identity pass removes them from
// real graphs; the copy is what constant folding and unoptimised graphs use.
class PassThroughOp final : public Op, public IdentityOp {
 public:
  explicit PassThroughOp(bool dropout = false) : dropout_(dropout) {}
  Status Init(const Attributes& attrs) {
    if (dropout_ && attrs.opset() < 12) {
      LITECNN_ASSIGN_OR_RETURN(int64_t is_test, attrs.GetInt("is_test", 0));
      (void)is_test;  // inference always: dropout is the identity
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, dropout_ ? 3 : 1));
    if (dropout_ && in.size() > 2 && in[2]) {
      if (!in[2]->is_constant() || in[2]->constant->GetAsDouble(0) != 0) {
        return Unsupported("Dropout in training mode");
      }
    }
    if (out->size() > 1) return Unsupported("the mask output of Dropout");
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = in[0]->dims;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    CopyUnlessAliased(in[0], out[0]);
    return Status::Ok();
  }

 private:
  bool dropout_;
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
Result<std::unique_ptr<Op>> CreateIdentity(const Attributes& a) {
  return CreateOp<PassThroughOp>(a);
}
Result<std::unique_ptr<Op>> CreateDropout(const Attributes& a) {
  auto op = std::make_unique<PassThroughOp>(true);
  LITECNN_RETURN_IF_ERROR(op->Init(a));
  return std::unique_ptr<Op>(std::move(op));
}

}  // namespace litecnn
