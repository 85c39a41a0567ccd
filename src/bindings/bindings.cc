// Embind bindings: the only translation layer between web/src (JS) and litecnn's C++ API.
//
// This file only converts values. Validation with user-facing messages and option defaults
// live in web/src/index.js. Failures come back as {ok: false, code, message} objects rather
// than JS exceptions: the wasm build has C++ exceptions disabled, and a JS exception unwinding
// through wasm frames would skip C++ destructors (leaking tensors and the model). What escapes
// anyway (a bug) is handled at the end of this file.
//
// Data is always copied across the boundary in one step (TypedArray.set / new TypedArray(view)):
// a typed_memory_view aliases wasm memory, which goes stale as soon as memory grows and is
// reused by the runtime, so no view ever escapes to JS.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/tensor.h"
#include "runtime/image.h"
#include "runtime/model.h"

namespace litecnn {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

void InjectArmedFault();  // testing (below)

val OkResult() {
  val result = val::object();
  result.set("ok", true);
  result.set("code", std::string(StatusCodeName(StatusCode::kOk)));
  result.set("message", std::string());
  return result;
}

val ErrorResult(const Status& status) {
  val result = val::object();
  result.set("ok", false);
  result.set("code", std::string(StatusCodeName(status.code())));
  result.set("message", status.message());
  return result;
}

// Dims travel as JS numbers: embind 3.1.6 has no int64 binding without WASM_BIGINT, and
// every real dim fits a double exactly.
val DimsToJs(const Dims& dims) {
  val array = val::array();
  for (int64_t d : dims) array.call<void>("push", static_cast<double>(d));
  return array;
}

Dims DimsFromJs(const val& array) {
  const size_t rank = array["length"].as<size_t>();
  Dims dims;
  dims.reserve(rank);
  for (size_t i = 0; i < rank; ++i) dims.push_back(static_cast<int64_t>(array[i].as<double>()));
  return dims;
}

val TensorInfosToJs(const std::vector<TensorInfo>& infos) {
  val array = val::array();
  for (const TensorInfo& info : infos) {
    val item = val::object();
    item.set("name", info.name);
    item.set("dtype", std::string(DataTypeName(info.dtype)));
    item.set("dims", DimsToJs(info.dims));
    array.call<void>("push", item);
  }
  return array;
}

// The JS typed array that holds a dtype's elements; nullptr for dtypes only exposed as bytes.
const char* TypedArrayName(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat32:
      return "Float32Array";
    case DataType::kFloat64:
      return "Float64Array";
    case DataType::kInt8:
      return "Int8Array";
    case DataType::kInt32:
      return "Int32Array";
    case DataType::kInt64:
      return "BigInt64Array";
    default:
      return nullptr;  // uint8, bool: the byte copy is already the right array
  }
}

// Copies a tensor's elements into a new JS-owned typed array. There are no memory views for
// int64, so every dtype is copied as bytes and then viewed with its element type.
val TensorDataToJs(const Tensor& tensor) {
  const auto* bytes = static_cast<const uint8_t*>(tensor.raw());
  val copy = val::global("Uint8Array").new_(typed_memory_view(tensor.byte_size(), bytes));
  const char* name = TypedArrayName(tensor.dtype());
  if (name == nullptr) return copy;
  return val::global(name).new_(copy["buffer"]);
}

