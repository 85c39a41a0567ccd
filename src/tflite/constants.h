// Constant tensors of a decoded .tflite model as litecnn Tensors: the buffer's bytes checked
// against the shape, float16 widened to float32 (DEQUANTIZE of a constant is folded at load),
// sparse tensors densified (DENSIFY likewise), and the permutations the importer applies to
// filters (OHWI -> OIHW). Internal to tflite/importer.cc.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/tensor.h"
#include "tflite/model.h"

namespace litecnn::tflite {

// The value of tensor `t` of `model`, which must have a non-empty buffer: FLOAT32, FLOAT16
// (as float32), INT32 or INT64; dense, or sparse without block structure (Unsupported
// otherwise, naming the tensor). InvalidModel when the buffer's size disagrees with the shape or
// the sparse index data are inconsistent.
Result<litecnn::Tensor> ConstantTensor(const Model& model, const tflite::Tensor& t);

// `src` (float32 or int) with its axes permuted: out.dims[i] = src.dims[perm[i]].
Result<litecnn::Tensor> PermuteAxes(const litecnn::Tensor& src, const std::vector<int>& perm);

}  // namespace litecnn::tflite
