// Range, NonZero, GatherND, Pow and LayerNormalization where ONNX's node tests do not reach:
// Range's lengths at the ends of int64 and above the element limit, and its refusal of inputs
// fed at Run; NonZero's data-dependent length (zeros of both signs, NaN, nothing nonzero) and
// its refusal as another node's input; GatherND against a plain reference for every batch_dims,
// negative indices and hostile ones (at load and at Run); Pow's integer exponents beyond 2^24,
// its special cases and types; LayerNormalization's axes, broadcast Scale, statistics outputs
// and refused attributes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
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

Tensor Int64Scalar(int64_t v) { return Tensor::FromInt64s({}, {v}).value(); }
Tensor FloatScalar(float v) { return Tensor::FromFloats({}, {v}).value(); }
Tensor Floats(const Dims& dims, const std::vector<float>& v) {
  return Tensor::FromFloats(dims, v).value();
}

std::vector<NamedTensor> Feed(const std::string& name, const Tensor& t) {
  std::vector<NamedTensor> in;
  in.push_back({name, t.Clone().value()});
  return in;
}

// ---- Range ---------------------------------------------------------------------------------

TestModel RangeModel(const Tensor& start, const Tensor& limit, const Tensor& delta) {
  TestModel m(11);
  m.Init("start", start).Init("limit", limit).Init("delta", delta);
  m.Node("Range", {"start", "limit", "delta"}, {"y"}).Output("y");
  return m;
}

Result<Tensor> RunRange(const Tensor& start, const Tensor& limit, const Tensor& delta) {
  LITECNN_ASSIGN_OR_RETURN(std::vector<NamedTensor> out,
                           LoadAndRun(RangeModel(start, limit, delta), {}));
  return std::move(out[0].tensor);
}

TEST(Range, ConstantInputsFoldAtLoadInEachType) {
  auto y = RunRange(Int64Scalar(0), Int64Scalar(10), Int64Scalar(3));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int64_t>(*y), (std::vector<int64_t>{0, 3, 6, 9}));
  y = RunRange(Int64Scalar(5), Int64Scalar(-1), Int64Scalar(-2));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int64_t>(*y), (std::vector<int64_t>{5, 3, 1}));
  // Empty: the limit on the wrong side.
  y = RunRange(Int64Scalar(5), Int64Scalar(9), Int64Scalar(-2));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y->dims(), (Dims{0}));
  Tensor s32 = Tensor::Create(DataType::kInt32, {}).value();
  Tensor l32 = Tensor::Create(DataType::kInt32, {}).value();
  Tensor d32 = Tensor::Create(DataType::kInt32, {}).value();
  s32.data<int32_t>()[0] = INT32_MAX;
  l32.data<int32_t>()[0] = INT32_MIN;
  d32.data<int32_t>()[0] = INT32_MIN;
  y = RunRange(s32, l32, d32);  // the span is 2^32 - 1: two elements
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int32_t>(*y), (std::vector<int32_t>{INT32_MAX, -1}));
  y = RunRange(FloatScalar(1.f), FloatScalar(2.f), FloatScalar(0.25f));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<float>(*y), (std::vector<float>{1.f, 1.25f, 1.5f, 1.75f}));
}

TEST(Range, SpansOfTheWholeInt64RangeDoNotOverflow) {
  // INT64_MIN to INT64_MAX by 2^62: four elements, whose offsets from start exceed INT64_MAX.
  auto y = RunRange(Int64Scalar(INT64_MIN), Int64Scalar(INT64_MAX), Int64Scalar(int64_t{1} << 62));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int64_t>(*y),
            (std::vector<int64_t>{INT64_MIN, -(int64_t{1} << 62), 0, int64_t{1} << 62}));
  y = RunRange(Int64Scalar(INT64_MAX), Int64Scalar(INT64_MIN), Int64Scalar(INT64_MIN));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int64_t>(*y), (std::vector<int64_t>{INT64_MAX, -1}));
}