// rgba: Uint8Array or Uint8ClampedArray of 4 * width * height bytes. options: {width, height,
// fit, channels, layout (names as in runtime/image.h), scale, offset, fill: 3 numbers each}.
// Returns {ok, code, message, data: Float32Array, dims, letterbox: {scaleX, scaleY, offsetX,
// offsetY, width, height}}; dims are [1, 3, H, W] or [1, H, W, 3] as the layout says.
val PreprocessImageJs(const val& rgba, double width, double height, const val& options) {
  Result<FitMode> fit = ParseFitMode(options["fit"].as<std::string>());
  if (!fit.ok()) return ErrorResult(fit.status());
  Result<ChannelOrder> channels = ParseChannelOrder(options["channels"].as<std::string>());
  if (!channels.ok()) return ErrorResult(channels.status());
  Result<Layout> layout = ParseImageLayout(options["layout"].as<std::string>());
  if (!layout.ok()) return ErrorResult(layout.status());
  PreprocessOptions preprocess;
  preprocess.fit = fit.value();
  preprocess.channels = channels.value();
  for (int c = 0; c < 3; ++c) {
    preprocess.scale[c] = options["scale"][c].as<float>();
    preprocess.offset[c] = options["offset"][c].as<float>();
    preprocess.fill[c] = options["fill"][c].as<float>();
  }

  const int64_t out_h = static_cast<int64_t>(options["height"].as<double>());
  const int64_t out_w = static_cast<int64_t>(options["width"].as<double>());
  const bool nhwc = layout.value() == Layout::kNHWC;
  // Tensor::Create rejects negative and oversized dims; PreprocessImage the rest.
  Result<Tensor> out = Tensor::Create(DataType::kFloat32,
                                      nhwc ? Dims{1, out_h, out_w, 3} : Dims{1, 3, out_h, out_w});
  if (!out.ok()) return ErrorResult(out.status());

  // The one copy of the pixels into wasm memory (the view is made after the allocation).
  std::vector<uint8_t> pixels(rgba["length"].as<size_t>());
  val(typed_memory_view(pixels.size(), pixels.data())).call<void>("set", rgba);
  const ImageView image{pixels.data(), pixels.size(), static_cast<int64_t>(width),
                        static_cast<int64_t>(height)};
  const TensorView view{out->raw(), DataType::kFloat32, {1, 3, out_h, out_w}, layout.value()};
  LetterboxInfo info;
  if (Status s = PreprocessImage(image, preprocess, view, &info); !s.ok()) return ErrorResult(s);

  val result = OkResult();
  result.set("data", TensorDataToJs(out.value()));
  result.set("dims", DimsToJs(out->dims()));
  val placement = val::object();
  placement.set("scaleX", info.scale_x);
  placement.set("scaleY", info.scale_y);
  placement.set("offsetX", info.offset_x);
  placement.set("offsetY", info.offset_y);
  placement.set("width", static_cast<double>(info.width));
  placement.set("height", static_cast<double>(info.height));
  result.set("letterbox", placement);
  return result;
}

class WasmModel {
 public:
  // bytes: Uint8Array, the .onnx file or, when payloads (an array of Uint8Array) is not empty,
  // the file with those tensor payloads cut out (web/src/onnx_split.js). options, validated by
  // web/src: {inputDims: [{name, dims}], limits: {maxModelBytes, maxNodes, maxRank,
  // maxTensorElements, maxPlannedBytes} (each a positive integer or absent: then the default of
  // core/limits.h), numThreads, feedInitializers: [name]}, as LoadOptions names them.
  val load(const val& bytes, const val& js_options, const val& payloads) {
    InjectArmedFault();
    LoadOptions options;
    options.num_threads = js_options["numThreads"].as<size_t>();
    const val input_dims = js_options["inputDims"];
    const size_t count = input_dims["length"].as<size_t>();
    for (size_t i = 0; i < count; ++i) {
      val item = input_dims[i];
      options.input_dims.emplace_back(item["name"].as<std::string>(), DimsFromJs(item["dims"]));
    }
    const val fed = js_options["feedInitializers"];
    for (size_t i = 0, n = fed["length"].as<size_t>(); i < n; ++i) {
      options.fed_initializers.push_back(fed[i].as<std::string>());
    }
    const val limits = js_options["limits"];
    const std::pair<const char*, int64_t*> fields[] = {
        {"maxModelBytes", &options.limits.max_model_bytes},
        {"maxNodes", &options.limits.max_nodes},
        {"maxRank", &options.limits.max_rank},
        {"maxTensorElements", &options.limits.max_tensor_elements},
        {"maxPlannedBytes", &options.limits.max_planned_bytes},
    };
    for (const auto& [name, field] : fields) {
      const val v = limits[name];
      if (!v.isUndefined()) *field = static_cast<int64_t>(v.as<double>());
    }

    // Checked before the copy into wasm memory, which is the first allocation the file causes.
    const size_t size = bytes["length"].as<size_t>();
    if (Status s = CheckLimit("maxModelBytes", "the model", static_cast<int64_t>(size),
                              options.limits.max_model_bytes, "bytes");
        !s.ok()) {
      return ErrorResult(s);
    }
    // Uninitialised: JS fills it (see Model::Load). The view is created after the allocation,
    // so memory growth cannot invalidate it.
    std::unique_ptr<uint8_t[]> data(new (std::nothrow) uint8_t[size]);
    if (!data) return ErrorResult(OutOfMemory(size, "the model file"));
    val(typed_memory_view(size, data.get())).call<void>("set", bytes);

    onnx::ExternalPayloads external;
    const size_t payload_count = payloads["length"].as<size_t>();
    for (size_t i = 0; i < payload_count; ++i) {
      external.sizes.push_back(payloads[i]["length"].as<size_t>());
    }
    // Called after the tensor is allocated: the view cannot be stale.
    external.read = [&payloads, &external](size_t i, void* dst) {
      val(typed_memory_view(external.sizes[i], static_cast<uint8_t*>(dst)))
          .call<void>("set", payloads[i]);
    };
    Result<std::unique_ptr<Model>> model =
        payload_count == 0 ? Model::Load(std::move(data), size, options)
                           : Model::Load(std::move(data), size, external, options);
    if (!model.ok()) return ErrorResult(model.status());
    model_ = std::move(model).value();
    return OkResult();
  }

