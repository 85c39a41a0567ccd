// Tests for the TFLite importer (src/tflite/importer.*): one-op models written with the test
// builder, imported, loaded and run, against naive NHWC references written from TFLite's
// definitions (SAME padding with the extra pixel at the end, average pools over the taps inside
// the input, TF's resize conventions, OHWI filters...). The real MediaPipe models are checked by
// hand with build/tflite_run (tests/tools/tflite_run.cc).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/model.h"
#include "test_model_builder.h"
#include "tflite/decoder.h"
#include "tflite/importer.h"
#include "tflite_test_builder.h"
#include "tflite_test_models.h"

namespace litecnn::tflite {
namespace {

using litecnn::test::FailsWith;
using namespace test;  // NOLINT: the builder's vocabulary

std::vector<float> Rand(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// A one-subgraph model under construction: tensors (constants get a buffer), codes, operators.
struct ModelMaker {
  std::vector<Ref> tensors, buffers = {BufferT("")}, codes, ops;

  int Tensor(const std::string& name, const std::vector<int32_t>& shape,
             const std::string& data = "", int8_t type = kF32) {
    uint32_t buffer = 0;
    if (!data.empty()) {
      buffer = static_cast<uint32_t>(buffers.size());
      buffers.push_back(BufferT(data));
    }
    tensors.push_back(TensorT(name, shape, type, buffer));
    return static_cast<int>(tensors.size()) - 1;
  }
  int Constant(const std::string& name, const std::vector<int32_t>& shape,
               const std::vector<float>& v) {
    return Tensor(name, shape, Raw(v));
  }
  void Op(int32_t builtin, std::vector<int32_t> in, std::vector<int32_t> out,
          uint8_t options_type = 0, Ref options = nullptr, const std::string& custom = "",
          const std::string& custom_options = "") {
    codes.push_back(OperatorCodeT(builtin, custom));
    Table op = OperatorT(static_cast<uint32_t>(codes.size() - 1), in, out, options_type, options);
    if (!custom_options.empty()) op.Child(5, Bytes(custom_options));
    ops.push_back(op);
  }
  std::string Finish(const std::vector<int32_t>& inputs, const std::vector<int32_t>& outputs) {
    return test::Finish(ModelT(codes, {SubGraphT(tensors, inputs, outputs, ops)}, buffers));
  }
};

// Decodes, imports, loads and runs `bytes` on `inputs` (NHWC, in the subgraph's input order).
Result<std::vector<std::vector<float>>> ImportAndRun(
    const std::string& bytes, const std::vector<std::vector<float>>& inputs) {
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  LITECNN_ASSIGN_OR_RETURN(Model decoded, DecodeModel(copy.data(), copy.size()));
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, ImportModel(decoded));
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<litecnn::Model> model,
                           litecnn::Model::Load(std::move(proto)));
  std::vector<NamedTensor> feeds;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const TensorInfo& info = model->inputs()[k];
    LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor t, litecnn::Tensor::FromFloats(info.dims, inputs[k]));
    feeds.push_back({info.name, std::move(t)});
  }
  LITECNN_ASSIGN_OR_RETURN(std::vector<NamedTensor> outs, model->Run(std::move(feeds)));
  std::vector<std::vector<float>> result;
  for (const NamedTensor& o : outs) {
    const float* p = o.tensor.data<float>();
    result.emplace_back(p, p + o.tensor.num_elements());
  }
  return result;
}

void ExpectClose(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 1e-4f * (1 + std::fabs(want[i]))) << "element " << i;
  }
}

// TFLite's SAME: the padding before is half the total, rounded down.
int PadBefore(int in, int k, int s, int d) {
  const int out = (in + s - 1) / s, eff = (k - 1) * d + 1;
  return std::max(0, (out - 1) * s + eff - in) / 2;
}

