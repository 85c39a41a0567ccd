#include "graph/builder.h"

#include <algorithm>
#include <unordered_map>

#include "ops/registry.h"

namespace litecnn {
namespace {

Result<Dims> InputDims(const onnx::ValueInfo& vi, const BuildOptions& options) {
  for (const auto& [name, dims] : options.input_dims) {
    if (name != vi.name) continue;
    if (vi.has_shape && dims.size() != vi.dims.size()) {
      return InvalidArgument("input '" + vi.name + "' has rank " + std::to_string(vi.dims.size()) +
                             ", dims given " + DimsToString(dims));
    }
    for (size_t i = 0; vi.has_shape && i < dims.size(); ++i) {
      if (vi.dims[i].has_value && vi.dims[i].value != dims[i]) {
        return InvalidArgument("input '" + vi.name + "' dim " + std::to_string(i) +
                               " is fixed to " + std::to_string(vi.dims[i].value) +
                               ", dims given " + DimsToString(dims));
      }
    }
    return dims;
  }
  if (!vi.has_shape) {
    return Unsupported("input '" + vi.name + "' has no shape; pass its dims when loading");
  }
  Dims dims;
  for (const onnx::Dimension& d : vi.dims) {
    if (d.has_value && d.value < 0) {
      return InvalidModel("input '" + vi.name + "' has a negative dim");
    }
    // A symbolic dim (usually the batch) defaults to 1.
    dims.push_back(d.has_value ? d.value : 1);
  }
  return dims;
}

// The model's version of the default domain: 1..kNewestOpset, or 0 when it imports none (then
// only nodes of other domains can be named, and ResolveOps refuses those).
Result<int64_t> DefaultOpset(const onnx::Model& model) {
  const int64_t opset = model.DefaultOpsetVersion();
  for (const onnx::OpsetImport& imp : model.opset_imports) {
    if (!onnx::IsDefaultDomain(imp.domain)) continue;
    if (imp.version != opset) {
      return InvalidModel("the default domain is imported twice, as opsets " +
                          std::to_string(opset) + " and " + std::to_string(imp.version));
    }
    if (opset < 1) return InvalidModel("opset " + std::to_string(opset));
  }
  if (opset > kNewestOpset) {
    return Unsupported("opset " + std::to_string(opset) + " (the newest litecnn knows is " +
                       std::to_string(kNewestOpset) + ")");
  }
  return opset;
}

// What one error lists of a model's missing ops at most (a hostile model may have thousands).
constexpr size_t kMaxMissingListed = 10;

// Each node's op at `opset`; every op, version or domain litecnn lacks is named in one error, once
// however many nodes need it, with the first of those nodes. Past kMaxMissingListed distinct
// ones, the rest are only counted (by node): a linear search of the short list then bounds the
// work on a hostile model, and no map of strings is compiled into the download for an error.
Result<std::vector<ResolvedOp>> ResolveOps(const std::vector<onnx::Node>& nodes, int64_t opset) {
  std::vector<ResolvedOp> ops(nodes.size());
  struct Missing {
    std::string why, first_node;
    size_t nodes = 0;
  };
  std::vector<Missing> missing;
  size_t unlisted_nodes = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const onnx::Node& n = nodes[i];
    std::string why;
    if (!onnx::IsDefaultDomain(n.domain)) {
      why =
          "'" + n.op_type + "' in domain '" + n.domain + "' (litecnn has the default domain only)";
    } else if (opset == 0) {
      return InvalidModel(n.op_type + " node '" + n.name +
                          "' is in the default domain, which the model does not import");
    } else {
      ops[i] = ResolveOp(n.op_type, opset);
      why = ops[i].missing;
    }
    if (why.empty()) continue;
    auto it = std::find_if(missing.begin(), missing.end(),
                           [&](const Missing& m) { return m.why == why; });
    if (it != missing.end()) {
      ++it->nodes;
    } else if (missing.size() < kMaxMissingListed) {
      missing.push_back({std::move(why), n.name, 1});
    } else {
      ++unlisted_nodes;
    }
  }
  if (missing.empty()) return ops;
  std::string message = std::to_string(missing.size()) + (missing.size() == 1 ? " op: " : " ops: ");
  if (unlisted_nodes > 0) message = "more than " + message;
  for (size_t k = 0; k < missing.size(); ++k) {
    const Missing& m = missing[k];
    message += (k ? ", " : "") + m.why + " in " +
               (m.nodes == 1 ? "node '" : std::to_string(m.nodes) + " nodes, the first '") +
               m.first_node + "'";
  }
  if (unlisted_nodes > 0) {
    message += ", and " + std::to_string(unlisted_nodes) + " more nodes of ops not listed";
  }
  return Unsupported(message);
}

}  // namespace

