#include "onnx/model_proto.h"

namespace litecnn::onnx {

int64_t Model::DefaultOpsetVersion() const {
  for (const OpsetImport& opset : opset_imports) {
    if (IsDefaultDomain(opset.domain)) return opset.version;
  }
  return opset_imports.empty() ? 1 : 0;
}

}  // namespace litecnn::onnx
