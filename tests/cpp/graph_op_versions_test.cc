// Op versions (ops/op_versions.inc, ops/registry.cc, graph/builder.cc): a node runs the version of
// its op in force at the model's opset (the highest since_version <= it) for opsets 1 to 23;
// what litecnn lacks (ops, versions, domains) is named in one error; the README's table of
// supported ops is the registry's (LITECNN_UPDATE_README=1 rewrites it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "ops/registry.h"
#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::AttrInt;
using test::AttrInts;
using test::Attrs;
using test::FailsWith;
using test::Seeded;
using test::TestModel;

TEST(OpVersions, ResolvesToHighestSinceVersionAtOrBelowOpset) {
  const struct {
    const char* op;
    int64_t opset, version;
  } cases[] = {
      {"Pad", 1, 1},       {"Pad", 2, 2},       {"Pad", 10, 2},      {"Pad", 11, 11},
      {"Pad", 12, 11},     {"Pad", 17, 13},     {"Pad", 18, 18},     {"Pad", 20, 19},
      {"Pad", 23, 23},     {"Relu", 5, 1},      {"Relu", 6, 6},      {"Relu", 23, 14},
      {"Split", 12, 11},   {"Split", 17, 13},   {"Conv", 21, 11},    {"Conv", 22, 22},
      {"Reshape", 18, 14}, {"Reshape", 20, 19}, {"Reshape", 23, 23},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ResolveOp(c.op, c.opset).version, c.version) << c.op << " at opset " << c.opset;
  }
}

TEST(OpVersions, EveryVersionOfEveryImplementedOpHasItsFactory) {
  for (const OpVersions& op : OpVersionTable()) {
    for (int64_t opset = 1; opset <= kNewestOpset; ++opset) {
      const ResolvedOp r = ResolveOp(op.op_type, opset);
      const bool exists = opset >= op.onnx.front();
      EXPECT_EQ(r.version != 0, exists) << op.op_type << " at opset " << opset;
      const bool implemented = std::find(op.implemented.begin(), op.implemented.end(), r.version) !=
                               op.implemented.end();
      EXPECT_EQ(r.create != nullptr, implemented) << op.op_type << " at opset " << opset;
      EXPECT_EQ(r.missing.empty(), implemented) << r.missing;
    }
  }
}

TEST(OpVersions, OpAddedLaterIsMissingAtEarlierOpset) {
  const ResolvedOp r = ResolveOp("HardSwish", 13);
  EXPECT_EQ(r.create, nullptr);
  EXPECT_EQ(r.missing, "'HardSwish' at opset 13 (ONNX adds it at opset 14)");
  EXPECT_NE(ResolveOp("HardSwish", 14).create, nullptr);
}

TEST(OpVersions, OpLitecnnLacksIsNamed) {
  EXPECT_EQ(ResolveOp("LSTM", 14).missing, "'LSTM' (litecnn has no LSTM)");
  EXPECT_EQ(ResolveOp("Attention", 23).missing, "'Attention' (litecnn has no Attention)");
  EXPECT_EQ(ResolveOp("Mystery", 13).missing, "'Mystery' (litecnn has no Mystery)");
}

TEST(OpVersions, SupportedOpTypesAreTheTablesSorted) {
  const std::vector<std::string> ops = SupportedOpTypes();
  EXPECT_TRUE(std::is_sorted(ops.begin(), ops.end()));
  EXPECT_EQ(ops.size(), OpVersionTable().size());
  EXPECT_NE(std::find(ops.begin(), ops.end(), "Conv"), ops.end());
  EXPECT_EQ(std::find(ops.begin(), ops.end(), "LSTM"), ops.end());
}

// ---- the builder -----------------------------------------------------------------------------

// Conv (3x3, pad 1, bias) then Relu, in a model of `opset`.
TestModel ConvRelu(int64_t opset) {
  TestModel m(opset);
  m.Input("x", {1, 2, 5, 5})
      .Init("w", Seeded({3, 2, 3, 3}, 3))
      .Init("b", Seeded({3}, 4))
      .Node("Conv", {"x", "w", "b"}, {"c"}, Attrs(AttrInts("pads", {1, 1, 1, 1})))
      .Node("Relu", {"c"}, {"y"})
      .Output("y");
  return m;
}

