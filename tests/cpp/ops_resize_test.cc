// Resize and Upsample through the loader and runtime (NHWC activations, the op's tables and
// this build's kernels) against a direct reference: the spec's coordinate formula per output
// pixel and the ONNX reference's edge-padded taps, in double precision, for every
// coordinate_transformation_mode and nearest_mode, by scales and by sizes, up and down, and on
// several threads; then the inputs litecnn refuses, each with a Status.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrFloat;
using test::AttrInt;
using test::Attrs;
using test::AttrString;
using test::FailsWith;
using test::Ints;
using test::Seeded;
using test::TestModel;

Tensor Floats(const std::vector<float>& v) {
  return Tensor::FromFloats({int64_t(v.size())}, v).value();
}

// What a case resizes: input H x W to scales (sh, sw) or sizes (oh, ow).
struct Case {
  const char* name;
  int64_t h, w;
  bool by_sizes;
  double sh, sw;  // scales, or the output sizes when by_sizes
};

const Case kCases[] = {
    {"up2", 5, 7, false, 2.0, 2.0},     {"up_odd", 3, 4, false, 2.5, 1.75},
    {"down", 8, 9, false, 0.5, 0.75},   {"sizes_up", 4, 5, true, 7, 11},
    {"sizes_down", 9, 7, true, 4, 3},   {"sizes_mixed", 6, 3, true, 2, 8},
    {"sizes_to_one", 5, 4, true, 1, 1},
};

