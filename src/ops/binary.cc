// Add, Sub, Mul, Div with numpy broadcasting. Inputs are read through strides, so they may be in
// different layouts (an NHWC activation times a plain [1, C, 1, 1] squeeze-excitation scale)
// without a conversion copy. float32 goes through the kernels; int64 (shape arithmetic that
// torch.onnx.export emits) through a small loop here.
#include <algorithm>
#include <cmath>
#include <optional>

#include "kernels/f32-vbinary/f32-vbinary.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

enum class BinaryKind { kAdd, kSub, kMul, kDiv };

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
  }
  return 0;
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
  // B laid over A's axes (legacy broadcasting) changes B's rank: read it as plain bytes.
  LayoutPolicy layout_policy() const override {
    return b_dims_.empty() ? LayoutPolicy::kAny : LayoutPolicy::kPlain;
  }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    LITECNN_RETURN_IF_ERROR(LegacyBroadcast(in[0]->dims, in[1]->dims));
    if (in[0]->dtype != in[1]->dtype) {
      return InvalidModel(std::string("input types differ: ") + DataTypeName(in[0]->dtype) +
                          " and " + DataTypeName(in[1]->dtype));
    }
    if (in[0]->dtype != DataType::kFloat32 && in[0]->dtype != DataType::kInt64) {
      return Unsupported(std::string("element type ") + DataTypeName(in[0]->dtype));
    }
    LITECNN_ASSIGN_OR_RETURN(Dims dims,
                             BroadcastDims(in[0]->dims, b_dims_.empty() ? in[1]->dims : b_dims_));
    if (dims.size() > kMaxBinaryRank) {
      return Unsupported("rank " + std::to_string(dims.size()) + " (at most " +
                         std::to_string(kMaxBinaryRank) + ")");
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    TensorView b = in[1];
    if (!b_dims_.empty()) b.dims = b_dims_;
    if (y.dtype == DataType::kFloat32 && RunFastPath(in[0], b, y)) return Status::Ok();
    // Iterate the output in its physical order: permute logical axes accordingly.
    const Dims pdims = PhysicalDims(y.dims, y.layout);
    std::vector<ptrdiff_t> as = BroadcastStrides(in[0].dims, in[0].layout, y.dims);
    std::vector<ptrdiff_t> bs = BroadcastStrides(b.dims, b.layout, y.dims);
    if (y.layout == Layout::kNHWC) {
      as = {as[0], as[2], as[3], as[1]};
      bs = {bs[0], bs[2], bs[3], bs[1]};
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
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    std::vector<int64_t> idx(dims.size(), 0);
    for (int64_t i = 0; i < n; ++i) {
      ptrdiff_t ai = 0, bi = 0;
      for (size_t k = 0; k < dims.size(); ++k) {
        ai += idx[k] * as[k];
        bi += idx[k] * bs[k];
      }
      y[i] = ApplyInt(kind_, a[ai], b[bi]);
      for (size_t k = dims.size(); k-- > 0;) {
        if (++idx[k] < dims[k]) break;
        idx[k] = 0;
      }
    }
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

}  // namespace litecnn
