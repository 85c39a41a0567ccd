// PreprocessImage (runtime/image.h) against a naive double-precision bilinear resize written
// here, pixel by pixel, for every fit mode, both layouts, RGB and BGR, with mean/std; the
// letterbox/crop placement it reports; and each invalid argument's Status.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/layout.h"
#include "core/status.h"
#include "runtime/image.h"

namespace litecnn {
namespace {

struct Image {
  int64_t width, height;
  std::vector<uint8_t> rgba;
  ImageView view() const { return {rgba.data(), rgba.size(), width, height}; }
};

Image RandomImage(int64_t width, int64_t height, uint32_t seed) {
  Image img{width, height, std::vector<uint8_t>(4 * width * height)};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  for (uint8_t& b : img.rgba) b = static_cast<uint8_t>(byte(rng));
  return img;
}

const float kMean[3] = {0.485f, 0.456f, 0.406f};
const float kStd[3] = {0.229f, 0.224f, 0.225f};
const float kFill[3] = {114.0f, 20.0f, 250.0f};

// The expected tensor, from the definitions: pick the source and target boxes for the fit
// mode, then sample every target pixel at its half-pixel centre with edge clamping.
std::vector<double> NaivePreprocess(const Image& img, FitMode fit, bool nhwc, bool bgr,
                                    int64_t out_w, int64_t out_h) {
  double sx0 = 0, sy0 = 0, sw = double(img.width), sh = double(img.height);  // source box
  double tx0 = 0, ty0 = 0, tw = double(out_w), th = double(out_h);           // target box
  if (fit == FitMode::kCrop) {
    if (img.width * out_h > out_w * img.height) {
      sw = std::round(img.height * double(out_w) / out_h);
      sx0 = std::floor((img.width - sw) / 2);
    } else {
      sh = std::round(img.width * double(out_h) / out_w);
      sy0 = std::floor((img.height - sh) / 2);
    }
  } else if (fit == FitMode::kLetterbox) {
    const double s = std::min(double(out_w) / img.width, double(out_h) / img.height);
    tw = std::round(img.width * s);
    th = std::round(img.height * s);
    tx0 = std::floor((out_w - tw) / 2);
    ty0 = std::floor((out_h - th) / 2);
  }
  std::vector<double> out(3 * out_w * out_h);
  for (int64_t y = 0; y < out_h; ++y) {
    for (int64_t x = 0; x < out_w; ++x) {
      const bool inside = x >= tx0 && x < tx0 + tw && y >= ty0 && y < ty0 + th;
      for (int oc = 0; oc < 3; ++oc) {
        const int c = bgr ? 2 - oc : oc;  // source channel of output channel oc
        double v = kFill[oc];
        if (inside) {
          const double fx = std::clamp((x - tx0 + 0.5) * sw / tw - 0.5, 0.0, sw - 1);
          const double fy = std::clamp((y - ty0 + 0.5) * sh / th - 0.5, 0.0, sh - 1);
          const int64_t x0 = int64_t(std::floor(fx)), y0 = int64_t(std::floor(fy));
          const int64_t x1 = std::min<int64_t>(x0 + 1, int64_t(sw) - 1);
          const int64_t y1 = std::min<int64_t>(y0 + 1, int64_t(sh) - 1);
          const auto p = [&](int64_t yy, int64_t xx) {
            return double(img.rgba[4 * ((int64_t(sy0) + yy) * img.width + int64_t(sx0) + xx) + c]);
          };
          const double wx = fx - x0, wy = fy - y0;
          v = (p(y0, x0) * (1 - wx) + p(y0, x1) * wx) * (1 - wy) +
              (p(y1, x0) * (1 - wx) + p(y1, x1) * wx) * wy;
        }
        const double normalised = (v / 255 - kMean[oc]) / kStd[oc];
        const int64_t index = nhwc ? (y * out_w + x) * 3 + oc : (oc * out_h + y) * out_w + x;
        out[index] = normalised;
      }
    }
  }
  return out;
}

PreprocessOptions Options(FitMode fit, bool bgr) {
  PreprocessOptions o;
  o.fit = fit;
  o.channels = bgr ? ChannelOrder::kBgr : ChannelOrder::kRgb;
  o.SetMeanStd(1.0f / 255.0f, kMean, kStd);
  std::copy(kFill, kFill + 3, o.fill);
  return o;
}

TensorView View(std::vector<float>& data, int64_t out_w, int64_t out_h, bool nhwc) {
  return {
      data.data(), DataType::kFloat32, {1, 3, out_h, out_w}, nhwc ? Layout::kNHWC : Layout::kPlain};
}

struct Size {
  int64_t in_w, in_h, out_w, out_h;
};
// Downscale from odd sizes (wide and tall), upscale, a 1x1 source, and target widths that
// leave SIMD tails.
const Size kSizes[] = {
    {37, 23, 16, 20}, {23, 37, 17, 15}, {5, 9, 17, 15}, {1, 1, 4, 3}, {64, 48, 3, 64}};

using Param = std::tuple<FitMode, bool, bool, Size>;  // fit, nhwc, bgr, size
class RuntimePreprocessImage : public ::testing::TestWithParam<Param> {};

TEST_P(RuntimePreprocessImage, MatchesNaiveBilinear) {
  const auto& [fit, nhwc, bgr, size] = GetParam();
  const Image img = RandomImage(size.in_w, size.in_h, uint32_t(size.in_w * 31 + size.in_h));
  std::vector<float> out(3 * size.out_w * size.out_h, -1e9f);
  LetterboxInfo info;
  ASSERT_TRUE(
      PreprocessImage(img.view(), Options(fit, bgr), View(out, size.out_w, size.out_h, nhwc), &info)
          .ok());
  const std::vector<double> expected = NaivePreprocess(img, fit, nhwc, bgr, size.out_w, size.out_h);
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_NEAR(out[i], expected[i], 1e-5) << "element " << i;
  }
}

const char* FitName(FitMode fit) {
  return fit == FitMode::kStretch ? "stretch" : fit == FitMode::kCrop ? "crop" : "letterbox";
}

std::string CaseName(const ::testing::TestParamInfo<Param>& info) {
  const auto& [fit, nhwc, bgr, size] = info.param;
  return std::string(FitName(fit)) + (nhwc ? "_nhwc_" : "_nchw_") + (bgr ? "bgr_" : "rgb_") +
         std::to_string(size.in_w) + "x" + std::to_string(size.in_h) + "_to_" +
         std::to_string(size.out_w) + "x" + std::to_string(size.out_h);
}

INSTANTIATE_TEST_SUITE_P(
    , RuntimePreprocessImage,
    ::testing::Combine(::testing::Values(FitMode::kStretch, FitMode::kCrop, FitMode::kLetterbox),
                       ::testing::Bool(), ::testing::Bool(), ::testing::ValuesIn(kSizes)),
    CaseName);

// A horizontal ramp R = 10 x: bilinear reproduces a linear function exactly, so halving the
// width gives R = 10 (2i + 0.5) at output column i, with no tolerance.
TEST(RuntimePreprocessImageExact, RampHalvedIsExact) {
  Image img{8, 2, std::vector<uint8_t>(4 * 8 * 2)};
  for (int64_t y = 0; y < 2; ++y) {
    for (int64_t x = 0; x < 8; ++x) img.rgba[4 * (y * 8 + x)] = uint8_t(10 * x);
  }
  PreprocessOptions o;
  o.scale[0] = o.scale[1] = o.scale[2] = 1.0f;
  std::vector<float> out(3 * 4 * 1);
  ASSERT_TRUE(PreprocessImage(img.view(), o, View(out, 4, 1, false), nullptr).ok());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], 10.0f * (2 * i + 0.5f)) << i;
}

