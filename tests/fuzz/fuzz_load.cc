// libFuzzer target: the ONNX wire decoder and the model loader (graph building, passes, memory
// plan, weight packing) on arbitrary bytes. See scripts/fuzz.sh.
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litecnn::fuzz::FuzzLoad(data, size);
  return 0;
}
