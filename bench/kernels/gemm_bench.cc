// GEMM microkernel benchmark: every kernel in f32-gemm-minmax.inc on the large pointwise convs
// of MobileNetV2 and SqueezeNet, driven the way the op drives them: one call per MR-row tile over
// all N columns (or, with --nblock=B, column blocks of B outer and row tiles inner). GFLOP/s
// count 2*M*K*N per GEMM. Every case is warmed up first (V8 swaps optimized code in only between
// calls), then --reps rounds time each case for ~--ms; rounds interleave the cases so that load
// from other processes spreads over all of them. Printed per case: the median by process CPU
// time (robust on a shared machine: it does not count other processes' time slices), and the
// median, min and max by wall time.
//
// Build and run (wasm, Node 20):
//   export NODE_PATH=/usr/share/nodejs; mkdir -p /tmp/gemm-bench
//   em++ -std=c++17 -O3 -msimd128 -Wall -Wextra -Werror -I src bench/kernels/gemm_bench.cc
//     src/kernels/f32-gemm/*.cc -sALLOW_MEMORY_GROWTH=1 -sWASM_ASYNC_COMPILATION=0
//     -o /tmp/gemm-bench/b.cjs  (one command)
//   node /tmp/gemm-bench/b.cjs [--filter=4x8] [--shape=mv2] [--reps=15] [--ms=5] [--nblock=64]
// It also builds natively (g++ -O2 -I src ...), timing the scalar kernels only.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <chrono>
#endif

#include "kernels/f32-gemm/f32-gemm-minmax.h"

