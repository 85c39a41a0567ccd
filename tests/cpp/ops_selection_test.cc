// TopK and NonMaxSuppression where ONNX's node tests (opset 11 only) do not reach: TopK's
// versions 1 and 10, ties, NaN, int64, K fed at Run; NonMaxSuppression's threshold edges
// (IoU equal to the threshold is kept, a score equal to it is dropped), omitted inputs, its
// data-dependent output length and the graphs that must be refused for it. Random cases are
// compared with references written the plain way (a stable sort of everything; a greedy scan
// of every box in score order).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::Attrs;
using test::Data;
using test::FailsWith;
using test::Ints;
using test::LoadAndRun;
using test::LoadStatus;
using test::TestModel;

// ---- TopK ----------------------------------------------------------------------------------

struct TopKResult {
  Dims dims;
  std::vector<double> values;
  std::vector<int64_t> indices;
};

// The k best along `axis` by a stable sort of the whole axis: equal values keep index order.
// NaN counts as above every number.
TopKResult ReferenceTopK(const Tensor& x, size_t axis, int64_t k, bool largest) {
  const Dims& d = x.dims();
  int64_t outer = 1, inner = 1;
  for (size_t i = 0; i < axis; ++i) outer *= d[i];
  for (size_t i = axis + 1; i < d.size(); ++i) inner *= d[i];
  const int64_t n = d[axis];
  TopKResult r;
  r.dims = d;
  r.dims[axis] = k;
  r.values.resize(outer * k * inner);
  r.indices.resize(outer * k * inner);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      std::vector<int64_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      auto at = [&](int64_t j) { return x.GetAsDouble((o * n + j) * inner + i); };
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        const double va = at(a), vb = at(b);
        if (std::isnan(va) || std::isnan(vb)) return largest ? !std::isnan(vb) : !std::isnan(va);
        return largest ? va > vb : va < vb;
      });
      for (int64_t q = 0; q < k; ++q) {
        r.values[(o * k + q) * inner + i] = at(order[q]);
        r.indices[(o * k + q) * inner + i] = order[q];
      }
    }
  }
  return r;
}

// A TopK model at `opset` over x (fed at Run) with k as an attribute (opset < 10) or as a
// constant K.
TestModel TopKModel(int64_t opset, const Dims& dims, DataType dtype, int64_t axis, int64_t k,
                    int64_t largest = 1) {
  TestModel m(opset);
  m.Input("x", dims, dtype);
  std::vector<onnx::Attribute> attrs = Attrs(AttrInt("axis", axis));
  if (opset >= 11) attrs.push_back(AttrInt("largest", largest));
  if (opset < 10) {
    attrs.push_back(AttrInt("k", k));
    m.Node("TopK", {"x"}, {"values", "indices"}, std::move(attrs));
  } else {
    m.Init("k", Ints({k}));
    m.Node("TopK", {"x", "k"}, {"values", "indices"}, std::move(attrs));
  }
  return std::move(m.Output("values").Output("indices"));
}

void ExpectTopK(const TestModel& m, const Tensor& x, size_t axis, int64_t k, bool largest) {
  std::vector<NamedTensor> in;
  in.push_back({"x", x.Clone().value()});
  auto out = LoadAndRun(m, std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const TopKResult want = ReferenceTopK(x, axis, k, largest);
  const Tensor& values = (*out)[0].tensor;
  const Tensor& indices = (*out)[1].tensor;
  ASSERT_EQ(values.dims(), want.dims);
  ASSERT_EQ(values.dtype(), x.dtype());
  ASSERT_EQ(indices.dtype(), DataType::kInt64);
  EXPECT_EQ(Data<int64_t>(indices), want.indices);
  for (size_t i = 0; i < want.values.size(); ++i) {
    const double v = values.GetAsDouble(static_cast<int64_t>(i));
    if (std::isnan(want.values[i])) {
      EXPECT_TRUE(std::isnan(v)) << i;
    } else {
      EXPECT_EQ(v, want.values[i]) << i;
    }
  }
}

// Values from a few levels, so that most rows have ties.
Tensor FewLevels(const Dims& dims, uint32_t seed, DataType dtype) {
  Tensor t = Tensor::Create(dtype, dims).value();
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    const int level = static_cast<int>(rng() % 7) - 3;
    if (dtype == DataType::kInt64) {
      t.data<int64_t>()[i] = level * 1000000007LL;
    } else {
      t.data<float>()[i] = 0.5f * static_cast<float>(level);
    }
  }
  return t;
}