class ConvReluAtOpset : public ::testing::TestWithParam<int64_t> {};

TEST_P(ConvReluAtOpset, LoadsAndRunsAsAtOpset13) {
  const std::vector<float> reference = test::RunOnce(ConvRelu(13), {1, 2, 5, 5});
  ASSERT_EQ(reference.size(), 75u);
  EXPECT_EQ(test::RunOnce(ConvRelu(GetParam()), {1, 2, 5, 5}), reference);
}

INSTANTIATE_TEST_SUITE_P(Opsets, ConvReluAtOpset, ::testing::Values(1, 6, 7, 11, 17, 18, 21, 23),
                         [](const auto& info) { return "opset" + std::to_string(info.param); });

TEST(GraphBuilderOpVersions, Opset24IsRefusedNamingTheNewest) {
  EXPECT_TRUE(FailsWith(ConvRelu(24).Load().status(), StatusCode::kUnsupported,
                        {"opset 24 (the newest litecnn knows is 23)"}));
}

TEST(GraphBuilderOpVersions, OpsetBelow1IsInvalid) {
  EXPECT_TRUE(FailsWith(ConvRelu(0).Load().status(), StatusCode::kInvalidModel, {"opset 0"}));
}

TEST(GraphBuilderOpVersions, NodeInUnknownDomainIsRefusedNamingIt) {
  TestModel m;
  m.Import("com.microsoft", 1)
      .Input("x", {1, 3})
      .Node("FusedGemm", {"x"}, {"y"}, {}, "fused")
      .InDomain("com.microsoft")
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kUnsupported,
                        {"1 op: 'FusedGemm' in domain 'com.microsoft'", "node 'fused'"}));
}

TEST(GraphBuilderOpVersions, AiOnnxIsTheDefaultDomain) {
  TestModel m;
  m.Input("x", {1, 3}).Node("Relu", {"x"}, {"y"}).InDomain("ai.onnx").Output("y");
  onnx::Model proto = std::move(m).TakeProto();
  proto.opset_imports = {{"ai.onnx", 13}};
  auto g = BuildGraph(std::move(proto));
  EXPECT_TRUE(g.ok()) << g.status().ToString();
}

TEST(GraphBuilderOpVersions, UnusedImportOfUnknownDomainIsFine) {
  TestModel m;
  m.Import("com.example.unused", 7).Input("x", {1, 3}).Node("Relu", {"x"}, {"y"}).Output("y");
  auto model = m.Load();
  EXPECT_TRUE(model.ok()) << model.status().ToString();
}

TEST(GraphBuilderOpVersions, DefaultDomainNotImportedIsInvalid) {
  TestModel m;
  m.Input("x", {1, 3}).Node("Relu", {"x"}, {"y"}, {}, "r").Output("y");
  onnx::Model proto = std::move(m).TakeProto();
  proto.opset_imports = {{"com.example", 1}};
  EXPECT_TRUE(FailsWith(BuildGraph(std::move(proto)).status(), StatusCode::kInvalidModel,
                        {"Relu node 'r'", "does not import"}));
}

TEST(GraphBuilderOpVersions, DefaultDomainImportedTwiceAtOddsIsInvalid) {
  TestModel m(13);
  m.Import("ai.onnx", 17).Input("x", {1, 3}).Node("Relu", {"x"}, {"y"}).Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kInvalidModel,
                        {"imported twice, as opsets 13 and 17"}));
}

TEST(GraphBuilderOpVersions, TwoMissingOpsAreReportedInOneError) {
  TestModel m(19);
  m.Input("x", {1, 3, 4, 4})
      .Node("LSTM", {"x"}, {"a"}, {}, "rnn")
      .Node("Relu", {"a"}, {"b"})
      .Node("Einsum", {"b"}, {"c"}, {}, "e1")
      .Node("Einsum", {"c"}, {"y"}, {}, "e2")
      .Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kUnsupported,
                        {"2 ops: 'LSTM' (litecnn has no LSTM) in node 'rnn', "
                         "'Einsum' (litecnn has no Einsum) in 2 nodes, the first 'e1'"}));
}

