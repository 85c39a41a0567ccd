// litecnn's C++ API: load an ONNX model from bytes, inspect its inputs/outputs, run it.
//
//   auto model = litecnn::Model::Load(bytes.data(), bytes.size());
//   if (!model.ok()) { ... model.status().message() ... }
//   auto outputs = (*model)->Run({{"input", std::move(tensor)}});
//
// Tensors crossing this API are dense, row-major, in ONNX's logical order (NCHW for images);
// the runtime converts to its internal layout (see src/README.md). A Model is not thread-safe:
// one Run at a time (a Run may itself use LoadOptions::num_threads threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/status.h"
#include "core/tensor.h"
#include "onnx/decoder.h"

namespace litecnn {

struct TensorInfo {
  std::string name;
  DataType dtype = DataType::kFloat32;
  // -1 for a dimension the model leaves symbolic, or whose length each run decides (an output
  // of data-dependent length, e.g. NonMaxSuppression's selected boxes: see Run)
  Dims dims;
};

struct LoadOptions {
  // Fixes symbolic input dims (e.g. batch) at load time: name -> dims. Inputs not listed keep
  // their declared dims, with symbolic dims set to 1.
  std::vector<std::pair<std::string, Dims>> input_dims;
  // Inputs whose values are known when loading: they become constants (and are folded into
  // the graph), and are no longer inputs of Run. Used for parameters that ops need at load time
  // (a Reshape's shape, a Clip's bounds) when a model takes them as inputs.
  std::vector<NamedTensor> constant_inputs;
  // Graph inputs that also have an initializer (IR < 4 lists every weight as an input; ONNX
  // makes the initializer a default the caller may override). Such an input is a constant,
  // folded and packed at load, unless it is named here: then it stays an input of Run, with
  // its initializer's dtype and dims, and the ops that need it constant refuse to load.
  std::vector<std::string> fed_initializers;
  // Sizes a model may not exceed, checked before allocating (see core/limits.h).
  Limits limits;
  // Threads a Run may use, the caller's included (>= 1). Heavy ops (convolutions, pooling) split
  // their output tiles statically among them, so outputs are bit-identical for any count. The
  // worker threads come from one pool all models share (src/parallel/thread_pool.h).
  size_t num_threads = 1;
  // Ops with fewer multiply-adds than this run on the calling thread whatever num_threads says:
  // a region costs ~4-5 us here (the worker starts within ~0.5 us; the caller then waits ~3-4 us
  // for the last part on average). Splitting more than the cost alone suggests pays off: an op
  // left to the caller reads the rows the other core wrote in the op before, and the next split
  // op reads half of its output across cores. Lowering this from 250000 to 50000 (ShuffleNet's
  // and BlazeFace's small depthwise convs now split) gave 2 threads 0.93-0.99x the time on
  // ShuffleNet 0.5/1.0, BlazeFace and MobileNetV3-small (alternating blocks); splitting every op
  // measured the same as 50000. Tests set 0 to split every op. Ops without a multiply-add count
  // (pooling, shuffles) always split.
  int64_t min_parallel_macs = 50000;
};

// Wall time of one executed node (after fusion: a "Conv" may include its activation and add).
struct NodeTiming {
  std::string name;
  std::string op_type;
  std::string kernel;  // Op::kernel_name()
  double ms = 0;
};

// One node as it runs (after fusion), for `litecnn info` and tools.
struct NodeSummary {
  std::string name;
  std::string op_type;
  std::string kernel;  // Op::kernel_name()
  int64_t macs = 0;    // Op::macs()
};

// Caps the worker threads all models together may start (default: no cap). A Run with more
// threads than workers + 1 computes the same partition on fewer threads.
void SetMaxWorkerThreads(size_t workers);

class Model {
 public:
  static Result<std::unique_ptr<Model>> Load(const uint8_t* data, size_t size,
                                             const LoadOptions& options = {});
  // As above, taking the bytes: they are freed as soon as they are decoded, so the file and
  // the packed weights are never in memory together (the peak is what a wasm page keeps).
  static Result<std::unique_ptr<Model>> Load(std::vector<uint8_t>&& bytes,
                                             const LoadOptions& options = {});
  // The same for a buffer filled by the caller (the wasm bindings copy the file from JS into
  // it: a vector would zero-fill megabytes first, slow code on a page's first load).
  static Result<std::unique_ptr<Model>> Load(std::unique_ptr<uint8_t[]> bytes, size_t size,
                                             const LoadOptions& options = {});
  // The same for a file whose large tensor payloads were cut out and are read from `payloads`
  // (see onnx::ExternalPayloads): the JS API's path, which keeps the file out of wasm memory.
  static Result<std::unique_ptr<Model>> Load(std::unique_ptr<uint8_t[]> bytes, size_t size,
                                             const onnx::ExternalPayloads& payloads,
                                             const LoadOptions& options = {});
  // A model already decoded into the ONNX structs, or translated into them from another format
  // (tflite::ImportModel).
  static Result<std::unique_ptr<Model>> Load(onnx::Model&& decoded,
                                             const LoadOptions& options = {});
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const std::vector<TensorInfo>& inputs() const;
  const std::vector<TensorInfo>& outputs() const;
  // Graph inputs that have an initializer and are constants (not named in
  // LoadOptions::fed_initializers), for error messages that point to that option.
  const std::vector<std::string>& initializer_inputs() const;
  // The executed nodes in order, with their kernels and multiply-adds per run.
  std::vector<NodeSummary> Summary() const;

  // Starts or wakes this model's worker threads (num_threads > 1) so that their wake-up, ~0.4
  // ms for a Worker asleep in wasm, overlaps what the caller does before Run (copying inputs in)
  // instead of the run's first ops. Optional: Run does it too.
  void WakeThreads() const;

  // Runs the model. Every graph input must be given exactly once, with the dtype and dims of
  // inputs(); returns the outputs in the order of outputs(), each with the dims this run gave
  // it (an output of data-dependent length has as many rows as the run selected).
  Result<std::vector<NamedTensor>> Run(std::vector<NamedTensor> inputs);
  // As Run, and records every executed node's time, in execution order, into *profile.
  Result<std::vector<NamedTensor>> Run(std::vector<NamedTensor> inputs,
                                       std::vector<NodeTiming>* profile);

  struct Impl;

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace litecnn
