// Tests for the scalar reference strided binary kernels (add / mul / sub / div) with
// stride-expressed broadcasting, against a naive per-element unravel formulation.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-vbinary/f32-vbinary.h"

namespace litecnn {
namespace {

using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::UniformData;

using BinaryFn = void (*)(size_t, const size_t*, const float*, const ptrdiff_t*, const float*,
                          const ptrdiff_t*, float*);

struct OpInfo {
  const char* name;
  BinaryFn fn;
  float (*ref)(float, float);
};

const OpInfo kOps[] = {
    {"add", f32_vadd_strided__scalar, [](float x, float y) { return x + y; }},
    {"mul", f32_vmul_strided__scalar, [](float x, float y) { return x * y; }},
    {"sub", f32_vsub_strided__scalar, [](float x, float y) { return x - y; }},
    {"div", f32_vdiv_strided__scalar, [](float x, float y) { return x / y; }},
};

size_t Product(const std::vector<size_t>& dims) {
  size_t p = 1;
  for (size_t d : dims) p *= d;
  return p;
}

// Dense row-major strides over dims, with stride 0 on axes where broadcast[k] is set.
// Returns the number of elements the operand needs.
size_t BroadcastStrides(const std::vector<size_t>& dims, const std::vector<bool>& broadcast,
                        std::vector<ptrdiff_t>* strides) {
  strides->assign(dims.size(), 0);
  size_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    if (broadcast[k]) continue;
    (*strides)[k] = static_cast<ptrdiff_t>(stride);
    stride *= dims[k];
  }
  return stride;
}

// Naive: for each flat output index, unravel to a multi-index by div/mod and dot with strides.
std::vector<float> Naive(const std::vector<size_t>& dims, const float* a,
                         const std::vector<ptrdiff_t>& as, const float* b,
                         const std::vector<ptrdiff_t>& bs, float (*op)(float, float)) {
  std::vector<float> out(Product(dims));
  for (size_t flat = 0; flat < out.size(); ++flat) {
    size_t rest = flat;
    ptrdiff_t ao = 0, bo = 0;
    for (size_t k = dims.size(); k-- > 0;) {
      const ptrdiff_t i = static_cast<ptrdiff_t>(rest % dims[k]);
      rest /= dims[k];
      ao += i * as[k];
      bo += i * bs[k];
    }
    out[flat] = op(a[ao], b[bo]);
  }
  return out;
}

// Runs every op on dims with the given broadcast masks and compares (bit-exact: same single
// rounding per element) with Naive; checks guards.
void CheckAllOps(const std::vector<size_t>& dims, const std::vector<bool>& a_bcast,
                 const std::vector<bool>& b_bcast, uint32_t seed) {
  std::vector<ptrdiff_t> as, bs;
  const size_t a_size = BroadcastStrides(dims, a_bcast, &as);
  const size_t b_size = BroadcastStrides(dims, b_bcast, &bs);
  const std::vector<float> a = DyadicData(a_size, seed);
  const std::vector<float> b = UniformData(b_size, seed + 1, 0.5f, 4.0f);  // nonzero divisors
  for (const OpInfo& op : kOps) {
    SCOPED_TRACE(op.name);
    Guarded<float> out(Product(dims));
    op.fn(dims.size(), dims.data(), a.data(), as.data(), b.data(), bs.data(), out.data());
    EXPECT_EQ(out.payload(), Naive(dims, a.data(), as, b.data(), bs, op.ref));
    EXPECT_TRUE(out.GuardsIntact());
  }
}

TEST(KernelVBinary, AddHandBroadcastRow) {
  const size_t dims[] = {2, 3};
  const ptrdiff_t as[] = {3, 1}, bs[] = {0, 1};
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30};
  Guarded<float> out(6);
  f32_vadd_strided__scalar(2, dims, a.data(), as, b.data(), bs, out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_TRUE(out.GuardsIntact());
}

// b is a column [2,1] broadcast along axis 1; checks operand order for sub and div.
TEST(KernelVBinary, SubDivHandBroadcastColumnOperandOrder) {
  const size_t dims[] = {2, 3};
  const ptrdiff_t as[] = {3, 1}, bs[] = {1, 0};
  const std::vector<float> a = {2, 4, 6, 9, 12, 15}, b = {2, 3};
  Guarded<float> sub(6), div(6), mul(6);
  f32_vsub_strided__scalar(2, dims, a.data(), as, b.data(), bs, sub.data());
  f32_vdiv_strided__scalar(2, dims, a.data(), as, b.data(), bs, div.data());
  f32_vmul_strided__scalar(2, dims, a.data(), as, b.data(), bs, mul.data());
  EXPECT_EQ(sub.payload(), (std::vector<float>{0, 2, 4, 6, 9, 12}));
  EXPECT_EQ(div.payload(), (std::vector<float>{1, 2, 3, 3, 4, 5}));
  EXPECT_EQ(mul.payload(), (std::vector<float>{4, 8, 12, 27, 36, 45}));
  EXPECT_TRUE(sub.GuardsIntact());
  EXPECT_TRUE(div.GuardsIntact());
  EXPECT_TRUE(mul.GuardsIntact());
}

// Outer-product style: a broadcast on axis 1, b on axis 0.
TEST(KernelVBinary, MulHandOuterProduct) {
  const size_t dims[] = {3, 2};
  const ptrdiff_t as[] = {1, 0}, bs[] = {0, 1};
  const std::vector<float> a = {1, 2, 3}, b = {10, -1};
  Guarded<float> out(6);
  f32_vmul_strided__scalar(2, dims, a.data(), as, b.data(), bs, out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{10, -1, 20, -2, 30, -3}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelVBinary, Rank0SingleElement) {
  const float a = 6.0f, b = 1.5f;
  const float expected[] = {7.5f, 9.0f, 4.5f, 4.0f};
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(kOps[i].name);
    Guarded<float> out(1);
    kOps[i].fn(0, nullptr, &a, nullptr, &b, nullptr, out.data());
    EXPECT_EQ(out[0], expected[i]);
    EXPECT_TRUE(out.GuardsIntact());
  }
}

TEST(KernelVBinary, Rank6BroadcastOnSeveralAxes) {
  CheckAllOps({2, 3, 1, 4, 2, 3}, {false, true, false, false, true, false},
              {true, false, false, true, false, true}, 1);
}

TEST(KernelVBinary, Rank6NoBroadcast) {
  CheckAllOps({3, 1, 2, 2, 5, 3}, std::vector<bool>(6, false), std::vector<bool>(6, false), 2);
}

TEST(KernelVBinary, ScalarBroadcastAgainstTensor) {
  CheckAllOps({4, 5, 3}, {false, false, false}, {true, true, true}, 3);
  CheckAllOps({4, 5, 3}, {true, true, true}, {false, false, false}, 4);
}

TEST(KernelVBinary, BroadcastInnermostAxisOnly) {
  CheckAllOps({3, 17}, {false, true}, {false, false}, 5);  // inner stride 0 for a
}

TEST(KernelVBinary, InnerSizesMatrix) {
  for (const size_t c : {1u, 3u, 4u, 15u, 17u, 64u}) {
    SCOPED_TRACE("inner=" + std::to_string(c));
    // NHWC tensor + per-channel vector (bias-like) and + per-pixel column.
    CheckAllOps({2, 3, 5, c}, {false, false, false, false}, {true, true, true, false},
                static_cast<uint32_t>(c));
    CheckAllOps({2, 3, 5, c}, {false, false, false, false}, {false, false, false, true},
                static_cast<uint32_t>(c + 1));
  }
}

// b is read through negative strides (a reversed view): out[i][j] = a[i][j] + b[1-i][2-j].
TEST(KernelVBinary, NegativeStrideReversedOperand) {
  const size_t dims[] = {2, 3};
  const ptrdiff_t as[] = {3, 1}, bs[] = {-3, -1};
  const std::vector<float> a = {0, 0, 0, 100, 100, 100}, b = {1, 2, 3, 4, 5, 6};
  Guarded<float> out(6);
  f32_vadd_strided__scalar(2, dims, a.data(), as, b.data() + 5, bs, out.data());
  EXPECT_EQ(out.payload(), (std::vector<float>{6, 5, 4, 103, 102, 101}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelVBinary, ZeroSizedDimsWriteNothing) {
  const float a[1] = {1}, b[1] = {2};
  const ptrdiff_t zeros[kMaxBinaryRank] = {};
  const std::vector<std::vector<size_t>> shapes = {
      {0}, {0, 3}, {3, 0}, {2, 0, 4}, {2, 3, 0}, {0, 1, 1, 1, 1, 1}, {1, 2, 3, 4, 5, 0}};
  for (const auto& dims : shapes) {
    for (const OpInfo& op : kOps) {
      Guarded<float> out(0);
      op.fn(dims.size(), dims.data(), a, zeros, b, zeros, out.data());
      EXPECT_TRUE(out.AllSentinel()) << op.name << " rank " << dims.size();
    }
  }
}

}  // namespace
}  // namespace litecnn