TEST(TopK, EveryVersionMatchesAStableSortOnEachAxis) {
  const Dims dims = {3, 17, 5};
  for (int64_t opset : {1, 10, 11}) {
    for (int64_t axis : {0, 1, 2, -1, -2}) {
      const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
      for (int64_t k : {int64_t{0}, int64_t{1}, int64_t{2}, dims[a]}) {
        SCOPED_TRACE("opset " + std::to_string(opset) + " axis " + std::to_string(axis) + " k " +
                     std::to_string(k));
        const Tensor x =
            FewLevels(dims, static_cast<uint32_t>(opset * 31 + a * 7 + k), DataType::kFloat32);
        ExpectTopK(TopKModel(opset, dims, DataType::kFloat32, axis, k), x, a, k, true);
      }
    }
  }
}

TEST(TopK, SmallestFromVersion11WithTiesByLowerIndex) {
  const Dims dims = {4, 33};
  for (int64_t k : {1, 3, 32, 33}) {
    const Tensor x = FewLevels(dims, static_cast<uint32_t>(k), DataType::kFloat32);
    ExpectTopK(TopKModel(11, dims, DataType::kFloat32, 1, k, 0), x, 1, k, false);
  }
}

TEST(TopK, Int64LargestAndSmallestIncludingExtremes) {
  Tensor x = FewLevels({2, 9}, 5, DataType::kInt64);
  x.data<int64_t>()[1] = INT64_MIN;
  x.data<int64_t>()[4] = INT64_MAX;
  x.data<int64_t>()[12] = INT64_MIN;
  for (int64_t largest : {0, 1}) {
    for (int64_t k : {1, 4, 9}) {
      ExpectTopK(TopKModel(11, {2, 9}, DataType::kInt64, 1, k, largest), x, 1, k, largest);
    }
  }
}

TEST(TopK, NaNRanksAboveInfinityAndZerosOfBothSignsTie) {
  Tensor x =
      Tensor::FromFloats({1, 8}, {0.f, NAN, -0.f, INFINITY, -INFINITY, 1.f, NAN, -1.f}).value();
  for (int64_t largest : {0, 1}) {
    ExpectTopK(TopKModel(11, {1, 8}, DataType::kFloat32, 1, 8, largest), x, 1, 8, largest);
  }
  // The zeros' indices (0 then 2) show they tie; their bytes are the input's own.
  std::vector<NamedTensor> in;
  in.push_back({"x", x.Clone().value()});
  auto out = LoadAndRun(TopKModel(11, {1, 8}, DataType::kFloat32, 1, 4, 0), std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<int64_t>((*out)[1].tensor), (std::vector<int64_t>{4, 7, 0, 2}));
  EXPECT_TRUE(std::signbit((*out)[0].tensor.data<float>()[3]));
}

TEST(TopK, AfterAConvReadsItsActivation) {
  // Conv's output is NHWC inside litecnn; TopK over channels sees it converted back.
  TestModel m(11);
  m.Input("x", {1, 3, 4, 5})
      .Init("w", test::Seeded({6, 3, 1, 1}, 3))
      .Init("k", Ints({2}))
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("TopK", {"c", "k"}, {"values", "indices"}, Attrs(AttrInt("axis", 1)))
      .Output("values")
      .Output("indices");
  TestModel conv(11);
  conv.Input("x", {1, 3, 4, 5})
      .Init("w", test::Seeded({6, 3, 1, 1}, 3))
      .Node("Conv", {"x", "w"}, {"c"})
      .Output("c");
  std::vector<NamedTensor> a, b;
  a.push_back({"x", test::Seeded({1, 3, 4, 5}, 4)});
  b.push_back({"x", test::Seeded({1, 3, 4, 5}, 4)});
  auto c = LoadAndRun(conv, std::move(b));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto out = LoadAndRun(m, std::move(a));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const TopKResult want = ReferenceTopK((*c)[0].tensor, 1, 2, true);
  EXPECT_EQ(Data<int64_t>((*out)[1].tensor), want.indices);
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{1, 2, 4, 5}));
}