namespace {

using litecnn::f32_gemm_minmax_ukernel_fn;

struct Ukernel {
  const char* name;
  f32_gemm_minmax_ukernel_fn fn;
  size_t mr;
  size_t nr;
};

const Ukernel kUkernels[] = {
#define LITECNN_GEMM_MINMAX_UKERNEL(fn, mr, nr) {#fn, litecnn::fn, mr, nr},
#include "kernels/f32-gemm/f32-gemm-minmax.inc"
#undef LITECNN_GEMM_MINMAX_UKERNEL
};

struct Shape {
  const char* name;
  size_t m, k, n;
};

// Fixed model set: the largest pointwise convs (by FLOPs or by shape class) of the target nets.
const Shape kShapes[] = {
    {"mv2 112x112 16->96", 12544, 16, 96},  {"mv2 56x56 24->144", 3136, 24, 144},
    {"mv2 56x56 144->24", 3136, 144, 24},   {"mv2 28x28 192->32", 784, 192, 32},
    {"mv2 14x14 384->64", 196, 384, 64},    {"mv2 7x7 960->320", 49, 960, 320},
    {"mv2 7x7 320->1280", 49, 320, 1280},   {"sq 55x55 64->16", 3025, 64, 16},
    {"sq 55x55 16->64", 3025, 16, 64},      {"sq 27x27 32->128", 729, 32, 128},
    {"sq 13x13 512->1000", 169, 512, 1000}, {"sh 7x7 464->1024", 49, 464, 1024},
    {"sh 28x28 116->116", 784, 116, 116},   {"sh 14x14 232->232", 196, 232, 232},
    {"sh 28x28 58->58", 784, 58, 58},
    // LRASPP's dilated last stage (MobileNetV3-Large at 1/16 of 320x320) and head.
    {"lr 20x20 960->160", 400, 960, 160},  {"lr 20x20 160->960", 400, 160, 960},
    {"lr 20x20 960->128", 400, 960, 128},  {"lr 40x40 240->40", 1600, 240, 40},
};

#ifdef __EMSCRIPTEN__
// CPU time of the whole Node process (precise on Linux): unlike wall time it does not count the
// slices other processes take on a shared machine.
EM_JS(double, CpuMs, (), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
});
#else
double CpuMs() { return 1e3 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
#endif

double NowMs() {
#ifdef __EMSCRIPTEN__
  return emscripten_get_now();
#else
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
#endif
}

// One full GEMM [M,K] x [K,N] through the microkernel, as the op would call it.
void RunGemm(const Ukernel& u, const Shape& s, size_t nblock, const float* a, const float* packed,
             float* c) {
  const size_t nb = nblock == 0 ? s.n : (nblock + u.nr - 1) / u.nr * u.nr;
  for (size_t n0 = 0; n0 < s.n; n0 += nb) {
    const size_t nc = std::min(nb, s.n - n0);
    // Packed weights for column block n0 start after n0/NR blocks of NR*(K+1) floats.
    const float* w = packed + n0 * (s.k + 1);
    for (size_t m0 = 0; m0 < s.m; m0 += u.mr) {
      u.fn(std::min(u.mr, s.m - m0), nc, s.k, a + m0 * s.k, s.k, w, c + m0 * s.n + n0, s.n, 0.0f,
           6.0f);
    }
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

}  // namespace

int main(int argc, char** argv) {
  std::string filter, shape_filter;
  int reps = 15;
  size_t nblock = 0;
  double ms = 5.0;  // length of one timed run
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--filter=", 0) == 0) filter = arg.substr(9);
    if (arg.rfind("--shape=", 0) == 0) shape_filter = arg.substr(8);
    if (arg.rfind("--reps=", 0) == 0) reps = std::max(1, std::atoi(arg.c_str() + 7));
    if (arg.rfind("--nblock=", 0) == 0) nblock = std::strtoul(arg.c_str() + 9, nullptr, 10);
    if (arg.rfind("--ms=", 0) == 0) ms = std::atof(arg.c_str() + 5);
  }

  // One case per (kernel, shape); A and C are shared by the kernels of a shape.
  struct Case {
    const Ukernel* u;
    const Shape* s;
    std::vector<float> packed;
    size_t iters = 1;
    std::vector<double> gflops;      // by wall time
    std::vector<double> cpu_gflops;  // by process CPU time
  };
  std::vector<std::vector<float>> as, cs;
  for (const Shape& s : kShapes) {
    as.emplace_back(s.m * s.k);
    for (size_t i = 0; i < as.back().size(); ++i) as.back()[i] = static_cast<float>(i % 13) * 0.01f;
    cs.emplace_back(s.m * s.n);
  }
  std::vector<Case> cases;
  for (const Ukernel& u : kUkernels) {
    if (!filter.empty() && std::string(u.name).find(filter) == std::string::npos) continue;
    for (const Shape& s : kShapes) {
      if (!shape_filter.empty() && std::string(s.name).find(shape_filter) == std::string::npos) {
        continue;
      }
      std::vector<float> w(s.n * s.k), bias(s.n, 0.01f);
      for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 7) * 0.01f - 0.03f;
      Case cs_;
      cs_.u = &u;
      cs_.s = &s;
      cs_.packed.resize(litecnn::f32_gemm_packed_size(u.nr, s.n, s.k));
      litecnn::f32_gemm_pack_weights(u.nr, s.n, s.k, w.data(), bias.data(), cs_.packed.data());
      cases.push_back(std::move(cs_));
    }
  }
  auto run = [&](const Case& c) {
    const size_t si = static_cast<size_t>(c.s - kShapes);
    RunGemm(*c.u, *c.s, nblock, as[si].data(), c.packed.data(), cs[si].data());
  };

  // Warm-up: V8 tiers a hot function up and swaps the optimized code in only at its next call,
  // so each case runs for a while; then its iteration count for one timed run is calibrated.
  for (Case& c : cases) {
    const double end = NowMs() + 100.0;
    while (NowMs() < end) run(c);
    const double t0 = NowMs();
    run(c);
    run(c);
    c.iters = std::max<size_t>(1, static_cast<size_t>(ms / std::max((NowMs() - t0) / 2, 1e-3)));
  }
  // Rounds interleave the cases so that load from other processes spreads over all of them.
  for (int r = 0; r < reps; ++r) {
    for (Case& c : cases) {
      const double start = NowMs(), cpu_start = CpuMs();
      for (size_t it = 0; it < c.iters; ++it) run(c);
      const double elapsed = NowMs() - start, cpu_elapsed = CpuMs() - cpu_start;
      const double flops = 2.0 * c.s->m * c.s->k * c.s->n * static_cast<double>(c.iters);
      c.gflops.push_back(flops / (elapsed * 1e6));
      c.cpu_gflops.push_back(flops / (std::max(cpu_elapsed, 1e-3) * 1e6));
    }
  }

  std::printf("# GFLOP/s over %d interleaved rounds of ~%.0f ms per case; nblock=%zu\n", reps, ms,
              nblock);
  std::printf("# cpu: median by process CPU time; wall: median, min and max by wall time\n");
  std::printf("%-50s %-22s %7s %7s %7s %7s\n", "kernel", "shape", "cpu", "wall", "min", "max");
  for (const Case& c : cases) {
    std::printf("%-50s %-22s %7.2f %7.2f %7.2f %7.2f\n", c.u->name, c.s->name, Median(c.cpu_gflops),
                Median(c.gflops), *std::min_element(c.gflops.begin(), c.gflops.end()),
                *std::max_element(c.gflops.begin(), c.gflops.end()));
  }
  return 0;
}
