#include "runtime/model.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/alloc.h"
#include "graph/builder.h"
#include "onnx/decoder.h"
#include "parallel/thread_pool.h"
#include "passes/passes.h"
#include "runtime/memory_plan.h"

namespace litecnn {

struct Model::Impl {
  Graph graph;
  std::vector<TensorInfo> inputs, outputs;
  MemoryPlan plan;
  std::vector<AlignedPtr<void>> buffers;
  size_t threads = 1;
  Scratch scratch;  // shared by the ops, which run one at a time
  // Per graph output: the node whose output of data-dependent length it is (Op::dynamic_axis)
  // and that output's index, or -1: Run copies out the length that node's run gave.
  std::vector<std::pair<int, size_t>> dynamic_outputs;

  void* BufferOf(int value) {
    const int b = plan.buffer_of_value[value];
    return b < 0 ? nullptr : static_cast<char*>(buffers[b].get()) + plan.offset_of_value[value];
  }

  TensorView ViewOf(int value) {
    TensorView v;
    if (value < 0) return v;
    const TensorDesc& d = graph.values[value].desc;
    v.data = d.is_constant() ? const_cast<void*>(d.constant->raw()) : BufferOf(value);
    v.dtype = d.dtype;
    v.dims = d.dims;
    v.layout = d.layout;
    return v;
  }
};

namespace {

// Prepares every op, and frees each constant as soon as its last reader is prepared if no reader
// reads it at Run (the weights now live packed inside the ops). Freeing progressively keeps the
// peak near one copy of the weights; wasm memory never shrinks, so the peak is what a page pays.
// Ops are prepared largest weights first (Prepare has no order dependence between nodes): each
// packed copy then fits in the space the file bytes left or a larger constant freed before it,
// instead of the last, largest layers (classifiers) extending the heap.
Status PrepareAndReleaseConstants(Graph& g) {
  std::vector<int> readers_left(g.values.size(), 0);
  std::vector<bool> needed(g.values.size(), false);
  std::vector<size_t> order(g.nodes.size()), weight_bytes(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    order[i] = i;
    for (int v : g.nodes[i].inputs) {
      if (v < 0) continue;
      ++readers_left[v];
      if (g.values[v].desc.is_constant()) weight_bytes[i] += g.values[v].desc.constant->byte_size();
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return weight_bytes[a] > weight_bytes[b]; });
  for (int v : g.outputs) needed[v] = true;
  // Constants no node reads any more (a fusion dropped their reader) go first.
  for (size_t v = 0; v < g.values.size(); ++v) {
    if (readers_left[v] == 0 && !needed[v]) g.values[v].desc.constant.reset();
  }
  for (size_t i : order) {
    Node& node = g.nodes[i];
    std::vector<const TensorDesc*> in, out;
    for (int v : node.inputs) in.push_back(v >= 0 ? &g.values[v].desc : nullptr);
    for (int v : node.outputs) out.push_back(&g.values[v].desc);
    LITECNN_RETURN_IF_ERROR(node.op->Prepare(in, out).WithContext(g.NodeLabel(i)));
    for (size_t k = 0; k < node.inputs.size(); ++k) {
      const int v = node.inputs[k];
      if (v < 0 || !g.values[v].desc.is_constant()) continue;
      if (node.op->NeedsConstantAtRun(k)) needed[v] = true;
      if (--readers_left[v] == 0 && !needed[v]) g.values[v].desc.constant.reset();
    }
  }
  return Status::Ok();
}

}  // namespace

void SetMaxWorkerThreads(size_t workers) { SetSharedThreadPoolLimit(workers); }

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

const std::vector<TensorInfo>& Model::inputs() const { return impl_->inputs; }
const std::vector<TensorInfo>& Model::outputs() const { return impl_->outputs; }
const std::vector<std::string>& Model::initializer_inputs() const {
  return impl_->graph.initializer_inputs;
}

std::vector<NodeSummary> Model::Summary() const {
  std::vector<NodeSummary> nodes;
  for (const Node& n : impl_->graph.nodes) {
    nodes.push_back({n.name, n.op_type, n.op->kernel_name(), n.op->macs()});
  }
  return nodes;
}

namespace {

Result<onnx::Model> Decode(const uint8_t* data, size_t size, const LoadOptions& options,
                           const onnx::ExternalPayloads* payloads = nullptr) {
  onnx::DecodeLimits limits;
  static_cast<Limits&>(limits) = options.limits;
  return onnx::DecodeModel(data, size, limits, payloads);
}

// Everything after decoding: graph, passes, memory plan, packed weights, buffers.
Result<std::unique_ptr<Model::Impl>> BuildImpl(onnx::Model&& proto, const LoadOptions& options) {
  if (options.num_threads < 1) return InvalidArgument("num_threads must be >= 1, got 0");
  BuildOptions build;
  build.input_dims = options.input_dims;
  build.fed_initializers = options.fed_initializers;
  build.limits = options.limits;
  for (const NamedTensor& t : options.constant_inputs) {
    LITECNN_ASSIGN_OR_RETURN(Tensor copy, t.tensor.Clone());
    build.constant_inputs.push_back({t.name, std::move(copy)});
  }
  auto impl = std::make_unique<Model::Impl>();
  LITECNN_ASSIGN_OR_RETURN(impl->graph, BuildGraph(std::move(proto), std::move(build)));
  Graph& g = impl->graph;
  LITECNN_RETURN_IF_ERROR(RunLoadPasses(g));

  // Planned before constants are released below: released constants get no buffer. The plan
  // checks Limits::max_planned_bytes before the buffers are allocated.
  LITECNN_ASSIGN_OR_RETURN(impl->plan, PlanMemory(g));
  LITECNN_RETURN_IF_ERROR(PrepareAndReleaseConstants(g));
  Parallelism par;
  par.threads = options.num_threads;
  // The pool's threads start at the first Run (StartSharedWorkers says why).
  if (par.threads > 1) par.pool = SharedThreadPool();
  impl->threads = par.threads;
  for (Node& node : g.nodes) {
    const int64_t macs = node.op->macs();
    node.op->SetParallelism(macs > 0 && macs < options.min_parallel_macs ? Parallelism{} : par);
    node.op->SetScratch(&impl->scratch);
  }
  for (size_t bytes : impl->plan.buffer_bytes) {
    // 64-byte aligned, rounded up: SIMD kernels may read whole vectors at the end of a row.
    void* p = AlignedAllocOrNull(bytes + 64);
    if (!p) return OutOfMemory(bytes, "an activation buffer");
    impl->buffers.emplace_back(p);
  }

  for (int id : g.inputs) {
    const Value& v = g.values[id];
    impl->inputs.push_back({v.name, v.desc.dtype, v.desc.dims});
  }
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const Value& v = g.values[g.outputs[k]];
    impl->outputs.push_back({g.output_names[k], v.desc.dtype, v.desc.dims});
    impl->dynamic_outputs.push_back({-1, 0});
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const std::vector<int>& outs = g.nodes[i].outputs;
      for (size_t j = 0; j < outs.size(); ++j) {
        const int axis = g.nodes[i].op->dynamic_axis(j);
        if (outs[j] != g.outputs[k] || axis < 0) continue;
        impl->dynamic_outputs.back() = {static_cast<int>(i), j};
        impl->outputs.back().dims[axis] = -1;  // known after each run
      }
    }
  }
  return impl;
}

}  // namespace

