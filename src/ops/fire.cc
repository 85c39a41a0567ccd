#include "ops/fire.h"

#include "ops/op_util.h"

namespace litecnn {
namespace {

class FireOp final : public Op {
 public:
  FireOp(std::unique_ptr<ConvOp> squeeze, std::unique_ptr<ConvOp> first,
         std::unique_ptr<ConvOp> second)
      : squeeze_(std::move(squeeze)), first_(std::move(first)), second_(std::move(second)) {}

  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    // Inputs: x, then weights and bias of the squeeze and the two expands; biases may be absent
    // (convs exported without bias).
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 7));
    if (in.size() != 7 || !in[3] || !in[5]) return Internal("Fire needs 7 inputs with 3 weights");
    std::vector<TensorDesc> s(1), a(1), b(1);
    LITECNN_RETURN_IF_ERROR(squeeze_->Infer({in[0], in[1], in[2]}, &s));
    squeezed_ = s[0];
    LITECNN_RETURN_IF_ERROR(first_->Infer({&squeezed_, in[3], in[4]}, &a));
    LITECNN_RETURN_IF_ERROR(second_->Infer({&squeezed_, in[5], in[6]}, &b));
    const Dims& da = a[0].dims;
    const Dims& db = b[0].dims;
    if (da[0] != db[0] || da[2] != db[2] || da[3] != db[3]) {
      return InvalidModel("expand outputs " + DimsToString(da) + " and " + DimsToString(db) +
                          " cannot be concatenated on channels");
    }
    first_channels_ = da[1];
    first_out_ = a[0];
    second_out_ = b[0];
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {da[0], da[1] + db[1], da[2], da[3]};
    return Status::Ok();
  }

  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>& out) override {
    squeezed_.layout = Layout::kNHWC;
    LITECNN_RETURN_IF_ERROR(squeeze_->Prepare({in[0], in[1], in[2]}, {&squeezed_}));
    const size_t total = out[0]->dims[1];
    first_->SetOutputSlice(0, total);
    second_->SetOutputSlice(first_channels_, total);
    // Each expand prepares for its own output dims; the slice places it in the wider output.
    first_out_.layout = second_out_.layout = Layout::kNHWC;
    LITECNN_RETURN_IF_ERROR(first_->Prepare({&squeezed_, in[3], in[4]}, {&first_out_}));
    LITECNN_RETURN_IF_ERROR(second_->Prepare({&squeezed_, in[5], in[6]}, {&second_out_}));
    int64_t n = 1;
    for (int64_t d : squeezed_.dims) n *= d;
    scratch_.resize(static_cast<size_t>(n));
    return Status::Ok();
  }

  void SetParallelism(const Parallelism& par) override {
    squeeze_->SetParallelism(par);
    first_->SetParallelism(par);
    second_->SetParallelism(par);
  }
  void SetScratch(Scratch* scratch) override {
    squeeze_->SetScratch(scratch);
    first_->SetScratch(scratch);
    second_->SetScratch(scratch);
  }

  int64_t macs() const override { return squeeze_->macs() + first_->macs() + second_->macs(); }
  std::string kernel_name() const override {
    return squeeze_->kernel_name() + " | " + first_->kernel_name() + " | " + second_->kernel_name();
  }

  bool NeedsConstantAtRun(size_t i) const override {
    if (i == 0) return true;
    if (i <= 2) return squeeze_->NeedsConstantAtRun(i);
    if (i <= 4) return first_->NeedsConstantAtRun(i - 2);
    return second_->NeedsConstantAtRun(i - 4);
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    TensorView s;
    s.data = scratch_.data();
    s.dtype = DataType::kFloat32;
    s.dims = squeezed_.dims;
    s.layout = Layout::kNHWC;
    LITECNN_RETURN_IF_ERROR(squeeze_->Run({in[0], in[1], in[2]}, {s}));
    LITECNN_RETURN_IF_ERROR(first_->Run({s, in[3], in[4]}, out));
    return second_->Run({s, in[5], in[6]}, out);
  }

 private:
  std::unique_ptr<ConvOp> squeeze_, first_, second_;
  TensorDesc squeezed_, first_out_, second_out_;
  int64_t first_channels_ = 0;
  std::vector<float> scratch_;
};

}  // namespace

std::unique_ptr<Op> CreateFire(std::unique_ptr<ConvOp> squeeze, std::unique_ptr<ConvOp> first,
                               std::unique_ptr<ConvOp> second) {
  return std::make_unique<FireOp>(std::move(squeeze), std::move(first), std::move(second));
}

}  // namespace litecnn
