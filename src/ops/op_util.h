// Helpers shared by op implementations: argument checks, axis normalisation, broadcasting and
// layout-aware strided copies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/alloc.h"
#include "core/layout.h"
#include "core/status.h"

namespace litecnn {

// Checks the number of inputs (present or omitted) and that the first `required` are present.
Status CheckInputCount(const std::vector<const TensorDesc*>& inputs, size_t required, size_t max);
Status CheckFloat(const TensorDesc& d, const char* what);
// Inputs 1 .. names.size() - 1 are float32 vectors of `channels` values, named names[i] in
// errors (BatchNormalization's scale/B/mean/var, InstanceNormalization's scale/B).
Status CheckPerChannelInputs(const std::vector<const TensorDesc*>& inputs,
                             const std::vector<const char*>& names, int64_t channels);

// Maps a possibly negative axis into [0, rank).
Result<size_t> NormalizeAxis(int64_t axis, size_t rank);

// numpy-style broadcast of two shapes.
Result<Dims> BroadcastDims(const Dims& a, const Dims& b);

// Strides (in elements) to read `d` (dims/layout) as if broadcast to out_dims (logical order);
// broadcast axes get stride 0.
std::vector<ptrdiff_t> BroadcastStrides(const Dims& dims, Layout layout, const Dims& out_dims);

// Calls f(i, offsets) for every element i of a row-major box of `dims`, in order, with each
// operand's element offset for it, from the operand's strides (BroadcastStrides, in the box's
// axis order): the loop of ops whose operands broadcast and that have no kernel.
template <size_t N, typename F>
void ForEachBroadcast(const Dims& dims, const std::array<const ptrdiff_t*, N>& strides, F&& f) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  std::vector<int64_t> idx(dims.size(), 0);
  std::array<ptrdiff_t, N> offsets{};
  for (int64_t i = 0; i < n; ++i) {
    f(i, offsets);
    for (size_t k = dims.size(); k-- > 0;) {
      for (size_t j = 0; j < N; ++j) offsets[j] += strides[j][k];
      if (++idx[k] < dims[k]) break;
      for (size_t j = 0; j < N; ++j) offsets[j] -= strides[j][k] * dims[k];
      idx[k] = 0;
    }
  }
}

// Copies a logical box of `dims` from `in` (with logical-order strides) to `out` (with
// logical-order strides), for elements of elem_size bytes (1, 4 or 8).
void CopyStrided(size_t elem_size, const Dims& dims, const void* in,
                 const std::vector<ptrdiff_t>& in_strides, void* out,
                 const std::vector<ptrdiff_t>& out_strides);

// Ops whose output has the input's bytes (Reshape, Identity, View): copies them, unless the
// memory plan put the output in the input's buffer.
void CopyUnlessAliased(const TensorView& in, const TensorView& out);

// Reads a constant 1-D int tensor (int64 or int32) as int64 values.
Result<std::vector<int64_t>> ConstantInts(const TensorDesc* d, const char* what);
// Reads a constant scalar (or 1-element) float input.
Result<float> ConstantScalar(const TensorDesc* d, const char* what);

std::string IntsToString(const std::vector<int64_t>& v);

// Weights packed at load time, in uninitialised storage: every pack function writes all of it
// (padding included), and zero-filling megabytes first is a large part of a model's first load,
// which runs before V8 has optimised the code.
class PackedWeights {
 public:
  // Storage for n floats; kept when it already has that size (ops that pack on every Run).
  // Fails, leaving it empty, when memory runs out.
  Result<float*> Allocate(size_t n) {
    if (n != size_) {
      clear();
      if (n == 0) return nullptr;
      data_.reset(AlignedFloatsOrNull(n));
      if (!data_) return OutOfMemory(uint64_t{n} * sizeof(float), "packed weights");
      size_ = n;
    }
    return data_.get();
  }
  void clear() {
    data_.reset();
    size_ = 0;
  }
  const float* data() const { return data_.get(); }
  bool empty() const { return size_ == 0; }

 private:
  AlignedPtr<float> data_;
  size_t size_ = 0;
};

}  // namespace litecnn