TEST(Range, HugeLengthsAreOverTheElementLimit) {
  EXPECT_TRUE(FailsWith(
      LoadStatus(RangeModel(Int64Scalar(INT64_MIN), Int64Scalar(INT64_MAX), Int64Scalar(1))),
      StatusCode::kLimitExceeded, {"maxTensorElements", "Range"}));
  EXPECT_TRUE(
      FailsWith(LoadStatus(RangeModel(FloatScalar(0.f), FloatScalar(1e30f), FloatScalar(1e-30f))),
                StatusCode::kLimitExceeded, {"maxTensorElements"}));
  EXPECT_TRUE(
      FailsWith(LoadStatus(RangeModel(FloatScalar(0.f), FloatScalar(INFINITY), FloatScalar(1.f))),
                StatusCode::kLimitExceeded, {"maxTensorElements"}));
  EXPECT_TRUE(FailsWith(
      LoadStatus(RangeModel(Int64Scalar(0), Int64Scalar(int64_t{1} << 27), Int64Scalar(1))),
      StatusCode::kLimitExceeded, {"maxTensorElements"}));
}

TEST(Range, BadValuesAndTypesAreRefused) {
  EXPECT_TRUE(FailsWith(LoadStatus(RangeModel(Int64Scalar(0), Int64Scalar(4), Int64Scalar(0))),
                        StatusCode::kInvalidModel, {"delta is 0"}));
  EXPECT_TRUE(FailsWith(LoadStatus(RangeModel(FloatScalar(0), FloatScalar(4), FloatScalar(0))),
                        StatusCode::kInvalidModel, {"delta is 0"}));
  EXPECT_TRUE(FailsWith(LoadStatus(RangeModel(FloatScalar(0), FloatScalar(NAN), FloatScalar(1))),
                        StatusCode::kInvalidModel, {"NaN"}));
  EXPECT_TRUE(FailsWith(LoadStatus(RangeModel(Int64Scalar(0), FloatScalar(4), Int64Scalar(1))),
                        StatusCode::kInvalidModel, {"limit is float32", "one type"}));
  EXPECT_TRUE(FailsWith(LoadStatus(RangeModel(Ints({0, 1}), Int64Scalar(4), Int64Scalar(1))),
                        StatusCode::kInvalidModel, {"start must be a scalar"}));
  Tensor d = Tensor::Create(DataType::kFloat64, {}).value();
  EXPECT_TRUE(
      FailsWith(LoadStatus(RangeModel(d, d, d)), StatusCode::kUnsupported, {"Range of float64"}));
}

TEST(Range, InputsFedAtRunAreRefusedAsUnbounded) {
  TestModel m(11);
  m.Input("limit", {}, DataType::kInt64)
      .Init("start", Int64Scalar(0))
      .Init("delta", Int64Scalar(1));
  m.Node("Range", {"start", "limit", "delta"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported,
                        {"limit fed at Run", "ONNX gives no bound"}));
}

TEST(Range, AFoldedRangeFeedsLaterNodes) {
  // x + Range(0, 4, 1) as float: the Range folds, so the Add sees a constant of 4 elements.
  TestModel m(11);
  m.Input("x", {2, 4});
  m.Init("start", FloatScalar(0)).Init("limit", FloatScalar(4)).Init("delta", FloatScalar(1));
  m.Node("Range", {"start", "limit", "delta"}, {"r"}).Node("Add", {"x", "r"}, {"y"}).Output("y");
  const Tensor x = test::Seeded({2, 4}, 3);
  auto out = LoadAndRun(m, Feed("x", x));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  for (int64_t i = 0; i < 8; ++i) {
    EXPECT_EQ((*out)[0].tensor.data<float>()[i], x.data<float>()[i] + static_cast<float>(i % 4));
  }
}

// ---- NonZero -------------------------------------------------------------------------------

