#include "core/limits.h"

namespace litecnn {

Status LimitError(const char* name, const std::string& what, int64_t value, int64_t max,
                  const char* unit) {
  return LimitExceeded("limit " + std::string(name) + " exceeded: " + what + " has " +
                       std::to_string(value) + " " + unit + ", " + std::to_string(value - max) +
                       " more than the maximum of " + std::to_string(max));
}

Result<int64_t> CheckTensorLimits(const Dims& dims, const Limits& limits, const std::string& what) {
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxRank", what + " " + DimsToString(dims),
                                     static_cast<int64_t>(dims.size()), limits.max_rank,
                                     "dimensions"));
  int64_t n = 1;
  bool empty = false;
  for (int64_t d : dims) {
    if (d < 0) return InvalidModel(what + " has a negative dimension: " + DimsToString(dims));
    empty = empty || d == 0;
  }
  if (empty) return int64_t{0};  // [2^40, 2^40, 0] holds nothing: no overflow to report
  for (int64_t d : dims) {
    if (!CheckedMul(n, d, &n)) {
      // The product does not even fit int64: report it as "more than" the largest int64.
      return LimitExceeded("limit maxTensorElements exceeded: " + what + " " + DimsToString(dims) +
                           " has more than 2^63 elements; the maximum is " +
                           std::to_string(limits.max_tensor_elements));
    }
  }
  LITECNN_RETURN_IF_ERROR(CheckLimit("maxTensorElements", what + " " + DimsToString(dims), n,
                                     limits.max_tensor_elements, "elements"));
  return n;
}

}  // namespace litecnn
