// Every Winograd F(4x4, 3x3) transform listed in f32-winograd.inc against double-precision
// references over channels 1, 3, 4, 15, 17, 64: the input transform B^T d B (with padding
// pointers), the output transform A^T m A + bias (partial tiles, clamping, strided output with
// guards and untouched gaps), the weight transform G g G^T, and the three together reproducing a
// direct 3x3 convolution of a 6x6 tile. The transforms' coefficients are small integers, so on
// dyadic data the input and output transforms are exact and every listed kernel must match the
// reference bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "kernel_test_util.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/f32-winograd/f32-winograd.h"

namespace litecnn {
namespace {

using kernel_test::AllClose;
using kernel_test::DyadicData;
using kernel_test::Guarded;
using kernel_test::IsSentinel;
using kernel_test::UniformData;

using ListedInput = kernel_test::Listed<f32_winograd_input_ukernel_fn>;
using ListedOutput = kernel_test::Listed<f32_winograd_output_ukernel_fn>;

const ListedInput kInputKernels[] = {
#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn) {#fn, fn},
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn)
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL
};
const ListedOutput kOutputKernels[] = {
#define LITECNN_WINOGRAD_INPUT_UKERNEL(fn)
#define LITECNN_WINOGRAD_OUTPUT_UKERNEL(fn) {#fn, fn},
#include "kernels/f32-winograd/f32-winograd.inc"
#undef LITECNN_WINOGRAD_INPUT_UKERNEL
#undef LITECNN_WINOGRAD_OUTPUT_UKERNEL
};

const size_t kChannels[] = {1, 3, 4, 15, 17, 64};
constexpr float kInf = std::numeric_limits<float>::infinity();

// The transforms of f32-winograd-impl.h (points 0, -1, 1, 1/2, -2, infinity), written out here
// independently of the kernels' factored form.
const double kBT[6][6] = {{1, -1.5, -2, 1.5, 1, 0}, {0, 1, -2.5, 0.5, 1, 0},
                          {0, -1, 0.5, 2.5, 1, 0},  {0, -2, -1, 2, 1, 0},
                          {0, 0.5, -1, -0.5, 1, 0}, {0, 1, -1.5, -2, 1.5, 1}};
const double kAT[4][6] = {
    {1, 1, 1, 1, 1, 0}, {0, -1, 1, 0.5, -2, 0}, {0, 1, 1, 0.25, 4, 0}, {0, -1, 1, 0.125, -8, 1}};
const double kG[6][3] = {{1, 0, 0},
                         {-1.0 / 3, 1.0 / 3, -1.0 / 3},
                         {1.0 / 3, 1.0 / 3, 1.0 / 3},
                         {-16.0 / 15, -8.0 / 15, -4.0 / 15},
                         {1.0 / 15, -2.0 / 15, 4.0 / 15},
                         {0, 0, 1}};

// L d R^T for an L of rows x 6 (or x 3) applied on both sides of a square d.
template <size_t R, size_t C>
std::vector<double> Sandwich(const double (&l)[R][C], const std::vector<double>& d) {
  std::vector<double> ld(R * C, 0.0), out(R * R, 0.0);
  for (size_t p = 0; p < R; ++p)
    for (size_t j = 0; j < C; ++j)
      for (size_t i = 0; i < C; ++i) ld[p * C + j] += l[p][i] * d[i * C + j];
  for (size_t p = 0; p < R; ++p)
    for (size_t q = 0; q < R; ++q)
      for (size_t j = 0; j < C; ++j) out[p * R + q] += ld[p * C + j] * l[q][j];
  return out;
}

// 36 input pixels of `channels` floats; the first row and column of the tile are padding (the
// zeros pointer), as for a tile at an image's top-left corner.
struct InputTile {
  std::vector<float> pixels, zeros;
  const float* ptrs[36];
  InputTile(size_t channels, uint32_t seed)
      : pixels(DyadicData(36 * channels, seed)), zeros(channels, 0.f) {
    for (size_t i = 0; i < 36; ++i) {
      ptrs[i] = (i < 6 || i % 6 == 0) ? zeros.data() : pixels.data() + i * channels;
    }
  }
  std::vector<double> Channel(size_t c) const {
    std::vector<double> d(36);
    for (size_t i = 0; i < 36; ++i) d[i] = ptrs[i][c];
    return d;
  }
};

class WinogradInput : public ::testing::TestWithParam<std::tuple<ListedInput, size_t>> {};

TEST_P(WinogradInput, exact_with_padding_and_strided_rows) {
  const auto& [k, channels] = GetParam();
  const InputTile tile(channels, 1 + static_cast<uint32_t>(channels));
  const size_t v_stride = channels + 3;  // gaps between the 36 rows must stay untouched
  Guarded<float> v(35 * v_stride + channels);
  k.fn(channels, tile.ptrs, v.data(), v_stride);
  ASSERT_TRUE(v.GuardsIntact());
  for (size_t c = 0; c < channels; ++c) {
    const std::vector<double> want = Sandwich(kBT, tile.Channel(c));
    for (size_t xi = 0; xi < 36; ++xi) {
      ASSERT_EQ(v[xi * v_stride + c], static_cast<float>(want[xi])) << "xi " << xi << " c " << c;
    }
  }
  for (size_t xi = 0; xi < 35; ++xi) {
    for (size_t c = channels; c < v_stride; ++c) ASSERT_TRUE(IsSentinel(v[xi * v_stride + c]));
  }
}

INSTANTIATE_TEST_SUITE_P(EdgeChannels, WinogradInput,
                         ::testing::Combine(::testing::ValuesIn(kInputKernels),
                                            ::testing::ValuesIn(kChannels)),
                         [](const ::testing::TestParamInfo<WinogradInput::ParamType>& info) {
                           return std::string(std::get<0>(info.param).name) + "_c" +
                                  std::to_string(std::get<1>(info.param));
                         });

class WinogradOutput : public ::testing::TestWithParam<std::tuple<ListedOutput, size_t>> {};

// Writes a rows x cols tile into a strided output and checks every element: the tile's values,
// sentinels everywhere else.
::testing::AssertionResult CheckOutput(const ListedOutput& k, size_t channels, size_t rows,
                                       size_t cols, float min, float max) {
  const size_t m_stride = channels + 1;
  const std::vector<float> m = DyadicData(36 * m_stride, 7 + static_cast<uint32_t>(channels));
  const std::vector<float> bias = DyadicData(channels, 9);
  const size_t pixel_stride = channels + 2, row_stride = 4 * pixel_stride + 3;
  Guarded<float> y(3 * row_stride + 4 * pixel_stride);
  k.fn(channels, m.data(), m_stride, bias.data(), y.data(), row_stride, pixel_stride, rows, cols,
       min, max);
  if (auto r = y.GuardsIntact(); !r) return r;
  std::vector<float> want(y.size(), kernel_test::Sentinel<float>());
  for (size_t c = 0; c < channels; ++c) {
    std::vector<double> mc(36);
    for (size_t xi = 0; xi < 36; ++xi) mc[xi] = m[xi * m_stride + c];
    // A^T m A: as Sandwich with the 4 x 6 A^T.
    std::vector<double> am(4 * 6, 0.0);
    for (size_t r = 0; r < 4; ++r)
      for (size_t j = 0; j < 6; ++j)
        for (size_t i = 0; i < 6; ++i) am[r * 6 + j] += kAT[r][i] * mc[i * 6 + j];
    for (size_t r = 0; r < rows; ++r) {
      for (size_t s = 0; s < cols; ++s) {
        double o = bias[c];
        for (size_t j = 0; j < 6; ++j) o += am[r * 6 + j] * kAT[s][j];
        want[r * row_stride + s * pixel_stride + c] =
            std::min(std::max(static_cast<float>(o), min), max);
      }
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    const bool sentinel_wanted = IsSentinel(want[i]);
    if (sentinel_wanted != IsSentinel(y[i]) || (!sentinel_wanted && y[i] != want[i])) {
      return ::testing::AssertionFailure() << "element " << i << ": " << y[i] << " vs "
                                           << (sentinel_wanted ? "untouched" : "") << want[i];
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_P(WinogradOutput, full_and_partial_tiles) {
  const auto& [k, channels] = GetParam();
  for (const auto& [rows, cols] :
       {std::pair<size_t, size_t>{4, 4}, {4, 3}, {3, 4}, {2, 1}, {1, 1}}) {
    EXPECT_TRUE(CheckOutput(k, channels, rows, cols, -kInf, kInf)) << rows << "x" << cols;
  }
}

TEST_P(WinogradOutput, clamps_to_min_and_max) {
  const auto& [k, channels] = GetParam();
  EXPECT_TRUE(CheckOutput(k, channels, 4, 4, 0.f, 6.f));
  EXPECT_TRUE(CheckOutput(k, channels, 3, 2, -0.5f, 0.75f));
}

// ONNX Clip with min > max: every element of the tile is max.
TEST_P(WinogradOutput, min_greater_than_max_gives_max_everywhere) {
  const auto& [k, channels] = GetParam();
  EXPECT_TRUE(CheckOutput(k, channels, 4, 3, kernel_test::kInvertedMin, kernel_test::kInvertedMax));
  const size_t m_stride = channels;
  const std::vector<float> m = DyadicData(36 * m_stride, 5), bias = DyadicData(channels, 6);
  Guarded<float> y(16 * channels);
  k.fn(channels, m.data(), m_stride, bias.data(), y.data(), 4 * channels, channels, 4, 4,
       kernel_test::kInvertedMin, kernel_test::kInvertedMax);
  EXPECT_TRUE(kernel_test::AllEqualTo(y.data(), y.size(), kernel_test::kInvertedMax));
  EXPECT_TRUE(y.GuardsIntact());
}

INSTANTIATE_TEST_SUITE_P(EdgeChannels, WinogradOutput,
                         ::testing::Combine(::testing::ValuesIn(kOutputKernels),
                                            ::testing::ValuesIn(kChannels)),
                         [](const ::testing::TestParamInfo<WinogradOutput::ParamType>& info) {
                           return std::string(std::get<0>(info.param).name) + "_c" +
                                  std::to_string(std::get<1>(info.param));
                         });

// Packed in place: every block in f32_gemm_pack_weights's layout (checked against it on the
// transformed weights), for NR 4, 8 and 16 and output counts that leave a partial last panel.
TEST(WinogradWeights, packs_g_g_gt_in_double_as_gemm_blocks) {
  for (size_t nr : {4, 8, 16}) {
    for (const auto& [out_c, in_c] : {std::pair<size_t, size_t>{3, 5}, {17, 4}, {16, 1}}) {
      const std::vector<float> w = UniformData(out_c * in_c * 9, 11, -1.f, 1.f);
      const size_t block = f32_gemm_packed_size(nr, out_c, in_c);
      Guarded<float> packed(36 * block);
      f32_winograd_4x4_3x3_pack_weights(nr, out_c, in_c, w.data(), packed.data(), block);
      ASSERT_TRUE(packed.GuardsIntact());
      for (size_t xi = 0; xi < 36; ++xi) {
        std::vector<float> u(out_c * in_c);  // [out_c][in_c] of point xi
        for (size_t o = 0; o < out_c; ++o) {
          for (size_t i = 0; i < in_c; ++i) {
            const std::vector<double> g(w.begin() + (o * in_c + i) * 9,
                                        w.begin() + (o * in_c + i + 1) * 9);
            u[o * in_c + i] = static_cast<float>(Sandwich(kG, g)[xi]);
          }
        }
        std::vector<float> want(block);
        f32_gemm_pack_weights(nr, out_c, in_c, u.data(), nullptr, want.data());
        for (size_t k = 0; k < block; ++k) {
          ASSERT_EQ(packed[xi * block + k], want[k]) << "nr " << nr << " xi " << xi << " at " << k;
        }
      }
    }
  }
}

// Input transform, elementwise product with the transformed filter, output transform: the
// 4x4 outputs of a 3x3 correlation over the 6x6 tile, for every listed pair of kernels.
TEST(WinogradPipeline, reproduces_direct_3x3_convolution_of_a_tile) {
  for (const ListedInput& in_k : kInputKernels) {
    for (const ListedOutput& out_k : kOutputKernels) {
      const size_t channels = 17;  // independent single-channel convolutions side by side
      const std::vector<float> d = UniformData(36 * channels, 3, -1.f, 1.f);
      const std::vector<float> g = UniformData(9 * channels, 4, -1.f, 1.f);
      const std::vector<float> bias = UniformData(channels, 5, -1.f, 1.f);
      const float* ptrs[36];
      for (size_t i = 0; i < 36; ++i) ptrs[i] = d.data() + i * channels;
      std::vector<float> v(36 * channels), m(36 * channels), y(16 * channels);
      in_k.fn(channels, ptrs, v.data(), channels);
      for (size_t c = 0; c < channels; ++c) {
        // One output and one input channel, NR 1: each block is {bias 0, u[xi]}.
        std::vector<float> u(36 * 2);
        f32_winograd_4x4_3x3_pack_weights(1, 1, 1, g.data() + 9 * c, u.data(), 2);
        for (size_t xi = 0; xi < 36; ++xi) {
          m[xi * channels + c] = u[xi * 2 + 1] * v[xi * channels + c];
        }
      }
      out_k.fn(channels, m.data(), channels, bias.data(), y.data(), 4 * channels, channels, 4, 4,
               -kInf, kInf);
      std::vector<float> want(16 * channels);
      for (size_t r = 0; r < 4; ++r)
        for (size_t s = 0; s < 4; ++s)
          for (size_t c = 0; c < channels; ++c) {
            double acc = bias[c];
            for (size_t ky = 0; ky < 3; ++ky)
              for (size_t kx = 0; kx < 3; ++kx)
                acc += static_cast<double>(d[((r + ky) * 6 + s + kx) * channels + c]) *
                       g[9 * c + ky * 3 + kx];
            want[(r * 4 + s) * channels + c] = static_cast<float>(acc);
          }
      EXPECT_TRUE(AllClose(y.data(), want, 1e-5f, 1e-5f)) << in_k.name << " + " << out_k.name;
    }
  }
}

}  // namespace
}  // namespace litecnn
