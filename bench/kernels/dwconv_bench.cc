// Microbenchmark of every kernel in f32-dwconv-minmax.inc (on the MobileNetV2 depthwise shapes)
// and f32-conv-hwc-minmax.inc (on the first conv of MobileNetV2/V3). Prints the median GFLOP/s
// (2 FLOPs per multiply-add, process CPU time under Node) over several timed repetitions, after a warm-up long enough for V8
// to tier up (it swaps in optimized code only between calls).
//
//   export NODE_PATH=/usr/share/nodejs
//   em++ -std=c++17 -O3 -msimd128 -I src bench/kernels/dwconv_bench.cc \
//     src/kernels/f32-dwconv/*.cc src/kernels/f32-conv-hwc/*.cc \
//     -sALLOW_MEMORY_GROWTH=1 -sWASM_ASYNC_COMPILATION=0 -o /tmp/dw-bench.cjs
//   node /tmp/dw-bench.cjs [filter] [band]
// filter: substring of the kernel name ("-" for all); band: output rows per depthwise kernel
// call, as the op issues them (default 1, the op's row-at-a-time calls; 0 = whole image).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/f32-dwconv/f32-dwconv.h"

namespace litecnn {
namespace {

constexpr int kRepeats = 21;
constexpr double kMinRepeatSeconds = 0.02;
constexpr double kWarmupSeconds = 0.2;

#ifdef __EMSCRIPTEN__
// CPU time of the Node process (precise on Linux): unlike wall time it does not count the time
// slices other processes take on a shared machine.
EM_JS(double, Now, (), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
});
#else
double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
#endif

std::vector<float> Random(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

struct Rate {
  double median, best;
};

// Median and best GFLOP/s of `run`, which does `flops` FLOPs per call. The best is shown too
// because the shared 2-core machine is often busy: it is the closer estimate of an idle core.
Rate MedianGflops(const std::function<void()>& run, double flops) {
  const double warm_end = Now() + kWarmupSeconds;
  while (Now() < warm_end) run();
  std::vector<double> rates;
  for (int r = 0; r < kRepeats; ++r) {
    size_t iters = 0;
    const double start = Now();
    double elapsed = 0;
    do {
      run();
      ++iters;
      elapsed = Now() - start;
    } while (elapsed < kMinRepeatSeconds);
    rates.push_back(flops * static_cast<double>(iters) / elapsed * 1e-9);
  }
  std::sort(rates.begin(), rates.end());
  return {rates[rates.size() / 2], rates.back()};
}

struct DwKernel {
  const char* name;
  f32_dwconv_minmax_ukernel_fn fn;
  size_t kernel_h, kernel_w, stride, channel_tile;
};
const DwKernel kDwKernels[] = {
#define LITECNN_DWCONV_MINMAX_UKERNEL(fn, kh, kw, s, ct) {#fn, fn, kh, kw, s, ct},
#include "kernels/f32-dwconv/f32-dwconv-minmax.inc"
#undef LITECNN_DWCONV_MINMAX_UKERNEL
};

struct ConvHwcKernel {
  const char* name;
  f32_conv_hwc_minmax_ukernel_fn fn;
  size_t kernel_h, kernel_w, stride, in_c, oc_tile;
};
const ConvHwcKernel kConvHwcKernels[] = {
#define LITECNN_CONV_HWC_MINMAX_UKERNEL(fn, kh, kw, s, ic, oct) {#fn, fn, kh, kw, s, ic, oct},
#include "kernels/f32-conv-hwc/f32-conv-hwc-minmax.inc"
#undef LITECNN_CONV_HWC_MINMAX_UKERNEL
};

// MobileNetV2's depthwise layers (input size, channels, stride), pad = kernel / 2 all round.
struct DwShape {
  size_t hw, channels, stride;
};
const DwShape kDwShapes[] = {{112, 32, 1}, {112, 96, 2}, {56, 144, 1}, {56, 144, 2},
                             {28, 192, 1}, {28, 192, 2}, {14, 384, 1}, {14, 576, 1},
                             {14, 576, 2}, {7, 960, 1},  {112, 16, 1}, {28, 72, 2}};

void BenchDwconv(const char* filter, size_t band) {
  std::printf("%-40s %-14s %8s %8s  (band %zu)\n", "dwconv kernel", "input", "median", "best",
              band);
  for (const DwKernel& k : kDwKernels) {
    if (filter != nullptr && std::strstr(k.name, filter) == nullptr) continue;
    for (const DwShape& s : kDwShapes) {
      if (s.stride != k.stride) continue;
      DwconvGeometry g{};
      g.in_h = g.in_w = s.hw;
      g.channels = s.channels;
      g.pad_top = g.pad_left = k.kernel_h / 2;
      g.out_h = (s.hw + 2 * g.pad_top - k.kernel_h) / k.stride + 1;
      g.out_w = (s.hw + 2 * g.pad_left - k.kernel_w) / k.stride + 1;
      const std::vector<float> input = Random(s.hw * s.hw * s.channels, 1);
      const std::vector<float> w = Random(s.channels * k.kernel_h * k.kernel_w, 2);
      const std::vector<float> bias = Random(s.channels, 3);
      std::vector<float> packed(
          f32_dwconv_packed_size(k.channel_tile, k.kernel_h, k.kernel_w, s.channels));
      f32_dwconv_pack_weights(k.channel_tile, k.kernel_h, k.kernel_w, s.channels, w.data(),
                              bias.data(), packed.data());
      std::vector<float> out(g.out_h * g.out_w * s.channels);
      const double flops =
          2.0 * static_cast<double>(g.out_h * g.out_w * s.channels * k.kernel_h * k.kernel_w);
      const size_t rows = band == 0 ? g.out_h : band;
      const Rate gflops = MedianGflops(
          [&] {
            for (size_t y = 0; y < g.out_h; y += rows) {
              k.fn(g, input.data(), packed.data(), out.data(), y, std::min(y + rows, g.out_h), 0.0f,
                   6.0f);
            }
          },
          flops);
      char shape[32];
      std::snprintf(shape, sizeof(shape), "%zux%zux%zu s%zu", s.hw, s.hw, s.channels, s.stride);
      std::printf("%-40s %-14s %8.2f %8.2f\n", k.name, shape, gflops.median, gflops.best);
      std::fflush(stdout);
    }
  }
}

void BenchConvHwc(const char* filter) {
  // First conv on a 224x224x3 image, padding `pad` on every side (torch; TF SAME pads only
  // bottom/right, which costs the same): out_c as in MobileNetV2/V3 (32, 16), ShuffleNetV2 (24),
  // SqueezeNet 1.1 / 1.0 (64, 96).
  struct Shape {
    size_t out_c, pad;
  };
  const Shape shapes[] = {{32, 1}, {16, 1}, {24, 1}, {64, 0}, {96, 0}};
  std::printf("%-40s %-14s %8s %8s\n", "conv-hwc kernel", "224x224x3 to", "median", "best");
  for (const ConvHwcKernel& k : kConvHwcKernels) {
    if (filter != nullptr && std::strstr(k.name, filter) == nullptr) continue;
    for (const Shape& s : shapes) {
      ConvHwcGeometry g{};
      g.in_h = g.in_w = 224;
      g.in_c = k.in_c;
      g.out_c = s.out_c;
      g.out_h = g.out_w = (224 + 2 * s.pad - k.kernel_h) / k.stride + 1;
      g.pad_top = g.pad_left = s.pad;
      const std::vector<float> input = Random(224 * 224 * k.in_c, 1);
      const std::vector<float> w = Random(s.out_c * k.in_c * k.kernel_h * k.kernel_w, 2);
      const std::vector<float> bias = Random(s.out_c, 3);
      std::vector<float> packed(
          f32_conv_hwc_packed_size(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, s.out_c));
      f32_conv_hwc_pack_weights(k.oc_tile, k.kernel_h, k.kernel_w, k.in_c, s.out_c, w.data(),
                                bias.data(), packed.data());
      std::vector<float> out(g.out_h * g.out_w * s.out_c);
      const double flops =
          2.0 * static_cast<double>(g.out_h * g.out_w * s.out_c * k.in_c * k.kernel_h * k.kernel_w);
      const Rate gflops = MedianGflops(
          [&] {
            // One output row per call, as the op issues them.
            for (size_t oy = 0; oy < g.out_h; ++oy)
              k.fn(g, input.data(), packed.data(), out.data(), oy, oy + 1, 0.0f, 6.0f);
          },
          flops);
      char shape[32];
      std::snprintf(shape, sizeof(shape), "%zux%zux%zu p%zu", g.out_h, g.out_w, s.out_c, s.pad);
      std::printf("%-40s %-14s %8.2f %8.2f\n", k.name, shape, gflops.median, gflops.best);
      std::fflush(stdout);
    }
  }
}

}  // namespace
}  // namespace litecnn

int main(int argc, char** argv) {
  const char* filter = argc > 1 && std::strcmp(argv[1], "-") != 0 ? argv[1] : nullptr;
  const size_t band = argc > 2 ? static_cast<size_t>(std::atoi(argv[2])) : 1;
  litecnn::BenchDwconv(filter, band);
  litecnn::BenchConvHwc(filter);
  return 0;
}
