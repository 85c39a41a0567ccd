// Shared body of the Winograd F(4x4, 3x3) transform kernels (contract: f32-winograd.h), written
// once over a lane type: `float` for the scalar kernels and the SIMD kernels' channel tails,
// v128_t (wasm_simd.h's Lanes specialisation) for four channels at a time. One body means one
// order of operations, so the scalar and SIMD kernels agree bit for bit.
// Each 2-D transform is the 1-D one applied along the tile's columns, then along its rows.
#pragma once

#include <cstddef>

#include "kernels/f32-winograd/f32-winograd.h"
#include "kernels/minmax.h"

namespace litecnn {
namespace winograd {

// Lanes<V>: Load(p), Store(p, v), Add, Sub, Mul(v, constant), MinMax (kernels/minmax.h), Splat.
template <class V>
struct Lanes;

template <>
struct Lanes<float> {
  static constexpr size_t kWidth = 1;
  static float Load(const float* p) { return *p; }
  static void Store(float* p, float v) { *p = v; }
  static float Splat(float v) { return v; }
  static float Add(float a, float b) { return a + b; }
  static float Sub(float a, float b) { return a - b; }
  static float Mul(float a, float k) { return a * k; }
  static float MinMax(float v, float min, float max) { return f32_minmax(v, min, max); }
};

// The interpolation points are 0, -1, 1, 1/2, -2 (and infinity), not Lavin & Gray's 0, +-1, +-2:
// with them the transforms' coefficients stay small (B^T's largest is 5/2, not 5), and a conv's
// float32 error is ~5x smaller (a simulated 128-channel 3x3 conv: 2.7e-6 of its largest output
// against 1.3e-5; direct summation 1.1e-6; Barabasz et al., "Error analysis and improving the
// accuracy of Winograd convolution for deep neural networks", 2020, found the same set).
//
// d (6 values, `stride` apart) -> B^T d into r (6 values, `stride` apart), where
//   B^T = [1 -3/2 -2 3/2 1 0; 0 1 -5/2 1/2 1 0; 0 -1 1/2 5/2 1 0; 0 -2 -1 2 1 0;
//          0 1/2 -1 -1/2 1 0; 0 1 -3/2 -2 3/2 1].
template <class V>
inline __attribute__((always_inline)) void InputTransform1D(const V* d, size_t ds, V* r,
                                                            size_t rs) {
  using L = Lanes<V>;
  const V d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds], d5 = d[5 * ds];
  const V e = L::Sub(d4, d2);  // d4 - d2
  const V f = L::Sub(d3, d1);  // d3 - d1
  r[0] = L::Add(L::Add(L::Sub(d0, d2), e), L::Mul(f, 1.5f));
  r[rs] = L::Add(L::Sub(L::Add(d4, d1), L::Mul(d2, 2.5f)), L::Mul(d3, 0.5f));
  r[2 * rs] = L::Add(L::Sub(L::Add(d4, L::Mul(d2, 0.5f)), d1), L::Mul(d3, 2.5f));
  r[3 * rs] = L::Add(e, L::Mul(f, 2.f));
  r[4 * rs] = L::Sub(e, L::Mul(f, 0.5f));
  r[5 * rs] = L::Add(L::Add(L::Sub(d1, d3), L::Sub(d5, d3)), L::Mul(L::Sub(d4, d2), 1.5f));
}

// m (6 values, `stride` apart) -> A^T m into o (4 values, `stride` apart), where
//   A^T = [1 1 1 1 1 0; 0 -1 1 1/2 -2 0; 0 1 1 1/4 4 0; 0 -1 1 1/8 -8 1].
template <class V>
inline __attribute__((always_inline)) void OutputTransform1D(const V* m, size_t ms, V* o,
                                                             size_t os) {
  using L = Lanes<V>;
  const V m3 = m[3 * ms], m4 = m[4 * ms];
  const V s12 = L::Add(m[ms], m[2 * ms]), d21 = L::Sub(m[2 * ms], m[ms]);
  o[0] = L::Add(L::Add(m[0], s12), L::Add(m3, m4));
  o[os] = L::Add(d21, L::Sub(L::Mul(m3, 0.5f), L::Mul(m4, 2.f)));
  o[2 * os] = L::Add(s12, L::Add(L::Mul(m3, 0.25f), L::Mul(m4, 4.f)));
  o[3 * os] = L::Add(L::Add(d21, L::Sub(L::Mul(m3, 0.125f), L::Mul(m4, 8.f))), m[5 * ms]);
}

// Channels [c, c + width) of one tile.
template <class V>
inline __attribute__((always_inline)) void InputTile(size_t c, const float* const* in, float* v,
                                                     size_t v_stride) {
  using L = Lanes<V>;
  V d[kWinogradPoints], t[kWinogradPoints];
  for (size_t i = 0; i < kWinogradPoints; ++i) d[i] = L::Load(in[i] + c);
  // Columns (along i), then rows (along j): v[p * 6 + q].
  for (size_t j = 0; j < kWinogradTile; ++j) InputTransform1D(d + j, kWinogradTile, t + j, 6);
  for (size_t p = 0; p < kWinogradTile; ++p) InputTransform1D(t + p * 6, 1, d + p * 6, 1);
  for (size_t i = 0; i < kWinogradPoints; ++i) L::Store(v + i * v_stride + c, d[i]);
}

template <class V>
inline __attribute__((always_inline)) void OutputTile(size_t c, const float* m, size_t m_stride,
                                                      const float* bias, float* y,
                                                      size_t y_row_stride, size_t y_pixel_stride,
                                                      size_t rows, size_t cols, V vmin, V vmax) {
  using L = Lanes<V>;
  V s[kWinogradPoints], t[6 * 4], o[16];
  for (size_t i = 0; i < kWinogradPoints; ++i) s[i] = L::Load(m + i * m_stride + c);
  // Along p (columns of the 6x6), then along q: o[r * 4 + s].
  for (size_t q = 0; q < kWinogradTile; ++q) OutputTransform1D(s + q, 6, t + q, 6);
  for (size_t r = 0; r < kWinogradOutTile; ++r) OutputTransform1D(t + r * 6, 1, o + r * 4, 1);
  const V vb = L::Load(bias + c);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t col = 0; col < cols; ++col) {
      const V out = L::MinMax(L::Add(o[r * 4 + col], vb), vmin, vmax);
      L::Store(y + r * y_row_stride + col * y_pixel_stride + c, out);
    }
  }
}

