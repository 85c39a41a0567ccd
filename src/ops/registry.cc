#include "ops/registry.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <iterator>

#include "ops/op_list.h"

namespace litecnn {
namespace {

// Since_versions as bits: bit v set for version v (1..kNewestOpset).
using VersionSet = uint32_t;
static_assert(kNewestOpset < 32, "a VersionSet holds versions 1..31");

constexpr VersionSet Versions(std::initializer_list<int> versions) {
  VersionSet set = 0;
  for (int v : versions) set |= VersionSet{1} << v;
  return set;
}

struct VersionRow {
  const char* op_type;
  int since_version;
  OpFactory create;  // nullptr: litecnn refuses this version
};

struct OtherOp {
  const char* op_type;
  VersionSet versions;
};

constexpr VersionRow kRows[] = {
#define LITECNN_OP_VERSION(op, since_version, factory) {#op, since_version, factory},
#define LITECNN_OTHER_OP(op, ...)
#include "ops/op_versions.inc"
#undef LITECNN_OP_VERSION
#undef LITECNN_OTHER_OP
};

constexpr OtherOp kOtherOps[] = {
#define LITECNN_OP_VERSION(op, since_version, factory)
#define LITECNN_OTHER_OP(op, ...) {#op, Versions({__VA_ARGS__})},
#include "ops/op_versions.inc"
#undef LITECNN_OP_VERSION
#undef LITECNN_OTHER_OP
};

constexpr bool Same(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

// Each op's rows are together, in increasing versions within 1..kNewestOpset, and no op is also
// listed as one litecnn lacks: a node then resolves by one scan, and the README lists one history.
constexpr bool RowsWellFormed() {
  for (size_t i = 0; i < std::size(kRows); ++i) {
    const VersionRow& r = kRows[i];
    if (r.since_version < 1 || r.since_version > kNewestOpset) return false;
    const bool continues = i > 0 && Same(kRows[i - 1].op_type, r.op_type);
    if (continues && kRows[i - 1].since_version >= r.since_version) return false;
    for (size_t j = 0; !continues && j < i; ++j) {
      if (Same(kRows[j].op_type, r.op_type)) return false;
    }
  }
  for (const OtherOp& o : kOtherOps) {
    if (o.versions == 0 || o.versions >> (kNewestOpset + 1) || (o.versions & 1)) return false;
    for (const VersionRow& r : kRows) {
      if (Same(r.op_type, o.op_type)) return false;
    }
  }
  return true;
}
static_assert(RowsWellFormed(), "op_versions.inc: an op's rows are apart, out of order or twice");

// One op's history from the table.
struct Entry {
  VersionSet onnx = 0;         // every since_version ONNX defines
  VersionSet implemented = 0;  // those with a factory
  const VersionRow* rows = nullptr;
  size_t row_count = 0;
};

Entry Lookup(const std::string& op_type) {
  Entry e;
  for (const VersionRow& r : kRows) {
    if (op_type != r.op_type) continue;
    if (!e.rows) e.rows = &r;
    ++e.row_count;
    e.onnx |= VersionSet{1} << r.since_version;
    if (r.create) e.implemented |= VersionSet{1} << r.since_version;
  }
  if (e.rows) return e;
  for (const OtherOp& o : kOtherOps) {
    if (op_type == o.op_type) e.onnx = o.versions;
  }
  return e;
}

std::vector<int64_t> List(VersionSet set) {
  std::vector<int64_t> v;
  for (int64_t k = 1; k <= kNewestOpset; ++k) {
    if (set >> k & 1) v.push_back(k);
  }
  return v;
}

}  // namespace

ResolvedOp ResolveOp(const std::string& op_type, int64_t opset) {
  const Entry e = Lookup(op_type);
  ResolvedOp r;
  for (int64_t k = std::min(opset, kNewestOpset); k >= 1 && !r.version; --k) {
    if (e.onnx >> k & 1) r.version = k;
  }
  const std::string name = "'" + op_type + "'";
  if (e.onnx == 0) {
    r.missing = name + " (no ONNX op up to opset " + std::to_string(kNewestOpset) + ")";
    return r;
  }
  if (r.version == 0) {
    r.missing = name + " at opset " + std::to_string(opset) + " (ONNX adds it at opset " +
                std::to_string(List(e.onnx)[0]) + ")";
    return r;
  }
  for (size_t i = 0; i < e.row_count; ++i) {
    if (e.rows[i].since_version == r.version) r.create = e.rows[i].create;
  }
  if (r.create) return r;
  std::string have;
  for (int64_t v : List(e.implemented)) have += (have.empty() ? "" : ", ") + std::to_string(v);
  r.missing = name + " version " + std::to_string(r.version) + " (litecnn has " +
              (have.empty() ? "no " + op_type : "versions " + have) + ")";
  return r;
}

std::vector<OpVersions> OpVersionTable() {
  std::vector<OpVersions> table;
  for (size_t i = 0; i < std::size(kRows); ++i) {
    if (i > 0 && Same(kRows[i - 1].op_type, kRows[i].op_type)) continue;
    const Entry e = Lookup(kRows[i].op_type);
    table.push_back({kRows[i].op_type, List(e.onnx), List(e.implemented)});
  }
  std::sort(table.begin(), table.end(),
            [](const OpVersions& a, const OpVersions& b) { return a.op_type < b.op_type; });
  return table;
}

std::vector<std::string> SupportedOpTypes() {
  std::vector<std::string> names;
  for (const OpVersions& op : OpVersionTable()) {
    if (!op.implemented.empty()) names.push_back(op.op_type);
  }
  return names;
}

}  // namespace litecnn
