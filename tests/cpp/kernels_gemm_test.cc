// Tests for the scalar reference strided GEMM: hand case, transposes through strides against a
// naive double-precision triple loop, and degenerate sizes.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-gemm/f32-gemm.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;

// [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] = [[58,64],[139,154]].
TEST(KernelGemm, Hand2x3Times3x2) {
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {7, 8, 9, 10, 11, 12};
  Guarded<float> y(4);
  f32_gemm__scalar(2, 2, 3, a.data(), 3, 1, b.data(), 2, 1, y.data());
  EXPECT_EQ(y.payload(), (std::vector<float>{58, 64, 139, 154}));
  EXPECT_TRUE(y.GuardsIntact());
}

// Same product with A stored transposed ([3][2]) and B stored transposed ([2][3]).
TEST(KernelGemm, HandTransposedOperandsViaStrides) {
  const std::vector<float> at = {1, 4, 2, 5, 3, 6}, bt = {7, 9, 11, 8, 10, 12};
  Guarded<float> y(4);
  f32_gemm__scalar(2, 2, 3, at.data(), 1, 2, bt.data(), 1, 3, y.data());
  EXPECT_EQ(y.payload(), (std::vector<float>{58, 64, 139, 154}));
  EXPECT_TRUE(y.GuardsIntact());
}

// Naive: a and b given as dense row-major [m][k] and [k][n], product in double.
std::vector<float> NaiveGemm(size_t m, size_t n, size_t k, const std::vector<float>& a,
                             const std::vector<float>& b) {
  std::vector<float> y(m * n);
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) {
      double acc = 0;
      for (size_t p = 0; p < k; ++p) acc += static_cast<double>(a[i * k + p]) * b[p * n + j];
      y[i * n + j] = static_cast<float>(acc);
    }
  return y;
}

std::vector<float> Transpose(const std::vector<float>& x, size_t rows, size_t cols) {
  std::vector<float> t(x.size());
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) t[c * rows + r] = x[r * cols + c];
  return t;
}

// Every (m, n, k) from the size matrix, with A and B each dense or transposed.
TEST(KernelGemm, SizesMatrixAllTransposeCombos) {
  const size_t sizes[] = {1, 3, 4, 15, 17, 64};
  for (const size_t m : sizes)
    for (const size_t n : sizes)
      for (const size_t k : sizes) {
        const std::vector<float> a = DyadicData(m * k, static_cast<uint32_t>(m * 7 + k));
        const std::vector<float> b = DyadicData(k * n, static_cast<uint32_t>(n * 11 + k));
        const std::vector<float> expected = NaiveGemm(m, n, k, a, b);
        const std::vector<float> at = Transpose(a, m, k), bt = Transpose(b, k, n);
        const ptrdiff_t sm = static_cast<ptrdiff_t>(m), sn = static_cast<ptrdiff_t>(n),
                        sk = static_cast<ptrdiff_t>(k);
        for (int combo = 0; combo < 4; ++combo) {
          const bool ta = combo & 1, tb = combo & 2;
          SCOPED_TRACE("m=" + std::to_string(m) + " n=" + std::to_string(n) +
                       " k=" + std::to_string(k) + " ta=" + std::to_string(ta) +
                       " tb=" + std::to_string(tb));
          Guarded<float> y(m * n);
          f32_gemm__scalar(m, n, k, ta ? at.data() : a.data(), ta ? 1 : sk, ta ? sm : 1,
                           tb ? bt.data() : b.data(), tb ? 1 : sn, tb ? sk : 1, y.data());
          ASSERT_TRUE(AllClose(y.data(), expected));
          ASSERT_TRUE(y.GuardsIntact());
        }
      }
}

// B read through a negative row stride (rows reversed) and broadcast column stride 0 for A
// (every column of A is a[i][0]).
TEST(KernelGemm, NegativeAndZeroStrides) {
  const std::vector<float> a = {1, 2};        // a(i, p) = a[i] for every p
  const std::vector<float> b = {1, 2, 3, 4};  // b(p, j) = b[(1 - p) * 2 + j]
  Guarded<float> y(4);
  f32_gemm__scalar(2, 2, 2, a.data(), 1, 0, b.data() + 2, -2, 1, y.data());
  // Row i: a[i] * (b(0,j) + b(1,j)) = a[i] * ([3,4] + [1,2]).
  EXPECT_EQ(y.payload(), (std::vector<float>{4, 6, 8, 12}));
  EXPECT_TRUE(y.GuardsIntact());
}

TEST(KernelGemm, KZeroWritesZeros) {
  const float dummy = 1.0f;
  Guarded<float> y(6);
  f32_gemm__scalar(2, 3, 0, &dummy, 0, 1, &dummy, 3, 1, y.data());
  EXPECT_EQ(y.payload(), std::vector<float>(6, 0.0f));
  EXPECT_TRUE(y.GuardsIntact());
}

TEST(KernelGemm, MOrNZeroWritesNothing) {
  const float dummy = 1.0f;
  Guarded<float> y(0);
  f32_gemm__scalar(0, 3, 2, &dummy, 2, 1, &dummy, 3, 1, y.data());
  f32_gemm__scalar(3, 0, 2, &dummy, 2, 1, &dummy, 0, 1, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

}  // namespace
}  // namespace litecnn
