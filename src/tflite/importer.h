// Translates a decoded .tflite model into the ONNX structs the graph builder reads, so that
// BuildGraph, the ops and every pass serve both formats unchanged.
//
// How: each TFLite op becomes the ONNX nodes that compute it. TFLite activations are NHWC; the
// ONNX ops are defined on NCHW, so every 4-D value may exist in both orders, each made on demand
// from the other with a Transpose: spatial and elementwise ops read and write the NCHW form,
// ops whose meaning depends on the byte order (RESHAPE, graph inputs and outputs) the NHWC form.
// litecnn stores 4-D activations NHWC anyway, so the Transposes at the graph's boundaries and
// before a Reshape move no byte, and ElideNoOpConversions turns them into views, as it does for
// the Transposes tf2onnx emits (BlazeFace's ONNX conversion). Filters are permuted at load
// (OHWI and 1HWO to OIHW); float16 constants are widened to float32 and sparse ones densified,
// so DEQUANTIZE and DENSIFY of a constant cost nothing at run time.
//
// Graph inputs and outputs keep the TFLite names and NHWC dims. Only subgraph 0 is translated.
#pragma once

#include "core/limits.h"
#include "core/status.h"
#include "onnx/model_proto.h"
#include "tflite/model.h"

namespace litecnn::tflite {

// Unsupported names every op (with its first operator index) litecnn cannot translate, in one
// error; InvalidModel for an operator whose inputs or options do not fit its op.
Result<onnx::Model> ImportModel(const Model& model);

}  // namespace litecnn::tflite