  val inputs() const { return model_ ? TensorInfosToJs(model_->inputs()) : val::array(); }
  // Names of the inputs an initializer made constants (Model::initializer_inputs).
  val initializerInputs() const {
    val names = val::array();
    if (!model_) return names;
    for (const std::string& name : model_->initializer_inputs()) names.call<void>("push", name);
    return names;
  }
  val outputs() const { return model_ ? TensorInfosToJs(model_->outputs()) : val::array(); }
  // [{name, op, kernel, macs}] per executed node.
  val summary() const {
    val nodes = val::array();
    if (!model_) return nodes;
    for (const NodeSummary& n : model_->Summary()) {
      val item = val::object();
      item.set("name", n.name);
      item.set("op", n.op_type);
      item.set("kernel", n.kernel);
      item.set("macs", static_cast<double>(n.macs));
      nodes.call<void>("push", item);
    }
    return nodes;
  }

  // inputs: array of {name, data: Float32Array, dims}. Returns {ok, code, message, outputs}.
  val run(const val& inputs) { return RunImpl(inputs, false); }
  // As run, plus `profile`: [{name, op, kernel, ms}] per executed node.
  val profile(const val& inputs) { return RunImpl(inputs, true); }

 private:
  val RunImpl(const val& inputs, bool with_profile) {
    InjectArmedFault();
    if (!model_) return ErrorResult(FailedPrecondition("no model is loaded"));
    model_->WakeThreads();  // while the inputs are copied in

    const size_t count = inputs["length"].as<size_t>();
    std::vector<NamedTensor> tensors;
    tensors.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      val item = inputs[i];
      std::string name = item["name"].as<std::string>();
      Result<Tensor> tensor = Tensor::Create(DataType::kFloat32, DimsFromJs(item["dims"]));
      if (!tensor.ok()) return ErrorResult(tensor.status().WithContext("input '" + name + "'"));
      val data = item["data"];
      // Float32Array.set would throw a JS RangeError on a longer array (and silently leave
      // zeros for a shorter one); keep the failure a Status so C++ destructors still run.
      const double length = data["length"].as<double>();
      if (length != static_cast<double>(tensor->num_elements())) {
        return ErrorResult(InvalidArgument("input '" + name + "': data has " +
                                           std::to_string(static_cast<int64_t>(length)) +
                                           " elements, dims " + DimsToString(tensor->dims()) +
                                           " need " + std::to_string(tensor->num_elements())));
      }
      val(typed_memory_view(static_cast<size_t>(tensor->num_elements()), tensor->data<float>()))
          .call<void>("set", data);
      tensors.push_back({std::move(name), std::move(tensor).value()});
    }