TEST(NonZero, IndicesInRowMajorOrderWithTheirLength) {
  TestModel m(13);
  m.Input("x", {2, 3}).Node("NonZero", {"x"}, {"y"}).Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->outputs()[0].dims, (Dims{2, -1}));
  // -0 is zero, NaN is not.
  auto out = (*model)->Run(Feed("x", Floats({2, 3}, {0.f, 1.f, -0.f, NAN, 0.f, -2.f})));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{2, 3}));
  EXPECT_EQ(Data<int64_t>((*out)[0].tensor), (std::vector<int64_t>{0, 1, 1, 1, 0, 2}));
  out = (*model)->Run(Feed("x", Floats({2, 3}, {0.f, 0.f, 0.f, -0.f, 0.f, 0.f})));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{2, 0}));
  out = (*model)->Run(Feed("x", Floats({2, 3}, {1, 2, 3, 4, 5, 6})));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<int64_t>((*out)[0].tensor),
            (std::vector<int64_t>{0, 0, 0, 1, 1, 1, 0, 1, 2, 0, 1, 2}));
}

TEST(NonZero, RandomMasksOfEachTypeMatchAScan) {
  std::mt19937 rng(5);
  const Dims dims = {3, 1, 4, 5};
  for (DataType t : {DataType::kFloat32, DataType::kInt64, DataType::kInt32, DataType::kBool}) {
    TestModel m(9);
    m.Input("x", dims, t).Node("NonZero", {"x"}, {"y"}).Output("y");
    auto model = m.Load();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    Tensor x = Tensor::Create(t, dims).value();
    std::vector<int64_t> flat;
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      const bool on = rng() % 3 == 0;
      if (on) flat.push_back(i);
      if (t == DataType::kFloat32) x.data<float>()[i] = on ? 0.5f : 0.f;
      if (t == DataType::kInt64) x.data<int64_t>()[i] = on ? INT64_MIN : 0;
      if (t == DataType::kInt32) x.data<int32_t>()[i] = on ? -7 : 0;
      if (t == DataType::kBool) x.data<uint8_t>()[i] = on;
    }
    auto out = (*model)->Run(Feed("x", x));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const int64_t n = static_cast<int64_t>(flat.size());
    ASSERT_EQ((*out)[0].tensor.dims(), (Dims{4, n}));
    const int64_t* y = (*out)[0].tensor.data<int64_t>();
    for (int64_t j = 0; j < n; ++j) {
      int64_t rest = flat[j];
      for (int r = 3; r >= 0; --r) {
        EXPECT_EQ(y[r * n + j], rest % dims[r]) << j;
        rest /= dims[r];
      }
    }
  }
}

TEST(NonZero, ItsOutputCannotFeedAnotherNode) {
  TestModel m(13);
  m.Input("x", {4}).Node("NonZero", {"x"}, {"nz"}).Node("Identity", {"nz"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(m), StatusCode::kUnsupported,
                        {"NonZero", "length its values decide", "Identity"}));
}

TEST(NonZero, AConstantInputFoldsToItsLength) {
  TestModel m(13);
  m.Input("x", {2, 3}, DataType::kInt64);
  m.Init("c", Ints({0, 5, 0}));
  m.Node("NonZero", {"c"}, {"nz"}).Node("Add", {"x", "nz"}, {"y"}).Output("y");
  // nz is [[1]]: x + 1 broadcast.
  Tensor x = Tensor::FromInt64s({2, 3}, {1, 2, 3, 4, 5, 6}).value();
  auto out = LoadAndRun(m, Feed("x", x));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<int64_t>((*out)[0].tensor), (std::vector<int64_t>{2, 3, 4, 5, 6, 7}));
}

TEST(NonZero, ScalarsAndOtherTypesAreRefused) {
  TestModel scalar(13);
  scalar.Input("x", {}).Node("NonZero", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(scalar), StatusCode::kUnsupported, {"scalar"}));
  TestModel f64(13);
  f64.Input("x", {3}, DataType::kFloat64).Node("NonZero", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(f64), StatusCode::kUnsupported, {"NonZero of float64"}));
}

// ---- GatherND ------------------------------------------------------------------------------

