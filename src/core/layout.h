// Layouts: how a value's logical (ONNX-order) dims map to its bytes.
//
// kPlain: dense row-major in logical order (ONNX's own convention; NCHW for images).
// kNHWC:  only for rank-4 values of logical dims [N, C, H, W]; bytes are dense [N][H][W][C].
//         Channels innermost is what SIMD kernels want (see src/README.md).
#pragma once

#include <cstddef>
#include <memory>

#include "core/tensor.h"

namespace litecnn {

enum class Layout { kPlain, kNHWC };

const char* LayoutName(Layout layout);

// Stride (in elements) of each logical axis within the physical buffer. Size == dims.size().
std::vector<ptrdiff_t> LogicalStrides(const Dims& dims, Layout layout);

// Physical dims in memory order ([N,H,W,C] for kNHWC, dims otherwise).
Dims PhysicalDims(const Dims& dims, Layout layout);

// Physical axis that holds logical axis `axis` (NCHW axis 1 -> NHWC axis 3, ...).
size_t PhysicalAxis(size_t axis, Layout layout);

// What the runtime and ops know about a value at load time.
struct TensorDesc {
  DataType dtype = DataType::kUndefined;
  Dims dims;  // logical
  Layout layout = Layout::kPlain;
  std::shared_ptr<const Tensor> constant;  // set when the value is known at load time (Plain)
  bool is_constant() const { return constant != nullptr; }
};

// A non-owning view of a value's buffer during Run.
struct TensorView {
  void* data = nullptr;
  DataType dtype = DataType::kUndefined;
  Dims dims;  // logical
  Layout layout = Layout::kPlain;

  template <typename T>
  T* as() const {
    return static_cast<T*>(data);
  }
  int64_t num_elements() const;
};

}  // namespace litecnn
