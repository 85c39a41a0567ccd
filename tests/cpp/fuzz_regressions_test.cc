// Replays every input the fuzzers ever crashed on (tests/fuzz/regressions/{load,run,tflite}/)
// through the same target bodies, in every build: native, ASan+UBSan and wasm. A file there is
// named after the bug it pins; see scripts/fuzz.sh for how they are found.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_targets.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::ReadAll;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name[0] != '.' && name != "README.md") files.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

const std::string kRegressions = std::string(LITECNN_SOURCE_DIR) + "/tests/fuzz/regressions";

TEST(FuzzRegressions, LoadTargetInputs) {
  for (const std::string& path : FilesIn(kRegressions + "/load")) {
    SCOPED_TRACE(path);
    const std::string bytes = ReadAll(path);
    fuzz::FuzzLoad(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

TEST(FuzzRegressions, RunTargetInputs) {
  const std::vector<std::string> files = FilesIn(kRegressions + "/run");
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const std::string bytes = ReadAll(path);
    fuzz::FuzzLoadAndRun(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

TEST(FuzzRegressions, TfliteTargetInputs) {
  for (const std::string& path : FilesIn(kRegressions + "/tflite")) {
    SCOPED_TRACE(path);
    const std::string bytes = ReadAll(path);
    fuzz::FuzzTflite(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace litecnn