// GatherND the plain way: for each tuple, the multi-index of its batch and its indices, then
// the slice's elements in order.
std::vector<float> ReferenceGatherND(const Tensor& data, const std::vector<int64_t>& idx,
                                     const Dims& idx_dims, int64_t b) {
  const Dims& x = data.dims();
  const int64_t m = idx_dims.back();
  int64_t tuples = 1, batches = 1, slice = 1;
  for (size_t k = 0; k + 1 < idx_dims.size(); ++k) tuples *= idx_dims[k];
  for (int64_t k = 0; k < b; ++k) batches *= x[k];
  for (size_t k = b + m; k < x.size(); ++k) slice *= x[k];
  std::vector<float> out;
  for (int64_t t = 0; t < tuples; ++t) {
    const int64_t batch = t / (tuples / batches);
    // Row-major offset of [batch..., i_0..i_{m-1}, 0...].
    int64_t off = batch;
    for (int64_t j = 0; j < m; ++j) {
      int64_t i = idx[t * m + j];
      if (i < 0) i += x[b + j];
      off = off * x[b + j] + i;
    }
    off *= slice;
    for (int64_t s = 0; s < slice; ++s) out.push_back(data.data<float>()[off + s]);
  }
  return out;
}

TEST(GatherND, EveryBatchDimsAndTupleLengthMatchesAReference) {
  const Dims x_dims = {2, 3, 4, 5};
  const Tensor x = test::Seeded(x_dims, 7);
  std::mt19937 rng(11);
  for (int64_t b : {0, 1, 2}) {
    for (int64_t m = 1; m <= 4 - b; ++m) {
      SCOPED_TRACE("batch_dims " + std::to_string(b) + " m " + std::to_string(m));
      Dims idx_dims(x_dims.begin(), x_dims.begin() + b);
      idx_dims.push_back(3);
      idx_dims.push_back(m);
      int64_t n = 1;
      for (int64_t d : idx_dims) n *= d;
      std::vector<int64_t> idx(n);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t dim = x_dims[b + i % m];
        idx[i] = static_cast<int64_t>(rng() % (2 * dim)) - dim;  // negative ones too
      }
      TestModel m_(13);
      m_.Input("x", x_dims).Init("i", Tensor::FromInt64s(idx_dims, idx).value());
      m_.Node("GatherND", {"x", "i"}, {"y"}, Attrs(AttrInt("batch_dims", b))).Output("y");
      auto out = LoadAndRun(m_, Feed("x", x));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      Dims want_dims(idx_dims.begin(), idx_dims.end() - 1);
      want_dims.insert(want_dims.end(), x_dims.begin() + b + m, x_dims.end());
      EXPECT_EQ((*out)[0].tensor.dims(), want_dims);
      EXPECT_EQ(Data<float>((*out)[0].tensor), ReferenceGatherND(x, idx, idx_dims, b));
    }
  }
}

TEST(GatherND, OutOfRangeIndicesFailAtLoadOrRun) {
  TestModel constant(13);
  constant.Input("x", {2, 3}).Init("i", Tensor::FromInt64s({1, 2}, {1, 3}).value());
  constant.Node("GatherND", {"x", "i"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(constant), StatusCode::kInvalidModel,
                        {"constant index 3", "out of range [-3, 3) of data axis 1"}));
  TestModel fed(13);
  fed.Input("x", {2, 3}).Input("i", {2, 2}, DataType::kInt64);
  fed.Node("GatherND", {"x", "i"}, {"y"}).Output("y");
  auto model = fed.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  for (int64_t bad : {int64_t{2}, int64_t{-3}, INT64_MIN, INT64_MAX}) {
    std::vector<NamedTensor> in = Feed("x", test::Seeded({2, 3}, 1));
    in.push_back({"i", Tensor::FromInt64s({2, 2}, {0, 0, bad, 1}).value()});
    EXPECT_TRUE(FailsWith((*model)->Run(std::move(in)).status(), StatusCode::kInvalidArgument,
                          {"out of range", "of data axis 0"}))
        << bad;
  }
}

