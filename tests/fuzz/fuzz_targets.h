// The bodies of litecnn's fuzz targets, shared by the libFuzzer binaries (fuzz_load.cc,
// fuzz_run.cc, fuzz_tflite.cc) and by the GoogleTest that replays tests/fuzz/regressions/ in every
// build (tests/cpp/fuzz_regressions_test.cc), so a crash found once stays fixed everywhere.
//
// A target returns normally for every input; a bug shows as a sanitizer report or as a trap
// where the engine broke its own contract (an error without a message, an Internal status).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "onnx/decoder.h"
#include "runtime/model.h"
#include "tflite/decoder.h"
#include "tflite/importer.h"

namespace litecnn::fuzz {

// Limits small enough that one execution stays in milliseconds under ASan, so the fuzzer
// explores graphs instead of waiting on big tensors.
inline LoadOptions SmallLoadOptions() {
  LoadOptions options;
  options.limits.max_model_bytes = int64_t{32} << 20;
  options.limits.max_nodes = 2000;
  options.limits.max_tensor_elements = int64_t{1} << 20;
  options.limits.max_planned_bytes = int64_t{64} << 20;
  return options;
}

// Multiply-adds above which a loaded model is not run: a legitimate but heavy model (a large
// conv on a 2^20-element input) is not a hang, only a slow input for a fuzzer.
constexpr int64_t kMaxFuzzMacs = int64_t{1} << 24;

inline void CheckError(const Status& status) {
  if (status.ok()) return;
  if (status.message().empty() || status.code() == StatusCode::kInternal) __builtin_trap();
}

// Target 1: the wire decoder (as a model and as a standalone tensor) and the whole loader.
inline void FuzzLoad(const uint8_t* data, size_t size) {
  CheckError(onnx::DecodeTensor(data, size).status());
  auto model = Model::Load(data, size, SmallLoadOptions());
  CheckError(model.status());
  // The JS API's path: the same bytes with a table of payloads cut out of the file, which
  // TensorProto field onnx::kExternalPayloadField may name (web/src/onnx_split.js).
  static const std::vector<size_t> kPayloadSizes = {0, 4, 16, 64};
  onnx::ExternalPayloads payloads;
  payloads.sizes = kPayloadSizes;
  payloads.read = [](size_t i, void* dst) { std::memset(dst, 0x3f, kPayloadSizes[i]); };
  std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
  if (size) std::memcpy(copy.get(), data, size);
  CheckError(Model::Load(std::move(copy), size, payloads, SmallLoadOptions()).status());
}

// Target 2: load, then run on a small deterministic input, twice (a second run must give the
// same bytes: the memory plan's buffer sharing must not leak state between runs).
inline void FuzzLoadAndRun(const uint8_t* data, size_t size) {
  auto loaded = Model::Load(data, size, SmallLoadOptions());
  CheckError(loaded.status());
  if (!loaded.ok()) return;
  Model& model = **loaded;
  int64_t macs = 0;
  for (const NodeSummary& node : model.Summary()) {
    if (node.macs < 0) __builtin_trap();
    macs += node.macs;
    if (macs > kMaxFuzzMacs) return;
  }
  auto make_inputs = [&]() {
    std::vector<NamedTensor> inputs;
    for (const TensorInfo& info : model.inputs()) {
      auto tensor = Tensor::Create(info.dtype, info.dims);
      // inputs() reports what Load accepted, so a tensor of those dims must be creatable.
      if (!tensor.ok()) __builtin_trap();
      if (info.dtype == DataType::kFloat32) {
        float* x = tensor->data<float>();
        for (int64_t i = 0; i < tensor->num_elements(); ++i) x[i] = static_cast<float>(i % 7) - 3;
      }
      inputs.push_back({info.name, std::move(tensor).value()});
    }
    return inputs;
  };
  auto first = model.Run(make_inputs());
  CheckError(first.status());
  auto second = model.Run(make_inputs());
  CheckError(second.status());
  if (first.ok() != second.ok()) __builtin_trap();
  if (!first.ok()) return;
  for (size_t k = 0; k < first->size(); ++k) {
    const Tensor& a = (*first)[k].tensor;
    const Tensor& b = (*second)[k].tensor;
    if (a.dims() != b.dims() || a.byte_size() != b.byte_size()) __builtin_trap();
    if (a.byte_size() && std::memcmp(a.raw(), b.raw(), a.byte_size()) != 0) __builtin_trap();
  }
}

// Target 3: the TFLite FlatBuffer decoder, with limits as small as the loader's, then the
// importer and the loader on what it accepts. When Model::Load takes .tflite bytes (detected
// from the bytes), FuzzLoad covers this path too; this target keeps the seeds and the checks of
// the decoder's contract.
inline void FuzzTflite(const uint8_t* data, size_t size) {
  tflite::DecodeLimits limits;
  static_cast<Limits&>(limits) = SmallLoadOptions().limits;
  auto model = tflite::DecodeModel(data, size, limits);
  CheckError(model.status());
  if (!model.ok()) return;
  // The decoder's contract: every index it returns is in range, every view inside the input.
  for (const tflite::SubGraph& sg : model->subgraphs) {
    for (const tflite::Operator& op : sg.operators) {
      if (op.opcode_index >= model->operator_codes.size()) __builtin_trap();
      for (int32_t i : op.inputs) {
        if (i < -1 || i >= static_cast<int64_t>(sg.tensors.size())) __builtin_trap();
      }
      const tflite::ByteView& v = op.custom_options;
      if (v.size && (v.data < data || v.data + v.size > data + size)) __builtin_trap();
    }
    for (const tflite::Tensor& t : sg.tensors) {
      if (t.buffer >= model->buffers.size()) __builtin_trap();
    }
  }
  for (const tflite::Buffer& b : model->buffers) {
    if (b.data.size && (b.data.data < data || b.data.data + b.data.size > data + size)) {
      __builtin_trap();
    }
  }
  // The importer and the loader on what the decoder accepted.
  auto proto = tflite::ImportModel(*model);
  CheckError(proto.status());
  if (proto.ok()) CheckError(Model::Load(std::move(proto).value(), SmallLoadOptions()).status());
}

}  // namespace litecnn::fuzz