TEST(RuntimePreprocessImageExact, LetterboxReportsPlacementAndFillsBands) {
  const Image img = RandomImage(200, 100, 1);
  std::vector<float> out(3 * 64 * 64);
  LetterboxInfo info;
  ASSERT_TRUE(PreprocessImage(img.view(), Options(FitMode::kLetterbox, false),
                              View(out, 64, 64, false), &info)
                  .ok());
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 32);
  EXPECT_DOUBLE_EQ(info.scale_x, 0.32);
  EXPECT_DOUBLE_EQ(info.scale_y, 0.32);
  EXPECT_EQ(info.offset_x, 0.0);
  EXPECT_EQ(info.offset_y, 16.0);
  for (int c = 0; c < 3; ++c) {
    const float fill = float((kFill[c] / 255 - kMean[c]) / kStd[c]);
    EXPECT_NEAR(out[(c * 64 + 0) * 64 + 5], fill, 1e-5) << "top band, channel " << c;
    EXPECT_NEAR(out[(c * 64 + 63) * 64 + 60], fill, 1e-5) << "bottom band, channel " << c;
  }
}

TEST(RuntimePreprocessImageExact, CropReportsPlacement) {
  const Image img = RandomImage(300, 100, 2);
  std::vector<float> out(3 * 50 * 50);
  LetterboxInfo info;
  ASSERT_TRUE(
      PreprocessImage(img.view(), Options(FitMode::kCrop, false), View(out, 50, 50, true), &info)
          .ok());
  // The centred 100x100 square at x = 100, halved: image x 100 lands on tensor x 0.
  EXPECT_DOUBLE_EQ(info.scale_x, 0.5);
  EXPECT_DOUBLE_EQ(info.scale_y, 0.5);
  EXPECT_DOUBLE_EQ(info.offset_x, -50.0);
  EXPECT_DOUBLE_EQ(info.offset_y, 0.0);
  EXPECT_EQ(info.width, 50);
  EXPECT_EQ(info.height, 50);
}