TEST(TopK, KFedAtRunGivesTheAxisThatLength) {
  TestModel m(11);
  m.Input("x", {2, 6}).Input("k", {1}, DataType::kInt64);
  m.Node("TopK", {"x", "k"}, {"values", "indices"}).Output("values").Output("indices");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->outputs()[0].dims, (Dims{2, -1}));
  const Tensor x = test::Seeded({2, 6}, 9);
  for (int64_t k : {3, 0, 6}) {
    std::vector<NamedTensor> in;
    in.push_back({"x", x.Clone().value()});
    in.push_back({"k", Ints({k})});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const TopKResult want = ReferenceTopK(x, 1, k, true);
    EXPECT_EQ((*out)[0].tensor.dims(), want.dims);
    EXPECT_EQ(Data<int64_t>((*out)[1].tensor), want.indices);
  }
  std::vector<NamedTensor> in;
  in.push_back({"x", x.Clone().value()});
  in.push_back({"k", Ints({7})});
  EXPECT_TRUE(FailsWith((*model)->Run(std::move(in)).status(), StatusCode::kInvalidArgument,
                        {"input K", "k must be in [0, 6] (the length of axis 1), got 7"}));
}

TEST(TopK, KLargerThanTheAxisOrNegativeIsRefused) {
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(11, {2, 5}, DataType::kFloat32, 1, 6)),
                        StatusCode::kInvalidModel,
                        {"k must be in [0, 5] (the length of axis 1), got 6"}));
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(1, {2, 5}, DataType::kFloat32, 0, 3)),
                        StatusCode::kInvalidModel,
                        {"k must be in [0, 2] (the length of axis 0), got 3"}));
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(10, {2, 5}, DataType::kFloat32, 1, -1)),
                        StatusCode::kInvalidModel, {"got -1"}));
}

TEST(TopK, BadInputsAreRefusedWithTheirReason) {
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(10, {2, 5}, DataType::kInt64, 1, 1)),
                        StatusCode::kInvalidModel, {"version 10 takes floats"}));
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(11, {2, 5}, DataType::kInt32, 1, 1)),
                        StatusCode::kUnsupported, {"TopK of int32"}));
  EXPECT_TRUE(FailsWith(LoadStatus(TopKModel(11, {2, 5}, DataType::kFloat32, 2, 1)),
                        StatusCode::kInvalidModel, {"axis 2 out of range"}));
  TestModel scalar(11);
  scalar.Input("x", {}).Init("k", Ints({1})).Node("TopK", {"x", "k"}, {"v", "i"}).Output("v");
  EXPECT_TRUE(FailsWith(LoadStatus(scalar), StatusCode::kInvalidModel, {"scalar"}));
  TestModel two_k(11);
  two_k.Input("x", {4}).Init("k", Ints({1, 2})).Node("TopK", {"x", "k"}, {"v", "i"}).Output("v");
  EXPECT_TRUE(FailsWith(LoadStatus(two_k), StatusCode::kInvalidModel, {"K must hold one value"}));
  TestModel no_k(9);
  no_k.Input("x", {4}).Node("TopK", {"x"}, {"v", "i"}).Output("v");
  EXPECT_TRUE(FailsWith(LoadStatus(no_k), StatusCode::kInvalidModel, {"attribute k"}));
  TestModel k_attr(10);
  k_attr.Input("x", {4}).Init("k", Ints({1}));
  k_attr.Node("TopK", {"x", "k"}, {"v", "i"}, Attrs(AttrInt("k", 1))).Output("v");
  EXPECT_TRUE(FailsWith(LoadStatus(k_attr), StatusCode::kInvalidModel, {"input K"}));
}

// ---- NonMaxSuppression ---------------------------------------------------------------------

