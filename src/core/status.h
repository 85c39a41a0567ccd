// Status and Result: how every layer of litecnn reports failure.
// litecnn is built without exceptions (wasm), so every fallible call returns a Status or a
// Result<T>; messages name the problem (field, byte offset, node, op) for the user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace litecnn {

enum class StatusCode {
  kOk = 0,
  kInvalidModel,     // the model file is malformed (wire format, graph structure, attributes)
  kUnsupported,      // well-formed but uses something litecnn does not implement
  kInvalidArgument,  // a caller's argument is wrong (input name, dims, dtype)
  kLimitExceeded,    // a size limit would be exceeded (bytes, elements, nodes)
  kFailedPrecondition,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidModel: <message>"
  std::string ToString() const;

  // Prefixes context ("while loading node 'conv1': ...") without losing the code.
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidModel(std::string m) {
  return Status(StatusCode::kInvalidModel, std::move(m));
}
inline Status Unsupported(std::string m) { return Status(StatusCode::kUnsupported, std::move(m)); }
inline Status InvalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status LimitExceeded(std::string m) {
  return Status(StatusCode::kLimitExceeded, std::move(m));
}
inline Status FailedPrecondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }
// An allocation that failed: LimitExceeded, since a smaller model (or limit) would fit.
// bytes: 64-bit, so that a size past wasm32's size_t is reported as it is.
inline Status OutOfMemory(uint64_t bytes, const std::string& what) {
  return LimitExceeded("out of memory allocating " + std::to_string(bytes) + " bytes for " + what);
}

// Result<T>: a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace litecnn

#define LITECNN_CONCAT_INNER(a, b) a##b
#define LITECNN_CONCAT(a, b) LITECNN_CONCAT_INNER(a, b)

#define LITECNN_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::litecnn::Status _litecnn_st = (expr);    \
    if (!_litecnn_st.ok()) return _litecnn_st; \
  } while (0)

#define LITECNN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#define LITECNN_ASSIGN_OR_RETURN(lhs, expr) \
  LITECNN_ASSIGN_OR_RETURN_IMPL(LITECNN_CONCAT(_litecnn_r, __LINE__), lhs, expr)
