// Tests for every GEMM minmax microkernel listed in f32-gemm-minmax.inc (native builds list the
// scalar ones, wasm SIMD builds all) against the reference f32_gemm__scalar plus bias and clamp.
// Each test name pins one edge case; the last one sweeps the whole matrix of sizes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/f32-gemm/f32-gemm.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::IsSentinel;

struct UkernelInfo {
  const char* name;
  f32_gemm_minmax_ukernel_fn fn;
  size_t mr;
  size_t nr;
};

// gtest prints the parameter of a failing test with this.
void PrintTo(const UkernelInfo& k, std::ostream* os) { *os << k.name; }

const UkernelInfo kUkernels[] = {
#define LITECNN_GEMM_MINMAX_UKERNEL(fn, mr, nr) {#fn, fn, mr, nr},
#include "kernels/f32-gemm/f32-gemm-minmax.inc"
#undef LITECNN_GEMM_MINMAX_UKERNEL
};

constexpr float kInf = std::numeric_limits<float>::infinity();

// One call of a microkernel on a guarded C; checks values, the padding of every row and the rows
// past mr. Dyadic data keeps every sum exact, so any summation order must match exactly.
class GemmCase {
 public:
  GemmCase(size_t mr, size_t nc, size_t kc) : mr_(mr), nc_(nc), kc_(kc) {}
  GemmCase& AStride(size_t s) {
    a_stride_ = s;
    return *this;
  }
  GemmCase& CStride(size_t s) {
    c_stride_ = s;
    return *this;
  }
  // Clamp to the middle half of the unclamped outputs' range, so both bounds bite.
  GemmCase& Clamp() {
    clamp_ = true;
    return *this;
  }
  // min > max (kernel_test::kInvertedMin/Max): every output is max, as ONNX's Clip defines.
  GemmCase& InvertedBounds() {
    inverted_ = true;
    return *this;
  }
  GemmCase& NoBias() {
    no_bias_ = true;
    return *this;
  }

  void Test(const UkernelInfo& k) const {
    SCOPED_TRACE(std::string(k.name) + " mr=" + std::to_string(mr_) + " nc=" + std::to_string(nc_) +
                 " kc=" + std::to_string(kc_));
    const size_t a_stride = std::max(a_stride_, kc_);
    const size_t c_stride = std::max(c_stride_, nc_);
    // A's padding between rows is NaN: a kernel reading past kc poisons its outputs.
    // A ends right after row mr - 1's kc floats, so sanitizer builds catch reads of rows >= mr.
    std::vector<float> a((mr_ - 1) * a_stride + kc_, std::numeric_limits<float>::quiet_NaN());
    const std::vector<float> a_data = DyadicData(mr_ * kc_, static_cast<uint32_t>(kc_ * 31 + mr_));
    for (size_t i = 0; i < mr_; ++i) {
      std::copy(a_data.begin() + i * kc_, a_data.begin() + (i + 1) * kc_, a.begin() + i * a_stride);
    }
    const std::vector<float> w = DyadicData(nc_ * kc_, static_cast<uint32_t>(nc_ * 17 + kc_));
    const std::vector<float> bias = DyadicData(nc_, static_cast<uint32_t>(nc_ + 5));

    // Reference: W is [n][k], so b(k, j) = w[j * kc + k].
    std::vector<float> expected(mr_ * nc_);
    f32_gemm__scalar(mr_, nc_, kc_, a.data(), static_cast<ptrdiff_t>(a_stride), 1, w.data(), 1,
                     static_cast<ptrdiff_t>(kc_), expected.data());
    for (size_t i = 0; i < mr_; ++i) {
      for (size_t j = 0; j < nc_; ++j) expected[i * nc_ + j] += no_bias_ ? 0.0f : bias[j];
    }
    float min = -kInf, max = kInf;
    if (clamp_) {
      const auto [lo, hi] = std::minmax_element(expected.begin(), expected.end());
      const float range = *hi - *lo;
      min = *lo + 0.25f * range;
      max = *hi - 0.25f * range;
      if (min >= max) min = max = *lo;  // all outputs equal: clamp them all to it
      for (float& y : expected) y = std::min(std::max(y, min), max);
    }
    if (inverted_) {
      min = kernel_test::kInvertedMin;
      max = kernel_test::kInvertedMax;
      std::fill(expected.begin(), expected.end(), max);
    }

    std::vector<float> packed(f32_gemm_packed_size(k.nr, nc_, kc_));
    f32_gemm_pack_weights(k.nr, nc_, kc_, w.data(), no_bias_ ? nullptr : bias.data(),
                          packed.data());

    // C holds MR rows: rows >= mr and columns nc..c_stride of every row must stay sentinel.
    Guarded<float> c(k.mr * c_stride);
    k.fn(mr_, nc_, kc_, a.data(), a_stride, packed.data(), c.data(), c_stride, min, max);

    for (size_t i = 0; i < mr_; ++i) {
      SCOPED_TRACE("row " + std::to_string(i));
      const std::vector<float> row_expected(expected.begin() + i * nc_,
                                            expected.begin() + (i + 1) * nc_);
      ASSERT_TRUE(AllClose(c.data() + i * c_stride, row_expected, 0.0f, 0.0f));
    }
    for (size_t i = 0; i < k.mr; ++i) {
      for (size_t j = i < mr_ ? nc_ : 0; j < c_stride; ++j) {
        ASSERT_TRUE(IsSentinel(c[i * c_stride + j]))
            << "write outside the output at row " << i << " column " << j;
      }
    }
    ASSERT_TRUE(c.GuardsIntact());
  }

