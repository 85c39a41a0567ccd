// Tests for the scalar reference N-d pad (constant / reflect / edge / wrap) against a naive
// per-element formulation (reflect via its 2(n-1) period, wrap via its n period).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/x32-pad/x32-pad.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;

constexpr uint32_t kValue = 0xabcdef01u;
constexpr PadMode kModes[] = {PadMode::kConstant, PadMode::kReflect, PadMode::kEdge,
                              PadMode::kWrap};

size_t Product(const std::vector<size_t>& dims) {
  size_t p = 1;
  for (size_t d : dims) p *= d;
  return p;
}

const char* ModeName(PadMode m) {
  return m == PadMode::kConstant  ? "constant"
         : m == PadMode::kReflect ? "reflect"
         : m == PadMode::kEdge    ? "edge"
                                  : "wrap";
}

// Input coordinate for signed position p = o - pre along an axis of length n, or -1 for
// constant padding.
ptrdiff_t NaiveSource(ptrdiff_t p, ptrdiff_t n, PadMode mode) {
  if (p >= 0 && p < n) return p;
  switch (mode) {
    case PadMode::kConstant:
      return -1;
    case PadMode::kEdge:
      return p < 0 ? 0 : n - 1;
    case PadMode::kReflect: {
      if (n == 1) return 0;
      const ptrdiff_t period = 2 * (n - 1);
      const ptrdiff_t m = ((p % period) + period) % period;
      return m < n ? m : period - m;
    }
    case PadMode::kWrap:
      return ((p % n) + n) % n;
  }
  return -1;
}

std::vector<uint32_t> NaivePad(const std::vector<size_t>& in_dims, const std::vector<size_t>& pre,
                               const std::vector<size_t>& post, PadMode mode,
                               const std::vector<uint32_t>& in) {
  const size_t rank = in_dims.size();
  std::vector<size_t> out_dims(rank);
  for (size_t k = 0; k < rank; ++k) out_dims[k] = in_dims[k] + pre[k] + post[k];
  std::vector<uint32_t> out(Product(out_dims));
  for (size_t flat = 0; flat < out.size(); ++flat) {
    size_t rest = flat, in_flat = 0, in_stride = 1;
    bool inside = true;
    for (size_t k = rank; k-- > 0;) {
      const ptrdiff_t o = static_cast<ptrdiff_t>(rest % out_dims[k]);
      rest /= out_dims[k];
      const ptrdiff_t src =
          NaiveSource(o - static_cast<ptrdiff_t>(pre[k]), static_cast<ptrdiff_t>(in_dims[k]), mode);
      if (src < 0) inside = false;
      in_flat += static_cast<size_t>(src < 0 ? 0 : src) * in_stride;
      in_stride *= in_dims[k];
    }
    out[flat] = inside ? in[in_flat] : kValue;
  }
  return out;
}

std::vector<uint32_t> RunPad(const std::vector<size_t>& in_dims, const std::vector<size_t>& pre,
                             const std::vector<size_t>& post, PadMode mode,
                             const std::vector<uint32_t>& in) {
  size_t out_size = 1;
  for (size_t k = 0; k < in_dims.size(); ++k) out_size *= in_dims[k] + pre[k] + post[k];
  Guarded<uint32_t> out(out_size);
  x32_pad__scalar(in_dims.size(), in_dims.data(), pre.data(), post.data(), mode, kValue, in.data(),
                  out.data());
  EXPECT_TRUE(out.GuardsIntact()) << ModeName(mode);
  return out.payload();
}

TEST(KernelPad, Rank1HandAllModes) {
  const std::vector<uint32_t> in = {1, 2, 3};
  EXPECT_EQ(RunPad({3}, {2}, {2}, PadMode::kConstant, in),
            (std::vector<uint32_t>{kValue, kValue, 1, 2, 3, kValue, kValue}));
  EXPECT_EQ(RunPad({3}, {2}, {2}, PadMode::kReflect, in),
            (std::vector<uint32_t>{3, 2, 1, 2, 3, 2, 1}));
  EXPECT_EQ(RunPad({3}, {2}, {2}, PadMode::kEdge, in),
            (std::vector<uint32_t>{1, 1, 1, 2, 3, 3, 3}));
  EXPECT_EQ(RunPad({3}, {2}, {2}, PadMode::kWrap, in),
            (std::vector<uint32_t>{2, 3, 1, 2, 3, 1, 2}));
}

// Wrap pads may exceed the axis: the input repeats.
TEST(KernelPad, Rank1WrapPastOnePeriod) {
  EXPECT_EQ(RunPad({3}, {4}, {5}, PadMode::kWrap, {1, 2, 3}),
            (std::vector<uint32_t>{3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2}));
}

TEST(KernelPad, Rank1AsymmetricPreOnlyPostOnly) {
  const std::vector<uint32_t> in = {1, 2, 3, 4};
  EXPECT_EQ(RunPad({4}, {3}, {0}, PadMode::kReflect, in),
            (std::vector<uint32_t>{4, 3, 2, 1, 2, 3, 4}));
  EXPECT_EQ(RunPad({4}, {0}, {2}, PadMode::kEdge, in), (std::vector<uint32_t>{1, 2, 3, 4, 4, 4}));
  EXPECT_EQ(RunPad({4}, {0}, {1}, PadMode::kConstant, in),
            (std::vector<uint32_t>{1, 2, 3, 4, kValue}));
}