// Greedy NMS the plain way: all boxes of a class sorted by score (stable: equal scores by
// index), each kept unless a kept box overlaps it by IoU > threshold.
std::vector<int64_t> ReferenceNms(const Tensor& boxes, const Tensor& scores, int64_t max_out,
                                  float iou, float score_threshold, bool center) {
  const int64_t nb = scores.dims()[0], nc = scores.dims()[1], n = scores.dims()[2];
  std::vector<int64_t> rows;
  auto corners = [&](int64_t b, int64_t j, float* y1, float* x1, float* y2, float* x2) {
    const float* d = boxes.data<float>() + (b * n + j) * 4;
    if (center) {
      *x1 = d[0] - d[2] / 2, *x2 = d[0] + d[2] / 2, *y1 = d[1] - d[3] / 2, *y2 = d[1] + d[3] / 2;
    } else {
      *y1 = std::min(d[0], d[2]), *y2 = std::max(d[0], d[2]);
      *x1 = std::min(d[1], d[3]), *x2 = std::max(d[1], d[3]);
    }
  };
  for (int64_t b = 0; b < nb; ++b) {
    for (int64_t c = 0; c < nc; ++c) {
      const float* s = scores.data<float>() + (b * nc + c) * n;
      std::vector<int64_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t q) { return s[a] > s[q]; });
      std::vector<int64_t> kept;
      for (int64_t j : order) {
        if (static_cast<int64_t>(kept.size()) >= max_out || !(s[j] > score_threshold)) break;
        bool drop = false;
        for (int64_t q : kept) {
          float ay1, ax1, ay2, ax2, by1, bx1, by2, bx2;
          corners(b, q, &ay1, &ax1, &ay2, &ax2);
          corners(b, j, &by1, &bx1, &by2, &bx2);
          const float ih = std::max(0.f, std::min(ay2, by2) - std::max(ay1, by1));
          const float iw = std::max(0.f, std::min(ax2, bx2) - std::max(ax1, bx1));
          const float inter = ih * iw;
          const float uni = (ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter;
          drop = drop || (inter > 0 && uni > 0 && inter / uni > iou);
        }
        if (drop) continue;
        kept.push_back(j);
        rows.insert(rows.end(), {b, c, j});
      }
    }
  }
  return rows;
}

Tensor Scalar64(int64_t v) { return Tensor::FromInt64s({1}, {v}).value(); }
Tensor Scalar32(float v) { return Tensor::FromFloats({1}, {v}).value(); }

// NMS over boxes (fed at Run) with constant scores and thresholds; `inputs` are the node's
// input names after boxes and scores ("" for an omitted one).
TestModel NmsModel(const Dims& boxes, const Tensor& scores, std::vector<std::string> inputs,
                   int64_t max_out, float iou, float score_threshold, int64_t center = 0) {
  TestModel m(11);
  m.Input("boxes", boxes).Init("scores", scores);
  m.Init("max", Scalar64(max_out))
      .Init("iou", Scalar32(iou))
      .Init("thr", Scalar32(score_threshold));
  inputs.insert(inputs.begin(), {"boxes", "scores"});
  m.Node("NonMaxSuppression", inputs, {"selected"}, Attrs(AttrInt("center_point_box", center)));
  return std::move(m.Output("selected"));
}

Result<Tensor> RunNms(const TestModel& m, const Tensor& boxes) {
  std::vector<NamedTensor> in;
  in.push_back({"boxes", boxes.Clone().value()});
  LITECNN_ASSIGN_OR_RETURN(std::vector<NamedTensor> out, LoadAndRun(m, std::move(in)));
  return std::move(out[0].tensor);
}

// Boxes clustered so that many overlap: [B, N, 4] corners in random diagonal order, or centres
// and sizes.
Tensor ClusteredBoxes(int64_t batches, int64_t n, uint32_t seed) {
  Tensor t = Tensor::Create(DataType::kFloat32, {batches, n, 4}).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> pos(0.f, 4.f), size(0.5f, 2.f);
  for (int64_t i = 0; i < batches * n; ++i) {
    float* d = t.data<float>() + i * 4;
    const float y = pos(rng), x = pos(rng), h = size(rng), w = size(rng);
    if (rng() % 2) {
      d[0] = y, d[1] = x, d[2] = y + h, d[3] = x + w;
    } else {
      d[0] = y + h, d[1] = x + w, d[2] = y, d[3] = x;  // the other diagonal
    }
  }
  return t;
}

