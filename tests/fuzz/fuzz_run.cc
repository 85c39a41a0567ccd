// libFuzzer target: loads a model and runs it on a small input, so shape inference, the passes
// and the kernels see mutated graphs and attributes. See scripts/fuzz.sh.
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  litecnn::fuzz::FuzzLoadAndRun(data, size);
  return 0;
}