// Conv over NHWC x [1, H, W, C] with filter [O, KH, KW, I] (groups = C / I), SAME.
std::vector<float> ConvRef(const std::vector<float>& x, int h, int w, int c,
                           const std::vector<float>& f, int o, int kh, int kw, int fi,
                           const std::vector<float>& b, int s, int d, int* oh_out, int* ow_out) {
  const int oh = (h + s - 1) / s, ow = (w + s - 1) / s;
  const int pt = PadBefore(h, kh, s, d), pl = PadBefore(w, kw, s, d);
  const int per_group_out = o / (c / fi);
  std::vector<float> y(size_t(oh) * ow * o);
  for (int r = 0; r < oh; ++r) {
    for (int q = 0; q < ow; ++q) {
      for (int oc = 0; oc < o; ++oc) {
        float acc = b.empty() ? 0 : b[oc];
        const int g = oc / per_group_out;
        for (int i = 0; i < kh; ++i) {
          for (int j = 0; j < kw; ++j) {
            const int ir = r * s + i * d - pt, iq = q * s + j * d - pl;
            if (ir < 0 || ir >= h || iq < 0 || iq >= w) continue;
            for (int ic = 0; ic < fi; ++ic) {
              acc += x[(size_t(ir) * w + iq) * c + g * fi + ic] *
                     f[((size_t(oc) * kh + i) * kw + j) * fi + ic];
            }
          }
        }
        y[(size_t(r) * ow + q) * o + oc] = acc;
      }
    }
  }
  *oh_out = oh, *ow_out = ow;
  return y;
}

TEST(TfliteImporterTest, Conv2DSameStride2WithRelu6) {
  const int h = 7, w = 6, c = 3, o = 4, k = 3;
  const std::vector<float> x = Rand(h * w * c, 1), f = Rand(o * k * k * c, 2), b = Rand(o, 3);
  int oh, ow;
  std::vector<float> want = ConvRef(x, h, w, c, f, o, k, k, c, b, 2, 1, &oh, &ow);
  for (float& v : want) v = std::min(6.0f, std::max(0.0f, v * 4));
  std::vector<float> f4 = f, b4 = b;  // x4 so that RELU6's upper bound is reached
  for (float& v : f4) v *= 4;
  for (float& v : b4) v *= 4;
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, c}), fw = m.Constant("w", {o, k, k, c}, f4),
            fb = m.Constant("b", {o}, b4), out = m.Tensor("y", {1, oh, ow, o});
  m.Op(3, {in, fw, fb}, {out}, 1, Table().I8(0, 0).I32(1, 2).I32(2, 2).I8(3, 3));
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

TEST(TfliteImporterTest, DepthwiseWithMultiplierAndDilation) {
  const int h = 6, w = 5, c = 2, mult = 2, k = 3, d = 2;
  const std::vector<float> x = Rand(h * w * c, 4), f = Rand(k * k * c * mult, 5), b = Rand(4, 6);
  // 1HWO (O = C x multiplier) read as OHWI with I = 1: f_ohwi[o][i][j] = f[i][j][o].
  std::vector<float> ohwi(f.size());
  for (int oc = 0; oc < c * mult; ++oc) {
    for (int t = 0; t < k * k; ++t) ohwi[oc * k * k + t] = f[t * c * mult + oc];
  }
  int oh, ow;
  const std::vector<float> want = ConvRef(x, h, w, c, ohwi, c * mult, k, k, 1, b, 1, d, &oh, &ow);
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, c}), fw = m.Constant("w", {1, k, k, c * mult}, f),
            fb = m.Constant("b", {c * mult}, b), out = m.Tensor("y", {1, oh, ow, c * mult});
  m.Op(4, {in, fw, fb}, {out}, 2,
       Table().I8(0, 0).I32(1, 1).I32(2, 1).I32(3, mult).I32(5, d).I32(6, d));
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