TEST(GatherND, BadShapesAreRefusedWithTheirReason) {
  auto model = [](const Dims& x, const Dims& i, int64_t b, int64_t opset = 13) {
    TestModel m(opset);
    m.Input("x", x).Input("i", i, DataType::kInt64);
    m.Node("GatherND", {"x", "i"}, {"y"}, Attrs(AttrInt("batch_dims", b))).Output("y");
    return LoadStatus(m);
  };
  EXPECT_TRUE(FailsWith(model({2, 3}, {2, 3}, 0), StatusCode::kInvalidModel,
                        {"data [2, 3], indices [2, 3], batch_dims 0: indices' last dim must be in "
                         "[1, data's rank - batch_dims]"}));
  EXPECT_TRUE(FailsWith(model({2, 3}, {2, 0}, 0), StatusCode::kInvalidModel,
                        {"indices [2, 0]", "last dim must be"}));
  EXPECT_TRUE(FailsWith(model({2, 3}, {3, 1}, 1), StatusCode::kInvalidModel,
                        {"first batch_dims dims differ"}));
  EXPECT_TRUE(FailsWith(model({2, 3}, {2, 1}, 2), StatusCode::kInvalidModel,
                        {"batch_dims 2: batch_dims must be in [0, the lower rank)"}));
  EXPECT_TRUE(
      FailsWith(model({2, 3}, {}, 0), StatusCode::kInvalidModel, {"both must have rank >= 1"}));
  // batch_dims is version 12's: version 11 reads every tuple from data's first axis.
  EXPECT_TRUE(model({2, 3}, {2, 1}, 1, 11).ok());
  TestModel f_idx(13);
  f_idx.Input("x", {2, 3}).Input("i", {1, 1});
  f_idx.Node("GatherND", {"x", "i"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(LoadStatus(f_idx), StatusCode::kInvalidModel, {"indices must be int64"}));
}

TEST(GatherND, Int64DataIsGatheredToo) {
  TestModel m(12);
  m.Input("x", {2, 2}, DataType::kInt64).Init("i", Tensor::FromInt64s({2, 1}, {1, -2}).value());
  m.Node("GatherND", {"x", "i"}, {"y"}).Output("y");
  auto out = LoadAndRun(m, Feed("x", Tensor::FromInt64s({2, 2}, {1, 2, INT64_MIN, 4}).value()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].tensor.dims(), (Dims{2, 2}));
  EXPECT_EQ(Data<int64_t>((*out)[0].tensor), (std::vector<int64_t>{INT64_MIN, 4, 1, 2}));
}

// ---- Pow -----------------------------------------------------------------------------------

Result<Tensor> RunPow(int64_t opset, const Tensor& x, const Tensor& e) {
  TestModel m(opset);
  m.Input("x", x.dims(), x.dtype()).Init("e", e).Node("Pow", {"x", "e"}, {"y"}).Output("y");
  LITECNN_ASSIGN_OR_RETURN(std::vector<NamedTensor> out, LoadAndRun(m, Feed("x", x)));
  return std::move(out[0].tensor);
}

TEST(Pow, SpecialCasesAreLibmsAndFastPathsExact) {
  const std::vector<float> xs = {-INFINITY, -2.f, -1.f, -0.5f,    -0.f, 0.f,
                                 0.5f,      1.f,  3.f,  INFINITY, NAN};
  const Tensor x = Floats({static_cast<int64_t>(xs.size())}, xs);
  for (float e : {0.f, 0.5f, 1.f, 2.f, 3.f, -1.f, -2.f, 1.5f, -0.5f, INFINITY, -INFINITY, NAN}) {
    SCOPED_TRACE("exponent " + std::to_string(e));
    auto y = RunPow(15, x, FloatScalar(e));
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    for (size_t i = 0; i < xs.size(); ++i) {
      const float want = static_cast<float>(std::pow(double{xs[i]}, double{e}));
      const float got = y->data<float>()[i];
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << xs[i];
      } else {
        EXPECT_FLOAT_EQ(got, want) << xs[i];
        EXPECT_EQ(std::signbit(got), std::signbit(want)) << xs[i];
      }
    }
  }
}

