// wasm SIMD channel shuffle. For groups 2, 3 and 4 each step loads channels j..j+3 of every
// group (one vector per group) and writes the 4 * groups outputs j * groups .. (j + 4) * groups
// as `groups` vectors, built with i32x4 shuffles (a 2x4, 3x4 or 4x4 transpose). Other group
// counts, and the last group_channels % 4 channels of every group, move one element at a time.
#include "kernels/isa.h"

#if LITECNN_HAVE_WASMSIMD
#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "kernels/x32-shuffle/x32-shuffle.h"

namespace litecnn {

namespace {

// Elements j0 <= j < group_channels of one pixel, one at a time.
inline void ShuffleTail(size_t groups, size_t group_channels, size_t j0, const uint32_t* in,
                        uint32_t* out) {
  for (size_t g = 0; g < groups; ++g) {
    for (size_t j = j0; j < group_channels; ++j) {
      out[j * groups + g] = in[g * group_channels + j];
    }
  }
}

// Returns the first channel index left for ShuffleTail.
inline size_t Shuffle2(size_t gc, const uint32_t* in, uint32_t* out) {
  size_t j = 0;
  for (; j + 4 <= gc; j += 4) {
    const v128_t va = wasm_v128_load(in + j);  // a0 a1 a2 a3
    const v128_t vb = wasm_v128_load(in + gc + j);
    uint32_t* o = out + 2 * j;
    wasm_v128_store(o, wasm_i32x4_shuffle(va, vb, 0, 4, 1, 5));      // a0 b0 a1 b1
    wasm_v128_store(o + 4, wasm_i32x4_shuffle(va, vb, 2, 6, 3, 7));  // a2 b2 a3 b3
  }
  return j;
}

inline size_t Shuffle3(size_t gc, const uint32_t* in, uint32_t* out) {
  size_t j = 0;
  for (; j + 4 <= gc; j += 4) {
    const v128_t va = wasm_v128_load(in + j);
    const v128_t vb = wasm_v128_load(in + gc + j);
    const v128_t vc = wasm_v128_load(in + 2 * gc + j);
    const v128_t ab_lo = wasm_i32x4_shuffle(va, vb, 0, 4, 1, 5);   // a0 b0 a1 b1
    const v128_t bc_mid = wasm_i32x4_shuffle(vb, vc, 1, 5, 2, 6);  // b1 c1 b2 c2
    const v128_t ab_hi = wasm_i32x4_shuffle(va, vb, 3, 7, 3, 7);   // a3 b3 a3 b3
    uint32_t* o = out + 3 * j;
    wasm_v128_store(o, wasm_i32x4_shuffle(ab_lo, vc, 0, 1, 4, 2));       // a0 b0 c0 a1
    wasm_v128_store(o + 4, wasm_i32x4_shuffle(bc_mid, va, 0, 1, 6, 2));  // b1 c1 a2 b2
    wasm_v128_store(o + 8, wasm_i32x4_shuffle(vc, ab_hi, 2, 4, 5, 3));   // c2 a3 b3 c3
  }
  return j;
}

inline size_t Shuffle4(size_t gc, const uint32_t* in, uint32_t* out) {
  size_t j = 0;
  for (; j + 4 <= gc; j += 4) {
    const v128_t va = wasm_v128_load(in + j);
    const v128_t vb = wasm_v128_load(in + gc + j);
    const v128_t vc = wasm_v128_load(in + 2 * gc + j);
    const v128_t vd = wasm_v128_load(in + 3 * gc + j);
    const v128_t ab_lo = wasm_i32x4_shuffle(va, vb, 0, 4, 1, 5);  // a0 b0 a1 b1
    const v128_t cd_lo = wasm_i32x4_shuffle(vc, vd, 0, 4, 1, 5);  // c0 d0 c1 d1
    const v128_t ab_hi = wasm_i32x4_shuffle(va, vb, 2, 6, 3, 7);  // a2 b2 a3 b3
    const v128_t cd_hi = wasm_i32x4_shuffle(vc, vd, 2, 6, 3, 7);  // c2 d2 c3 d3
    uint32_t* o = out + 4 * j;
    wasm_v128_store(o, wasm_i32x4_shuffle(ab_lo, cd_lo, 0, 1, 4, 5));
    wasm_v128_store(o + 4, wasm_i32x4_shuffle(ab_lo, cd_lo, 2, 3, 6, 7));
    wasm_v128_store(o + 8, wasm_i32x4_shuffle(ab_hi, cd_hi, 0, 1, 4, 5));
    wasm_v128_store(o + 12, wasm_i32x4_shuffle(ab_hi, cd_hi, 2, 3, 6, 7));
  }
  return j;
}

}  // namespace

void x32_channel_shuffle__wasmsimd(size_t pixels, size_t groups, size_t group_channels,
                                   const uint32_t* in, uint32_t* out) {
  const size_t channels = groups * group_channels;
  for (size_t p = 0; p < pixels; ++p, in += channels, out += channels) {
    size_t done = 0;
    switch (groups) {
      case 2:
        done = Shuffle2(group_channels, in, out);
        break;
      case 3:
        done = Shuffle3(group_channels, in, out);
        break;
      case 4:
        done = Shuffle4(group_channels, in, out);
        break;
      default:
        break;
    }
    ShuffleTail(groups, group_channels, done, in, out);
  }
}

}  // namespace litecnn

#endif  // LITECNN_HAVE_WASMSIMD
