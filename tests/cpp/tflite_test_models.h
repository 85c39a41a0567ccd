// Small TFLite models written with tflite_test_builder.h, shared by the decoder tests and the
// fuzz seeds (tests/tools/tflite_seeds.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tflite_test_builder.h"

namespace litecnn::tflite::test {

template <typename T>
inline std::string Raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// TensorType values.
inline constexpr int8_t kF32 = 0, kF16 = 1, kI32 = 2;

// A depthwise-separable block as Keras exports it, plus the ops around it that the target
// models use: float16 weights with DEQUANTIZE, a sparse weight with DENSIFY, MediaPipe's custom
// transposed conv, an op code above 127.
inline std::string KerasLikeModel() {
  const std::vector<float> conv_w(4 * 3 * 3 * 3, 0.25f), conv_b = {1, 2, 3, 4};
  const std::vector<uint16_t> dw_w(36, 0x3c00);  // float16 1.0
  const std::vector<int32_t> axes = {1, 2};
  const std::vector<float> nonzeros = {5, 6, 7};

  Table sparse = TensorT("fc_w_sparse", {2, 4}, kF32, 5);
  sparse.Child(6,
               Table()
                   .Child(0, Vec<int32_t>({0, 1}))
                   .Child(2, Tables({Table().I8(0, 0).I32(1, 2),
                                     Table()
                                         .I8(0, 1)
                                         .U8(2, 1)  // Int32Vector
                                         .Child(3, Table().Child(0, Vec<int32_t>({0, 1, 3})))
                                         .U8(4, 3)  // Uint8Vector
                                         .Child(5, Table().Child(0, Vec<uint8_t>({2, 0, 3})))})));
  Table input = TensorT("input", {1, 8, 8, 3}, kF32, 0);
  input.Child(7, Vec<int32_t>({-1, 8, 8, 3}));
  Table quantized = TensorT("pool_out", {1, 2, 2, 4}, kF32, 0);
  quantized.Child(4, Table().Child(2, Vec<float>({0.5f})).Child(3, Vec<int64_t>({3})).I32(6, 1));
  std::vector<Ref> tensors = {
      input,                                         // 0
      TensorT("conv_w", {4, 3, 3, 3}, kF32, 1),      // 1
      TensorT("conv_b", {4}, kF32, 2),               // 2
      TensorT("conv_out", {1, 4, 4, 4}, kF32, 0),    // 3
      TensorT("dw_w_f16", {1, 3, 3, 4}, kF16, 3),    // 4
      TensorT("dw_w", {1, 3, 3, 4}, kF32, 0),        // 5
      TensorT("dw_out", {1, 4, 4, 4}, kF32, 0),      // 6
      TensorT("add_out", {1, 4, 4, 4}, kF32, 0),     // 7
      quantized,                                     // 8
      TensorT("mean_axes", {2}, kI32, 4),            // 9
      TensorT("mean_out", {1, 1, 1, 4}, kF32, 0),    // 10
      sparse,                                        // 11
      TensorT("fc_w", {2, 4}, kF32, 0),              // 12
      TensorT("fc_out", {1, 2}, kF32, 0),            // 13
      TensorT("softmax_out", {1, 2}, kF32, 0),       // 14
      TensorT("deconv_out", {1, 8, 8, 4}, kF32, 0),  // 15
      TensorT("hswish_out", {1, 8, 8, 4}, kF32, 0),  // 16
      TensorT("reshape_out", {2}, kF32, 0),          // 17
  };
  std::vector<Ref> ops = {
      OperatorT(0, {0, 1, 2}, {3}, 1, Table().I8(0, 0).I32(1, 2).I32(2, 2).I8(3, 3)),
      OperatorT(1, {4}, {5}),
      OperatorT(2, {3, 5, -1}, {6}, 2,
                Table().I8(0, 1).I32(1, 1).I32(2, 1).I32(3, 1).I8(4, 0).I32(5, 2).I32(6, 3)),
      OperatorT(3, {3, 6}, {7}, 11, Table().I8(0, 1)),
      OperatorT(4, {7}, {8}, 5, Table().I8(0, 1).I32(1, 2).I32(2, 2).I32(3, 2).I32(4, 2)),
      OperatorT(5, {8, 9}, {10}, 27, Table().U8(0, 1)),
      OperatorT(6, {11}, {12}, 99, Table()),
      OperatorT(7, {10, 12, -1}, {13}, 8, Table().I8(0, 0).U8(2, 1)),
      OperatorT(8, {13}, {14}, 9, Table().F32(0, 1.0f)),
      OperatorT(9, {3, 1, 2}, {15}).Child(5, Bytes(Raw<int32_t>({1, 2, 2}))),
      OperatorT(10, {15}, {16}, 91, Table()),
      OperatorT(11, {14}, {17}, 17, Table().Child(0, Vec<int32_t>({2}))),
  };
  std::vector<Ref> codes = {
      OperatorCodeT(3),   OperatorCodeT(6, "", 2),
      OperatorCodeT(4),   OperatorCodeT(0),
      OperatorCodeT(17),  OperatorCodeT(40),
      OperatorCodeT(124), OperatorCodeT(9),
      OperatorCodeT(25),  OperatorCodeT(32, "Convolution2DTransposeBias"),
      OperatorCodeT(117), OperatorCodeT(22),
      OperatorCodeT(150),
  };
  std::vector<Ref> buffers = {BufferT(""),        BufferT(Raw(conv_w)), BufferT(Raw(conv_b)),
                              BufferT(Raw(dw_w)), BufferT(Raw(axes)),   BufferT(Raw(nonzeros)),
                              BufferT("1.14.0")};
  Table model = ModelT(codes, {SubGraphT(tensors, {0}, {14, 16, 17}, ops, "keras")}, buffers);
  model.Child(6, Tables({Table().Child(0, Str("min_runtime_version")).U32(1, 6)}));
  return Finish(model);
}

// A model that uses every table the decoder reads, to cut and mutate.
inline std::string FullModel() {
  Table sparse = TensorT("w", {2, 2}, 0, 1);
  sparse.Child(6,
               Table()
                   .Child(0, Vec<int32_t>({0, 1}))
                   .Child(2, Tables({Table().I32(1, 2),
                                     Table()
                                         .I8(0, 1)
                                         .U8(2, 2)
                                         .Child(3, Table().Child(0, Vec<uint16_t>({0, 1, 2})))
                                         .U8(4, 1)
                                         .Child(5, Table().Child(0, Vec<int32_t>({1, 0})))})));
  sparse.Child(4, Table().Child(2, Vec<float>({1.0f})).Child(3, Vec<int64_t>({0})));
  std::vector<Ref> ops = {
      OperatorT(0, {0, 1}, {2}, 1, Table().I8(0, 1).I32(1, 1).I32(2, 1)),
      OperatorT(1, {2}, {2}, 17, Table().Child(0, Vec<int32_t>({4}))),
      OperatorT(2, {2}, {2}).Child(5, Bytes("opts")),
  };
  Table model = ModelT(
      {OperatorCodeT(3), OperatorCodeT(22), OperatorCodeT(32, "Custom")},
      {SubGraphT({TensorT("x", {1, 2}, 0, 0), sparse, TensorT("y", {4}, 0, 0)}, {0}, {2}, ops)},
      {BufferT(""), BufferT(std::string(8, '\1'))});
  model.Child(6, Tables({Table().Child(0, Str("meta")).U32(1, 1)}));
  return Finish(model);
}

}  // namespace litecnn::tflite::test
