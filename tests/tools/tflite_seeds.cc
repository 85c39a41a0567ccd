// Writes the tests' small .tflite models (tests/cpp/tflite_test_models.h) into a directory as
// seeds for the fuzz_tflite target (scripts/fuzz.sh runs it):
//   build-asan/tflite_seeds OUT_DIR
#include <cstdio>
#include <fstream>
#include <string>

#include "tflite_test_models.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const struct {
    const char* name;
    std::string bytes;
  } seeds[] = {
      {"keras_like.tflite", litecnn::tflite::test::KerasLikeModel()},
      {"full.tflite", litecnn::tflite::test::FullModel()},
  };
  for (const auto& seed : seeds) {
    std::ofstream out(dir + "/" + seed.name, std::ios::binary);
    out.write(seed.bytes.data(), static_cast<std::streamsize>(seed.bytes.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), seed.name);
      return 1;
    }
  }
  return 0;
}
