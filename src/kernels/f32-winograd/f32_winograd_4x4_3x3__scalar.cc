// Scalar Winograd F(4x4, 3x3) transforms: the reference for the SIMD kernels (same body, one
// channel at a time) and the kernels of builds without SIMD.
#include <algorithm>

#include "kernels/f32-winograd/f32-winograd-impl.h"
#include "kernels/f32-winograd/f32-winograd.h"

namespace litecnn {

void f32_winograd_4x4_3x3_input__scalar(size_t channels, const float* const* in, float* v,
                                        size_t v_stride) {
  winograd::Input<float>(channels, in, v, v_stride);
}

void f32_winograd_4x4_3x3_output_minmax__scalar(size_t channels, const float* m, size_t m_stride,
                                                const float* bias, float* y, size_t y_row_stride,
                                                size_t y_pixel_stride, size_t rows, size_t cols,
                                                float min, float max) {
  winograd::Output<float>(channels, m, m_stride, bias, y, y_row_stride, y_pixel_stride, rows, cols,
                          min, max);
}

// G = [1 0 0; -1/3 1/3 -1/3; 1/3 1/3 1/3; -16/15 -8/15 -4/15; 1/15 -2/15 4/15; 0 0 1] (the points
// of f32-winograd-impl.h), in double so that the transformed weights are the nearest floats to
// the exact ones.
void f32_winograd_4x4_3x3_pack_weights(size_t nr, size_t out_c, size_t in_c, const float* w,
                                       float* packed, size_t xi_stride) {
  static const double kG[6][3] = {{1, 0, 0},
                                  {-1.0 / 3, 1.0 / 3, -1.0 / 3},
                                  {1.0 / 3, 1.0 / 3, 1.0 / 3},
                                  {-16.0 / 15, -8.0 / 15, -4.0 / 15},
                                  {1.0 / 15, -2.0 / 15, 4.0 / 15},
                                  {0, 0, 1}};
  // Zero biases and zero columns past out_c in the last panel.
  std::fill(packed, packed + kWinogradPoints * xi_stride, 0.f);
  for (size_t o = 0; o < out_c; ++o) {
    // Weight (o, i) of every block sits at panel o / nr, after its nr biases, row i, lane o % nr.
    float* column = packed + o / nr * nr * (in_c + 1) + nr + o % nr;
    for (size_t i = 0; i < in_c; ++i) {
      const float* g = w + (o * in_c + i) * 9;
      double gg[6][3];  // G g
      for (size_t p = 0; p < 6; ++p) {
        for (size_t b = 0; b < 3; ++b) {
          gg[p][b] = kG[p][0] * g[b] + kG[p][1] * g[3 + b] + kG[p][2] * g[6 + b];
        }
      }
      for (size_t p = 0; p < 6; ++p) {
        for (size_t q = 0; q < 6; ++q) {
          const double x = gg[p][0] * kG[q][0] + gg[p][1] * kG[q][1] + gg[p][2] * kG[q][2];
          column[(p * 6 + q) * xi_stride + i * nr] = static_cast<float>(x);
        }
      }
    }
  }
}

}  // namespace litecnn
