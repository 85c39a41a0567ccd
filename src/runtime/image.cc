#include "runtime/image.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ops/dispatch.h"

namespace litecnn {
namespace {

// A rectangle in pixels.
struct Box {
  int64_t x = 0, y = 0, width = 0, height = 0;
};

// Which part of the image is resized to which part of the tensor.
struct Geometry {
  Box source;
  Box target;
};

Geometry PlaceImage(FitMode fit, int64_t width, int64_t height, int64_t out_w, int64_t out_h) {
  const Box whole_image{0, 0, width, height};
  const Box whole_tensor{0, 0, out_w, out_h};
  switch (fit) {
    case FitMode::kStretch:
      return {whole_image, whole_tensor};
    case FitMode::kCrop: {
      // The largest centred box with the tensor's aspect ratio; like torchvision's center_crop,
      // its size and corner are whole pixels.
      Box crop = whole_image;
      if (width * out_h > out_w * height) {  // wider than the target: crop the sides
        crop.width = std::clamp<int64_t>(std::llround(double(height) * out_w / out_h), 1, width);
        crop.x = (width - crop.width) / 2;
      } else {
        crop.height = std::clamp<int64_t>(std::llround(double(width) * out_h / out_w), 1, height);
        crop.y = (height - crop.height) / 2;
      }
      return {crop, whole_tensor};
    }
    case FitMode::kLetterbox: {
      const double scale = std::min(double(out_w) / width, double(out_h) / height);
      Box content;
      content.width = std::clamp<int64_t>(std::llround(width * scale), 1, out_w);
      content.height = std::clamp<int64_t>(std::llround(height * scale), 1, out_h);
      content.x = (out_w - content.width) / 2;
      content.y = (out_h - content.height) / 2;
      return {whole_image, content};
    }
  }
  return {whole_image, whole_tensor};  // unreachable: fit was validated
}

// Half-pixel-centre source coordinate of output index i when `in` pixels map onto `out`
// (torchvision's antialias-free bilinear, OpenCV INTER_LINEAR): the two taps, relative to the
// start of the source range, and the second tap's weight.
struct Taps {
  int64_t first, second;
  float weight;
};
Taps SourceTaps(int64_t i, int64_t in, int64_t out) {
  const double f = std::clamp((i + 0.5) * (double(in) / out) - 0.5, 0.0, double(in - 1));
  const int64_t first = static_cast<int64_t>(f);  // f >= 0: truncation is floor
  return {first, std::min(first + 1, in - 1), static_cast<float>(f - first)};
}

Status CheckSide(const char* what, int64_t side) {
  if (side < 1) {
    return InvalidArgument(std::string(what) + " is " + std::to_string(side) +
                           "; it must be at least 1");
  }
  if (side > kMaxImageSide) {
    return LimitExceeded(std::string(what) + " is " + std::to_string(side) +
                         ", above the limit of " + std::to_string(kMaxImageSide));
  }
  return Status::Ok();
}

Status Validate(const ImageView& rgba, const PreprocessOptions& options, const TensorView& out) {
  if (Status s = CheckSide("image width", rgba.width); !s.ok()) return s;
  if (Status s = CheckSide("image height", rgba.height); !s.ok()) return s;
  const uint64_t expected = 4 * static_cast<uint64_t>(rgba.width) * rgba.height;
  if (rgba.data == nullptr || rgba.size != expected) {
    return InvalidArgument("image data has " + std::to_string(rgba.data ? rgba.size : 0) +
                           " bytes, but " + std::to_string(rgba.width) + "x" +
                           std::to_string(rgba.height) +
                           " RGBA needs 4 * width * height = " + std::to_string(expected));
  }
  if (out.dtype != DataType::kFloat32) {
    return InvalidArgument(std::string("the output tensor must be float32, got ") +
                           DataTypeName(out.dtype));
  }
  if (out.dims.size() != 4 || out.dims[0] != 1 || out.dims[1] != 3) {
    return InvalidArgument("the output tensor must have logical dims [1, 3, H, W], got " +
                           DimsToString(out.dims));
  }
  if (out.layout != Layout::kPlain && out.layout != Layout::kNHWC) {
    return InvalidArgument("the output tensor's layout must be plain (NCHW) or NHWC");
  }
  if (Status s = CheckSide("target height", out.dims[2]); !s.ok()) return s;
  if (Status s = CheckSide("target width", out.dims[3]); !s.ok()) return s;
  if (out.data == nullptr) return InvalidArgument("the output tensor has no data");
  switch (options.fit) {
    case FitMode::kStretch:
    case FitMode::kCrop:
    case FitMode::kLetterbox:
      break;
    default:
      return InvalidArgument("unknown fit mode " + std::to_string(static_cast<int>(options.fit)));
  }
  if (options.channels != ChannelOrder::kRgb && options.channels != ChannelOrder::kBgr) {
    return InvalidArgument("unknown channel order " +
                           std::to_string(static_cast<int>(options.channels)));
  }
  for (int c = 0; c < 3; ++c) {
    const float fill = options.fill[c] * options.scale[c] + options.offset[c];
    if (!std::isfinite(options.scale[c]) || !std::isfinite(options.offset[c]) ||
        !std::isfinite(fill)) {
      // Which of the three is not printed: formatting a float would link printf's float code
      // (~5 KB gzipped) into the download for this one message; web/src checks each option,
      // with its value, before this.
      return InvalidArgument("the normalisation of channel " + std::to_string(c) +
                             " is not finite (its scale, offset or scaled fill); is a std 0?");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<FitMode> ParseFitMode(const std::string& name) {
  if (name == "stretch") return FitMode::kStretch;
  if (name == "crop") return FitMode::kCrop;
  if (name == "letterbox") return FitMode::kLetterbox;
  return InvalidArgument("unknown fit mode \"" + name + "\" (expected stretch, crop or letterbox)");
}

Result<ChannelOrder> ParseChannelOrder(const std::string& name) {
  if (name == "rgb") return ChannelOrder::kRgb;
  if (name == "bgr") return ChannelOrder::kBgr;
  return InvalidArgument("unknown channel order \"" + name + "\" (expected rgb or bgr)");
}

Result<Layout> ParseImageLayout(const std::string& name) {
  if (name == "nchw") return Layout::kPlain;
  if (name == "nhwc") return Layout::kNHWC;
  return InvalidArgument("unknown image layout \"" + name + "\" (expected nchw or nhwc)");
}

void PreprocessOptions::SetMeanStd(float pixel_scale, const float mean[3], const float std[3]) {
  for (int c = 0; c < 3; ++c) {
    scale[c] = pixel_scale / std[c];
    offset[c] = -mean[c] / std[c];
  }
}

Status PreprocessImage(const ImageView& rgba, const PreprocessOptions& options,
                       const TensorView& out, LetterboxInfo* letterbox) {
  if (Status s = Validate(rgba, options, out); !s.ok()) return s;
  const int64_t out_h = out.dims[2];
  const int64_t out_w = out.dims[3];
  const bool nhwc = out.layout == Layout::kNHWC;
  const Geometry g = PlaceImage(options.fit, rgba.width, rgba.height, out_w, out_h);
  float* const base = out.as<float>();
  const size_t plane = static_cast<size_t>(out_h * out_w);

  // Output position of source channel c (0 = R): BGR reverses the order.
  size_t position[3];
  RgbaToF32Params params;
  for (size_t c = 0; c < 3; ++c) {
    position[c] = options.channels == ChannelOrder::kRgb ? c : 2 - c;
    params.scale[c] = options.scale[position[c]];
    params.offset[c] = options.offset[position[c]];
  }

  // Letterbox bands: the whole tensor is filled first and the content written over it, which
  // is simpler than four bands and costs one extra pass over a few hundred kilobytes.
  if (g.target.width != out_w || g.target.height != out_h) {
    for (size_t k = 0; k < 3; ++k) {
      const float v = options.fill[k] * options.scale[k] + options.offset[k];
      if (nhwc) {
        for (size_t p = 0; p < plane; ++p) base[p * 3 + k] = v;
      } else {
        std::fill(base + k * plane, base + (k + 1) * plane, v);
      }
    }
  }

  // Horizontal taps, once per geometry: byte offsets of both taps in a row, and weights.
  const size_t n = static_cast<size_t>(g.target.width);
  std::vector<uint32_t> x_offsets(2 * n);
  std::vector<float> x_weights(n);
  for (size_t i = 0; i < n; ++i) {
    const Taps t = SourceTaps(static_cast<int64_t>(i), g.source.width, g.target.width);
    x_offsets[2 * i] = static_cast<uint32_t>(4 * (g.source.x + t.first));
    x_offsets[2 * i + 1] = static_cast<uint32_t>(4 * (g.source.x + t.second));
    x_weights[i] = t.weight;
  }

  const u8_rgba_to_f32_bilinear_ukernel_fn kernel = Elementwise().rgba_bilinear;
  const size_t row_bytes = 4 * static_cast<size_t>(rgba.width);
  const size_t y_stride = nhwc ? 3 : 1;
  for (int64_t j = 0; j < g.target.height; ++j) {
    const Taps t = SourceTaps(j, g.source.height, g.target.height);
    const uint8_t* row0 = rgba.data + static_cast<size_t>(g.source.y + t.first) * row_bytes;
    const uint8_t* row1 = rgba.data + static_cast<size_t>(g.source.y + t.second) * row_bytes;
    const size_t pixel = static_cast<size_t>((g.target.y + j) * out_w + g.target.x);
    float* y[3];
    for (size_t c = 0; c < 3; ++c) {
      y[c] = nhwc ? base + pixel * 3 + position[c] : base + position[c] * plane + pixel;
    }
    kernel(n, row0, row1, t.weight, x_offsets.data(), x_weights.data(), &params, y, y_stride);
  }

  if (letterbox != nullptr) {
    letterbox->scale_x = double(g.target.width) / g.source.width;
    letterbox->scale_y = double(g.target.height) / g.source.height;
    letterbox->offset_x = g.target.x - g.source.x * letterbox->scale_x;
    letterbox->offset_y = g.target.y - g.source.y * letterbox->scale_y;
    letterbox->width = g.target.width;
    letterbox->height = g.target.height;
  }
  return Status::Ok();
}

}  // namespace litecnn