// ---- invalid arguments: the Status names the problem and the output is not written ----------

class RuntimePreprocessImageInvalid : public ::testing::Test {
 protected:
  void ExpectFails(const ImageView& image, const PreprocessOptions& options, StatusCode code,
                   const std::string& part, Dims dims = {1, 3, 4, 4}) {
    out_.assign(3 * 4 * 4, 7.0f);
    const TensorView view{out_.data(), DataType::kFloat32, std::move(dims), Layout::kPlain};
    const Status s = PreprocessImage(image, options, view, nullptr);
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_NE(s.message().find(part), std::string::npos) << s.message();
    EXPECT_TRUE(std::all_of(out_.begin(), out_.end(), [](float v) { return v == 7.0f; }));
  }
  Image img_ = RandomImage(4, 4, 3);
  std::vector<float> out_;
};

TEST_F(RuntimePreprocessImageInvalid, ZeroWidth) {
  ExpectFails({img_.rgba.data(), 0, 0, 4}, {}, StatusCode::kInvalidArgument,
              "image width is 0; it must be at least 1");
}
TEST_F(RuntimePreprocessImageInvalid, HugeHeight) {
  ExpectFails({img_.rgba.data(), img_.rgba.size(), 4, 20000}, {}, StatusCode::kLimitExceeded,
              "image height is 20000, above the limit of 16384");
}
TEST_F(RuntimePreprocessImageInvalid, DataSizeNotFourBytesPerPixel) {
  ExpectFails({img_.rgba.data(), 48, 4, 4}, {}, StatusCode::kInvalidArgument,
              "image data has 48 bytes, but 4x4 RGBA needs 4 * width * height = 64");
}
TEST_F(RuntimePreprocessImageInvalid, OutputNotThreeChannels) {
  ExpectFails(img_.view(), {}, StatusCode::kInvalidArgument,
              "must have logical dims [1, 3, H, W], got [1, 4, 2, 6]", {1, 4, 2, 6});
}
TEST_F(RuntimePreprocessImageInvalid, ZeroTargetWidth) {
  ExpectFails(img_.view(), {}, StatusCode::kInvalidArgument, "target width is 0", {1, 3, 4, 0});
}
TEST_F(RuntimePreprocessImageInvalid, UnknownFitMode) {
  PreprocessOptions o;
  o.fit = static_cast<FitMode>(7);
  ExpectFails(img_.view(), o, StatusCode::kInvalidArgument, "unknown fit mode 7");
}
TEST_F(RuntimePreprocessImageInvalid, ZeroStdIsNotFinite) {
  PreprocessOptions o;
  const float stds[3] = {0.2f, 0.0f, 0.2f};
  o.SetMeanStd(1.0f / 255.0f, kMean, stds);
  ExpectFails(img_.view(), o, StatusCode::kInvalidArgument,
              "the normalisation of channel 1 is not finite");
}

TEST(RuntimeImageParse, NamesAndUnknownNames) {
  EXPECT_EQ(ParseFitMode("letterbox").value(), FitMode::kLetterbox);
  EXPECT_EQ(ParseChannelOrder("bgr").value(), ChannelOrder::kBgr);
  EXPECT_EQ(ParseImageLayout("nhwc").value(), Layout::kNHWC);
  EXPECT_EQ(ParseFitMode("zoom").status().message(),
            "unknown fit mode \"zoom\" (expected stretch, crop or letterbox)");
  EXPECT_EQ(ParseChannelOrder("rgba").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImageLayout("chw").status().message(),
            "unknown image layout \"chw\" (expected nchw or nhwc)");
}

}  // namespace
}  // namespace litecnn