TEST(GraphBuilderOpVersions, ManyMissingOpsTheFirst10NamedTheRestCountedByNode) {
  TestModel m;
  m.Input("x", {1, 3});
  std::string prev = "x";
  for (int k = 0; k < 12; ++k) {
    const std::string out = k == 11 ? "y" : "v" + std::to_string(k);
    m.Node("Mystery" + std::to_string(k), {prev}, {out});
    prev = out;
  }
  m.Output("y");
  const Status st = m.Load().status();
  EXPECT_TRUE(FailsWith(st, StatusCode::kUnsupported,
                        {"more than 10 ops: 'Mystery0' (litecnn has no Mystery0)", "'Mystery9'",
                         ", and 2 more nodes of ops not listed"}));
  EXPECT_EQ(st.message().find("'Mystery10'"), std::string::npos) << st.message();
}

TEST(GraphBuilderOpVersions, OpNewerThanTheOpsetIsNamed) {
  TestModel m(13);
  m.Input("x", {1, 3}).Node("HardSwish", {"x"}, {"y"}, {}, "hs").Output("y");
  EXPECT_TRUE(FailsWith(m.Load().status(), StatusCode::kUnsupported,
                        {"'HardSwish' at opset 13 (ONNX adds it at opset 14) in node 'hs'"}));
}

// Concat without `axis` is version 1's default axis 1: the model really is read as opset 1.
TEST(GraphBuilderOpVersions, ModelWithoutOpsetImportIsOpset1) {
  TestModel m;
  m.WithoutOpsetImport().Input("x", {1, 2}).Node("Concat", {"x", "x"}, {"y"}).Output("y");
  auto model = m.Load();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->outputs()[0].dims, (Dims{1, 4}));
}

// ---- the README's table ----------------------------------------------------------------------

std::string Join(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return s;
}

// The README's list of supported ops, from the registry's table.
std::string SupportedOpsMarkdown() {
  std::string md =
      "| op | versions litecnn runs | ONNX versions it refuses |\n| --- | --- | --- |\n";
  for (const OpVersions& op : OpVersionTable()) {
    std::vector<int64_t> refused;
    for (int64_t v : op.onnx) {
      if (std::find(op.implemented.begin(), op.implemented.end(), v) == op.implemented.end()) {
        refused.push_back(v);
      }
    }
    md += "| " + op.op_type + " | " + Join(op.implemented) + " | " +
          (refused.empty() ? "none" : Join(refused)) + " |\n";
  }
  return md;
}

TEST(OpVersions, ReadmeListsTheTable) {
  const std::string path = std::string(LITECNN_SOURCE_DIR) + "/README.md";
  std::string readme = test::ReadAll(path);
  const std::string begin =
      "<!-- supported ops: generated by tests/cpp/graph_op_versions_test.cc "
      "(LITECNN_UPDATE_README=1 rewrites it) -->\n";
  const std::string end = "<!-- end of supported ops -->";
  const size_t b = readme.find(begin), e = readme.find(end);
  ASSERT_NE(b, std::string::npos) << "README.md lacks the line: " << begin;
  ASSERT_NE(e, std::string::npos);
  const std::string table = SupportedOpsMarkdown();
  const std::string current = readme.substr(b + begin.size(), e - b - begin.size());
  const char* update = std::getenv("LITECNN_UPDATE_README");
  std::string checked = current;
  if (current != table && update && std::string(update) == "1") {
    // Rewrite, then check what the file now holds like any other run.
    readme.replace(b + begin.size(), current.size(), table);
    std::ofstream(path, std::ios::binary) << readme;
    const std::string written = test::ReadAll(path);
    checked = written.substr(b + begin.size(), table.size());
  }
  EXPECT_EQ(checked, table) << "run LITECNN_UPDATE_README=1 ./build/litecnn_tests "
                               "--gtest_filter=OpVersions.ReadmeListsTheTable";
}

}  // namespace
}  // namespace litecnn
