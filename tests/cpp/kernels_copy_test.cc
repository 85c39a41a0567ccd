// Tests for the scalar reference strided copies (x32 / x64 gather, x32 strided-to-strided):
// transposes, NCHW <-> NHWC, reversed slices, concat pieces, rank 0, zero-sized dims.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/x32-copy/x32-copy.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;

template <typename T>
std::vector<T> IotaData(size_t n, T start) {
  std::vector<T> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

size_t Product(const std::vector<size_t>& dims) {
  size_t p = 1;
  for (size_t d : dims) p *= d;
  return p;
}

std::vector<ptrdiff_t> DenseStrides(const std::vector<size_t>& dims) {
  std::vector<ptrdiff_t> s(dims.size());
  ptrdiff_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    s[k] = stride;
    stride *= static_cast<ptrdiff_t>(dims[k]);
  }
  return s;
}

// Naive gather: unravel each flat output index by div/mod and dot with the input strides.
template <typename T>
std::vector<T> NaiveGather(const std::vector<size_t>& dims, const T* in,
                           const std::vector<ptrdiff_t>& strides) {
  std::vector<T> out(Product(dims));
  for (size_t flat = 0; flat < out.size(); ++flat) {
    size_t rest = flat;
    ptrdiff_t offset = 0;
    for (size_t k = dims.size(); k-- > 0;) {
      offset += static_cast<ptrdiff_t>(rest % dims[k]) * strides[k];
      rest /= dims[k];
    }
    out[flat] = in[offset];
  }
  return out;
}

// Permutes a dense tensor of dims `in_dims`: output axis k is input axis perm[k].
void PermuteDimsStrides(const std::vector<size_t>& in_dims, const std::vector<size_t>& perm,
                        std::vector<size_t>* out_dims, std::vector<ptrdiff_t>* strides) {
  const std::vector<ptrdiff_t> dense = DenseStrides(in_dims);
  out_dims->clear();
  strides->clear();
  for (size_t axis : perm) {
    out_dims->push_back(in_dims[axis]);
    strides->push_back(dense[axis]);
  }
}

