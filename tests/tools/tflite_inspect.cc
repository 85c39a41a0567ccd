// Manual tool: decodes .tflite files with litecnn's reader and prints what they contain (ops and
// their counts, custom ops, tensor types, sparse and quantized tensors, options tables litecnn
// does not read), to check the reader against real models without committing them:
//   build/tflite_inspect package/*.tflite
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "tflite/decoder.h"

namespace {

using namespace litecnn::tflite;

std::string Shape(const std::vector<int32_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

int Inspect(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::printf("%s: cannot open\n", path);
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto model = DecodeModel(bytes.data(), bytes.size());
  if (!model.ok()) {
    std::printf("%s: %s\n", path, model.status().ToString().c_str());
    return 1;
  }
  std::printf("%s: %zu bytes, schema version %u, %zu subgraphs, %zu buffers, description '%s'\n",
              path, bytes.size(), model->version, model->subgraphs.size(), model->buffers.size(),
              model->description.c_str());
  for (const Metadata& m : model->metadata) {
    std::printf("  metadata '%s' (buffer %u, %zu bytes)\n", m.name.c_str(), m.buffer,
                model->buffers[m.buffer].data.size);
  }
  for (size_t s = 0; s < model->subgraphs.size(); ++s) {
    const SubGraph& sg = model->subgraphs[s];
    std::printf("  subgraph %zu '%s': %zu tensors, %zu operators\n", s, sg.name.c_str(),
                sg.tensors.size(), sg.operators.size());
    for (int32_t i : sg.inputs) {
      std::printf("    input  '%s' %s %s\n", sg.tensors[i].name.c_str(),
                  TensorTypeName(sg.tensors[i].type).c_str(), Shape(sg.tensors[i].shape).c_str());
    }
    for (int32_t i : sg.outputs) {
      std::printf("    output '%s' %s %s\n", sg.tensors[i].name.c_str(),
                  TensorTypeName(sg.tensors[i].type).c_str(), Shape(sg.tensors[i].shape).c_str());
    }
    std::map<std::string, int> ops, types, options;
    int sparse = 0, quantized = 0, external = 0;
    for (const Operator& op : sg.operators) {
      const OperatorCode& code = model->operator_codes[op.opcode_index];
      std::string name = BuiltinOperatorName(code.builtin_code);
      if (code.builtin_code == static_cast<int32_t>(BuiltinOperator::kCustom)) {
        name += " '" + code.custom_code + "' (" + std::to_string(op.custom_options.size) +
                " bytes of options, format " + std::to_string(op.custom_options_format) + ")";
      }
      name += " v" + std::to_string(code.version);
      ++ops[name];
      if (std::holds_alternative<OtherOptions>(op.builtin_options) &&
          op.builtin_options_type != 0) {
        ++options[BuiltinOperatorName(code.builtin_code) + " options type " +
                  std::to_string(op.builtin_options_type)];
      }
    }
    for (const Tensor& t : sg.tensors) {
      const bool constant = model->buffers[t.buffer].data.size > 0;
      ++types[TensorTypeName(t.type) + (constant ? " constant" : " activation")];
      if (t.sparsity) {
        ++sparse;
        std::printf("    sparse tensor '%s' %s: traversal order %s, block map %s, %zu dims\n",
                    t.name.c_str(), Shape(t.shape).c_str(),
                    Shape(t.sparsity->traversal_order).c_str(),
                    Shape(t.sparsity->block_map).c_str(), t.sparsity->dim_metadata.size());
      }
      if (t.quantization && (!t.quantization->scale.empty() || t.quantization->has_details)) {
        ++quantized;
      }
      external +=
          model->buffers[t.buffer].data.offset > 0 && model->buffers[t.buffer].data.data == nullptr;
    }
    for (const auto& [name, n] : ops) std::printf("    op %-60s x%d\n", name.c_str(), n);
    for (const auto& [name, n] : types) std::printf("    tensors %-30s x%d\n", name.c_str(), n);
    for (const auto& [name, n] : options) {
      std::printf("    options not read: %s x%d\n", name.c_str(), n);
    }
    std::printf("    sparse tensors: %d, quantized tensors: %d\n", sparse, quantized);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int rc = 0;
  for (int i = 1; i < argc; ++i) rc |= Inspect(argv[i]);
  return rc;
}