 private:
  size_t mr_, nc_, kc_;
  size_t a_stride_ = 0, c_stride_ = 0;  // 0: dense
  bool clamp_ = false, no_bias_ = false, inverted_ = false;
};

class KernelGemmUkernel : public ::testing::TestWithParam<UkernelInfo> {};

// 65, 129 and 200 span two, three and four k blocks (kGemmKBlock = 64), the last one partial.
const size_t kKcs[] = {1, 2, 3, 4, 15, 16, 17, 64, 65, 129, 200};

std::vector<size_t> Ncs(size_t nr) { return {1, 3, 4, 7, 8, 9, 15, 16, 17, 64, nr * 3 + 1}; }

TEST_P(KernelGemmUkernel, FullTile) {
  const UkernelInfo& k = GetParam();
  for (const size_t kc : kKcs) GemmCase(k.mr, k.nr, kc).Test(k);
}

TEST_P(KernelGemmUkernel, MrLessThanMR) {
  const UkernelInfo& k = GetParam();
  for (size_t mr = 1; mr < k.mr; ++mr) {
    for (const size_t kc : kKcs) GemmCase(mr, k.nr, kc).Test(k);
  }
}

TEST_P(KernelGemmUkernel, NcNotMultipleOfNr) {
  const UkernelInfo& k = GetParam();
  for (const size_t nc : Ncs(k.nr)) {
    if (nc % k.nr != 0) GemmCase(k.mr, nc, 16).Test(k);
  }
}

TEST_P(KernelGemmUkernel, NcMultipleOfNr) {
  const UkernelInfo& k = GetParam();
  for (size_t nc = k.nr; nc <= 4 * k.nr; nc += k.nr) GemmCase(k.mr, nc, 17).Test(k);
}

TEST_P(KernelGemmUkernel, KcTailsAndUnrolls) {
  const UkernelInfo& k = GetParam();
  for (size_t kc = 1; kc <= 20; ++kc) GemmCase(k.mr, k.nr, kc).Test(k);
}

// Each k block is summed from zero before it joins the total: 1 followed by 2 * kGemmKBlock - 1
// terms of 2^-24. A single running sum rounds every 1 + 2^-24 back to 1 and returns 1; in
// blocks, the first block's small terms are still lost to the 1, but the second block's
// kGemmKBlock of them add up exactly to kGemmKBlock * 2^-24 first.
TEST_P(KernelGemmUkernel, EachKBlockSumsFromZero) {
  const UkernelInfo& k = GetParam();
  const size_t kc = 2 * kGemmKBlock, nc = k.nr;
  const float tiny = std::ldexp(1.0f, -24);
  std::vector<float> a(k.mr * kc, 1.0f), w(nc * kc, tiny);
  for (size_t j = 0; j < nc; ++j) w[j * kc] = 1.0f;
  std::vector<float> packed(f32_gemm_packed_size(k.nr, nc, kc));
  f32_gemm_pack_weights(k.nr, nc, kc, w.data(), nullptr, packed.data());
  std::vector<float> c(k.mr * nc);
  k.fn(k.mr, nc, kc, a.data(), kc, packed.data(), c.data(), nc, -kInf, kInf);
  const float expected = 1.0f + static_cast<float>(kGemmKBlock) * tiny;
  for (const float y : c) ASSERT_EQ(y, expected);
}

TEST_P(KernelGemmUkernel, AStrideGreaterThanKc) {
  const UkernelInfo& k = GetParam();
  for (const size_t kc : kKcs) GemmCase(k.mr, k.nr + 1, kc).AStride(kc + 5).Test(k);
}

TEST_P(KernelGemmUkernel, CStrideGreaterThanNc) {
  const UkernelInfo& k = GetParam();
  for (const size_t nc : Ncs(k.nr)) GemmCase(k.mr, nc, 15).CStride(nc + 7).Test(k);
}

TEST_P(KernelGemmUkernel, ClampMinAndMax) {
  const UkernelInfo& k = GetParam();
  for (const size_t kc : kKcs) GemmCase(k.mr, 2 * k.nr + 3, kc).Clamp().Test(k);
}

TEST_P(KernelGemmUkernel, MinGreaterThanMaxGivesMaxEverywhere) {
  const UkernelInfo& k = GetParam();
  for (size_t mr = 1; mr <= k.mr; ++mr) GemmCase(mr, 2 * k.nr + 3, 17).InvertedBounds().Test(k);
}

TEST_P(KernelGemmUkernel, NullBiasPacksZeros) {
  const UkernelInfo& k = GetParam();
  GemmCase(k.mr, k.nr + 3, 16).NoBias().Test(k);
}

// Every mr x nc x kc of the lists above with strided A and C and an active clamp.
TEST_P(KernelGemmUkernel, SweepStridedClamped) {
  const UkernelInfo& k = GetParam();
  for (size_t mr = 1; mr <= k.mr; ++mr) {
    for (const size_t nc : Ncs(k.nr)) {
      for (const size_t kc : kKcs) {
        GemmCase(mr, nc, kc).AStride(kc + 3).CStride(nc + 5).Clamp().Test(k);
        if (HasFatalFailure()) return;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(, KernelGemmUkernel, ::testing::ValuesIn(kUkernels),
                         [](const ::testing::TestParamInfo<UkernelInfo>& info) {
                           // "f32_gemm_minmax_ukernel_4x8__wasmsimd_loadsplat" ->
                           // "4x8_wasmsimd_loadsplat"
                           std::string name = info.param.name;
                           name = name.substr(std::string("f32_gemm_minmax_ukernel_").size());
                           std::string out;
                           for (const char ch : name) {
                             if (ch != '_' || out.empty() || out.back() != '_') out += ch;
                           }
                           return out;
                         });

}  // namespace
}  // namespace litecnn