Result<Graph> BuildGraph(onnx::Model&& model, BuildOptions options) {
  Graph g;
  g.limits = options.limits;
  LITECNN_ASSIGN_OR_RETURN(const int64_t opset, DefaultOpset(model));
  // Every node's op first, so that one error names everything the model needs that litecnn lacks.
  LITECNN_ASSIGN_OR_RETURN(const std::vector<ResolvedOp> ops, ResolveOps(model.graph.nodes, opset));
  onnx::Graph& og = model.graph;

  std::unordered_map<std::string, int> by_name;
  for (auto& init : og.initializers) {
    if (init.name.empty()) return InvalidModel("an initializer has no name");
    if (by_name.count(init.name)) {
      return InvalidModel("initializer '" + init.name + "' is defined twice");
    }
    TensorDesc d;
    d.dtype = init.tensor.dtype();
    d.dims = init.tensor.dims();
    d.constant = std::make_shared<Tensor>(std::move(init.tensor));
    by_name[init.name] = g.AddValue(init.name, std::move(d));
  }
  for (const onnx::ValueInfo& vi : og.inputs) {
    if (auto init = by_name.find(vi.name); init != by_name.end()) {
      // An initializer listed as an input (every weight, in IR < 4): a constant unless fed.
      auto fed =
          std::find(options.fed_initializers.begin(), options.fed_initializers.end(), vi.name);
      if (fed == options.fed_initializers.end()) {
        g.initializer_inputs.push_back(vi.name);
        continue;
      }
      options.fed_initializers.erase(fed);
      TensorDesc& d = g.values[init->second].desc;
      if (vi.elem_type != 0 && vi.elem_type != static_cast<int>(d.dtype)) {
        return InvalidModel("input '" + vi.name + "' has element type " +
                            std::to_string(vi.elem_type) + " and an initializer of " +
                            DataTypeName(d.dtype));
      }
      d.constant.reset();  // the initializer's dtype and dims stay: they are what a run feeds
      g.inputs.push_back(init->second);
      continue;
    }
    if (vi.name.empty()) return InvalidModel("a graph input has no name");
    if (!IsSupportedDataType(vi.elem_type)) {
      return Unsupported("input '" + vi.name + "' has element type " +
                         std::to_string(vi.elem_type));
    }
    TensorDesc d;
    d.dtype = static_cast<DataType>(vi.elem_type);
    LITECNN_ASSIGN_OR_RETURN(d.dims, InputDims(vi, options));
    auto bound = std::find_if(options.constant_inputs.begin(), options.constant_inputs.end(),
                              [&](const NamedTensor& t) { return t.name == vi.name; });
    if (bound != options.constant_inputs.end()) {
      if (bound->tensor.dtype() != d.dtype || bound->tensor.dims().size() != d.dims.size()) {
        return InvalidArgument("constant for input '" + vi.name + "' must be " +
                               DataTypeName(d.dtype) + " of rank " + std::to_string(d.dims.size()));
      }
      d.dims = bound->tensor.dims();
      d.constant = std::make_shared<Tensor>(std::move(bound->tensor));
      options.constant_inputs.erase(bound);
      by_name[vi.name] = g.AddValue(vi.name, std::move(d));
      continue;
    }
    LITECNN_RETURN_IF_ERROR(
        CheckTensorLimits(d.dims, options.limits, "input '" + vi.name + "'").status());
    const int id = g.AddValue(vi.name, std::move(d));
    by_name[vi.name] = id;
    g.inputs.push_back(id);
  }
  if (!options.fed_initializers.empty()) {
    const std::string& name = options.fed_initializers[0];
    const bool initializer = std::any_of(og.initializers.begin(), og.initializers.end(),
                                         [&](const NamedTensor& i) { return i.name == name; });
    return InvalidArgument(
        initializer
            ? "initializer '" + name + "' cannot be fed: the graph does not list it as an input"
        : by_name.count(name) ? "input '" + name + "' has no initializer: it is fed at every run"
                              : "initializer to feed '" + name + "' is not in the model");
  }
  if (!options.constant_inputs.empty()) {
    return InvalidArgument("constant given for unknown input '" + options.constant_inputs[0].name +
                           "'");
  }
  for (const auto& [name, dims] : options.input_dims) {
    bool found = false;
    for (int id : g.inputs) found = found || g.values[id].name == name;
    if (!found) return InvalidArgument("dims given for unknown input '" + name + "'");
  }

  // Node outputs get values up front so that nodes may be listed out of order.
  const size_t n = og.nodes.size();
  std::vector<int> producer_of(0);
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& out : og.nodes[i].outputs) {
      if (out.empty()) continue;
      if (by_name.count(out)) {
        return InvalidModel("value '" + out + "' is produced twice (by node '" + og.nodes[i].name +
                            "')");
      }
      by_name[out] = g.AddValue(out, TensorDesc{});
      producer_of.resize(g.values.size(), -1);
      producer_of[by_name[out]] = static_cast<int>(i);
    }
  }
  producer_of.resize(g.values.size(), -1);

  // Kahn's algorithm; a node left over sits on a cycle.
  std::vector<std::vector<int>> inputs(n);
  std::vector<int> pending(n, 0);
  std::vector<std::vector<size_t>> consumers(n);
  for (size_t i = 0; i < n; ++i) {
    const onnx::Node& node = og.nodes[i];
    for (const std::string& in : node.inputs) {
      if (in.empty()) {
        inputs[i].push_back(-1);
        continue;
      }
      auto it = by_name.find(in);
      if (it == by_name.end()) {
        return InvalidModel(node.op_type + " node '" + node.name + "' reads '" + in +
                            "', which no node, initializer or graph input defines");
      }
      inputs[i].push_back(it->second);
      const int p = producer_of[it->second];
      if (p >= 0) {
        ++pending[i];
        consumers[p].push_back(i);
      }
    }
  }
  std::vector<size_t> order, ready;
  for (size_t i = n; i-- > 0;) {
    if (pending[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    order.push_back(i);
    for (size_t c : consumers[i]) {
      if (--pending[c] == 0) ready.push_back(c);
    }
  }
  if (order.size() != n) {
    for (size_t i = 0; i < n; ++i) {
      if (pending[i] > 0) {
        return InvalidModel("the graph has a cycle through " + og.nodes[i].op_type + " node '" +
                            og.nodes[i].name + "'");
      }
    }
  }

  for (size_t i : order) {
    onnx::Node& on = og.nodes[i];
    Node node;
    node.name = on.name;
    node.op_type = on.op_type;
    node.inputs = inputs[i];
    const std::string label = on.op_type + " node '" + on.name + "'";
    size_t n_out = on.outputs.size();
    while (n_out > 0 && on.outputs[n_out - 1].empty()) --n_out;  // trailing omitted outputs
    if (n_out == 0) return InvalidModel(label + " has no outputs");
    for (size_t k = 0; k < n_out; ++k) {
      // An omitted output in the middle still needs somewhere to be written: an unnamed value.
      node.outputs.push_back(on.outputs[k].empty() ? g.AddValue("", TensorDesc{})
                                                   : by_name[on.outputs[k]]);
    }
    auto op = ops[i].create(Attributes(&on.attributes, ops[i].version));
    if (!op.ok()) return op.status().WithContext(label);
    node.op = std::move(op).value();
    g.nodes.push_back(std::move(node));
    for (int o : g.nodes.back().outputs) {
      if (o >= 0) g.values[o].producer = static_cast<int>(g.nodes.size()) - 1;
    }
  }

  for (const onnx::ValueInfo& vi : og.outputs) {
    auto it = by_name.find(vi.name);
    if (it == by_name.end()) {
      return InvalidModel("graph output '" + vi.name + "' is not defined by any node");
    }
    g.outputs.push_back(it->second);
    g.output_names.push_back(vi.name);
  }
  if (g.outputs.empty()) return InvalidModel("the graph has no outputs");
  return g;
}

}  // namespace litecnn
