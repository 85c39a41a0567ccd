// Limits: the sizes litecnn accepts from a model before it allocates anything for it.
//
// A web page may load a model from anywhere, so every size in a model file is hostile until
// checked. Each limit is checked at the point that would allocate (the decoder for the file and
// its tensors, the graph builder for inputs, shape inference for every computed value, the
// runtime for the memory plan), and a model over a limit fails with LimitExceeded naming the
// limit, the value and the maximum. The defaults fit a browser tab (a 32-bit wasm heap shared
// with the page) with room to spare for the target models; raise them per load when needed.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/tensor.h"

namespace litecnn {

struct Limits {
  // Size of the .onnx file. The largest target model (MobileNetV2) is 14 MB.
  int64_t max_model_bytes = int64_t{512} << 20;
  // NodeProtos in the graph (the target models have 60 to 250).
  int64_t max_nodes = 20000;
  // Rank of any tensor: initializers, inputs and every computed value.
  int64_t max_rank = 8;
  // Elements of any one tensor (2^26 float32 = 256 MiB; the target models' largest is 0.8 M).
  int64_t max_tensor_elements = int64_t{1} << 26;
  // Bytes of activation buffers the memory plan reserves for a run (MobileNetV2: 2.4 MB).
  int64_t max_planned_bytes = int64_t{1} << 30;
};

// The LimitExceeded status for `value` > `max` of limit `name`:
//   "limit maxTensorElements exceeded: Conv node 'c' output 0 [1, 8, 4096, 4096] has
//    134217728 elements, 67108864 more than the maximum of 67108864"
// Limits are named as the JS API's options spell them (maxTensorElements is
// Limits::max_tensor_elements), the one spelling a user of either API can search for.
Status LimitError(const char* name, const std::string& what, int64_t value, int64_t max,
                  const char* unit);

// Ok if value <= max, else LimitError.
inline Status CheckLimit(const char* name, const std::string& what, int64_t value, int64_t max,
                         const char* unit) {
  return value <= max ? Status::Ok() : LimitError(name, what, value, max, unit);
}

// The element count of dims, checked against limits.max_rank and limits.max_tensor_elements
// without overflow (a product that overflows int64 is reported as over the limit).
Result<int64_t> CheckTensorLimits(const Dims& dims, const Limits& limits, const std::string& what);

}  // namespace litecnn
