// ElideNoOpConversions (passes/elide_noop_conversions.cc): a conversion that moves no byte
// (BlazeFace's NHWC input and heads, pooled [N, C, 1, 1] features, a one-channel image) becomes a
// View of the value holding those bytes; one that moves bytes, or has another reader, stays.
// Numbers checked against naive references.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::ExpectNear;
using test::LoadedGraph;
using test::OpTypes;
using test::RunOnce;
using test::Seeded;
using test::TestModel;
using test::ValueNamed;

// An NHWC image [1, 4, 5, 3] transposed to NCHW, a 3x3 conv (pad 1) to 2 channels, and the result
// transposed back to NHWC: the graph of a model converted from TensorFlow (BlazeFace).
// `input_perm` transposes the input; (0, 3, 2, 1) also swaps height and width, which no layout
// undoes. `concat`: a second output concatenates the conv with a 1x1 conv of the transposed input.
struct NhwcModel {
  std::vector<int64_t> input_perm = {0, 3, 1, 2};
  bool transposed_is_output = false;
  bool concat = false;
  TestModel Build() const {
    TestModel m;
    m.Input("x", {1, 4, 5, 3})
        .Init("w", Seeded({2, 3, 3, 3}, 21))
        .Init("b", Seeded({2}, 22))
        .Node("Transpose", {"x"}, {"t"}, test::Attrs(AttrInts("perm", input_perm)))
        .Node("Conv", {"t", "w", "b"}, {"c"}, test::Attrs(AttrInts("pads", {1, 1, 1, 1})))
        .Node("Transpose", {"c"}, {"y"}, test::Attrs(AttrInts("perm", {0, 2, 3, 1})))
        .Output("y");
    if (transposed_is_output) m.Output("t");
    if (concat) {
      m.Init("w1", Seeded({4, 3, 1, 1}, 23))
          .Node("Conv", {"t", "w1"}, {"d"})
          .Node("Concat", {"c", "d", "t"}, {"cat"}, test::Attrs(AttrInt("axis", 1)))
          .Output("cat");
    }
    return m;
  }
};

// Naive reference of NhwcModel's outputs from x: y (NHWC) and, with `concat`, cat (NCHW).
std::vector<std::vector<float>> NhwcReference(const NhwcModel& s, const Tensor& x) {
  const Tensor w = Seeded({2, 3, 3, 3}, 21), b = Seeded({2}, 22), w1 = Seeded({4, 3, 1, 1}, 23);
  const bool swap = s.input_perm[2] == 2;  // t's spatial axes are x's (W, H)
  const int64_t h = swap ? 5 : 4, wd = swap ? 4 : 5;
  auto t = [&](int64_t c, int64_t i, int64_t j) {  // t[0, c, i, j]
    const int64_t xh = swap ? j : i, xw = swap ? i : j;
    return x.data<float>()[(xh * 5 + xw) * 3 + c];
  };
  auto conv = [&](int64_t o, int64_t i, int64_t j) {
    float acc = b.data<float>()[o];
    for (int64_t c = 0; c < 3; ++c) {
      for (int64_t ki = 0; ki < 3; ++ki) {
        for (int64_t kj = 0; kj < 3; ++kj) {
          const int64_t ii = i + ki - 1, jj = j + kj - 1;
          if (ii < 0 || ii >= h || jj < 0 || jj >= wd) continue;
          acc += w.data<float>()[((o * 3 + c) * 3 + ki) * 3 + kj] * t(c, ii, jj);
        }
      }
    }
    return acc;
  };
  std::vector<std::vector<float>> out(1);
  for (int64_t i = 0; i < h; ++i) {
    for (int64_t j = 0; j < wd; ++j) {
      for (int64_t o = 0; o < 2; ++o) out[0].push_back(conv(o, i, j));
    }
  }
  if (s.concat) {
    out.emplace_back();
    for (int64_t o = 0; o < 9; ++o) {
      for (int64_t i = 0; i < h; ++i) {
        for (int64_t j = 0; j < wd; ++j) {
          float v = 0.f;
          if (o < 2) {
            v = conv(o, i, j);
          } else if (o < 6) {
            for (int64_t c = 0; c < 3; ++c) v += w1.data<float>()[(o - 2) * 3 + c] * t(c, i, j);
          } else {
            v = t(o - 6, i, j);
          }
          out[1].push_back(v);
        }
      }
    }
  }
  return out;
}