// x_original: the spec's formula (length_resized = input * scale, as the onnx reference).
double Coord(const std::string& mode, double x, double in, double scale, int64_t out) {
  const double resized = in * scale;
  if (mode == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (mode == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0;
  if (mode == "align_corners") return resized == 1 ? 0 : x * (in - 1) / (resized - 1);
  if (mode == "asymmetric") return x / scale;
  if (mode == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  ADD_FAILURE() << mode;
  return 0;
}

int64_t NearestOf(const std::string& mode, double x) {
  const double f = std::floor(x);
  if (x == f) return int64_t(f);
  if (mode == "round_prefer_floor") return int64_t(x - f <= 0.5 ? f : f + 1);
  if (mode == "round_prefer_ceil") return int64_t(x - f < 0.5 ? f : f + 1);
  if (mode == "floor") return int64_t(f);
  return int64_t(f + 1);  // ceil
}

// The reference output, NCHW.
std::vector<double> Reference(const Tensor& x, const Case& c, int64_t oh, int64_t ow,
                              const std::string& mode, const std::string& coord,
                              const std::string& nearest) {
  const Dims& d = x.dims();
  const int64_t n = d[0], ch = d[1], h = d[2], w = d[3];
  const double sh = c.by_sizes ? double(oh) / h : c.sh, sw = c.by_sizes ? double(ow) / w : c.sw;
  const auto at = [&](int64_t b, int64_t k, int64_t i, int64_t j) {
    i = std::min(std::max<int64_t>(i, 0), h - 1);  // edge padding
    j = std::min(std::max<int64_t>(j, 0), w - 1);
    return double(x.data<float>()[((b * ch + k) * h + i) * w + j]);
  };
  std::vector<double> y;
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t k = 0; k < ch; ++k) {
      for (int64_t i = 0; i < oh; ++i) {
        const double yi = Coord(coord, double(i), double(h), sh, oh);
        for (int64_t j = 0; j < ow; ++j) {
          const double xj = Coord(coord, double(j), double(w), sw, ow);
          if (mode == "nearest") {
            y.push_back(at(b, k, NearestOf(nearest, yi), NearestOf(nearest, xj)));
            continue;
          }
          const double fi = std::floor(yi), fj = std::floor(xj);
          const double ti = yi - fi, tj = xj - fj;
          const int64_t i0 = int64_t(fi), j0 = int64_t(fj);
          const double top = at(b, k, i0, j0) * (1 - tj) + at(b, k, i0, j0 + 1) * tj;
          const double bottom = at(b, k, i0 + 1, j0) * (1 - tj) + at(b, k, i0 + 1, j0 + 1) * tj;
          y.push_back(top * (1 - ti) + bottom * ti);
        }
      }
    }
  }
  return y;
}

// Output sizes for a case (floor(input * scale) for scales).
std::pair<int64_t, int64_t> OutSize(const Case& c) {
  if (c.by_sizes) return {int64_t(c.sh), int64_t(c.sw)};
  return {int64_t(std::floor(c.h * float(c.sh))), int64_t(std::floor(c.w * float(c.sw)))};
}

TestModel ResizeModel(const Case& c, int64_t channels, std::vector<onnx::Attribute> attrs) {
  TestModel m(13);
  m.Input("x", {2, channels, c.h, c.w});
  if (c.by_sizes) {
    m.Init("sizes", Ints({2, channels, int64_t(c.sh), int64_t(c.sw)}));
    m.Node("Resize", {"x", "", "", "sizes"}, {"y"}, std::move(attrs));
  } else {
    m.Init("scales", Floats({1, 1, float(c.sh), float(c.sw)}));
    m.Node("Resize", {"x", "", "scales"}, {"y"}, std::move(attrs));
  }
  m.Output("y");
  return m;
}

void ExpectMatches(const TestModel& m, const Case& c, int64_t channels, const std::string& mode,
                   const std::string& coord, const std::string& nearest, int threads) {
  LoadOptions options;
  options.num_threads = threads;
  auto model = m.Load(options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor x = Seeded({2, channels, c.h, c.w}, 7);
  std::vector<NamedTensor> in;
  in.push_back({"x", x.Clone().value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const auto [oh, ow] = OutSize(c);
  const Tensor& y = (*out)[0].tensor;
  ASSERT_EQ(y.dims(), (Dims{2, channels, oh, ow}));
  const std::vector<double> want = Reference(x, c, oh, ow, mode, coord, nearest);
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_NEAR(y.data<float>()[i], want[i], 1e-5) << "element " << i;
  }
}

const char* const kCoords[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                               "tf_half_pixel_for_nn"};
const char* const kNearestModes[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};

using Param = std::tuple<Case, const char*>;

class ResizeLinear : public ::testing::TestWithParam<Param> {};
TEST_P(ResizeLinear, MatchesReference) {
  const auto& [c, coord] = GetParam();
  for (int64_t channels : {1, 5, 17}) {
    const TestModel m = ResizeModel(
        c, channels,
        Attrs(AttrString("mode", "linear"), AttrString("coordinate_transformation_mode", coord)));
    ExpectMatches(m, c, channels, "linear", coord, "", channels == 5 ? 2 : 1);
  }
}
INSTANTIATE_TEST_SUITE_P(
    , ResizeLinear, ::testing::Combine(::testing::ValuesIn(kCases), ::testing::ValuesIn(kCoords)),
    [](const ::testing::TestParamInfo<Param>& i) {
      return std::string(std::get<0>(i.param).name) + "_" + std::get<1>(i.param);
    });

using NearestParam = std::tuple<Case, const char*, const char*>;
class ResizeNearest : public ::testing::TestWithParam<NearestParam> {};
TEST_P(ResizeNearest, MatchesReference) {
  const auto& [c, coord, nearest] = GetParam();
  for (int64_t channels : {1, 4, 15}) {
    const TestModel m = ResizeModel(
        c, channels,
        Attrs(AttrString("mode", "nearest"), AttrString("coordinate_transformation_mode", coord),
              AttrString("nearest_mode", nearest)));
    ExpectMatches(m, c, channels, "nearest", coord, nearest, channels == 4 ? 2 : 1);
  }
}
INSTANTIATE_TEST_SUITE_P(, ResizeNearest,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::ValuesIn(kCoords),
                                            ::testing::ValuesIn(kNearestModes)),
                         [](const ::testing::TestParamInfo<NearestParam>& i) {
                           return std::string(std::get<0>(i.param).name) + "_" +
                                  std::get<1>(i.param) + "_" + std::get<2>(i.param);
                         });

// Upsample 7 (scales attribute) and 9 (scales input): asymmetric coordinates, nearest floors.
TEST(Upsample, NearestAndLinearAreAsymmetric) {
  const Case c{"up", 3, 5, false, 2.0, 3.0};
  for (const char* mode : {"nearest", "linear"}) {
    TestModel m7(8);
    m7.Input("x", {2, 3, 3, 5})
        .Node("Upsample", {"x"}, {"y"},
              Attrs(AttrString("mode", mode), test::AttrFloats("scales", {1, 1, 2, 3})))
        .Output("y");
    ExpectMatches(m7, c, 3, mode, "asymmetric", "floor", 1);
    TestModel m9(9);
    m9.Input("x", {2, 3, 3, 5})
        .Init("scales", Floats({1, 1, 2, 3}))
        .Node("Upsample", {"x", "scales"}, {"y"}, Attrs(AttrString("mode", mode)))
        .Output("y");
    ExpectMatches(m9, c, 3, mode, "asymmetric", "floor", 1);
  }
}

// Resize 10: inputs X and scales, asymmetric coordinates.
TEST(Resize10, LinearIsAsymmetric) {
  const Case c{"up", 4, 3, false, 1.5, 2.0};
  TestModel m(10);
  m.Input("x", {2, 3, 4, 3})
      .Init("scales", Floats({1, 1, 1.5f, 2}))
      .Node("Resize", {"x", "scales"}, {"y"}, Attrs(AttrString("mode", "linear")))
      .Output("y");
  ExpectMatches(m, c, 3, "linear", "asymmetric", "", 1);
}

// tf_crop_and_resize: the roi's box, extrapolation_value outside the input.
TEST(Resize, TfCropAndResizeExtrapolates) {
  TestModel m(13);
  m.Input("x", {1, 2, 4, 4})
      .Init("roi", Floats({0, 0, 0.25f, -0.5f, 1, 1, 0.75f, 1.5f}))
      .Init("sizes", Ints({1, 2, 3, 5}))
      .Node("Resize", {"x", "roi", "", "sizes"}, {"y"},
            Attrs(AttrString("mode", "linear"),
                  AttrString("coordinate_transformation_mode", "tf_crop_and_resize"),
                  AttrFloat("extrapolation_value", 9.f)))
      .Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor x = Seeded({1, 2, 4, 4}, 3);
  std::vector<NamedTensor> in;
  in.push_back({"x", x.Clone().value()});
  auto out = (*model)->Run(std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const float* y = (*out)[0].tensor.data<float>();
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < 3; ++i) {
      const double yi = 0.25 * 3 + i * 0.5 * 3 / 2;
      for (int j = 0; j < 5; ++j) {
        const double xj = -0.5 * 3 + j * 2.0 * 3 / 4;
        const float got = y[(k * 3 + i) * 5 + j];
        if (xj < 0 || xj > 3) {
          EXPECT_EQ(got, 9.f) << i << "," << j;
          continue;
        }
        const auto at = [&](int r, int s) {
          return double(x.data<float>()[(k * 4 + std::min(r, 3)) * 4 + std::min(s, 3)]);
        };
        const int r0 = int(std::floor(yi)), s0 = int(std::floor(xj));
        const double ty = yi - r0, tx = xj - s0;
        const double want = (at(r0, s0) * (1 - tx) + at(r0, s0 + 1) * tx) * (1 - ty) +
                            (at(r0 + 1, s0) * (1 - tx) + at(r0 + 1, s0 + 1) * tx) * ty;
        EXPECT_NEAR(got, want, 1e-5) << i << "," << j;
      }
    }
  }
}

// Between two convs Resize reads and writes NHWC: no layout conversion around it.
TEST(Resize, RunsOnNhwcBetweenConvs) {
  TestModel m(13);
  m.Input("x", {1, 3, 8, 8})
      .Init("w1", Seeded({4, 3, 3, 3}, 1))
      .Init("w2", Seeded({2, 4, 1, 1}, 2))
      .Init("scales", Floats({1, 1, 2, 2}))
      .Node("Conv", {"x", "w1"}, {"a"}, Attrs(test::AttrInts("pads", {1, 1, 1, 1})))
      .Node("Resize", {"a", "", "scales"}, {"b"}, Attrs(AttrString("mode", "linear")))
      .Node("Conv", {"b", "w2"}, {"y"})
      .Output("y");
  auto g = test::LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(test::OpTypes(*g),
            (std::vector<std::string>{"LayoutConvert", "Conv", "Resize", "Conv", "LayoutConvert"}));
}

// --- refused inputs ----------------------------------------------------------------------------

Status LoadResize(const Dims& x, std::vector<float> scales, std::vector<int64_t> sizes,
                  std::vector<onnx::Attribute> attrs = {}) {
  TestModel m(13);
  m.Input("x", x);
  std::vector<std::string> inputs = {"x", "", "", ""};
  if (!scales.empty()) {
    m.Init("scales", Floats(scales));
    inputs[2] = "scales";
  }
  if (!sizes.empty()) {
    m.Init("sizes", Ints(sizes));
    inputs[3] = "sizes";
  }
  m.Node("Resize", inputs, {"y"}, std::move(attrs)).Output("y");
  return m.Load().status();
}

TEST(ResizeRefuses, ScalingBatchOrChannels) {
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {2, 1, 2, 2}, {}), StatusCode::kUnsupported,
                        {"batch (N) axis"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {1, 6, 8, 8}), StatusCode::kUnsupported,
                        {"channel (C) axis"}));
}

