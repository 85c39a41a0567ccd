// The table from ONNX op type and version to the factory that creates its Op
// (ops/op_versions.inc, read by registry.cc): a node resolves to the version of its op in force
// at the model's opset, and litecnn either implements that version or says why not, by name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ops/attributes.h"
#include "ops/op.h"

namespace litecnn {

using OpFactory = Result<std::unique_ptr<Op>> (*)(const Attributes& attrs);

// The newest opset of the default domain whose operator changelog the table has (ONNX 1.18).
constexpr int64_t kNewestOpset = 23;

// An op of the default domain at one opset (1..kNewestOpset): its version in force (its highest
// since_version <= the opset; 0 if it has none yet) and litecnn's implementation of that version,
// or, when litecnn has none, why: "'Resize' (litecnn has no Resize)", "'Pad' version 19 (litecnn
// has versions 1, 2, 11)", "'HardSwish' at opset 13 (ONNX adds it at opset 14)".
struct ResolvedOp {
  int64_t version = 0;
  OpFactory create = nullptr;
  std::string missing;  // set when create is null
};
ResolvedOp ResolveOp(const std::string& op_type, int64_t opset);

// One op's ONNX history and what litecnn implements of it.
struct OpVersions {
  std::string op_type;
  std::vector<int64_t> onnx;         // every since_version up to kNewestOpset
  std::vector<int64_t> implemented;  // the versions litecnn runs
};
// Every op litecnn implements, sorted by type: the README's table of supported ops.
std::vector<OpVersions> OpVersionTable();

// Every op type litecnn implements in some version, sorted (for the docs and the node tests).
std::vector<std::string> SupportedOpTypes();

}  // namespace litecnn