void ExpectNhwcModelValues(const NhwcModel& s) {
  auto model = s.Build().Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor x = Seeded({1, 4, 5, 3}, 24);
  const std::vector<std::vector<float>> want = NhwcReference(s, x);
  // Twice: the second run must not see anything the first left in a shared buffer.
  for (int run = 0; run < 2; ++run) {
    std::vector<NamedTensor> in;
    in.push_back({"x", x.Clone().value()});
    auto out = (*model)->Run(std::move(in));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const Tensor& y = (*out)[0].tensor;
    ExpectNear(std::vector<float>(y.data<float>(), y.data<float>() + y.num_elements()), want[0]);
    if (s.concat) {
      const Tensor& cat = (*out).back().tensor;
      ExpectNear(std::vector<float>(cat.data<float>(), cat.data<float>() + cat.num_elements()),
                 want[1]);
    }
  }
}

TEST(ElideNoOpConversions, NhwcInputAndOutputTransposesBecomeViews) {
  NhwcModel s;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"View", "Conv", "View"}));
  EXPECT_EQ(ValueNamed(*g, "c")->placed_in, -1);
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, TransposeWithAnotherReaderStays) {
  NhwcModel s;
  s.transposed_is_output = true;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Transpose", "View", "Conv", "View"}));
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, PermutationNoLayoutUndoesIsCopied) {
  NhwcModel s;
  s.input_perm = {0, 3, 2, 1};
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"Transpose", "LayoutConvert", "Conv", "View"}));
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, ViewsAndTheirHostsAreNotPlacedInAConcat) {
  NhwcModel s;
  s.concat = true;
  auto g = LoadedGraph(s.Build());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  // The concat reads t in NHWC: the View of x, which stays in x's buffer (placements do not
  // nest) and is copied; d is written in place.
  const Value* t_nhwc = ValueNamed(*g, "t@NHWC");
  ASSERT_NE(t_nhwc, nullptr);
  EXPECT_EQ(t_nhwc->placed_in, g->inputs[0]);
  EXPECT_GE(ValueNamed(*g, "d")->placed_in, 0);
  ExpectNhwcModelValues(s);
}

TEST(ElideNoOpConversions, PooledFeaturesBeforeFlattenAreAView) {
  // [1, 5, 1, 1] has the same bytes in NHWC and plain: MobileNet's head.
  TestModel m;
  m.Input("x", {1, 3, 4, 4})
      .Init("w", Seeded({5, 3, 1, 1}, 31))
      .Node("Conv", {"x", "w"}, {"c"})
      .Node("GlobalAveragePool", {"c"}, {"p"})
      .Node("Flatten", {"p"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "GlobalAveragePool",
                                                   "View", "Flatten"}));
  const Tensor x = Seeded({1, 3, 4, 4}, 11), w = Seeded({5, 3, 1, 1}, 31);
  std::vector<float> want(5, 0.f);
  for (int o = 0; o < 5; ++o) {
    for (int p = 0; p < 16; ++p) {
      for (int c = 0; c < 3; ++c)
        want[o] += w.data<float>()[o * 3 + c] * x.data<float>()[c * 16 + p];
    }
    want[o] /= 16.f;
  }
  ExpectNear(RunOnce(m, {1, 3, 4, 4}), want);
}

TEST(ElideNoOpConversions, OneChannelImageTransposeGoesToo) {
  // x [1, 4, 5, 1]: the Transpose's output has x's bytes as well; the View takes x, so the
  // Transpose goes.
  TestModel m;
  m.Input("x", {1, 4, 5, 1})
      .Init("w", Tensor::FromFloats({2, 1, 1, 1}, {2.f, -0.5f}).value())
      .Node("Transpose", {"x"}, {"t"}, test::Attrs(AttrInts("perm", {0, 3, 1, 2})))
      .Node("Conv", {"t", "w"}, {"y"})
      .Output("y");
  auto g = LoadedGraph(m);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"View", "Conv", "LayoutConvert"}));
  const Tensor x = Seeded({1, 4, 5, 1}, 11);
  std::vector<float> want;
  for (float k : {2.f, -0.5f}) {
    for (int i = 0; i < 20; ++i) want.push_back(k * x.data<float>()[i]);
  }
  ExpectNear(RunOnce(m, {1, 4, 5, 1}), want);
}

}  // namespace
}  // namespace litecnn