TEST(ResizeRefuses, OtherRanks) {
  EXPECT_TRUE(FailsWith(LoadResize({3, 4, 4}, {1, 2, 2}, {}), StatusCode::kUnsupported,
                        {"3-D tensor", "only 4-D"}));
}

TEST(ResizeRefuses, BothOrNeitherOfScalesAndSizes) {
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, 2, 2}, {1, 3, 8, 8}),
                        StatusCode::kInvalidModel, {"both scales and sizes"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {}), StatusCode::kInvalidModel,
                        {"neither scales nor sizes"}));
}

TEST(ResizeRefuses, ZeroNegativeOrNonFiniteSizesAndScales) {
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {1, 3, 0, 8}), StatusCode::kInvalidModel,
                        {"must be positive"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {1, 3, -2, 8}), StatusCode::kInvalidModel,
                        {"must be positive"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, -2, 2}, {}), StatusCode::kInvalidModel,
                        {"positive and finite"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, NAN, 2}, {}), StatusCode::kInvalidModel,
                        {"positive and finite"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, 0.1f, 2}, {}), StatusCode::kInvalidModel,
                        {"would be empty"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {1, 3, 8}), StatusCode::kInvalidModel,
                        {"sizes has 3 values, expected 4"}));
}

TEST(ResizeRefuses, HugeOutputsWithLimitExceeded) {
  // Over maxTensorElements: refused by shape inference before anything is allocated.
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, 5000, 5000}, {}),
                        StatusCode::kLimitExceeded, {"maxTensorElements"}));
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {}, {1, 3, int64_t{1} << 40, int64_t{1} << 40}),
                        StatusCode::kLimitExceeded, {}));
  // A dim past int64: refused by the op itself.
  EXPECT_TRUE(FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, 3e38f, 2}, {}), StatusCode::kLimitExceeded,
                        {"Resize output axis 2"}));
}

TEST(ResizeRefuses, SizesComputedAtRunTime) {
  TestModel m(13);
  m.Input("x", {1, 3, 4, 4})
      .Input("sizes", {4}, DataType::kInt64)
      .Node("Resize", {"x", "", "", "sizes"}, {"y"})
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kUnsupported,
                        {"sizes", "must be known at load time"}));
}

TEST(ResizeRefuses, UnknownModes) {
  EXPECT_TRUE(
      FailsWith(LoadResize({1, 3, 4, 4}, {1, 1, 2, 2}, {}, Attrs(AttrString("mode", "area"))),
                StatusCode::kInvalidModel, {"mode 'area'"}));
  EXPECT_TRUE(FailsWith(
      LoadResize({1, 3, 4, 4}, {1, 1, 2, 2}, {},
                 Attrs(AttrString("coordinate_transformation_mode", "half_pixel_symmetric"))),
      StatusCode::kInvalidModel, {"half_pixel_symmetric", "opset 13"}));
}

}  // namespace
}  // namespace litecnn
