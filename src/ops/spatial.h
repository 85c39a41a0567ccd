// Window geometry shared by Conv and the pooling ops: attribute parsing (kernel_shape, strides,
// dilations, pads, auto_pad, ceil_mode) and output-size arithmetic for 2-D windows.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "ops/attributes.h"

namespace litecnn {

struct Window2D {
  int64_t kernel[2] = {0, 0};  // h, w
  int64_t stride[2] = {1, 1};
  int64_t dilation[2] = {1, 1};
  int64_t pad_begin[2] = {0, 0};
  int64_t pad_end[2] = {0, 0};
  std::string auto_pad = "NOTSET";
  bool ceil_mode = false;
};

// Parses the window attributes. kernel_shape may be absent when !kernel_required (Conv takes
// it from the weights); it is then left {0, 0}.
Result<Window2D> ParseWindow2D(const Attributes& attrs, bool kernel_required, bool allow_dilations,
                               bool allow_ceil_mode);

// Computes output extents for input extents in_h/in_w; resolves SAME_* padding into
// pad_begin/pad_end. Errors for empty outputs.
Status ResolveWindow2D(Window2D* w, int64_t in_h, int64_t in_w, int64_t* out_h, int64_t* out_w);

// Copies a resolved window's strides, dilations and leading pads into a kernel geometry
// (ConvGeometry, PoolGeometry: the kernels' structs share these field names). The kernel extent
// is the caller's: Conv takes it from its weights.
template <class Geometry>
void SetWindowGeometry(const Window2D& w, Geometry* g) {
  g->stride_h = w.stride[0];
  g->stride_w = w.stride[1];
  g->dilation_h = w.dilation[0];
  g->dilation_w = w.dilation[1];
  g->pad_top = w.pad_begin[0];
  g->pad_left = w.pad_begin[1];
}

}  // namespace litecnn