    std::vector<NodeTiming> timings;
    Result<std::vector<NamedTensor>> outputs =
        model_->Run(std::move(tensors), with_profile ? &timings : nullptr);
    if (!outputs.ok()) return ErrorResult(outputs.status());

    val result = OkResult();
    val array = val::array();
    for (const NamedTensor& output : outputs.value()) {
      val item = val::object();
      item.set("name", output.name);
      item.set("dtype", std::string(DataTypeName(output.tensor.dtype())));
      item.set("dims", DimsToJs(output.tensor.dims()));
      item.set("data", TensorDataToJs(output.tensor));
      array.call<void>("push", item);
    }
    result.set("outputs", array);
    if (with_profile) {
      val layers = val::array();
      for (const NodeTiming& t : timings) {
        val item = val::object();
        item.set("name", t.name);
        item.set("op", t.op_type);
        item.set("kernel", t.kernel);
        item.set("ms", t.ms);
        layers.call<void>("push", item);
      }
      result.set("profile", layers);
    }
    return result;
  }

  std::unique_ptr<Model> model_;
};

// Bytes of the wasm heap currently allocated (malloc'd and not freed): what a leak would grow,
// unlike the wasm memory size, which never shrinks.
double HeapBytesInUse() {
  // emmalloc's count: it includes alignment gaps merged into blocks and the headers of free
  // regions, so the same allocations can read a few dozen bytes apart (tests/node allow for it).
  const struct mallinfo info = mallinfo();
  return static_cast<double>(info.uordblks);
}

#ifdef __EMSCRIPTEN_PTHREADS__
// The most worker threads models may start (each a Web Worker, created at a model's first run):
// the thread count web/src was initialised with, less the caller. Only the threads build has it
// (the others start no threads, and every byte of theirs is downloaded).
void SetThreadLimit(double workers) { SetMaxWorkerThreads(static_cast<size_t>(workers)); }
#endif

}  // namespace

// --- what escapes to JS when the engine breaks its contract --------------------------------
//
// Exception catching is off (it would cost size and speed everywhere), so a C++ exception that
// a bug lets through (std::bad_variant_access from a header's inline throw, say) reaches JS as
// the thrown object's address, a bare number; web/src/errors.js turns it, aborts and wasm traps
// into LitecnnError 'Internal'. It asks here what the number means.

// Where InjectArmedFault stores what it computes, so the compiler keeps the faulting access.
// (External linkage: a write to it is observable.)
void* volatile g_fault_sink = nullptr;

}  // namespace litecnn

// libc++abi's matcher for emscripten's JS exception handling (private_typeinfo.cpp): whether a
// handler for `catch_type` catches an object of `thrown_type`, adjusting *object to the base.
extern "C" int __cxa_can_catch(const std::type_info* catch_type, const std::type_info* thrown_type,
                               void** object);