// [[1,2,3],[4,5,6]] reflect-padded by 1 on every side.
TEST(KernelPad, Rank2HandReflect) {
  EXPECT_EQ(RunPad({2, 3}, {1, 1}, {1, 1}, PadMode::kReflect, {1, 2, 3, 4, 5, 6}),
            (std::vector<uint32_t>{5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2}));
}

// [[1,2],[3,4]] edge-padded one row on top, one column on the right.
TEST(KernelPad, Rank2HandEdge) {
  EXPECT_EQ(RunPad({2, 2}, {1, 0}, {0, 1}, PadMode::kEdge, {1, 2, 3, 4}),
            (std::vector<uint32_t>{1, 2, 2, 1, 2, 2, 3, 4, 4}));
}

// [[1,2],[3,4]] constant-padded: a whole padded row, then mixed rows.
TEST(KernelPad, Rank2HandConstant) {
  const uint32_t v = kValue;
  EXPECT_EQ(RunPad({2, 2}, {1, 1}, {0, 0}, PadMode::kConstant, {1, 2, 3, 4}),
            (std::vector<uint32_t>{v, v, v, v, 1, 2, v, 3, 4}));
}

// Random shapes and pads for rank 1..4 and every mode against the naive formulation.
TEST(KernelPad, Rank1To4AllModesMatchNaive) {
  std::mt19937 rng(1234);
  for (size_t rank = 1; rank <= 4; ++rank) {
    for (const PadMode mode : kModes) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<size_t> in_dims(rank), pre(rank), post(rank);
        for (size_t k = 0; k < rank; ++k) {
          in_dims[k] = 1 + rng() % 5;
          // Reflect needs pads < in_dim; the others may pad more than the input.
          const size_t limit = mode == PadMode::kReflect ? in_dims[k] : 4;
          pre[k] = rng() % limit;
          post[k] = rng() % limit;
        }
        std::vector<uint32_t> in(Product(in_dims));
        std::iota(in.begin(), in.end(), 100u);
        SCOPED_TRACE(std::string(ModeName(mode)) + " rank " + std::to_string(rank) + " trial " +
                     std::to_string(trial));
        EXPECT_EQ(RunPad(in_dims, pre, post, mode, in), NaivePad(in_dims, pre, post, mode, in));
      }
    }
  }
}

// Channel counts from the matrix on the inner axis, NHWC spatial padding (pad H and W only).
TEST(KernelPad, NhwcSpatialPadOverChannels) {
  for (const size_t c : {1u, 3u, 4u, 15u, 17u, 64u}) {
    SCOPED_TRACE("channels=" + std::to_string(c));
    const std::vector<size_t> dims = {2, 4, 3, c}, pre = {0, 1, 2, 0}, post = {0, 2, 1, 0};
    std::vector<uint32_t> in(Product(dims));
    std::iota(in.begin(), in.end(), 1u);
    for (const PadMode mode : kModes) {
      EXPECT_EQ(RunPad(dims, pre, post, mode, in), NaivePad(dims, pre, post, mode, in))
          << ModeName(mode);
    }
  }
}

TEST(KernelPad, ZeroPadsIsIdentity) {
  const std::vector<size_t> dims = {3, 1, 4}, zeros = {0, 0, 0};
  std::vector<uint32_t> in(12);
  std::iota(in.begin(), in.end(), 5u);
  for (const PadMode mode : kModes) {
    EXPECT_EQ(RunPad(dims, zeros, zeros, mode, in), in) << ModeName(mode);
  }
}

TEST(KernelPad, Rank0CopiesScalar) {
  const uint32_t in = 77;
  Guarded<uint32_t> out(1);
  x32_pad__scalar(0, nullptr, nullptr, nullptr, PadMode::kConstant, kValue, &in, out.data());
  EXPECT_EQ(out[0], 77u);
  EXPECT_TRUE(out.GuardsIntact());
}

// An empty input axis padded in constant mode gives an all-`value` output.
TEST(KernelPad, ConstantPadOfEmptyAxisFillsValue) {
  const uint32_t dummy = 0;
  const std::vector<size_t> dims = {2, 0}, pre = {0, 1}, post = {1, 2};
  Guarded<uint32_t> out(9);
  x32_pad__scalar(2, dims.data(), pre.data(), post.data(), PadMode::kConstant, kValue, &dummy,
                  out.data());
  EXPECT_EQ(out.payload(), std::vector<uint32_t>(9, kValue));
  EXPECT_TRUE(out.GuardsIntact());
}

TEST(KernelPad, ZeroSizedOutputWritesNothing) {
  const uint32_t dummy = 0;
  const std::vector<size_t> dims = {3, 0, 2}, pre = {1, 0, 1}, post = {1, 0, 1};
  for (const PadMode mode : kModes) {
    Guarded<uint32_t> out(0);
    x32_pad__scalar(3, dims.data(), pre.data(), post.data(), mode, kValue, &dummy, out.data());
    EXPECT_TRUE(out.AllSentinel()) << ModeName(mode);
  }
}

}  // namespace
}  // namespace litecnn
