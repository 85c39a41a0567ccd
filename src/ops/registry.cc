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

// The table as written, one row per version with its comment, and the ops litecnn lacks (for the
// record and the checks below). Only constant evaluation reads them: the rows are folded into one
// Entry per op below, which is what the download holds (a third of the rows' bytes).
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

// Each op's rows are together, in increasing versions within 1..kNewestOpset, every version an
// op implements runs on one factory (the op reads attrs.version() for the differences), and no
// op is also listed as one litecnn lacks: a node then resolves by one scan of one entry per op,
// and the README lists one history.
constexpr bool RowsWellFormed() {
  for (size_t i = 0; i < std::size(kRows); ++i) {
    const VersionRow& r = kRows[i];
    if (r.since_version < 1 || r.since_version > kNewestOpset) return false;
    const bool continues = i > 0 && Same(kRows[i - 1].op_type, r.op_type);
    if (continues && kRows[i - 1].since_version >= r.since_version) return false;
    for (size_t j = 0; !continues && j < i; ++j) {
      if (Same(kRows[j].op_type, r.op_type)) return false;
    }
    for (size_t j = 0; continues && j < i; ++j) {
      if (Same(kRows[j].op_type, r.op_type) && kRows[j].create && r.create &&
          kRows[j].create != r.create) {
        return false;
      }
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
static_assert(RowsWellFormed(),
              "op_versions.inc: an op's rows are apart, out of order, twice or on two factories");

// One op's history: every since_version ONNX defines, those litecnn implements, and the factory
// that runs them.
struct Entry {
  const char* op_type = nullptr;
  VersionSet onnx = 0;
  VersionSet implemented = 0;
  OpFactory create = nullptr;
};

constexpr size_t CountOps() {
  size_t n = 0;
  for (size_t i = 0; i < std::size(kRows); ++i)
    n += i == 0 || !Same(kRows[i - 1].op_type, kRows[i].op_type);
  return n;
}

template <size_t N>
struct Entries {
  Entry e[N];
};

constexpr Entries<CountOps()> FoldRows() {
  Entries<CountOps()> out{};
  size_t n = 0;
  for (size_t i = 0; i < std::size(kRows); ++i) {
    const VersionRow& r = kRows[i];
    if (i == 0 || !Same(kRows[i - 1].op_type, r.op_type)) out.e[n++].op_type = r.op_type;
    Entry& e = out.e[n - 1];
    e.onnx |= VersionSet{1} << r.since_version;
    if (r.create) {
      e.implemented |= VersionSet{1} << r.since_version;
      e.create = r.create;
    }
  }
  return out;
}
constexpr Entries<CountOps()> kOps = FoldRows();

// The entry of an op litecnn implements, or an empty one. The ops it lacks (kOtherOps) are not
// looked up: their names would cost the download 2.2 KB gzipped, to add a version number to an
// error that already names the op.
Entry Lookup(const std::string& op_type) {
  for (const Entry& e : kOps.e) {
    if (op_type == e.op_type) return e;
  }
  return Entry{};
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
    r.missing = name + " (litecnn has no " + op_type + ")";
    return r;
  }
  if (r.version == 0) {
    r.missing = name + " at opset " + std::to_string(opset) + " (ONNX adds it at opset " +
                std::to_string(List(e.onnx)[0]) + ")";
    return r;
  }
  if (e.implemented >> r.version & 1) {
    r.create = e.create;
    return r;
  }
  std::string have;
  for (int64_t v : List(e.implemented)) have += (have.empty() ? "" : ", ") + std::to_string(v);
  r.missing = name + " version " + std::to_string(r.version) + " (litecnn has " +
              (have.empty() ? "no " + op_type : "versions " + have) + ")";
  return r;
}

std::vector<OpVersions> OpVersionTable() {
  std::vector<OpVersions> table;
  for (const Entry& e : kOps.e) table.push_back({e.op_type, List(e.onnx), List(e.implemented)});
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
