// Runs ONNX's own backend node tests (model.onnx + test_data_set_*/input_*.pb, output_*.pb, from
// Debian's libonnx-testdata) through the same loader and runtime as real models. A test is in
// scope when every op in its model is one litecnn supports; in-scope tests are either run or
// listed with a reason in tests/data/onnx_node_test_skips.txt.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "onnx/decoder.h"
#include "ops/registry.h"
#include "runtime/model.h"

namespace litecnn {
namespace {

std::string Dir() { return LITECNN_ONNX_NODE_TESTS; }

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::map<std::string, std::string> Skips() {
  std::map<std::string, std::string> skips;
  std::ifstream f(std::string(LITECNN_SOURCE_DIR) + "/tests/data/onnx_node_test_skips.txt");
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string name, reason;
    ss >> name;
    std::getline(ss, reason);
    skips[name] = reason.substr(reason.find_first_not_of(' '));
  }
  return skips;
}

// The model's op types, or empty if it cannot be decoded.
std::set<std::string> OpTypes(const std::string& test) {
  const std::vector<uint8_t> bytes = ReadFile(Dir() + "/" + test + "/model.onnx");
  auto model = onnx::DecodeModel(bytes.data(), bytes.size());
  std::set<std::string> ops;
  if (!model.ok()) return ops;
  for (const auto& n : model->graph.nodes) ops.insert(n.op_type);
  return ops;
}

std::vector<std::string> InScopeTests() {
  std::vector<std::string> tests;
  const std::vector<std::string> supported = SupportedOpTypes();
  for (const std::string& t : ListDir(Dir())) {
    const std::set<std::string> ops = OpTypes(t);
    if (ops.empty()) continue;
    bool all = true;
    for (const std::string& op : ops) {
      all = all && std::find(supported.begin(), supported.end(), op) != supported.end();
    }
    if (all) tests.push_back(t);
  }
  return tests;
}

::testing::AssertionResult Near(const Tensor& expected, const Tensor& actual) {
  if (expected.dtype() != actual.dtype()) {
    return ::testing::AssertionFailure() << "dtype " << DataTypeName(actual.dtype())
                                         << ", expected " << DataTypeName(expected.dtype());
  }
  if (expected.dims() != actual.dims()) {
    return ::testing::AssertionFailure() << "dims " << DimsToString(actual.dims()) << ", expected "
                                         << DimsToString(expected.dims());
  }
  // ONNX's backend test tolerances: rtol 1e-3, atol 1e-7.
  for (int64_t i = 0; i < expected.num_elements(); ++i) {
    const double e = expected.GetAsDouble(i), a = actual.GetAsDouble(i);
    if (std::isnan(e) && std::isnan(a)) continue;
    if (!(std::fabs(e - a) <= 1e-7 + 1e-3 * std::fabs(e))) {
      return ::testing::AssertionFailure() << "element " << i << " is " << a << ", expected " << e;
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs one test case; returns a failure message or "" on success.
// Node tests feed everything as graph inputs, also what real models carry as initializers
// (weights, a Reshape's shape, a Clip's bounds). Like a real model, input 0 is fed at Run and
// the others are bound as constants at load; a model whose first input is itself a parameter
// (ConstantOfShape's shape) is bound entirely.
std::string RunDataSet(const std::string& dir, const std::string& set,
                       const std::vector<uint8_t>& model_bytes) {
  std::vector<NamedTensor> values;
  for (size_t k = 0;; ++k) {
    const std::string path = dir + "/" + set + "/input_" + std::to_string(k) + ".pb";
    if (!Exists(path)) break;
    const std::vector<uint8_t> pb = ReadFile(path);
    auto t = onnx::DecodeTensor(pb.data(), pb.size());
    if (!t.ok()) return set + " input " + std::to_string(k) + ": " + t.status().ToString();
    values.push_back(std::move(t).value());
  }
  auto decoded = onnx::DecodeModel(model_bytes.data(), model_bytes.size());
  if (!decoded.ok()) return "decode: " + decoded.status().ToString();
  // Input names in order, skipping initializers listed as inputs.
  std::vector<std::string> names;
  for (const auto& vi : decoded->graph.inputs) {
    bool is_init = false;
    for (const auto& init : decoded->graph.initializers) is_init = is_init || init.name == vi.name;
    if (!is_init) names.push_back(vi.name);
  }
  if (names.size() != values.size()) return set + ": input count differs from the model's";
  for (size_t k = 0; k < names.size(); ++k) values[k].name = names[k];

  LoadOptions options;
  for (size_t k = 1; k < values.size(); ++k) {
    options.constant_inputs.push_back({values[k].name, values[k].tensor.Clone().value()});
  }
  auto model = Model::Load(model_bytes.data(), model_bytes.size(), options);
  std::vector<NamedTensor> inputs;
  if (model.ok()) {
    if (!values.empty()) inputs.push_back(std::move(values[0]));
  } else if (!values.empty() && model.status().code() == StatusCode::kUnsupported) {
    options.constant_inputs.insert(options.constant_inputs.begin(),
                                   {values[0].name, values[0].tensor.Clone().value()});
    model = Model::Load(model_bytes.data(), model_bytes.size(), options);
  }
  if (!model.ok()) return "load: " + model.status().ToString();
  auto outputs = (*model)->Run(std::move(inputs));
  if (!outputs.ok()) return set + " run: " + outputs.status().ToString();
  for (size_t k = 0; k < outputs->size(); ++k) {
    const std::string path = dir + "/" + set + "/output_" + std::to_string(k) + ".pb";
    if (!Exists(path)) return set + ": missing " + path;
    const std::vector<uint8_t> pb = ReadFile(path);
    auto expected = onnx::DecodeTensor(pb.data(), pb.size());
    if (!expected.ok()) return set + " output: " + expected.status().ToString();
    ::testing::AssertionResult r = Near(expected->tensor, (*outputs)[k].tensor);
    if (!r) return set + " output " + std::to_string(k) + ": " + r.message();
  }
  return "";
}

// Runs every data set of one test; returns a failure message or "" on success.
std::string RunNodeTest(const std::string& test) {
  const std::string dir = Dir() + "/" + test;
  const std::vector<uint8_t> bytes = ReadFile(dir + "/model.onnx");
  int datasets = 0;
  for (const std::string& set : ListDir(dir)) {
    if (set.rfind("test_data_set_", 0) != 0) continue;
    ++datasets;
    const std::string failure = RunDataSet(dir, set, bytes);
    if (!failure.empty()) return failure;
  }
  if (datasets == 0) return "no test_data_set_* folders";
  return "";
}

class OnnxNodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OnnxNodeTest, MatchesReferenceOutputs) {
  static const std::map<std::string, std::string> skips = Skips();
  const std::string& test = GetParam();
  const std::string failure = RunNodeTest(test);
  auto skip = skips.find(test);
  if (skip != skips.end()) {
    // A skip must stay justified: a listed test that now passes should be un-listed.
    ASSERT_FALSE(failure.empty()) << test << " passes: remove it from onnx_node_test_skips.txt";
    GTEST_SKIP() << skip->second << " (" << failure << ")";
  }
  EXPECT_EQ(failure, "") << test;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Onnx, OnnxNodeTest, ::testing::ValuesIn(InScopeTests()), TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OnnxNodeTest);

TEST(OnnxNodeTestSuite, DataIsInstalledAndSkipListIsCurrent) {
  ASSERT_TRUE(Exists(Dir())) << Dir() << " is missing: apt-get install libonnx-testdata";
  const std::vector<std::string> tests = InScopeTests();
  EXPECT_GT(tests.size(), 150u);
  for (const auto& [name, reason] : Skips()) {
    EXPECT_TRUE(std::find(tests.begin(), tests.end(), name) != tests.end())
        << name << " is listed as skipped but is not an in-scope test";
  }
}

}  // namespace
}  // namespace litecnn
