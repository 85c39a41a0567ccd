// Manual tool: loads .tflite (or .onnx) files through litecnn (tflite::DecodeModel,
// tflite::ImportModel, Model::Load), runs each on a deterministic input and prints every
// output's dims, sum, absolute sum and first values, to compare a .tflite with its ONNX
// conversion:
//   build/tflite_run face_detection_short_range.tflite models/generated/blazeface.onnx
// --input=FILE feeds the raw float32 bytes of FILE (NHWC) as the first input of the models after
// it; --mask=X0,Y0,X1,Y1 prints, for a [1, H, W, 1] output, its mean inside that box (in output
// pixels) and outside it (a segmentation model on an image with a person in the box).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "runtime/model.h"
#include "tflite/decoder.h"
#include "tflite/importer.h"

namespace {

using namespace litecnn;

Result<std::unique_ptr<Model>> LoadFile(const std::vector<uint8_t>& bytes) {
  if (!tflite::HasTfliteIdentifier(bytes.data(), bytes.size())) {
    return Model::Load(bytes.data(), bytes.size());
  }
  LITECNN_ASSIGN_OR_RETURN(tflite::Model decoded, tflite::DecodeModel(bytes.data(), bytes.size()));
  LITECNN_ASSIGN_OR_RETURN(onnx::Model proto, tflite::ImportModel(decoded));
  return Model::Load(std::move(proto));
}

struct Options {
  std::vector<float> input;  // empty: a deterministic pattern
  int box[4] = {-1, -1, -1, -1};
};

void PrintMask(const NamedTensor& out, const Options& o) {
  const Dims& d = out.tensor.dims();
  if (o.box[0] < 0 || d.size() != 4 || d[3] != 1) return;
  const float* y = out.tensor.data<float>();
  double in = 0, outside = 0;
  int64_t n_in = 0, n_out = 0;
  for (int64_t r = 0; r < d[1]; ++r) {
    for (int64_t c = 0; c < d[2]; ++c) {
      const bool inside = c >= o.box[0] && c < o.box[2] && r >= o.box[1] && r < o.box[3];
      (inside ? in : outside) += y[r * d[2] + c];
      ++(inside ? n_in : n_out);
    }
  }
  std::printf("    mask mean inside the box %.4f, outside %.4f\n", in / std::max<int64_t>(n_in, 1),
              outside / std::max<int64_t>(n_out, 1));
}

int RunFile(const char* path, const Options& options) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto model = LoadFile(bytes);
  if (!model.ok()) {
    std::printf("%s: %s\n", path, model.status().ToString().c_str());
    return 1;
  }
  std::vector<NamedTensor> inputs;
  for (const TensorInfo& info : (*model)->inputs()) {
    auto t = Tensor::Create(info.dtype, info.dims);
    if (!t.ok()) return 1;
    float* x = t->data<float>();
    for (int64_t i = 0; i < t->num_elements(); ++i) x[i] = std::sin(0.001f * i * (i % 7 + 1));
    if (inputs.empty() && !options.input.empty()) {
      if (options.input.size() != static_cast<size_t>(t->num_elements())) {
        std::printf("%s: --input has %zu floats, the input %lld\n", path, options.input.size(),
                    static_cast<long long>(t->num_elements()));
        return 1;
      }
      std::copy(options.input.begin(), options.input.end(), x);
    }
    std::printf("%s: input '%s' %s\n", path, info.name.c_str(), DimsToString(info.dims).c_str());
    inputs.push_back({info.name, std::move(t).value()});
  }
  int nodes = 0;
  for (const NodeSummary& n : (*model)->Summary()) nodes += n.op_type != "View";
  std::printf("  %d nodes run\n", nodes);
  auto outputs = (*model)->Run(std::move(inputs));
  if (!outputs.ok()) {
    std::printf("  run: %s\n", outputs.status().ToString().c_str());
    return 1;
  }
  for (const NamedTensor& out : *outputs) {
    const float* y = out.tensor.data<float>();
    double sum = 0, abs_sum = 0;
    for (int64_t i = 0; i < out.tensor.num_elements(); ++i) sum += y[i], abs_sum += std::fabs(y[i]);
    std::printf("  output '%s' %s sum %.6g abs %.6g first", out.name.c_str(),
                DimsToString(out.tensor.dims()).c_str(), sum, abs_sum);
    for (int64_t i = 0; i < 4 && i < out.tensor.num_elements(); ++i) std::printf(" %.6g", y[i]);
    int64_t top = 0;
    for (int64_t i = 1; i < out.tensor.num_elements(); ++i) top = y[i] > y[top] ? i : top;
    std::printf(" max %.6g at %lld\n", y[top], static_cast<long long>(top));
    PrintMask(out, options);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int rc = 0;
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--input=", 0) == 0) {
      std::ifstream in(arg.substr(8), std::ios::binary);
      std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      options.input.resize(raw.size() / sizeof(float));
      std::memcpy(options.input.data(), raw.data(), options.input.size() * sizeof(float));
    } else if (arg.rfind("--mask=", 0) == 0) {
      std::sscanf(arg.c_str() + 7, "%d,%d,%d,%d", &options.box[0], &options.box[1], &options.box[2],
                  &options.box[3]);
    } else {
      rc |= RunFile(argv[i], options);
    }
  }
  return rc;
}
