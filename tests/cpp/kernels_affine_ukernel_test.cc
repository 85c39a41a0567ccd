// Every kernel listed in f32-affine.inc against the scalar reference f32_channel_affine__scalar,
// bit for bit: NHWC (inner = 1) and NCHW (inner > 1) views over channels 1, 3, 4, 15, 17, 64 and
// odd plane sizes, in place, special values, guards after the output. Native builds list only
// the scalar kernel; the wasm build, run under Node, compares the SIMD one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-affine/f32-affine.h"

namespace litecnn {
namespace {

using kernel_test::Guarded;
using kernel_test::UniformData;

using Listed = kernel_test::Listed<f32_channel_affine_ukernel_fn>;

const Listed kAffine[] = {
#define LITECNN_CHANNEL_AFFINE_UKERNEL(fn) Listed{#fn, fn},
#include "kernels/f32-affine/f32-affine.inc"
#undef LITECNN_CHANNEL_AFFINE_UKERNEL
};

const size_t kChannels[] = {1, 3, 4, 15, 17, 64};

class KernelChannelAffineUkernel : public ::testing::TestWithParam<Listed> {
 protected:
  // Out of place (guarded) and in place, both bit-identical to the reference.
  void Check(size_t outer, size_t channels, size_t inner, const std::vector<float>& x,
             const std::vector<float>& scale, const std::vector<float>& shift) {
    SCOPED_TRACE("outer=" + std::to_string(outer) + " channels=" + std::to_string(channels) +
                 " inner=" + std::to_string(inner));
    std::vector<float> ref(x.size());
    f32_channel_affine__scalar(outer, channels, inner, x.data(), scale.data(), shift.data(),
                               ref.data());
    Guarded<float> y(x.size());
    GetParam().fn(outer, channels, inner, x.data(), scale.data(), shift.data(), y.data());
    EXPECT_TRUE(y.GuardsIntact());
    EXPECT_EQ(0, std::memcmp(y.data(), ref.data(), ref.size() * sizeof(float)));
    Guarded<float> z(x.size());
    std::copy(x.begin(), x.end(), z.data());
    GetParam().fn(outer, channels, inner, z.data(), scale.data(), shift.data(), z.data());
    EXPECT_TRUE(z.GuardsIntact());
    EXPECT_EQ(0, std::memcmp(z.data(), ref.data(), ref.size() * sizeof(float))) << "in place";
  }

  void CheckRandom(size_t outer, size_t channels, size_t inner) {
    const uint32_t seed = static_cast<uint32_t>(outer * 1000 + channels * 10 + inner);
    Check(outer, channels, inner, UniformData(outer * channels * inner, seed, -4.0f, 4.0f),
          UniformData(channels, seed + 1, -2.0f, 2.0f),
          UniformData(channels, seed + 2, -1.0f, 1.0f));
  }
};

// NHWC: outer = pixels, each pixel's channel run against the scale and shift vectors (8- and
// 4-channel steps, 1-3 channel tails).
TEST_P(KernelChannelAffineUkernel, affine_nhwc_channels) {
  for (const size_t c : kChannels)
    for (const size_t pixels : {1u, 7u, 49u}) CheckRandom(pixels, c, 1);
}

// NCHW: each channel plane with its scale and shift splat; planes of 2..49 floats, odd ones
// ending in a 1-3 float tail.
TEST_P(KernelChannelAffineUkernel, affine_nchw_odd_plane_sizes) {
  for (const size_t c : kChannels)
    for (const size_t inner : {2u, 3u, 4u, 7u, 15u, 17u, 49u}) CheckRandom(2, c, inner);
}

// Infinities, NaN, signed zeros and FLT_MAX in x, scale and shift propagate exactly as in the
// reference (inf * 0 = NaN, overflow to inf).
TEST_P(KernelChannelAffineUkernel, affine_special_values_bit_identical) {
  const float kInf = std::numeric_limits<float>::infinity();
  const float specials[] = {kInf, -kInf, std::nanf(""), 0.0f, -0.0f, FLT_MAX, -FLT_MAX, 1e-30f};
  const size_t count = sizeof(specials) / sizeof(float);
  for (const size_t c : {3u, 17u})
    for (const size_t inner : {1u, 5u}) {
      const size_t outer = 3;
      std::vector<float> x(outer * c * inner), scale(c), shift(c);
      for (size_t k = 0; k < x.size(); ++k) x[k] = specials[k % count];
      for (size_t k = 0; k < c; ++k) {
        scale[k] = specials[(k * 3 + 1) % count];
        shift[k] = specials[(k * 5 + 2) % count];
      }
      Check(outer, c, inner, x, scale, shift);
    }
}

TEST_P(KernelChannelAffineUkernel, affine_empty_writes_nothing) {
  // scale and shift hold `channels` entries, as the contract says, even when nothing is
  // written (a kernel may read them before its inner loop; ASan caught a 1-float stand-in).
  const float dummy = 1.0f;
  const float params[3] = {1.0f, 1.0f, 1.0f};
  Guarded<float> y(0);
  GetParam().fn(0, 3, 1, &dummy, params, params, y.data());
  GetParam().fn(2, 0, 1, &dummy, params, params, y.data());
  GetParam().fn(2, 3, 0, &dummy, params, params, y.data());
  EXPECT_TRUE(y.AllSentinel());
}

INSTANTIATE_TEST_SUITE_P(, KernelChannelAffineUkernel, ::testing::ValuesIn(kAffine),
                         [](const ::testing::TestParamInfo<Listed>& i) {
                           return std::string(i.param.name);
                         });

}  // namespace
}  // namespace litecnn