namespace litecnn {
namespace {

// The header emscripten's __cxa_allocate_exception places before every thrown object
// (libcxxabi/src/cxa_exception.h, __USING_EMSCRIPTEN_EXCEPTIONS__, emscripten 3.1.x).
struct EmscriptenExceptionHeader {
  size_t reference_count;
  const std::type_info* type;
  // Declared void(void*) there, but the WebAssembly C++ ABI's destructors return `this`, and a
  // call_indirect must name the signature the function really has.
  void* (*destructor)(void*);
  uint8_t caught;
  uint8_t rethrown;
};

// "St11logic_error" -> "std::logic_error", "N7litecnn5ErrorE" -> "litecnn::Error": the Itanium
// mangling of plain (non-template) class names, which is all a thrown type usually is. Anything
// else comes back as it is (a demangler would cost more download than this message is worth).
std::string ClassName(const char* mangled) {
  std::string out;
  const char* p = mangled;
  const bool nested = *p == 'N';
  if (nested) ++p;
  while (*p != '\0' && *p != 'E') {
    if (!out.empty()) out += "::";
    if (p[0] == 'S' && p[1] == 't') {
      out += "std";
      p += 2;
      continue;
    }
    size_t length = 0;
    while (*p >= '0' && *p <= '9') length = length * 10 + static_cast<size_t>(*p++ - '0');
    if (length == 0 || std::char_traits<char>::length(p) < length) return mangled;
    out.append(p, length);
    p += length;
  }
  if ((*p == 'E') != nested || (nested && p[1] != '\0') || out.empty()) return mangled;
  return out;
}

// thrown: the number JS caught. Returns what() of a std::exception (else the type's name), then
// destroys and frees the exception, which nothing else will.
std::string TakeThrownMessage(double thrown) {
  const uintptr_t address = static_cast<uintptr_t>(thrown);
  auto* header =
      reinterpret_cast<EmscriptenExceptionHeader*>(address - sizeof(EmscriptenExceptionHeader));
  void* object = reinterpret_cast<void*>(address);
  std::string message;
  void* base = object;
  if (__cxa_can_catch(&typeid(std::exception), header->type, &base)) {
    message = ClassName(header->type->name()) + ": " + static_cast<std::exception*>(base)->what();
  } else {
    message = "of type " + ClassName(header->type->name());
  }
  if (header->destructor) header->destructor(object);
  std::free(header);
  return message;
}

// Testing: the next load() or run() of any model fails as a broken engine would, so tests can
// check the JS API survives each way: "exception" (a C++ exception escapes), "abort"
// (std::abort: what this build's libc++ calls where it would throw, e.g. std::bad_alloc when
// operator new finds no memory), "trap" (wasm unreachable), "out-of-bounds" (a load outside
// wasm memory).
enum class Fault { kNone, kException, kAbort, kTrap, kOutOfBounds };
Fault g_fault = Fault::kNone;

void ArmFaultForTesting(const std::string& kind) {
  g_fault = kind == "exception"       ? Fault::kException
            : kind == "abort"         ? Fault::kAbort
            : kind == "trap"          ? Fault::kTrap
            : kind == "out-of-bounds" ? Fault::kOutOfBounds
                                      : Fault::kNone;
}

// Nothing here may own memory when the fault hits: no destructor runs after it.
void InjectArmedFault() {
  const Fault fault = g_fault;
  g_fault = Fault::kNone;
  if (fault == Fault::kException) throw std::logic_error("injected fault (armFaultForTesting)");
  if (fault == Fault::kAbort) std::abort();
  if (fault == Fault::kTrap) __builtin_trap();
  if (fault == Fault::kOutOfBounds) {
    volatile uintptr_t address = UINTPTR_MAX - 15;
    g_fault_sink =
        reinterpret_cast<void*>(static_cast<uintptr_t>(*reinterpret_cast<volatile int*>(address)));
  }
}

}  // namespace
}  // namespace litecnn

// JS frees a Model with the embind-generated delete(), which runs ~WasmModel.
EMSCRIPTEN_BINDINGS(litecnn) {
  emscripten::class_<litecnn::WasmModel>("Model")
      .constructor<>()
      .function("load", &litecnn::WasmModel::load)
      .function("inputs", &litecnn::WasmModel::inputs)
      .function("initializerInputs", &litecnn::WasmModel::initializerInputs)
      .function("outputs", &litecnn::WasmModel::outputs)
      .function("summary", &litecnn::WasmModel::summary)
      .function("run", &litecnn::WasmModel::run)
      .function("profile", &litecnn::WasmModel::profile);
  emscripten::function("heapBytesInUse", &litecnn::HeapBytesInUse);
  emscripten::function("preprocessImage", &litecnn::PreprocessImageJs);
  emscripten::function("takeThrownMessage", &litecnn::TakeThrownMessage);
  emscripten::function("armFaultForTesting", &litecnn::ArmFaultForTesting);
#ifdef __EMSCRIPTEN_PTHREADS__
  emscripten::function("setThreadLimit", &litecnn::SetThreadLimit);
#endif
}
