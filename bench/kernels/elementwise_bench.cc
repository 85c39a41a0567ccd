// Elementwise, pooling and channel-shuffle kernel benchmark: every kernel in f32-vunary.inc,
// f32-vbinary.inc, f32-softmax.inc, f32-affine.inc, f32-pool.inc, x32-shuffle.inc and
// u8-rgba-resize.inc on a layer of the target nets (or, for the last, a camera frame). Prints the median over --reps timed runs (after a warm-up, so V8 has
// swapped in optimized code) as GB/s of compulsory traffic (input bytes read once + output bytes
// written once) and us/call.
//
// Build and run (wasm, Node 20):
//   em++ -std=c++17 -O3 -msimd128 -Wall -Wextra -Werror -I src bench/kernels/elementwise_bench.cc \
//     src/kernels/f32-vunary/*.cc src/kernels/f32-vbinary/*.cc src/kernels/f32-softmax/*.cc \
//     src/kernels/f32-affine/*.cc src/kernels/f32-pool/*.cc src/kernels/x32-shuffle/*.cc \
//     src/kernels/u8-rgba-resize/*.cc \
//     -sALLOW_MEMORY_GROWTH=1 -sWASM_ASYNC_COMPILATION=0 \
//     -o /tmp/ew-bench/b.cjs && node /tmp/ew-bench/b.cjs [--filter=substring] [--reps=7]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "kernels/f32-affine/f32-affine.h"
#include "kernels/f32-pool/f32-pool.h"
#include "kernels/f32-softmax/f32-softmax.h"
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vunary/f32-vunary.h"
#include "kernels/u8-rgba-resize/u8-rgba-resize.h"
#include "kernels/x32-shuffle/x32-shuffle.h"