TEST(NonMaxSuppression, MatchesAGreedyScanOnClusteredBoxes) {
  for (int64_t center : {0, 1}) {
    for (const auto& [max_out, iou, thr] : {std::tuple<int64_t, float, float>{100, 0.5f, -1.f},
                                            {3, 0.3f, 0.f},
                                            {50, 0.f, 0.2f},
                                            {50, 1.f, -2.f}}) {
      SCOPED_TRACE("center " + std::to_string(center) + " max " + std::to_string(max_out) +
                   " iou " + std::to_string(iou));
      const Tensor boxes = ClusteredBoxes(2, 40, static_cast<uint32_t>(max_out + center));
      Tensor scores = test::Seeded({2, 3, 40}, static_cast<uint32_t>(7 + max_out));
      for (int64_t i = 0; i < scores.num_elements(); i += 5) scores.data<float>()[i] = 0.25f;
      auto got = RunNms(
          NmsModel({2, 40, 4}, scores, {"max", "iou", "thr"}, max_out, iou, thr, center), boxes);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      const std::vector<int64_t> want = ReferenceNms(boxes, scores, max_out, iou, thr, center);
      EXPECT_EQ(got->dims(), (Dims{static_cast<int64_t>(want.size() / 3), 3}));
      EXPECT_EQ(Data<int64_t>(*got), want);
    }
  }
}

TEST(NonMaxSuppression, IouEqualToTheThresholdIsKept) {
  // Box 1 overlaps box 0 by 2 of their union 4: IoU exactly 0.5.
  const Tensor boxes = Tensor::FromFloats({1, 2, 4}, {0, 0, 1, 3, 0, 1, 1, 4}).value();
  const Tensor scores = Tensor::FromFloats({1, 1, 2}, {0.9f, 0.8f}).value();
  auto kept = RunNms(NmsModel({1, 2, 4}, scores, {"max", "iou"}, 10, 0.5f, 0), boxes);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(Data<int64_t>(*kept), (std::vector<int64_t>{0, 0, 0, 0, 0, 1}));
  auto dropped = RunNms(NmsModel({1, 2, 4}, scores, {"max", "iou"}, 10, 0.49f, 0), boxes);
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(Data<int64_t>(*dropped), (std::vector<int64_t>{0, 0, 0}));
}

TEST(NonMaxSuppression, ScoreEqualToTheThresholdIsDropped) {
  const Tensor boxes =
      Tensor::FromFloats({1, 3, 4}, {0, 0, 1, 1, 5, 5, 6, 6, 9, 9, 10, 10}).value();
  const Tensor scores = Tensor::FromFloats({1, 1, 3}, {0.5f, 0.75f, 0.25f}).value();
  auto out = RunNms(NmsModel({1, 3, 4}, scores, {"max", "iou", "thr"}, 10, 0.5f, 0.5f), boxes);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<int64_t>(*out), (std::vector<int64_t>{0, 0, 1}));
}

TEST(NonMaxSuppression, EqualScoresGoByLowerIndexAndNaNIsNeverSelected) {
  const Tensor boxes =
      Tensor::FromFloats({1, 4, 4}, {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7}).value();
  const Tensor scores = Tensor::FromFloats({1, 1, 4}, {0.5f, NAN, 0.75f, 0.5f}).value();
  auto out = RunNms(NmsModel({1, 4, 4}, scores, {"max"}, 10, 0, 0), boxes);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<int64_t>(*out), (std::vector<int64_t>{0, 0, 2, 0, 0, 0, 0, 0, 3}));
}

TEST(NonMaxSuppression, OmittedOrEmptyNamedInputsTakeTheirDefaults) {
  const Tensor boxes = ClusteredBoxes(1, 12, 3);
  const Tensor scores = test::Seeded({1, 2, 12}, 5);
  // No max_output_boxes_per_class: 0, nothing selected.
  auto none = RunNms(NmsModel({1, 12, 4}, scores, {}, 0, 0, 0), boxes);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->dims(), (Dims{0, 3}));
  // Empty names: iou_threshold 0 (any overlap suppresses), no score threshold.
  auto defaults = RunNms(NmsModel({1, 12, 4}, scores, {"max", "", ""}, 5, 0, 0), boxes);
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(Data<int64_t>(*defaults), ReferenceNms(boxes, scores, 5, 0.f, -INFINITY, false));
}

