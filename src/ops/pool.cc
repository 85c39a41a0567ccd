// MaxPool, AveragePool and GlobalAveragePool on NHWC activations.
#include <algorithm>
#include <cmath>

#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "ops/spatial.h"
#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

Status CheckSpatialInput(const std::vector<const TensorDesc*>& in) {
  LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
  LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "input X"));
  if (in[0]->dims.size() != 4) {
    return Unsupported("only 2-D pooling (4-D input) is supported, input is " +
                       DimsToString(in[0]->dims));
  }
  return Status::Ok();
}

class WindowPoolOp : public Op {
 public:
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckSpatialInput(in));
    if (out->size() > 1) return Unsupported("the Indices output of MaxPool");
    const Dims& x = in[0]->dims;
    int64_t oh, ow;
    LITECNN_RETURN_IF_ERROR(ResolveWindow2D(&win_, x[2], x[3], &oh, &ow));
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {x[0], x[1], oh, ow};
    g_.batch = x[0];
    g_.channels = x[1];
    g_.in_h = x[2];
    g_.in_w = x[3];
    g_.out_h = oh;
    g_.out_w = ow;
    g_.kernel_h = win_.kernel[0];
    g_.kernel_w = win_.kernel[1];
    SetWindowGeometry(win_, &g_);
    return Status::Ok();
  }

 protected:
  // Runs kernel(geometry, input, output) with the output rows split across threads. A part
  // covering rows [r0, r1) of an image runs on a geometry cut to those rows: its input starts at
  // the first row its windows read, and the top padding shrinks by what lies above it. Each
  // output pixel sees the same taps (and, for averages, the same divisor) as in the whole
  // tensor, so the results do not depend on the split.
  template <class F>
  void RunByRows(const float* x, float* y, F&& kernel) const {
    const size_t in_image = g_.in_h * g_.in_w * g_.channels;
    const size_t out_row = g_.out_w * g_.channels;
    ParallelFor(par_, g_.batch * g_.out_h, [&](const Part& part) {
      for (size_t r = part.begin; r < part.end;) {
        const size_t b = r / g_.out_h, r0 = r % g_.out_h;
        const size_t r1 = std::min(g_.out_h, r0 + (part.end - r));
        PoolGeometry g = g_;
        g.batch = 1;
        g.out_h = r1 - r0;
        const size_t top = r0 * g_.stride_h;  // first window row, counted from the padded top
        const size_t skip = top > g_.pad_top ? top - g_.pad_top : 0;
        g.pad_top = top > g_.pad_top ? 0 : g_.pad_top - top;
        g.in_h = g_.in_h - skip;
        kernel(g, x + b * in_image + skip * g_.in_w * g_.channels,
               y + b * g_.out_h * out_row + r0 * out_row);
        r += r1 - r0;
      }
    });
  }

  Window2D win_;
  PoolGeometry g_{};
};

class MaxPoolOp final : public WindowPoolOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(int64_t storage_order, attrs.GetInt("storage_order", 0));
    (void)storage_order;  // only affects the Indices output, which is not supported
    LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, true, true, true));
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const auto maxpool = Elementwise().maxpool;
    RunByRows(in[0].as<const float>(), out[0].as<float>(),
              [&](const PoolGeometry& g, const float* x, float* y) { maxpool(g, x, y); });
    return Status::Ok();
  }
};

class AveragePoolOp final : public WindowPoolOp {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(int64_t cip, attrs.GetInt("count_include_pad", 0));
    count_include_pad_ = cip != 0;
    LITECNN_ASSIGN_OR_RETURN(win_, ParseWindow2D(attrs, true, true, true));
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const auto avgpool = Elementwise().avgpool;
    RunByRows(in[0].as<const float>(), out[0].as<float>(),
              [&](const PoolGeometry& g, const float* x, float* y) {
                avgpool(g, win_.pad_end[0], win_.pad_end[1], count_include_pad_, x, y);
              });
    return Status::Ok();
  }

 private:
  bool count_include_pad_ = false;
};

class GlobalAveragePoolOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kNHWC; }
  bool foldable() const override { return false; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckSpatialInput(in));
    const Dims& x = in[0]->dims;
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {x[0], x[1], 1, 1};
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const Dims& x = in[0].dims;
    Elementwise().gavgpool(x[0], x[2] * x[3], x[1], in[0].as<const float>(), out[0].as<float>());
    return Status::Ok();
  }
};

}  // namespace

Result<std::unique_ptr<Op>> CreateMaxPool(const Attributes& a) { return CreateOp<MaxPoolOp>(a); }
Result<std::unique_ptr<Op>> CreateAveragePool(const Attributes& a) {
  return CreateOp<AveragePoolOp>(a);
}
Result<std::unique_ptr<Op>> CreateGlobalAveragePool(const Attributes& a) {
  return CreateOp<GlobalAveragePoolOp>(a);
}

}  // namespace litecnn