Result<std::unique_ptr<Model>> Model::Load(const uint8_t* data, size_t size,
                                           const LoadOptions& options) {
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, Decode(data, size, options));
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, BuildImpl(std::move(proto), options));
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<std::unique_ptr<Model>> Model::Load(std::vector<uint8_t>&& bytes,
                                           const LoadOptions& options) {
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, Decode(bytes.data(), bytes.size(), options));
  std::vector<uint8_t>().swap(bytes);  // release the file before the weights are packed
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, BuildImpl(std::move(proto), options));
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<std::unique_ptr<Model>> Model::Load(std::unique_ptr<uint8_t[]> bytes, size_t size,
                                           const LoadOptions& options) {
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, Decode(bytes.get(), size, options));
  bytes.reset();  // release the file before the weights are packed
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, BuildImpl(std::move(proto), options));
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<std::unique_ptr<Model>> Model::Load(std::unique_ptr<uint8_t[]> bytes, size_t size,
                                           const onnx::ExternalPayloads& payloads,
                                           const LoadOptions& options) {
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, Decode(bytes.get(), size, options, &payloads));
  bytes.reset();
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, BuildImpl(std::move(proto), options));
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<std::unique_ptr<Model>> Model::Load(onnx::Model&& decoded, const LoadOptions& options) {
  LITECNN_ASSIGN_OR_RETURN(std::unique_ptr<Impl> impl, BuildImpl(std::move(decoded), options));
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

Result<std::vector<NamedTensor>> Model::Run(std::vector<NamedTensor> inputs) {
  return Run(std::move(inputs), nullptr);
}

void Model::WakeThreads() const {
  if (impl_->threads > 1) StartSharedWorkers(impl_->threads - 1);
}

Result<std::vector<NamedTensor>> Model::Run(std::vector<NamedTensor> inputs,
                                            std::vector<NodeTiming>* profile) {
  Impl& m = *impl_;
  Graph& g = m.graph;
  WakeThreads();
  std::vector<bool> given(g.inputs.size(), false);
  for (NamedTensor& in : inputs) {
    size_t k = 0;
    while (k < g.inputs.size() && g.values[g.inputs[k]].name != in.name) ++k;
    if (k == g.inputs.size()) {
      if (std::count(g.initializer_inputs.begin(), g.initializer_inputs.end(), in.name)) {
        return InvalidArgument("input '" + in.name +
                               "' has an initializer, so it is a constant of the model; name it "
                               "in LoadOptions::fed_initializers to feed it");
      }
      std::string names;
      for (const TensorInfo& info : m.inputs)
        names += (names.empty() ? "'" : ", '") + info.name + "'";
      return InvalidArgument("unknown input '" + in.name + "' (the model's inputs are " + names +
                             ")");
    }
    if (given[k]) return InvalidArgument("input '" + in.name + "' given twice");
    given[k] = true;
    const TensorDesc& d = g.values[g.inputs[k]].desc;
    if (in.tensor.dtype() != d.dtype) {
      return InvalidArgument("input '" + in.name + "' must be " + DataTypeName(d.dtype) + ", got " +
                             DataTypeName(in.tensor.dtype()));
    }
    if (in.tensor.dims() != d.dims) {
      return InvalidArgument("input '" + in.name + "' must have dims " + DimsToString(d.dims) +
                             ", got " + DimsToString(in.tensor.dims()));
    }
    if (void* dst = m.BufferOf(g.inputs[k]))
      std::memcpy(dst, in.tensor.raw(), in.tensor.byte_size());
  }
  for (size_t k = 0; k < given.size(); ++k) {
    if (!given[k]) return InvalidArgument("input '" + m.inputs[k].name + "' is missing");
  }

  if (profile) profile->clear();
  std::vector<TensorView> in_views, out_views;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& node = g.nodes[i];
    in_views.clear();
    out_views.clear();
    for (int v : node.inputs) in_views.push_back(m.ViewOf(v));
    for (int v : node.outputs) out_views.push_back(m.ViewOf(v));
    const auto start = std::chrono::steady_clock::now();
    LITECNN_RETURN_IF_ERROR(node.op->Run(in_views, out_views).WithContext(g.NodeLabel(i)));
    if (profile) {
      const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - start;
      profile->push_back({node.name, node.op_type, node.op->kernel_name(), ms.count()});
    }
  }

  std::vector<NamedTensor> results;
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const TensorDesc& d = g.values[g.outputs[k]].desc;
    Dims dims = d.dims;
    if (const auto [node, j] = m.dynamic_outputs[k]; node >= 0) {
      const Op& op = *g.nodes[node].op;
      dims[op.dynamic_axis(j)] = op.run_length(j);  // the rows at the buffer's start
    }
    LITECNN_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(d.dtype, dims));
    const TensorView v = m.ViewOf(g.outputs[k]);
    if (t.byte_size()) std::memcpy(t.raw(), v.data, t.byte_size());
    results.push_back({g.output_names[k], std::move(t)});
  }
  return results;
}

}  // namespace litecnn