TEST(Pow, IntegerExponentsKeepTheirParityBeyondFloatPrecision) {
  const Tensor x = Floats({4}, {-1.f, -1.f, -0.f, 2.f});
  const int64_t big = (int64_t{1} << 40) + 1;
  auto y = RunPow(13, x, Tensor::FromInt64s({4}, {big, big - 1, -big, 3}).value());
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<float>(*y), (std::vector<float>{-1.f, 1.f, -INFINITY, 8.f}));
  Tensor e32 = Tensor::Create(DataType::kInt32, {1}).value();
  e32.data<int32_t>()[0] = -3;
  y = RunPow(12, x, e32);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<float>(*y), (std::vector<float>{-1.f, -1.f, -INFINITY, 0.125f}));
}

TEST(Pow, BroadcastsBothWaysAndLegacyAxis) {
  // Exponent [3, 1] against base [1, 4]: a [3, 4] output.
  TestModel m(13);
  m.Input("x", {1, 4}).Init("e", Floats({3, 1}, {0.f, 1.f, 2.f}));
  m.Node("Pow", {"x", "e"}, {"y"}).Output("y");
  auto out = LoadAndRun(m, Feed("x", Floats({1, 4}, {1, 2, 3, 4})));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Data<float>((*out)[0].tensor),
            (std::vector<float>{1, 1, 1, 1, 1, 2, 3, 4, 1, 4, 9, 16}));
  // Version 1: B [2] laid over A [2, 3, 2]'s axis 0.
  TestModel legacy(1);
  legacy.Input("x", {2, 3, 2}).Init("e", Floats({2}, {2.f, 3.f}));
  legacy.Node("Pow", {"x", "e"}, {"y"}, Attrs(AttrInt("broadcast", 1), AttrInt("axis", 0)));
  legacy.Output("y");
  const Tensor x = test::Seeded({2, 3, 2}, 4);
  out = LoadAndRun(legacy, Feed("x", x));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  for (int64_t i = 0; i < 12; ++i) {
    const float v = x.data<float>()[i];
    EXPECT_FLOAT_EQ((*out)[0].tensor.data<float>()[i], i < 6 ? v * v : v * v * v) << i;
  }
}

TEST(Pow, IntegerBasesFromVersion12AreExact) {
  const Tensor x = Tensor::FromInt64s({6}, {3, -2, 1, -1, 0, 7}).value();
  auto y = RunPow(12, x, Tensor::FromInt64s({6}, {39, 63, -5, -5, 0, -1}).value());
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y->dtype(), DataType::kInt64);
  // 3^39 is above 2^53 (a double pow would round it); (-2)^63 wraps to INT64_MIN.
  EXPECT_EQ(Data<int64_t>(*y),
            (std::vector<int64_t>{4052555153018976267LL, INT64_MIN, 1, -1, 1, 0}));
  y = RunPow(15, x, Floats({6}, {2.f, 3.f, 0.5f, 2.f, 0.5f, -1.f}));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(Data<int64_t>(*y), (std::vector<int64_t>{9, -8, 1, 1, 0, 0}));
  Tensor x32 = Tensor::Create(DataType::kInt32, {2}).value();
  x32.data<int32_t>()[0] = -3;
  x32.data<int32_t>()[1] = 2;
  y = RunPow(13, x32, Floats({2}, {3.f, 0.5f}));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y->dtype(), DataType::kInt32);
  EXPECT_EQ(Data<int32_t>(*y), (std::vector<int32_t>{-27, 1}));  // 2^0.5 truncated
}

