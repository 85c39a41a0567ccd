// Gemm (Y = alpha * A' * B' + beta * C) and MatMul (numpy matmul with batch broadcasting).
// Both call the strided GEMM kernel; transposes are expressed as strides, not copies.
#include <algorithm>
#include <cmath>

#include "kernels/f32-gemm/f32-gemm.h"
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "ops/dispatch.h"
#include "ops/op_list.h"
#include "ops/op_util.h"
#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

class GemmOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(alpha_, attrs.GetFloat("alpha", 1.f));
    LITECNN_ASSIGN_OR_RETURN(beta_, attrs.GetFloat("beta", 1.f));
    LITECNN_ASSIGN_OR_RETURN(trans_a_, attrs.GetInt("transA", 0));
    LITECNN_ASSIGN_OR_RETURN(trans_b_, attrs.GetInt("transB", 0));
    // C is required before version 11; before 7 it must be [M, N] unless broadcast=1, which
    // broadcasts it as version 7 always does.
    min_inputs_ = attrs.version() < 11 ? 3 : 2;
    if (attrs.version() < 7) {
      LITECNN_ASSIGN_OR_RETURN(int64_t broadcast, attrs.GetInt("broadcast", 0));
      c_is_mn_ = broadcast == 0;
    }
    return Status::Ok();
  }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, min_inputs_, 3));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "A"));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[1], "B"));
    const Dims& a = in[0]->dims;
    const Dims& b = in[1]->dims;
    if (a.size() != 2 || b.size() != 2) {
      return InvalidModel("A and B must be 2-D, got " + DimsToString(a) + " and " +
                          DimsToString(b));
    }
    m_ = trans_a_ ? a[1] : a[0];
    k_ = trans_a_ ? a[0] : a[1];
    n_ = trans_b_ ? b[0] : b[1];
    const int64_t kb = trans_b_ ? b[1] : b[0];
    if (k_ != kb) {
      return InvalidModel("inner dimensions differ: A " + DimsToString(a) + (trans_a_ ? "'" : "") +
                          " and B " + DimsToString(b) + (trans_b_ ? "'" : ""));
    }
    if (in.size() > 2 && in[2]) {
      LITECNN_RETURN_IF_ERROR(CheckFloat(*in[2], "C"));
      LITECNN_ASSIGN_OR_RETURN(Dims bc, BroadcastDims(in[2]->dims, {m_, n_}));
      if (c_is_mn_ && in[2]->dims != Dims{m_, n_}) {
        return InvalidModel("C " + DimsToString(in[2]->dims) + " is not [" + std::to_string(m_) +
                            ", " + std::to_string(n_) + "], and broadcast is not set (before " +
                            "version 7)");
      }
      if (bc != Dims{m_, n_}) {
        return InvalidModel("C " + DimsToString(in[2]->dims) + " does not broadcast to [" +
                            std::to_string(m_) + ", " + std::to_string(n_) + "]");
      }
    }
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = {m_, n_};
    return Status::Ok();
  }

  // Fully-connected layers (constant B, C a per-column bias or absent, no transposed A, unit
  // alpha/beta) run on microkernels: one row with B stored as [N][K] (transB, PyTorch's Linear)
  // on the GEMV kernel over B as it is; otherwise on the packed GEMM kernels. Anything else runs
  // on the strided reference.
  Status Prepare(const std::vector<const TensorDesc*>& in,
                 const std::vector<const TensorDesc*>&) override {
    packed_.clear();
    gemv_ = GemvKernel{};
    const TensorDesc* c = in.size() > 2 ? in[2] : nullptr;
    const bool bias_ok =
        !c || (c->is_constant() && beta_ == 1.f && (c->dims == Dims{n_} || c->dims == Dims{1, n_}));
    if (!in[1]->is_constant() || trans_a_ || alpha_ != 1.f || !bias_ok) return Status::Ok();
    if (m_ == 1 && trans_b_) {
      // A packed copy would cost as many bytes again at load (MobileNetV2's classifier: 5 MB of
      // fresh wasm pages) and run no faster: each weight is read once per row either way.
      gemv_ = ChooseGemvKernel();
      return Status::Ok();
    }
    gemm_ = ChooseGemmKernel(m_, n_, k_);
    // The packer wants B as [N][K] rows: transB already stores it so.
    std::vector<float> nk;
    const float* b = in[1]->constant->data<float>();
    if (!trans_b_) {
      nk.resize(static_cast<size_t>(n_ * k_));
      for (int64_t kk = 0; kk < k_; ++kk)
        for (int64_t j = 0; j < n_; ++j) nk[j * k_ + kk] = b[kk * n_ + j];
      b = nk.data();
    }
    LITECNN_ASSIGN_OR_RETURN(float* packed,
                             packed_.Allocate(f32_gemm_packed_size(gemm_.nr, n_, k_)));
    f32_gemm_pack_weights(gemm_.nr, n_, k_, b, c ? c->constant->data<float>() : nullptr, packed);
    return Status::Ok();
  }

  bool NeedsConstantAtRun(size_t i) const override { return packed_.empty() || i == 0; }
  std::string kernel_name() const override {
    return gemv_.fn ? gemv_.name : packed_.empty() ? "" : gemm_.name;
  }
  int64_t macs() const override { return m_ * n_ * k_; }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const ptrdiff_t lda = in[0].dims[1], ldb = in[1].dims[1];
    float* y = out[0].as<float>();
    if (gemv_.fn) {
      const float* x = in[0].as<const float>();
      const float* w = in[1].as<const float>();
      const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
      const size_t k = static_cast<size_t>(k_);
      // Threads take runs of output rows (blocks of 4, the kernel's tile, so each row is computed
      // by the same code whatever the split).
      const size_t n = static_cast<size_t>(n_);
      ParallelFor(par_, (n + 3) / 4, [&](const Part& part) {
        const size_t n0 = part.begin * 4, n1 = std::min(part.end * 4, n);
        gemv_.fn(n1 - n0, k, x, w + n0 * k, bias ? bias + n0 : nullptr, y + n0, -INFINITY,
                 INFINITY);
      });
      return Status::Ok();
    }
    if (!packed_.empty()) {
      const float* a = in[0].as<const float>();
      // A classifier runs one row against megabytes of weights: threads take runs of NR-column
      // weight panels (each panel is computed alike whichever call covers it).
      const size_t nr = gemm_.nr, n = static_cast<size_t>(n_), k = static_cast<size_t>(k_);
      ParallelFor(par_, (n + nr - 1) / nr, [&](const Part& part) {
        const size_t n0 = part.begin * nr, n1 = std::min(part.end * nr, n);
        const float* w = packed_.data() + part.begin * nr * (k + 1);
        for (int64_t i = 0; i < m_; i += gemm_.mr) {
          const size_t mr = std::min<size_t>(gemm_.mr, m_ - i);
          gemm_.fn(mr, n1 - n0, k, a + i * k, k, w, y + i * n + n0, n, -INFINITY, INFINITY);
        }
      });
      return Status::Ok();
    }
    f32_gemm__scalar(m_, n_, k_, in[0].as<const float>(), trans_a_ ? 1 : lda, trans_a_ ? lda : 1,
                     in[1].as<const float>(), trans_b_ ? 1 : ldb, trans_b_ ? ldb : 1, y);
    const size_t mn = static_cast<size_t>(m_ * n_);
    if (alpha_ != 1.f) {
      for (size_t i = 0; i < mn; ++i) y[i] *= alpha_;
    }
    if (in.size() > 2 && in[2].data && beta_ != 0.f) {
      const Dims ydims = {m_, n_};
      std::vector<ptrdiff_t> cs = BroadcastStrides(in[2].dims, Layout::kPlain, ydims);
      const std::vector<ptrdiff_t> ys = LogicalStrides(ydims, Layout::kPlain);
      const size_t udims[2] = {static_cast<size_t>(m_), static_cast<size_t>(n_)};
      const float* c = in[2].as<const float>();
      if (beta_ != 1.f) {
        scaled_c_.resize(mn);
        for (int64_t i = 0; i < m_; ++i)
          for (int64_t j = 0; j < n_; ++j) scaled_c_[i * n_ + j] = beta_ * c[i * cs[0] + j * cs[1]];
        c = scaled_c_.data();
        cs = ys;
      }
      f32_vadd_strided__scalar(2, udims, y, ys.data(), c, cs.data(), y);
    }
    return Status::Ok();
  }

 private:
  float alpha_ = 1.f, beta_ = 1.f;
  int64_t trans_a_ = 0, trans_b_ = 0;
  size_t min_inputs_ = 2;
  bool c_is_mn_ = false;  // before version 7 without broadcast=1
  int64_t m_ = 0, n_ = 0, k_ = 0;
  std::vector<float> scaled_c_;
  GemmKernel gemm_;
  GemvKernel gemv_;       // fn set: the one-row path over B as given
  PackedWeights packed_;  // empty (and no gemv_): the strided reference path
};

class MatMulOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[0], "A"));
    LITECNN_RETURN_IF_ERROR(CheckFloat(*in[1], "B"));
    Dims a = in[0]->dims, b = in[1]->dims;
    if (a.empty() || b.empty()) return InvalidModel("MatMul inputs must have rank >= 1");
    // 1-D operands are promoted (prepend / append 1) and the added axis removed afterwards.
    const bool a1 = a.size() == 1, b1 = b.size() == 1;
    if (a1) a.insert(a.begin(), 1);
    if (b1) b.push_back(1);
    m_ = a[a.size() - 2];
    k_ = a.back();
    n_ = b.back();
    if (b[b.size() - 2] != k_) {
      return InvalidModel("inner dimensions differ: " + DimsToString(in[0]->dims) + " x " +
                          DimsToString(in[1]->dims));
    }
    LITECNN_ASSIGN_OR_RETURN(
        batch_, BroadcastDims(Dims(a.begin(), a.end() - 2), Dims(b.begin(), b.end() - 2)));
    a_batch_strides_ = BroadcastStrides(Dims(a.begin(), a.end() - 2), Layout::kPlain, batch_);
    b_batch_strides_ = BroadcastStrides(Dims(b.begin(), b.end() - 2), Layout::kPlain, batch_);
    Dims dims = batch_;
    if (!a1) dims.push_back(m_);
    if (!b1) dims.push_back(n_);
    out->at(0).dtype = DataType::kFloat32;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    int64_t batches = 1;
    for (int64_t d : batch_) batches *= d;
    std::vector<int64_t> idx(batch_.size(), 0);
    const float* a = in[0].as<const float>();
    const float* b = in[1].as<const float>();
    float* y = out[0].as<float>();
    for (int64_t i = 0; i < batches; ++i) {
      ptrdiff_t ao = 0, bo = 0;
      for (size_t k = 0; k < batch_.size(); ++k) {
        // batch strides count matrices; scale by the matrix sizes
        ao += idx[k] * a_batch_strides_[k] * m_ * k_;
        bo += idx[k] * b_batch_strides_[k] * k_ * n_;
      }
      f32_gemm__scalar(m_, n_, k_, a + ao, k_, 1, b + bo, n_, 1, y + i * m_ * n_);
      for (size_t k = batch_.size(); k-- > 0;) {
        if (++idx[k] < batch_[k]) break;
        idx[k] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  int64_t m_ = 0, n_ = 0, k_ = 0;
  Dims batch_;
  std::vector<ptrdiff_t> a_batch_strides_, b_batch_strides_;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateGemm(const Attributes& a) { return CreateOp<GemmOp>(a); }
Result<std::unique_ptr<Op>> CreateMatMul(const Attributes& a) { return CreateOp<MatMulOp>(a); }

}  // namespace litecnn
