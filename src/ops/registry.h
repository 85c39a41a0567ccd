// The table from ONNX op type to the factory that creates its Op. One line per op in
// registry.cc; an op type not listed is reported as unsupported, by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ops/attributes.h"
#include "ops/op.h"

namespace litecnn {

using OpFactory = Result<std::unique_ptr<Op>> (*)(const Attributes& attrs);

// Returns nullptr when op_type (in the default domain) is not supported.
OpFactory FindOpFactory(const std::string& op_type);

// Every supported op type, sorted (for error messages and the docs).
std::vector<std::string> SupportedOpTypes();

}  // namespace litecnn
