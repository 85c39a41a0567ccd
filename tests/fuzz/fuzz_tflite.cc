// libFuzzer target: the TFLite FlatBuffer decoder (src/tflite) on arbitrary bytes. See
// scripts/fuzz.sh.
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litecnn::fuzz::FuzzTflite(data, size);
  return 0;
}