// NCHW [1,2,2,3] holding 0..11 -> NHWC: out[h][w][c] = 6c + 3h + w.
TEST(KernelCopy, HandTransposeNchwToNhwc) {
  const std::vector<uint32_t> in = IotaData<uint32_t>(12, 0);
  const size_t dims[] = {1, 2, 3, 2};
  const ptrdiff_t strides[] = {12, 3, 1, 6};
  Guarded<uint32_t> out(12);
  x32_copy_strided__scalar(4, dims, in.data(), strides, out.data());
  EXPECT_EQ(out.payload(), (std::vector<uint32_t>{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelCopy, NchwToNhwcAndBackRoundTripsOverChannels) {
  for (const size_t c : {1u, 3u, 4u, 15u, 17u, 64u}) {
    SCOPED_TRACE("channels=" + std::to_string(c));
    const std::vector<size_t> nchw = {2, c, 5, 3};
    const std::vector<uint32_t> in = IotaData<uint32_t>(Product(nchw), 1000);
    std::vector<size_t> nhwc;
    std::vector<ptrdiff_t> to_nhwc;
    PermuteDimsStrides(nchw, {0, 2, 3, 1}, &nhwc, &to_nhwc);
    Guarded<uint32_t> mid(in.size());
    x32_copy_strided__scalar(4, nhwc.data(), in.data(), to_nhwc.data(), mid.data());
    EXPECT_EQ(mid.payload(), NaiveGather(nhwc, in.data(), to_nhwc));
    EXPECT_TRUE(mid.GuardsIntact());

    std::vector<size_t> back_dims;
    std::vector<ptrdiff_t> to_nchw;
    PermuteDimsStrides(nhwc, {0, 3, 1, 2}, &back_dims, &to_nchw);
    ASSERT_EQ(back_dims, nchw);
    Guarded<uint32_t> back(in.size());
    x32_copy_strided__scalar(4, back_dims.data(), mid.data(), to_nchw.data(), back.data());
    EXPECT_EQ(back.payload(), in);
    EXPECT_TRUE(back.GuardsIntact());
  }
}

// x[7:1:-1] of 0..9 -> 7 6 5 4 3 2.
TEST(KernelCopy, NegativeStrideReversedSlice1d) {
  const std::vector<uint32_t> in = IotaData<uint32_t>(10, 0);
  const size_t dims[] = {6};
  const ptrdiff_t strides[] = {-1};
  Guarded<uint32_t> out(6);
  x32_copy_strided__scalar(1, dims, in.data() + 7, strides, out.data());
  EXPECT_EQ(out.payload(), (std::vector<uint32_t>{7, 6, 5, 4, 3, 2}));
  EXPECT_TRUE(out.GuardsIntact());
}

// 4x5 matrix 0..19, x[::-2, ::-2]: rows 3,1 and columns 4,2,0.
TEST(KernelCopy, NegativeStrideStep2BothAxes) {
  const std::vector<uint32_t> in = IotaData<uint32_t>(20, 0);
  const size_t dims[] = {2, 3};
  const ptrdiff_t strides[] = {-10, -2};
  Guarded<uint32_t> out(6);
  x32_copy_strided__scalar(2, dims, in.data() + 19, strides, out.data());
  EXPECT_EQ(out.payload(), (std::vector<uint32_t>{19, 17, 15, 9, 7, 5}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelCopy, BroadcastStrideZeroRepeats) {
  const std::vector<uint32_t> in = {5, 6};
  const size_t dims[] = {3, 2};
  const ptrdiff_t strides[] = {0, 1};
  Guarded<uint32_t> out(6);
  x32_copy_strided__scalar(2, dims, in.data(), strides, out.data());
  EXPECT_EQ(out.payload(), (std::vector<uint32_t>{5, 6, 5, 6, 5, 6}));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelCopy, Rank0SingleElement) {
  const uint32_t in32 = 0xdeadbeefu;
  Guarded<uint32_t> out32(1);
  x32_copy_strided__scalar(0, nullptr, &in32, nullptr, out32.data());
  EXPECT_EQ(out32[0], in32);
  EXPECT_TRUE(out32.GuardsIntact());

  const uint64_t in64 = 0x0123456789abcdefull;
  Guarded<uint64_t> out64(1);
  x64_copy_strided__scalar(0, nullptr, &in64, nullptr, out64.data());
  EXPECT_EQ(out64[0], in64);
  EXPECT_TRUE(out64.GuardsIntact());

  Guarded<uint32_t> out_s(1);
  x32_copy_strided_to_strided__scalar(0, nullptr, &in32, nullptr, out_s.data(), nullptr);
  EXPECT_EQ(out_s[0], in32);
  EXPECT_TRUE(out_s.GuardsIntact());
}

// Full reversal of the axis order of a rank-8 tensor (max rank), against the naive gather.
TEST(KernelCopy, Rank8ReverseAxesTranspose) {
  const std::vector<size_t> in_dims = {2, 3, 1, 2, 3, 2, 1, 3};
  const std::vector<uint32_t> in = IotaData<uint32_t>(Product(in_dims), 7);
  std::vector<size_t> dims;
  std::vector<ptrdiff_t> strides;
  PermuteDimsStrides(in_dims, {7, 6, 5, 4, 3, 2, 1, 0}, &dims, &strides);
  Guarded<uint32_t> out(in.size());
  x32_copy_strided__scalar(8, dims.data(), in.data(), strides.data(), out.data());
  EXPECT_EQ(out.payload(), NaiveGather(dims, in.data(), strides));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelCopy, ZeroSizedDimsWriteNothing) {
  const uint32_t in32 = 1;
  const uint64_t in64 = 1;
  const ptrdiff_t strides[kMaxCopyRank] = {1, 1, 1, 1, 1, 1, 1, 1};
  const std::vector<std::vector<size_t>> shapes = {
      {0}, {0, 4}, {4, 0}, {2, 0, 3}, {1, 1, 1, 1, 1, 1, 1, 0}, {0, 1, 1, 1, 1, 1, 1, 1}};
  for (const auto& dims : shapes) {
    Guarded<uint32_t> out32(0);
    x32_copy_strided__scalar(dims.size(), dims.data(), &in32, strides, out32.data());
    EXPECT_TRUE(out32.AllSentinel()) << "x32 rank " << dims.size();
    Guarded<uint64_t> out64(0);
    x64_copy_strided__scalar(dims.size(), dims.data(), &in64, strides, out64.data());
    EXPECT_TRUE(out64.AllSentinel()) << "x64 rank " << dims.size();
    Guarded<uint32_t> out_s(0);
    x32_copy_strided_to_strided__scalar(dims.size(), dims.data(), &in32, strides, out_s.data(),
                                        strides);
    EXPECT_TRUE(out_s.AllSentinel()) << "to_strided rank " << dims.size();
  }
}

// 64-bit elements keep all bits: transpose a 3x4 matrix of values above 2^32.
TEST(KernelCopy, X64TransposeKeepsHighBits) {
  std::vector<uint64_t> in(12);
  for (size_t i = 0; i < 12; ++i) in[i] = (uint64_t{0xabcd} << 40) + (uint64_t{i} << 32) + i;
  const std::vector<size_t> dims = {4, 3};
  const std::vector<ptrdiff_t> strides = {1, 4};
  Guarded<uint64_t> out(12);
  x64_copy_strided__scalar(2, dims.data(), in.data(), strides.data(), out.data());
  EXPECT_EQ(out.payload(), NaiveGather(dims, in.data(), strides));
  EXPECT_EQ(out[1], in[4]);
  EXPECT_EQ(out[3], in[1]);
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelCopy, X64NegativeStride) {
  const std::vector<uint64_t> in = {1, 2, 3, 0xffffffffffffffffull};
  const size_t dims[] = {4};
  const ptrdiff_t strides[] = {-1};
  Guarded<uint64_t> out(4);
  x64_copy_strided__scalar(1, dims, in.data() + 3, strides, out.data());
  EXPECT_EQ(out.payload(), (std::vector<uint64_t>{0xffffffffffffffffull, 3, 2, 1}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Concat along axis 1: [2,3] (values 1..6) and [2,2] (values 10..13) into [2,5].
TEST(KernelCopy, StridedToStridedConcatAxis1) {
  const std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6}, b = {10, 11, 12, 13};
  const size_t a_dims[] = {2, 3}, b_dims[] = {2, 2};
  const ptrdiff_t a_in[] = {3, 1}, b_in[] = {2, 1}, out_strides[] = {5, 1};
  Guarded<uint32_t> out(10);
  x32_copy_strided_to_strided__scalar(2, a_dims, a.data(), a_in, out.data(), out_strides);
  x32_copy_strided_to_strided__scalar(2, b_dims, b.data(), b_in, out.data() + 3, out_strides);
  EXPECT_EQ(out.payload(), (std::vector<uint32_t>{1, 2, 3, 10, 11, 4, 5, 6, 12, 13}));
  EXPECT_TRUE(out.GuardsIntact());
}

// Writing with output stride 2 leaves the gaps untouched; a negative output stride reverses.
TEST(KernelCopy, StridedToStridedLeavesGapsAndReverses) {
  const std::vector<uint32_t> in = {1, 2, 3};
  const size_t dims[] = {3};
  const ptrdiff_t in_strides[] = {1}, out_gap[] = {2}, out_rev[] = {-1};
  Guarded<uint32_t> gap(5);
  x32_copy_strided_to_strided__scalar(1, dims, in.data(), in_strides, gap.data(), out_gap);
  EXPECT_EQ(gap[0], 1u);
  EXPECT_EQ(gap[2], 2u);
  EXPECT_EQ(gap[4], 3u);
  EXPECT_TRUE(kernel_test::IsSentinel(gap[1]));
  EXPECT_TRUE(kernel_test::IsSentinel(gap[3]));
  EXPECT_TRUE(gap.GuardsIntact());

  Guarded<uint32_t> rev(3);
  x32_copy_strided_to_strided__scalar(1, dims, in.data(), in_strides, rev.data() + 2, out_rev);
  EXPECT_EQ(rev.payload(), (std::vector<uint32_t>{3, 2, 1}));
  EXPECT_TRUE(rev.GuardsIntact());
}

// Strided-to-strided with dense output strides equals the plain gather (NCHW -> NHWC).
TEST(KernelCopy, StridedToStridedDenseEqualsGather) {
  const std::vector<size_t> nchw = {2, 17, 3, 5};
  const std::vector<uint32_t> in = IotaData<uint32_t>(Product(nchw), 0);
  std::vector<size_t> nhwc;
  std::vector<ptrdiff_t> strides;
  PermuteDimsStrides(nchw, {0, 2, 3, 1}, &nhwc, &strides);
  const std::vector<ptrdiff_t> dense = DenseStrides(nhwc);
  Guarded<uint32_t> out(in.size());
  x32_copy_strided_to_strided__scalar(4, nhwc.data(), in.data(), strides.data(), out.data(),
                                      dense.data());
  EXPECT_EQ(out.payload(), NaiveGather(nhwc, in.data(), strides));
  EXPECT_TRUE(out.GuardsIntact());
}

}  // namespace
}  // namespace litecnn
