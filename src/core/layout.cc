#include "core/layout.h"

namespace litecnn {

const char* LayoutName(Layout layout) { return layout == Layout::kNHWC ? "NHWC" : "plain"; }

std::vector<ptrdiff_t> LogicalStrides(const Dims& dims, Layout layout) {
  std::vector<ptrdiff_t> strides(dims.size());
  if (layout == Layout::kNHWC && dims.size() == 4) {
    const ptrdiff_t c = dims[1], h = dims[2], w = dims[3];
    strides[0] = h * w * c;
    strides[1] = 1;
    strides[2] = w * c;
    strides[3] = c;
    return strides;
  }
  ptrdiff_t s = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    strides[i] = s;
    s *= static_cast<ptrdiff_t>(dims[i]);
  }
  return strides;
}

Dims PhysicalDims(const Dims& dims, Layout layout) {
  if (layout == Layout::kNHWC && dims.size() == 4) return {dims[0], dims[2], dims[3], dims[1]};
  return dims;
}

size_t PhysicalAxis(size_t axis, Layout layout) {
  if (layout != Layout::kNHWC) return axis;
  static const size_t kMap[4] = {0, 3, 1, 2};
  return kMap[axis];
}

int64_t TensorView::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

}  // namespace litecnn