// MediaPipe's Convolution2DTransposeBias and TRANSPOSE_CONV: filter [O, KH, KW, I], SAME.
TEST(TfliteImporterTest, TransposedConvolutionsBothSpellings) {
  const int h = 3, w = 4, c = 3, o = 2, k = 3, s = 2;
  const int oh = h * s, ow = w * s;
  const std::vector<float> x = Rand(h * w * c, 7), f = Rand(o * k * k * c, 8), b = Rand(o, 9);
  // SAME: (in - 1) * s + k - out cropped, half (rounded down) at the start.
  const int pt = ((h - 1) * s + k - oh) / 2, pl = ((w - 1) * s + k - ow) / 2;
  std::vector<float> want(size_t(oh) * ow * o);
  for (int r = 0; r < oh; ++r) {
    for (int q = 0; q < ow; ++q) {
      for (int oc = 0; oc < o; ++oc) {
        float acc = b[oc];
        for (int i = 0; i < k; ++i) {
          for (int j = 0; j < k; ++j) {
            const int yr = r + pt - i, yq = q + pl - j;
            if (yr % s || yq % s || yr < 0 || yq < 0 || yr / s >= h || yq / s >= w) continue;
            for (int ic = 0; ic < c; ++ic) {
              acc += x[((yr / s) * w + yq / s) * c + ic] * f[((oc * k + i) * k + j) * c + ic];
            }
          }
        }
        want[(size_t(r) * ow + q) * o + oc] = acc;
      }
    }
  }
  for (bool custom : {true, false}) {
    SCOPED_TRACE(custom ? "Convolution2DTransposeBias" : "TRANSPOSE_CONV");
    ModelMaker m;
    const int in = m.Tensor("x", {1, h, w, c}), fw = m.Constant("w", {o, k, k, c}, f),
              fb = m.Constant("b", {o}, b), out = m.Tensor("y", {1, oh, ow, o});
    if (custom) {
      m.Op(32, {in, fw, fb}, {out}, 0, nullptr, "Convolution2DTransposeBias",
           Raw<int32_t>({1, s, s}));
    } else {
      const std::vector<int32_t> shape = {1, oh, ow, o};
      const int os = m.Tensor("shape", {4}, Raw(shape), kI32);
      m.Op(67, {os, fw, in, fb}, {out}, 49, Table().I8(0, 0).I32(1, s).I32(2, s));
    }
    auto got = ImportAndRun(m.Finish({in}, {out}), {x});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectClose((*got)[0], want);
  }
}

TEST(TfliteImporterTest, AveragePoolSameCountsOnlyTapsInside) {
  const int h = 5, w = 5, c = 2, k = 3, s = 2;
  const std::vector<float> x = Rand(h * w * c, 10);
  const int oh = 3, ow = 3, pt = PadBefore(h, k, s, 1), pl = PadBefore(w, k, s, 1);
  std::vector<float> want;
  for (int r = 0; r < oh; ++r) {
    for (int q = 0; q < ow; ++q) {
      for (int ch = 0; ch < c; ++ch) {
        float sum = 0;
        int n = 0;
        for (int i = 0; i < k; ++i) {
          for (int j = 0; j < k; ++j) {
            const int ir = r * s + i - pt, iq = q * s + j - pl;
            if (ir < 0 || ir >= h || iq < 0 || iq >= w) continue;
            sum += x[(ir * w + iq) * c + ch], ++n;
          }
        }
        want.push_back(sum / n);
      }
    }
  }
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, c}), out = m.Tensor("y", {1, oh, ow, c});
  m.Op(1, {in}, {out}, 5, Table().I8(0, 0).I32(1, s).I32(2, s).I32(3, k).I32(4, k));
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

// TF's resize_bilinear: half_pixel_centers, align_corners, or neither (asymmetric).
TEST(TfliteImporterTest, ResizeBilinearInTheThreeConventions) {
  const int h = 3, w = 4, c = 2, oh = 7, ow = 5;
  const std::vector<float> x = Rand(h * w * c, 11);
  for (int mode = 0; mode < 3; ++mode) {
    SCOPED_TRACE(mode);
    auto src = [&](int out, int in, int len) {
      if (mode == 1) return len > 1 ? out * float(in - 1) / float(len - 1) : 0.0f;
      const float scale = float(in) / float(len);
      return mode == 0 ? std::max(0.0f, (out + 0.5f) * scale - 0.5f) : out * scale;
    };
    std::vector<float> want;
    for (int r = 0; r < oh; ++r) {
      const float fr = src(r, h, oh);
      const int r0 = std::min(int(fr), h - 1), r1 = std::min(r0 + 1, h - 1);
      for (int q = 0; q < ow; ++q) {
        const float fq = src(q, w, ow);
        const int q0 = std::min(int(fq), w - 1), q1 = std::min(q0 + 1, w - 1);
        for (int ch = 0; ch < c; ++ch) {
          auto at = [&](int a, int b2) { return x[(a * w + b2) * c + ch]; };
          const float top = at(r0, q0) + (at(r0, q1) - at(r0, q0)) * (fq - q0);
          const float bottom = at(r1, q0) + (at(r1, q1) - at(r1, q0)) * (fq - q0);
          want.push_back(top + (bottom - top) * (fr - r0));
        }
      }
    }
    ModelMaker m;
    const int in = m.Tensor("x", {1, h, w, c});
    const int size = m.Tensor("size", {2}, Raw<int32_t>({oh, ow}), kI32);
    const int out = m.Tensor("y", {1, oh, ow, c});
    m.Op(23, {in, size}, {out}, 15, Table().U8(2, mode == 1).U8(3, mode == 0));
    auto got = ImportAndRun(m.Finish({in}, {out}), {x});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectClose((*got)[0], want);
  }
}

