// Shared helpers for the kernel tests (tests/cpp/kernels_*_test.cc): guarded output buffers,
// deterministic random data, and float comparison.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace litecnn {
namespace kernel_test {

// One entry of a kernel list (*.inc): the function's name (for test names) and pointer.
template <typename Fn>
struct Listed {
  const char* name;
  Fn fn;
};

// Sentinel written around outputs: a quiet-NaN bit pattern no kernel computes by accident.
constexpr uint32_t kSentinel32 = 0x7fc0deadu;
constexpr uint64_t kSentinel64 = 0x7ff80000deadbeefull;
constexpr size_t kGuard = 16;  // sentinel elements before and after the payload

template <typename T>
T Sentinel() {
  T v;
  if constexpr (sizeof(T) == 4) {
    std::memcpy(&v, &kSentinel32, sizeof(v));
  } else {
    static_assert(sizeof(T) == 8, "4- or 8-byte elements only");
    std::memcpy(&v, &kSentinel64, sizeof(v));
  }
  return v;
}

template <typename T>
bool IsSentinel(const T& v) {
  const T s = Sentinel<T>();
  return std::memcmp(&v, &s, sizeof(T)) == 0;
}

// An output buffer of `size` elements with kGuard sentinel elements on each side. The payload
// starts filled with the sentinel too, so "no writes" is checkable via AllSentinel().
template <typename T>
class Guarded {
 public:
  explicit Guarded(size_t size) : size_(size), storage_(size + 2 * kGuard, Sentinel<T>()) {}
  T* data() { return storage_.data() + kGuard; }
  const T* data() const { return storage_.data() + kGuard; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  std::vector<T> payload() const { return std::vector<T>(data(), data() + size_); }

  ::testing::AssertionResult GuardsIntact() const {
    for (size_t i = 0; i < kGuard; ++i) {
      if (!IsSentinel(storage_[i])) {
        return ::testing::AssertionFailure() << "guard before output clobbered at -" << kGuard - i;
      }
      if (!IsSentinel(storage_[kGuard + size_ + i])) {
        return ::testing::AssertionFailure() << "guard after output clobbered at +" << i;
      }
    }
    return ::testing::AssertionSuccess();
  }
  ::testing::AssertionResult AllSentinel() const {
    for (size_t i = 0; i < storage_.size(); ++i) {
      if (!IsSentinel(storage_[i])) {
        return ::testing::AssertionFailure() << "unexpected write at storage index " << i;
      }
    }
    return ::testing::AssertionSuccess();
  }

 private:
  size_t size_;
  std::vector<T> storage_;
};

// Random multiples of 1/16 in [-2, 2]: products and sums of a few thousand of them are exact in
// float, so results are independent of summation order and comparisons can be tight.
inline std::vector<float> DyadicData(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-32, 32);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(dist(rng)) / 16.0f;
  return v;
}

inline std::vector<float> UniformData(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// |actual - expected| <= abs_tol + rel_tol * |expected| (exact match also for infinities).
inline ::testing::AssertionResult Close(float actual, float expected, float rel_tol = 1e-6f,
                                        float abs_tol = 1e-6f) {
  if (actual == expected) return ::testing::AssertionSuccess();
  if (std::isfinite(expected) &&
      std::fabs(actual - expected) <= abs_tol + rel_tol * std::fabs(expected)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected;
}

// Element-wise Close over two equal-length arrays; reports the first few mismatches.
inline ::testing::AssertionResult AllClose(const float* actual, const std::vector<float>& expected,
                                           float rel_tol = 1e-6f, float abs_tol = 1e-6f) {
  size_t failures = 0;
  std::string msg;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!Close(actual[i], expected[i], rel_tol, abs_tol)) {
      if (failures < 5) {
        msg += "\n  [" + std::to_string(i) + "] actual " + std::to_string(actual[i]) +
               " expected " + std::to_string(expected[i]);
      }
      ++failures;
    }
  }
  if (failures == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << failures << " of " << expected.size() << " elements differ:" << msg;
}

// Clamp bounds with min > max. ONNX's Clip is max(min) then min(max), so every output is max:
// the case every minmax kernel is tested with (kernels/minmax.h is the one definition).
constexpr float kInvertedMin = 0.5f;
constexpr float kInvertedMax = -0.25f;

// Every one of n floats at y equals `value` exactly.
inline ::testing::AssertionResult AllEqualTo(const float* y, size_t n, float value) {
  for (size_t i = 0; i < n; ++i) {
    if (!(y[i] == value)) {
      return ::testing::AssertionFailure()
             << "[" << i << "] is " << y[i] << ", expected " << value << " (of " << n << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace kernel_test
}  // namespace litecnn