TEST(Pow, OtherTypesAndMixedTypesBeforeVersion12AreRefused) {
  EXPECT_TRUE(FailsWith(RunPow(7, Floats({2}, {1, 2}), Ints({2})).status(),
                        StatusCode::kInvalidModel, {"before version 12 both are one float type"}));
  EXPECT_TRUE(FailsWith(RunPow(7, Ints({2}), Ints({2})).status(), StatusCode::kInvalidModel,
                        {"Pow of int64 to int64"}));
  Tensor u8 = Tensor::Create(DataType::kUint8, {1}).value();
  EXPECT_TRUE(FailsWith(RunPow(15, u8, FloatScalar(2)).status(), StatusCode::kUnsupported,
                        {"Pow of a uint8 base"}));
  EXPECT_TRUE(FailsWith(RunPow(15, Floats({2}, {1, 2}), u8).status(), StatusCode::kUnsupported,
                        {"Pow exponent of uint8"}));
}

// ---- LayerNormalization --------------------------------------------------------------------

TEST(LayerNormalization, EveryAxisMatchesADoubleReferenceWithStatistics) {
  const Dims dims = {2, 3, 4};
  const Tensor x = test::Seeded(dims, 21);
  for (int64_t axis : {0, 1, 2, -1, -2, -3}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    const size_t a = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    Dims norm(dims.begin() + a, dims.end());
    int64_t inner = 1;
    for (int64_t d : norm) inner *= d;
    const int64_t outer = x.num_elements() / inner;
    // Scale of the normalised dims; B of only the last one (broadcast).
    const Tensor scale = test::Seeded(norm, 22);
    const Tensor bias = test::Seeded({dims.back()}, 23);
    TestModel m(17);
    m.Input("x", dims).Init("s", scale).Init("b", bias);
    m.Node("LayerNormalization", {"x", "s", "b"}, {"y", "mean", "inv"},
           Attrs(AttrInt("axis", axis), test::AttrFloat("epsilon", 1e-3f)));
    m.Output("y").Output("mean").Output("inv");
    auto out = LoadAndRun(m, Feed("x", x));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    Dims stats = dims;
    for (size_t k = a; k < 3; ++k) stats[k] = 1;
    EXPECT_EQ((*out)[1].tensor.dims(), stats);
    EXPECT_EQ((*out)[2].tensor.dims(), stats);
    for (int64_t o = 0; o < outer; ++o) {
      const float* v = x.data<float>() + o * inner;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < inner; ++i) mean += v[i];
      mean /= inner;
      for (int64_t i = 0; i < inner; ++i) var += (v[i] - mean) * (v[i] - mean);
      const double inv = 1 / std::sqrt(var / inner + 1e-3);
      EXPECT_NEAR((*out)[1].tensor.data<float>()[o], mean, 1e-6);
      EXPECT_NEAR((*out)[2].tensor.data<float>()[o], inv, 1e-5 * inv);
      for (int64_t i = 0; i < inner; ++i) {
        const double want =
            (v[i] - mean) * inv * scale.data<float>()[i] + bias.data<float>()[i % dims.back()];
        EXPECT_NEAR((*out)[0].tensor.data<float>()[o * inner + i], want, 1e-5);
      }
    }
  }
}

TEST(LayerNormalization, BadAttributesAndScalesAreRefused) {
  auto model = [](std::vector<onnx::Attribute> attrs, const Dims& scale) {
    TestModel m(17);
    m.Input("x", {2, 3}).Init("s", test::Seeded(scale, 1));
    m.Node("LayerNormalization", {"x", "s"}, {"y"}, std::move(attrs)).Output("y");
    return LoadStatus(m);
  };
  EXPECT_TRUE(model({}, {3}).ok());
  EXPECT_TRUE(FailsWith(model(Attrs(AttrInt("stash_type", 11)), {3}), StatusCode::kUnsupported,
                        {"stash_type 11"}));
  EXPECT_TRUE(FailsWith(model({}, {2}), StatusCode::kInvalidModel,
                        {"Scale [2] does not broadcast onto the normalised dims [3]"}));
  EXPECT_TRUE(
      FailsWith(model(Attrs(AttrInt("axis", 2)), {3}), StatusCode::kInvalidModel, {"axis 2"}));
}

}  // namespace
}  // namespace litecnn