// Squeeze-excitation as Keras writes it: MEAN over H and W, FULLY_CONNECTED-free 1x1 gating
// with LOGISTIC, MUL by the per-channel gate, then HARD_SWISH.
TEST(TfliteImporterTest, MeanLogisticMulHardSwish) {
  const int h = 4, w = 3, c = 5;
  const std::vector<float> x = Rand(h * w * c, 12);
  std::vector<float> mean(c, 0), want;
  for (int i = 0; i < h * w; ++i) {
    for (int ch = 0; ch < c; ++ch) mean[ch] += x[i * c + ch] / (h * w);
  }
  for (int i = 0; i < h * w; ++i) {
    for (int ch = 0; ch < c; ++ch) {
      const float v = x[i * c + ch] / (1 + std::exp(-mean[ch]));
      want.push_back(v * std::min(6.0f, std::max(0.0f, v + 3)) / 6);
    }
  }
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, c});
  const int axes = m.Tensor("axes", {2}, Raw<int32_t>({1, 2}), kI32);
  const int mn = m.Tensor("mean", {1, 1, 1, c}), gate = m.Tensor("gate", {1, 1, 1, c});
  const int prod = m.Tensor("prod", {1, h, w, c}), out = m.Tensor("y", {1, h, w, c});
  m.Op(40, {in, axes}, {mn}, 27, Table().U8(0, 1));
  m.Op(14, {mn}, {gate});
  m.Op(18, {in, gate}, {prod}, 21, Table());
  m.Op(117, {prod}, {out}, 91, Table());
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

TEST(TfliteImporterTest, DepthToSpaceReadsDepthAsRowColumnChannel) {
  const int h = 2, w = 3, bs = 2, c = 3;
  const std::vector<float> x = Rand(h * w * bs * bs * c, 13);
  std::vector<float> want(x.size());
  for (int r = 0; r < h * bs; ++r) {
    for (int q = 0; q < w * bs; ++q) {
      for (int ch = 0; ch < c; ++ch) {
        const int depth = ((r % bs) * bs + q % bs) * c + ch;
        want[(r * w * bs + q) * c + ch] = x[((r / bs) * w + q / bs) * bs * bs * c + depth];
      }
    }
  }
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, bs * bs * c}), out = m.Tensor("y", {1, h * bs, w * bs, c});
  m.Op(5, {in}, {out}, 94, Table().I32(0, bs));
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

