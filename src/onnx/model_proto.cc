#include "onnx/model_proto.h"

namespace litecnn::onnx {

int64_t Model::DefaultOpsetVersion() const {
  // ONNX spells the default operator set both as "" and as "ai.onnx".
  for (const OpsetImport& opset : opset_imports) {
    if (opset.domain.empty() || opset.domain == "ai.onnx") return opset.version;
  }
  return 0;
}

}  // namespace litecnn::onnx