TEST(NonMaxSuppression, MaxOutputFedAtRunAndTheOutputLengthReported) {
  TestModel m(10);
  m.Input("boxes", {1, 20, 4}).Input("max", {1}, DataType::kInt64);
  m.Init("scores", test::Seeded({1, 2, 20}, 11)).Init("iou", Scalar32(0.4f));
  m.Node("NonMaxSuppression", {"boxes", "scores", "max", "iou"}, {"selected"}).Output("selected");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->outputs()[0].dims, (Dims{-1, 3}));
  const Tensor boxes = ClusteredBoxes(1, 20, 2);
  const Tensor scores = test::Seeded({1, 2, 20}, 11);
  for (int64_t max_out : {1, 4, 20, -3}) {
    std::vector<NamedTensor> in;
    in.push_back({"boxes", boxes.Clone().value()});
    in.push_back({"max", Ints({max_out})});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const std::vector<int64_t> want = ReferenceNms(boxes, scores, max_out, 0.4f, -INFINITY, false);
    EXPECT_EQ((*out)[0].tensor.dims(), (Dims{static_cast<int64_t>(want.size() / 3), 3}));
    EXPECT_EQ(Data<int64_t>((*out)[0].tensor), want);
  }
}

TEST(NonMaxSuppression, ConstantInputsFoldToTheSelectedRowsForLaterOps) {
  // Folded at load, the output has its run's length, so a Gather of its box column may follow.
  const Tensor boxes = ClusteredBoxes(1, 16, 8);
  const Tensor scores = test::Seeded({1, 1, 16}, 4);
  TestModel m(11);
  m.Init("boxes", boxes)
      .Init("scores", scores)
      .Init("max", Scalar64(16))
      .Init("iou", Scalar32(0.2f));
  m.Init("col", Ints({2}));
  m.Node("NonMaxSuppression", {"boxes", "scores", "max", "iou"}, {"selected"});
  m.Node("Gather", {"selected", "col"}, {"box"}, Attrs(AttrInt("axis", 1))).Output("box");
  auto out = LoadAndRun(m, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<int64_t> rows = ReferenceNms(boxes, scores, 16, 0.2f, -INFINITY, false);
  std::vector<int64_t> want;
  for (size_t r = 2; r < rows.size(); r += 3) want.push_back(rows[r]);
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{static_cast<int64_t>(want.size()), 1}));
  EXPECT_EQ(Data<int64_t>((*out)[0].tensor), want);
}

TEST(NonMaxSuppression, AnOpReadingTheSelectedRowsIsRefused) {
  TestModel m(11);
  m.Input("boxes", {1, 8, 4}).Init("scores", test::Seeded({1, 1, 8}, 1)).Init("max", Scalar64(4));
  m.Init("col", Ints({2}));
  m.Node("NonMaxSuppression", {"boxes", "scores", "max"}, {"selected"}, {}, "nms");
  m.Node("Gather", {"selected", "col"}, {"box"}, Attrs(AttrInt("axis", 1)), "pick").Output("box");
  EXPECT_TRUE(FailsWith(
      LoadStatus(m), StatusCode::kUnsupported,
      {"NonMaxSuppression node 'nms'", "length its values decide", "Gather node 'pick'"}));
}

TEST(NonMaxSuppression, BadShapesTypesAndThresholdsAreRefused) {
  const Tensor scores = test::Seeded({1, 1, 6}, 1);
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({1, 6, 5}, scores, {"max"}, 1, 0, 0)),
                        StatusCode::kInvalidModel,
                        {"boxes must be [batches, boxes, 4]", "[1, 6, 5]"}));
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({6, 4}, scores, {"max"}, 1, 0, 0)),
                        StatusCode::kInvalidModel, {"boxes must be"}));
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({1, 7, 4}, scores, {"max"}, 1, 0, 0)),
                        StatusCode::kInvalidModel, {"scores must be [batches, classes, boxes]"}));
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({1, 6, 4}, scores, {"max", "iou"}, 1, 1.5f, 0)),
                        StatusCode::kInvalidArgument, {"iou_threshold must be in [0, 1]"}));
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({1, 6, 4}, scores, {"max"}, 1, 0, 0, 2)),
                        StatusCode::kInvalidModel, {"center_point_box is 2"}));
  EXPECT_TRUE(FailsWith(LoadStatus(NmsModel({1, 6, 4}, scores, {"iou"}, 1, 0, 0)),
                        StatusCode::kInvalidModel, {"max_output_boxes_per_class must be int64"}));
  TestModel two(11);
  two.Input("boxes", {1, 6, 4}).Init("scores", scores).Init("max", Ints({1, 2}));
  two.Node("NonMaxSuppression", {"boxes", "scores", "max"}, {"selected"}).Output("selected");
  EXPECT_TRUE(FailsWith(LoadStatus(two), StatusCode::kInvalidModel, {"must hold one value"}));
}

}  // namespace
}  // namespace litecnn
