#include "ops/spatial.h"

#include "ops/op_util.h"

namespace litecnn {

static Status ReadPair(const Attributes& attrs, const char* name, int64_t* dst, int64_t min) {
  LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> v, attrs.GetInts(name));
  if (v.empty()) return Status::Ok();
  if (v.size() != 2) {
    return Unsupported(std::string(name) + " " + IntsToString(v) +
                       ": only 2-D windows are supported");
  }
  for (int i = 0; i < 2; ++i) {
    if (v[i] < min || v[i] > (int64_t{1} << 20)) {
      return InvalidModel(std::string(name) + " " + IntsToString(v) + " out of range");
    }
    dst[i] = v[i];
  }
  return Status::Ok();
}

Result<Window2D> ParseWindow2D(const Attributes& attrs, bool kernel_required, bool allow_dilations,
                               bool allow_ceil_mode) {
  Window2D w;
  if (attrs.Has("kernel_shape")) {
    LITECNN_RETURN_IF_ERROR(ReadPair(attrs, "kernel_shape", w.kernel, 1));
  } else if (kernel_required) {
    return InvalidModel("kernel_shape is required");
  }
  LITECNN_RETURN_IF_ERROR(ReadPair(attrs, "strides", w.stride, 1));
  if (allow_dilations) {
    LITECNN_RETURN_IF_ERROR(ReadPair(attrs, "dilations", w.dilation, 1));
  } else if (attrs.Has("dilations")) {
    LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> d, attrs.GetInts("dilations"));
    for (int64_t x : d) {
      if (x != 1) return Unsupported("dilations other than 1");
    }
  }
  LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> pads, attrs.GetInts("pads"));
  if (!pads.empty()) {
    if (pads.size() != 4) {
      return Unsupported("pads " + IntsToString(pads) + ": only 2-D windows are supported");
    }
    for (int64_t p : pads) {
      if (p < 0 || p > (int64_t{1} << 20)) {
        return InvalidModel("pads " + IntsToString(pads) + " out of range");
      }
    }
    w.pad_begin[0] = pads[0];
    w.pad_begin[1] = pads[1];
    w.pad_end[0] = pads[2];
    w.pad_end[1] = pads[3];
  }
  LITECNN_ASSIGN_OR_RETURN(w.auto_pad, attrs.GetString("auto_pad", "NOTSET"));
  if (w.auto_pad != "NOTSET" && w.auto_pad != "VALID" && w.auto_pad != "SAME_UPPER" &&
      w.auto_pad != "SAME_LOWER") {
    return InvalidModel("auto_pad '" + w.auto_pad +
                        "' is not one of NOTSET, VALID, SAME_UPPER, "
                        "SAME_LOWER");
  }
  if (allow_ceil_mode) {
    LITECNN_ASSIGN_OR_RETURN(int64_t ceil_mode, attrs.GetInt("ceil_mode", 0));
    w.ceil_mode = ceil_mode != 0;
  }
  return w;
}

Status ResolveWindow2D(Window2D* w, int64_t in_h, int64_t in_w, int64_t* out_h, int64_t* out_w) {
  const int64_t in[2] = {in_h, in_w};
  int64_t out[2];
  for (int i = 0; i < 2; ++i) {
    const int64_t span = w->dilation[i] * (w->kernel[i] - 1) + 1;
    if (w->auto_pad == "SAME_UPPER" || w->auto_pad == "SAME_LOWER") {
      out[i] = (in[i] + w->stride[i] - 1) / w->stride[i];
      const int64_t total = std::max<int64_t>(0, (out[i] - 1) * w->stride[i] + span - in[i]);
      // SAME_UPPER puts the odd padding element at the end, SAME_LOWER at the beginning.
      w->pad_begin[i] = w->auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w->pad_end[i] = total - w->pad_begin[i];
      continue;
    }
    if (w->auto_pad == "VALID") {
      w->pad_begin[i] = w->pad_end[i] = 0;
    }
    const int64_t padded = in[i] + w->pad_begin[i] + w->pad_end[i];
    if (padded < span) {
      return InvalidModel("window of extent " + std::to_string(span) +
                          " does not fit the padded input extent " + std::to_string(padded));
    }
    if (w->ceil_mode) {
      out[i] = (padded - span + w->stride[i] - 1) / w->stride[i] + 1;
      // The last window must start inside the input or the leading padding.
      if ((out[i] - 1) * w->stride[i] >= in[i] + w->pad_begin[i]) --out[i];
    } else {
      out[i] = (padded - span) / w->stride[i] + 1;
    }
  }
  *out_h = out[0];
  *out_w = out[1];
  return Status::Ok();
}

}  // namespace litecnn
