// Image preprocessing: RGBA bytes -> a model's float image input, in one pass (resize with a fit
// mode, channel order, normalisation and layout), through the u8-rgba-resize kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/layout.h"
#include "core/status.h"

namespace litecnn {

// Larger sides are rejected before anything is allocated (canvases stop at 16384 too).
constexpr int64_t kMaxImageSide = 16384;

// Tightly packed 8-bit RGBA: row stride 4 * width, size == 4 * width * height.
struct ImageView {
  const uint8_t* data = nullptr;
  size_t size = 0;
  int64_t width = 0;
  int64_t height = 0;
};

enum class FitMode {
  kStretch,    // the whole image to the target size (aspect ratio not kept)
  kCrop,       // the centred crop with the target's aspect ratio, then resized
  kLetterbox,  // the whole image scaled to fit inside, centred, the rest filled
};
enum class ChannelOrder { kRgb, kBgr };

// Names as the JS API spells them: "stretch" | "crop" | "letterbox", "rgb" | "bgr",
// "nchw" | "nhwc" (Layout::kPlain | Layout::kNHWC).
Result<FitMode> ParseFitMode(const std::string& name);
Result<ChannelOrder> ParseChannelOrder(const std::string& name);
Result<Layout> ParseImageLayout(const std::string& name);

struct PreprocessOptions {
  FitMode fit = FitMode::kStretch;
  ChannelOrder channels = ChannelOrder::kRgb;
  // Output channel c (in `channels` order) is x * scale[c] + offset[c], x the resized byte value.
  float scale[3] = {1.0f / 255.0f, 1.0f / 255.0f, 1.0f / 255.0f};
  float offset[3] = {0.0f, 0.0f, 0.0f};
  // Letterbox padding, in pixel units (0..255) per output channel, normalised like the pixels.
  float fill[3] = {0.0f, 0.0f, 0.0f};

  // The torchvision form (x * pixel_scale - mean[c]) / std[c], folded into scale and offset.
  void SetMeanStd(float pixel_scale, const float mean[3], const float std[3]);
};

// Where the image landed in the tensor: tensor x = image x * scale_x + offset_x (pixel-edge
// coordinates, so a box corner maps back with (x - offset_x) / scale_x), likewise for y.
// width x height is the part of the tensor covered by image content (smaller than the tensor
// only for letterbox).
struct LetterboxInfo {
  double scale_x = 1.0, scale_y = 1.0;
  double offset_x = 0.0, offset_y = 0.0;
  int64_t width = 0, height = 0;
};

// Resizes and normalises `rgba` into `out`: float32, logical dims [1, 3, H, W], layout kPlain
// (NCHW) or kNHWC. H and W are the target size. `letterbox`, if not null, receives the
// placement. Fails with InvalidArgument (naming the problem) on empty or oversized images, a
// data size other than 4 * width * height, an out tensor of another shape or dtype, an unknown
// mode or non-finite normalisation; `out` is untouched then.
Status PreprocessImage(const ImageView& rgba, const PreprocessOptions& options,
                       const TensorView& out, LetterboxInfo* letterbox);

}  // namespace litecnn