// A float16 sparse filter as the pruned face detector stores it: DENSIFY then DEQUANTIZE, both
// folded at load, feeding a 1x1 CONV_2D; then FULLY_CONNECTED and SOFTMAX on the flattened
// result.
TEST(TfliteImporterTest, SparseFloat16FilterThroughDensifyAndDequantize) {
  // Filter [2, 1, 1, 3] = [[0, 1.5, 0], [-2, 0, 0.5]]: CSR over the last dim.
  const std::vector<uint16_t> halves = {0x3e00, 0xc000, 0x3800};  // 1.5, -2, 0.5
  const std::vector<float> dense = {0, 1.5f, 0, -2, 0, 0.5f};
  Table sparse = TensorT("w16", {2, 1, 1, 3}, kF16, 1);
  Table csr;
  csr.I8(0, 1)
      .U8(2, 1)
      .Child(3, Table().Child(0, Vec<int32_t>({0, 1, 3})))
      .U8(4, 3)
      .Child(5, Table().Child(0, Vec<uint8_t>({1, 0, 2})));
  sparse.Child(
      6, Table()
             .Child(0, Vec<int32_t>({0, 1, 2, 3}))
             .Child(2, Tables({Table().I32(1, 2), Table().I32(1, 1), Table().I32(1, 1), csr})));
  ModelMaker m;
  m.buffers.push_back(BufferT(Raw(halves)));
  m.tensors.push_back(sparse);
  const int w16 = 0;
  const int wd = m.Tensor("w16_dense", {2, 1, 1, 3}, "", kF16), w32 = m.Tensor("w", {2, 1, 1, 3});
  const int in = m.Tensor("x", {1, 2, 2, 3}), conv = m.Tensor("conv", {1, 2, 2, 2});
  const int fcw = m.Constant("fc_w", {3, 8}, Rand(24, 14)),
            fcb = m.Constant("fc_b", {3}, {1, 2, 3});
  const int fc = m.Tensor("fc", {1, 3}), out = m.Tensor("y", {1, 3});
  m.Op(124, {w16}, {wd}, 99, Table());
  m.Op(6, {wd}, {w32});
  m.Op(3, {in, w32, -1}, {conv}, 1, Table().I8(0, 1).I32(1, 1).I32(2, 1));
  m.Op(9, {conv, fcw, fcb}, {fc}, 8, Table());
  m.Op(25, {fc}, {out}, 9, Table().F32(0, 0.5f));
  const std::vector<float> x = Rand(12, 15);
  std::vector<float> y(8), logits(3), want(3);
  for (int p = 0; p < 4; ++p) {
    for (int o = 0; o < 2; ++o) {
      for (int ic = 0; ic < 3; ++ic) y[p * 2 + o] += x[p * 3 + ic] * dense[o * 3 + ic];
    }
  }
  const std::vector<float> fw = Rand(24, 14);
  float sum = 0;
  for (int n = 0; n < 3; ++n) {
    logits[n] = float(n + 1);
    for (int k = 0; k < 8; ++k) logits[n] += y[k] * fw[n * 8 + k];
    sum += want[n] = std::exp(0.5f * logits[n]);
  }
  for (float& v : want) v /= sum;
  auto got = ImportAndRun(m.Finish({in}, {out}), {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);
}

TEST(TfliteImporterTest, UnsupportedOpsAreNamedTogether) {
  ModelMaker m;
  const int in = m.Tensor("x", {1, 4}), a = m.Tensor("a", {1, 4}), b = m.Tensor("b", {1, 4});
  const int out = m.Tensor("c", {1, 4});
  m.Op(48, {in}, {a});    // TOPK_V2
  m.Op(19, {a}, {b});     // RELU on the placeholder: no error of its own
  m.Op(150, {b}, {out});  // GELU
  std::vector<uint8_t> bytes;
  const std::string file = m.Finish({in}, {out});
  bytes.assign(file.begin(), file.end());
  auto decoded = DecodeModel(bytes.data(), bytes.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(
      FailsWith(ImportModel(*decoded).status(), StatusCode::kUnsupported,
                {"BUILTIN_OPERATOR_48", "at operator 0", "BUILTIN_OPERATOR_150", "at operator 2"}));
}

// Keras widens a residual with a channel PAD; as Concat(x, zeros) the residual add folds into
// the conv (FuseResidualAdds), which reads x directly: no Pad and no copy at run time.
TEST(TfliteImporterTest, ChannelPaddedResidualFoldsIntoTheConv) {
  const int h = 3, w = 4, c = 2, o = 5;
  const std::vector<float> x = Rand(h * w * c, 16), f = Rand(o * c, 17), b = Rand(o, 18);
  std::vector<float> want;
  for (int p = 0; p < h * w; ++p) {
    for (int oc = 0; oc < o; ++oc) {
      float acc = b[oc] + (oc < c ? x[p * c + oc] : 0);
      for (int ic = 0; ic < c; ++ic) acc += x[p * c + ic] * f[oc * c + ic];
      want.push_back(acc);
    }
  }
  ModelMaker m;
  const int in = m.Tensor("x", {1, h, w, c}), fw = m.Constant("w", {o, 1, 1, c}, f),
            fb = m.Constant("b", {o}, b), y = m.Tensor("y", {1, h, w, o});
  const int pads = m.Tensor("pads", {4, 2}, Raw<int32_t>({0, 0, 0, 0, 0, 0, 0, o - c}), kI32);
  const int padded = m.Tensor("padded", {1, h, w, o}), out = m.Tensor("out", {1, h, w, o});
  m.Op(3, {in, fw, fb}, {y}, 1, Table().I8(0, 1).I32(1, 1).I32(2, 1));
  m.Op(34, {in, pads}, {padded}, 22, Table());
  m.Op(0, {y, padded}, {out}, 11, Table());
  const std::string file = m.Finish({in}, {out});
  auto got = ImportAndRun(file, {x});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectClose((*got)[0], want);

  std::vector<uint8_t> bytes(file.begin(), file.end());
  auto decoded = DecodeModel(bytes.data(), bytes.size());
  ASSERT_TRUE(decoded.ok());
  auto proto = ImportModel(*decoded);
  ASSERT_TRUE(proto.ok());
  auto model = litecnn::Model::Load(std::move(proto).value());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::vector<std::string> ops;
  for (const NodeSummary& n : (*model)->Summary()) {
    if (n.op_type != "View") ops.push_back(n.op_type);
  }
  EXPECT_EQ(ops, std::vector<std::string>{"Conv"});
}

Status ImportStatus(const std::string& file) {
  std::vector<uint8_t> bytes(file.begin(), file.end());
  auto decoded = DecodeModel(bytes.data(), bytes.size());
  if (!decoded.ok()) return decoded.status();
  return ImportModel(*decoded).status();
}

TEST(TfliteImporterTest, MalformedGraphsAreInvalid) {
  {  // a tensor read before any operator writes it
    ModelMaker m;
    const int in = m.Tensor("x", {1, 4}), a = m.Tensor("a", {1, 4}), b = m.Tensor("b", {1, 4});
    m.Op(19, {a}, {b});
    m.Op(19, {in}, {a});
    EXPECT_TRUE(
        FailsWith(ImportStatus(m.Finish({in}, {b})), StatusCode::kInvalidModel,
                  {"operator 0 (RELU)", "tensor 'a' is read before an operator writes it"}));
  }
  {  // two writers
    ModelMaker m;
    const int in = m.Tensor("x", {1, 4}), a = m.Tensor("a", {1, 4});
    m.Op(19, {in}, {a});
    m.Op(19, {in}, {a});
    EXPECT_TRUE(FailsWith(ImportStatus(m.Finish({in}, {a})), StatusCode::kInvalidModel,
                          {"operator 1 (RELU)", "'a' is written twice"}));
  }
  {  // an omitted input that is not the optional bias
    ModelMaker m;
    const int in = m.Tensor("x", {1, 4, 4, 1}), out = m.Tensor("y", {1, 4, 4, 1});
    m.Op(3, {in, -1, -1}, {out}, 1, Table().I32(1, 1).I32(2, 1));
    EXPECT_TRUE(FailsWith(ImportStatus(m.Finish({in}, {out})), StatusCode::kInvalidModel,
                          {"operator 0 (CONV_2D)", "input 1 omitted"}));
  }
  {  // a zero stride
    ModelMaker m;
    const int in = m.Tensor("x", {1, 4, 4, 1}), w = m.Constant("w", {1, 1, 1, 1}, {1});
    const int out = m.Tensor("y", {1, 4, 4, 1});
    m.Op(3, {in, w, -1}, {out}, 1, Table().I32(1, 0).I32(2, 1));
    EXPECT_TRUE(FailsWith(ImportStatus(m.Finish({in}, {out})), StatusCode::kInvalidModel,
                          {"strides, dilations and filter size must be positive"}));
  }
}

// 600 filters naming one 64 KiB buffer: 38 MB of constants from a 66 KB file.
TEST(TfliteImporterTest, SharedBuffersHitTheConstantBudget) {
  ModelMaker m;
  const int in = m.Tensor("x", {1, 1, 1, 16384});
  m.buffers.push_back(BufferT(Raw(std::vector<float>(16384, 0.5f))));
  const uint32_t shared = static_cast<uint32_t>(m.buffers.size() - 1);
  int prev = in;
  for (int k = 0; k < 600; ++k) {
    m.tensors.push_back(TensorT("w" + std::to_string(k), {1, 1, 1, 16384}, kF32, shared));
    const int w = static_cast<int>(m.tensors.size()) - 1;
    const int out = m.Tensor("y" + std::to_string(k), {1, 1, 1, 16384});
    m.Op(18, {prev, w}, {out}, 21, Table());
    prev = out;
  }
  EXPECT_TRUE(FailsWith(ImportStatus(m.Finish({in}, {prev})), StatusCode::kLimitExceeded,
                        {"bytes per byte of its buffers"}));
}

TEST(TfliteImporterTest, KerasLikeModelImports) {
  // The decoder test's model, whose shapes are not consistent: only that it translates.
  const std::string bytes = KerasLikeModel();
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  auto decoded = DecodeModel(copy.data(), copy.size());
  ASSERT_TRUE(decoded.ok());
  auto proto = ImportModel(*decoded);
  ASSERT_TRUE(proto.ok()) << proto.status().ToString();
  EXPECT_EQ(proto->graph.inputs.size(), 1u);
  EXPECT_EQ(proto->graph.inputs[0].name, "input");
  EXPECT_EQ(proto->graph.outputs.size(), 3u);
}

}  // namespace
}  // namespace litecnn::tflite