// Whole kernels: `Wide` tiles of Lanes<Wide>::kWidth channels, then single channels.
template <class Wide>
inline __attribute__((always_inline)) void Input(size_t channels, const float* const* in, float* v,
                                                 size_t v_stride) {
  size_t c = 0;
  for (; c + Lanes<Wide>::kWidth <= channels; c += Lanes<Wide>::kWidth) {
    InputTile<Wide>(c, in, v, v_stride);
  }
  for (; c < channels; ++c) InputTile<float>(c, in, v, v_stride);
}

template <class Wide>
inline __attribute__((always_inline)) void Output(size_t channels, const float* m, size_t m_stride,
                                                  const float* bias, float* y, size_t y_row_stride,
                                                  size_t y_pixel_stride, size_t rows, size_t cols,
                                                  float min, float max) {
  size_t c = 0;
  const Wide vmin = Lanes<Wide>::Splat(min), vmax = Lanes<Wide>::Splat(max);
  for (; c + Lanes<Wide>::kWidth <= channels; c += Lanes<Wide>::kWidth) {
    OutputTile<Wide>(c, m, m_stride, bias, y, y_row_stride, y_pixel_stride, rows, cols, vmin, vmax);
  }
  for (; c < channels; ++c) {
    OutputTile<float>(c, m, m_stride, bias, y, y_row_stride, y_pixel_stride, rows, cols, min, max);
  }
}

}  // namespace winograd
}  // namespace litecnn