namespace {

using namespace litecnn;  // NOLINT: kernel names only

template <typename Fn>
struct Listed {
  const char* name;
  Fn fn;
};

#define LITECNN_VCLAMP_UKERNEL(fn)
#define LITECNN_VHSWISH_UKERNEL(fn)
#define LITECNN_VHSIGMOID_UKERNEL(fn)
#define LITECNN_VSIGMOID_UKERNEL(fn)
#define LITECNN_VLRELU_UKERNEL(fn)
#define LITECNN_VELU_UKERNEL(fn)
#define LITECNN_VTANH_UKERNEL(fn)
#undef LITECNN_VCLAMP_UKERNEL
#define LITECNN_VCLAMP_UKERNEL(fn) Listed<f32_vclamp_ukernel_fn>{#fn, fn},
const Listed<f32_vclamp_ukernel_fn> kClamp[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VCLAMP_UKERNEL
#define LITECNN_VCLAMP_UKERNEL(fn)
#undef LITECNN_VHSWISH_UKERNEL
#define LITECNN_VHSWISH_UKERNEL(fn) Listed<f32_vhswish_ukernel_fn>{#fn, fn},
const Listed<f32_vhswish_ukernel_fn> kHSwish[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VHSWISH_UKERNEL
#define LITECNN_VHSWISH_UKERNEL(fn)
#undef LITECNN_VSIGMOID_UKERNEL
#define LITECNN_VSIGMOID_UKERNEL(fn) Listed<f32_vsigmoid_ukernel_fn>{#fn, fn},
const Listed<f32_vsigmoid_ukernel_fn> kSigmoid[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VSIGMOID_UKERNEL
#define LITECNN_VSIGMOID_UKERNEL(fn)
#undef LITECNN_VLRELU_UKERNEL
#define LITECNN_VLRELU_UKERNEL(fn) Listed<f32_vlrelu_ukernel_fn>{#fn, fn},
const Listed<f32_vlrelu_ukernel_fn> kLRelu[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VLRELU_UKERNEL
#define LITECNN_VLRELU_UKERNEL(fn)
#undef LITECNN_VELU_UKERNEL
#define LITECNN_VELU_UKERNEL(fn) Listed<f32_velu_ukernel_fn>{#fn, fn},
const Listed<f32_velu_ukernel_fn> kElu[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VELU_UKERNEL
#define LITECNN_VELU_UKERNEL(fn)
#undef LITECNN_VTANH_UKERNEL
#define LITECNN_VTANH_UKERNEL(fn) Listed<f32_vtanh_ukernel_fn>{#fn, fn},
const Listed<f32_vtanh_ukernel_fn> kTanh[] = {
#include "kernels/f32-vunary/f32-vunary.inc"
};
#undef LITECNN_VCLAMP_UKERNEL
#undef LITECNN_VHSWISH_UKERNEL
#undef LITECNN_VHSIGMOID_UKERNEL
#undef LITECNN_VSIGMOID_UKERNEL
#undef LITECNN_VLRELU_UKERNEL
#undef LITECNN_VELU_UKERNEL
#undef LITECNN_VTANH_UKERNEL

#define LITECNN_VADD_MINMAX_UKERNEL(fn) Listed<f32_vadd_minmax_ukernel_fn>{#fn, fn},
#define LITECNN_VMUL_UKERNEL(fn)
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn)
#define LITECNN_VADD_ROWVEC_UKERNEL(fn)
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn)
const Listed<f32_vadd_minmax_ukernel_fn> kAddMinMax[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VADD_MINMAX_UKERNEL
#define LITECNN_VADD_MINMAX_UKERNEL(fn)
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn) Listed<f32_vrowvec_ukernel_fn>{#fn, fn},
const Listed<f32_vrowvec_ukernel_fn> kMulRowVec[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#define LITECNN_VMUL_ROWVEC_UKERNEL(fn)
#undef LITECNN_VPRELU_ROWVEC_UKERNEL
#define LITECNN_VPRELU_ROWVEC_UKERNEL(fn) Listed<f32_vrowvec_ukernel_fn>{#fn, fn},
const Listed<f32_vrowvec_ukernel_fn> kPReluRowVec[] = {
#include "kernels/f32-vbinary/f32-vbinary.inc"
};
#undef LITECNN_VADD_MINMAX_UKERNEL
#undef LITECNN_VMUL_UKERNEL
#undef LITECNN_VMUL_ROWVEC_UKERNEL
#undef LITECNN_VADD_ROWVEC_UKERNEL
#undef LITECNN_VPRELU_ROWVEC_UKERNEL

#define LITECNN_SOFTMAX_UKERNEL(fn) Listed<f32_softmax_ukernel_fn>{#fn, fn},
const Listed<f32_softmax_ukernel_fn> kSoftmax[] = {
#include "kernels/f32-softmax/f32-softmax.inc"
};
#undef LITECNN_SOFTMAX_UKERNEL

#define LITECNN_CHANNEL_AFFINE_UKERNEL(fn) Listed<f32_channel_affine_ukernel_fn>{#fn, fn},
const Listed<f32_channel_affine_ukernel_fn> kAffine[] = {
#include "kernels/f32-affine/f32-affine.inc"
};
#undef LITECNN_CHANNEL_AFFINE_UKERNEL

#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn) Listed<f32_maxpool_nhwc_ukernel_fn>{#fn, fn},
#define LITECNN_AVGPOOL_NHWC_UKERNEL(fn)
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn)
const Listed<f32_maxpool_nhwc_ukernel_fn> kMaxPool[] = {
#include "kernels/f32-pool/f32-pool.inc"
};
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#define LITECNN_MAXPOOL_NHWC_UKERNEL(fn)
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL
#define LITECNN_GAVGPOOL_NHWC_UKERNEL(fn) Listed<f32_gavgpool_nhwc_ukernel_fn>{#fn, fn},
const Listed<f32_gavgpool_nhwc_ukernel_fn> kGlobalPool[] = {
#include "kernels/f32-pool/f32-pool.inc"
};
#undef LITECNN_MAXPOOL_NHWC_UKERNEL
#undef LITECNN_AVGPOOL_NHWC_UKERNEL
#undef LITECNN_GAVGPOOL_NHWC_UKERNEL

#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn) Listed<x32_channel_shuffle_ukernel_fn>{#fn, fn},
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn)
const Listed<x32_channel_shuffle_ukernel_fn> kShuffle[] = {
#include "kernels/x32-shuffle/x32-shuffle.inc"
};
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL
#define LITECNN_CHANNEL_SHUFFLE_UKERNEL(fn)
#define LITECNN_CONCAT2_SHUFFLE_UKERNEL(fn) Listed<x32_concat2_shuffle_ukernel_fn>{#fn, fn},
const Listed<x32_concat2_shuffle_ukernel_fn> kConcat2[] = {
#include "kernels/x32-shuffle/x32-shuffle.inc"
};
#undef LITECNN_CHANNEL_SHUFFLE_UKERNEL
#undef LITECNN_CONCAT2_SHUFFLE_UKERNEL

#define LITECNN_RGBA_BILINEAR_UKERNEL(fn) Listed<u8_rgba_to_f32_bilinear_ukernel_fn>{#fn, fn},
const Listed<u8_rgba_to_f32_bilinear_ukernel_fn> kRgbaBilinear[] = {
#include "kernels/u8-rgba-resize/u8-rgba-resize.inc"
};
#undef LITECNN_RGBA_BILINEAR_UKERNEL

double NowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string g_filter;
int g_reps = 7;

// Median time per call of `run` over g_reps runs of ~20 ms each, after a ~100 ms warm-up.
void Bench(const std::string& what, const char* kernel, double bytes,
           const std::function<void()>& run) {
  const std::string label = what + "  " + kernel;
  if (!g_filter.empty() && label.find(g_filter) == std::string::npos) return;
  size_t iters = 1;
  for (double t0 = NowMs(); NowMs() - t0 < 100.0;) {
    run();
    ++iters;
  }
  iters = std::max<size_t>(1, iters / 5);
  std::vector<double> us;
  for (int r = 0; r < g_reps; ++r) {
    const double t0 = NowMs();
    for (size_t i = 0; i < iters; ++i) run();
    us.push_back((NowMs() - t0) * 1e3 / static_cast<double>(iters));
  }
  std::sort(us.begin(), us.end());
  const double median = us[us.size() / 2];
  std::printf("%-44s %-34s %8.1f us  %6.2f GB/s\n", what.c_str(), kernel, median,
              bytes / (median * 1e3));
}

PoolGeometry Geometry(size_t c, size_t in, size_t out, size_t k, size_t s, size_t pad) {
  PoolGeometry g{};
  g.batch = 1;
  g.channels = c;
  g.in_h = g.in_w = in;
  g.out_h = g.out_w = out;
  g.kernel_h = g.kernel_w = k;
  g.stride_h = g.stride_w = s;
  g.dilation_h = g.dilation_w = 1;
  g.pad_top = g.pad_left = pad;
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--filter=", 9) == 0) g_filter = argv[i] + 9;
    if (std::strncmp(argv[i], "--reps=", 7) == 0) g_reps = std::atoi(argv[i] + 7);
  }
  std::vector<float> x(112 * 112 * 96), x2(x.size()), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(static_cast<int>(i % 97) - 48) / 8.0f;
    x2[i] = static_cast<float>(static_cast<int>(i % 89) - 44) / 8.0f;
  }
  const double f = sizeof(float);

  const size_t n_relu6 = 112 * 112 * 32;  // MobileNetV2 first conv output
  for (const auto& k : kClamp)
    Bench("relu6 112x112x32", k.name, 2 * f * n_relu6,
          [&] { k.fn(n_relu6, x.data(), y.data(), 0.0f, 6.0f); });
  const size_t n_hs = 112 * 112 * 16;  // MobileNetV3 first conv output
  for (const auto& k : kHSwish)
    Bench("hswish 112x112x16", k.name, 2 * f * n_hs, [&] { k.fn(n_hs, x.data(), y.data()); });
  const size_t n_sig = 56 * 56 * 24;  // SiLU-style gate on a mid-size layer
  for (const auto& k : kSigmoid)
    Bench("sigmoid 56x56x24", k.name, 2 * f * n_sig, [&] { k.fn(n_sig, x.data(), y.data()); });
  const size_t n_act = 56 * 56 * 64;  // a mid-size conv output (LeakyRelu / ELU / tanh nets)
  for (const auto& k : kLRelu)
    Bench("leakyrelu 56x56x64", k.name, 2 * f * n_act,
          [&] { k.fn(n_act, x.data(), y.data(), 0.1f); });
  for (const auto& k : kElu)
    Bench("elu 56x56x64", k.name, 2 * f * n_act,
          [&] { k.fn(n_act, x.data(), y.data(), 1.0f, 1.0f); });
  for (const auto& k : kTanh)
    Bench("tanh 56x56x64", k.name, 2 * f * n_act, [&] { k.fn(n_act, x.data(), y.data()); });
  for (const auto& k : kPReluRowVec)
    Bench("prelu per-channel 56x56x64", k.name, 2 * f * n_act,
          [&] { k.fn(56 * 56, 64, x.data(), x2.data(), y.data()); });
  const size_t n_res = 56 * 56 * 24;  // MobileNetV2 residual add
  for (const auto& k : kAddMinMax)
    Bench("residual add 56x56x24", k.name, 3 * f * n_res,
          [&] { k.fn(n_res, x.data(), x2.data(), y.data(), -INFINITY, INFINITY); });
  for (const auto& k : kMulRowVec)  // MobileNetV3 SE block 28x28x72
    Bench("SE gate mul 28x28x72", k.name, 2 * f * 28 * 28 * 72,
          [&] { k.fn(28 * 28, 72, x.data(), x2.data(), y.data()); });
  for (const auto& k : kSoftmax) {
    Bench("softmax 1000 classes", k.name, 2 * f * 1000,
          [&] { k.fn(1, 1000, 1, x.data(), y.data()); });
    // Per-pixel softmax over the channels of an NCHW map (a segmentation head's 21 classes).
    Bench("softmax 21 channels x 56x56", k.name, 2 * f * 21 * 56 * 56,
          [&] { k.fn(1, 21, 56 * 56, x.data(), y.data()); });
  }
  const std::vector<float> scale(x.begin(), x.begin() + 96), shift(x2.begin(), x2.begin() + 96);
  for (const auto& k : kAffine) {  // a BatchNorm left unfolded, after a 56x56x24 layer
    Bench("batchnorm nhwc 56x56x24", k.name, 2 * f * 56 * 56 * 24,
          [&] { k.fn(56 * 56, 24, 1, x.data(), scale.data(), shift.data(), y.data()); });
    Bench("batchnorm nchw 24x56x56", k.name, 2 * f * 56 * 56 * 24,
          [&] { k.fn(1, 24, 56 * 56, x.data(), scale.data(), shift.data(), y.data()); });
  }

  const PoolGeometry sq = Geometry(96, 111, 55, 3, 2, 0);  // SqueezeNet pool1 (ceil mode)
  const PoolGeometry sh = Geometry(24, 112, 56, 3, 2, 1);  // ShuffleNet maxpool
  for (const auto& k : kMaxPool) {
    Bench("maxpool sq 111x111x96 k3s2", k.name, f * (111 * 111 + 55 * 55) * 96,
          [&] { k.fn(sq, x.data(), y.data()); });
    Bench("maxpool shuffle 112x112x24 k3s2p1", k.name, f * (112 * 112 + 56 * 56) * 24,
          [&] { k.fn(sh, x.data(), y.data()); });
  }
  for (const auto& k : kGlobalPool)
    Bench("gavgpool 7x7x1280", k.name, f * (49 + 1) * 1280,
          [&] { k.fn(1, 49, 1280, x.data(), y.data()); });

  const uint32_t* xin = reinterpret_cast<const uint32_t*>(x.data());
  const uint32_t* xin2 = reinterpret_cast<const uint32_t*>(x2.data());
  uint32_t* yout = reinterpret_cast<uint32_t*>(y.data());
  for (const auto& k : kShuffle) {
    Bench("shuffle g2 28x28x116", k.name, 2 * f * 28 * 28 * 116,
          [&] { k.fn(28 * 28, 2, 58, xin, yout); });
    Bench("shuffle g3 28x28x240", k.name, 2 * f * 28 * 28 * 240,
          [&] { k.fn(28 * 28, 3, 80, xin, yout); });
  }
  for (const auto& k : kConcat2)
    Bench("concat2+shuffle 28x28 58+58", k.name, 2 * f * 28 * 28 * 116,
          [&] { k.fn(28 * 28, 58, xin + 58, 116, xin2, 58, yout, 116); });

  // A 640x480 camera frame to a 224x224 NCHW input: 224 row calls on tables built once.
  std::vector<uint8_t> frame(640 * 480 * 4);
  for (size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<uint8_t>(i * 7);
  std::vector<uint32_t> x_offsets(2 * 224);
  std::vector<float> x_weights(224);
  for (size_t i = 0; i < 224; ++i) {
    const double fx = std::max((i + 0.5) * 640 / 224 - 0.5, 0.0);
    x_offsets[2 * i] = 4 * static_cast<uint32_t>(fx);
    x_offsets[2 * i + 1] = x_offsets[2 * i] + 4;
    x_weights[i] = static_cast<float>(fx - std::floor(fx));
  }
  const RgbaToF32Params params = {{1 / 58.4f, 1 / 57.1f, 1 / 57.4f}, {-2.1f, -2.0f, -1.8f}};
  for (const auto& k : kRgbaBilinear) {
    Bench("rgba 640x480 -> 224x224 nchw", k.name, 640 * 480 * 4 + 3 * f * 224 * 224, [&] {
      for (size_t r = 0; r < 224; ++r) {
        const size_t y0 = r * 480 / 224;
        float* out[3] = {y.data() + r * 224, y.data() + (224 + r) * 224,
                         y.data() + (448 + r) * 224};
        k.fn(224, &frame[y0 * 2560], &frame[(y0 + 1) * 2560], 0.25f, x_offsets.data(),
             x_weights.data(), &params, out, 1);
      }
    });
  }
  return 0;
}
