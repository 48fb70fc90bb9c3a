//===- kiln-run.cpp - Run a library compiled by kilnc on tensor files -----===//
//
//   kiln-run LIB -i FILE [-i FILE ...] [-o DIR] [--compare DIR]
//            [--rtol R] [--atol A] [--iterations N] [--print]
//            [--threads N] [--guard after|before]
//
// Loads LIB with dlopen, feeds it the inputs (ONNX TensorProto .pb or NumPy
// .npy, in the model's input order), runs it once and then writes, compares
// and times as asked. Exit status: 0 success, 1 an output does not match its
// reference, 2 any other error (usage, I/O, a bad input file, a bad library).
//
//===----------------------------------------------------------------------===//

#include "Compare.h"
#include "HostTensor.h"
#include "NpyIO.h"
#include "ProtoIO.h"

#include "kiln/runtime.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace kiln;

namespace {

/// ONNX's older test data stores bfloat16 tensors as UINT16 TensorProtos
/// (the same bits); read those as bfloat16 where bfloat16 is expected.
void readUint16AsBfloat16(HostTensor &tensor, int32_t expected) {
  if (expected == KILN_BFLOAT16 && tensor.elemType == KILN_UINT16)
    tensor.elemType = KILN_BFLOAT16;
}


constexpr int ExitMismatch = 1;
constexpr int ExitError = 2;

const char Usage[] =
    "usage: kiln-run LIB -i FILE [-i FILE ...] [-o DIR] [--compare DIR]\n"
    "                [--rtol R] [--atol A] [--iterations N] [--print]\n"
    "                [--threads N] [--guard after|before]\n"
    "\n"
    "Runs a model compiled by kilnc into the shared library LIB.\n"
    "\n"
    "Inputs:\n"
    "  -i FILE         an input: ONNX TensorProto (.pb) or NumPy (.npy);\n"
    "                  one per model input, in the model's input order\n"
    "  example: kiln-run model.so -i image.npy\n"
    "\n"
    "Outputs:\n"
    "  -o DIR          write output K to DIR/output_K.pb (TensorProto)\n"
    "  --print         print the first values of each output (the default\n"
    "                  when neither -o, --compare nor --iterations is given)\n"
    "  example: kiln-run model.so -i input_0.pb -o results/\n"
    "\n"
    "Checking against a reference:\n"
    "  --compare DIR   compare output K with DIR/output_K.pb (an ONNX\n"
    "                  test_data_set folder); exit 1 on any mismatch\n"
    "  --rtol R        relative tolerance of floating outputs (default 1e-3)\n"
    "  --atol A        absolute tolerance of floating outputs (default 1e-5);\n"
    "                  an element passes if |got - ref| <= A + R * |ref|\n"
    "  example: kiln-run model.so -i test_data_set_0/input_0.pb \\\n"
    "               --compare test_data_set_0 --rtol 1e-4\n"
    "\n"
    "Timing:\n"
    "  --iterations N  after one warm-up run, time N runs and print the\n"
    "                  median latency\n"
    "  example: kiln-run model.so -i image.npy --iterations 100\n"
    "\n"
    "Running:\n"
    "  --threads N     run on N threads (at most the N the library was\n"
    "                  compiled for with kilnc --num-threads; default: all\n"
    "                  of those)\n"
    "  --guard WHERE   place every input, output and workspace buffer\n"
    "                  against an inaccessible page, right 'after' its end\n"
    "                  or right 'before' its start, so that compiled code\n"
    "                  reading or writing out of bounds faults\n"
    "  example: kiln-run model.so -i image.npy --threads 1 --guard after\n"
    "\n"
    "  -h, --help      print this help\n"
    "\n"
    "Exit status: 0 success, 1 output mismatch, 2 any other error.\n";

struct Options {
  std::string library;
  std::vector<std::string> inputs;
  std::string outputDir;
  std::string compareDir;
  CompareOptions compare;
  int64_t iterations = 0;
  int64_t threads = 0;
  /// Where buffers meet a guard page: "" (nowhere), "after" or "before".
  std::string guard;
  bool print = false;
};

/// Prints "kiln-run: MESSAGE" and returns the error exit status.
int reportError(const std::string &message) {
  std::fprintf(stderr, "kiln-run: %s\n", message.c_str());
  return ExitError;
}

bool parseNonNegativeDouble(const std::string &text, double &value) {
  if (text.empty())
    return false;
  char *end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return *end == '\0' && value >= 0 && !std::isnan(value);
}

bool parsePositiveInt(const std::string &text, int64_t &value) {
  if (text.empty() || text[0] == '-')
    return false;
  char *end = nullptr;
  errno = 0;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  value = parsed;
  return *end == '\0' && errno == 0 && parsed > 0;
}

enum class ParseResult { Run, Help, Error };

/// Accepts "-i FILE", "--rtol R" and the "--rtol=R" spelling of each option.
ParseResult parseArgs(int argc, char **argv, Options &options,
                      std::string &error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help")
      return ParseResult::Help;
    if (arg == "--print") {
      options.print = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      std::string name = arg, value;
      bool hasValue = false;
      if (size_t eq = arg.find('=');
          arg.rfind("--", 0) == 0 && eq != std::string::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
        hasValue = true;
      }
      static const char *const ValueOptions[] = {
          "-i",     "-o",        "--compare", "--rtol",
          "--atol", "--iterations", "--threads", "--guard"};
      if (std::find_if(std::begin(ValueOptions), std::end(ValueOptions),
                       [&](const char *known) { return name == known; }) ==
          std::end(ValueOptions)) {
        error = "unknown option '" + arg + "'";
        return ParseResult::Error;
      }
      if (!hasValue) {
        if (i + 1 >= argc) {
          error = "option '" + name + "' needs a value";
          return ParseResult::Error;
        }
        value = argv[++i];
      }
      if (name == "-i") {
        options.inputs.push_back(value);
      } else if (name == "-o") {
        options.outputDir = value;
      } else if (name == "--compare") {
        options.compareDir = value;
      } else if (name == "--rtol" || name == "--atol") {
        double &target =
            name == "--rtol" ? options.compare.rtol : options.compare.atol;
        if (!parseNonNegativeDouble(value, target)) {
          error = "option '" + name + "' needs a non-negative number, got '" +
                  value + "'";
          return ParseResult::Error;
        }
      } else if (name == "--guard") {
        if (value != "after" && value != "before") {
          error = "option '--guard' needs 'after' or 'before', got '" +
                  value + "'";
          return ParseResult::Error;
        }
        options.guard = value;
      } else if (!parsePositiveInt(value, name == "--threads"
                                              ? options.threads
                                              : options.iterations)) {
        error = "option '" + name + "' needs a positive integer, got '" +
                value + "'";
        return ParseResult::Error;
      }
      continue;
    }
    if (!options.library.empty()) {
      error = "more than one library given ('" + options.library + "' and '" +
              arg + "')";
      return ParseResult::Error;
    }
    options.library = arg;
  }
  if (options.library.empty()) {
    error = "no library given";
    return ParseResult::Error;
  }
  return ParseResult::Run;
}

/// Reads a .npy or .pb file, chosen by extension.
bool readTensorFile(const std::string &path, HostTensor &tensor,
                    std::string &error) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".npy")
    return readNpy(path, tensor, error);
  if (ext == ".pb")
    return readTensorProto(path, tensor, error);
  error = path + ": unknown file type '" + ext +
          "' (expected .pb for an ONNX TensorProto or .npy for NumPy)";
  return false;
}

std::string describe(const kiln_tensor_info &info) {
  return std::string("'") + (info.name ? info.name : "") + "' " +
         formatType(info.elem_type,
                    std::vector<int64_t>(info.shape, info.shape + info.rank));
}

std::vector<int64_t> shapeOf(const kiln_tensor_info &info) {
  return std::vector<int64_t>(info.shape, info.shape + info.rank);
}

/// Checks what the library says about its tensors before anything is sized
/// from it: a corrupt description must not turn into a huge allocation.
bool checkModel(const std::string &lib, const kiln_model_info &model,
                std::string &error) {
  if (model.abi_version != KILN_ABI_VERSION) {
    error = lib + ": compiled for kiln ABI version " +
            std::to_string(model.abi_version) + ", this kiln-run supports " +
            std::to_string(KILN_ABI_VERSION) + " (recompile with this kilnc)";
    return false;
  }
  if (model.num_inputs < 0 || model.num_outputs < 0 ||
      (model.num_inputs > 0 && !model.inputs) ||
      (model.num_outputs > 0 && !model.outputs) || !model.entry) {
    error = lib + ": malformed model description";
    return false;
  }
  auto checkTensors = [&](const kiln_tensor_info *tensors, int32_t count,
                          const char *kind) {
    for (int32_t i = 0; i < count; ++i) {
      const kiln_tensor_info &info = tensors[i];
      if (info.rank < 0 || (info.rank > 0 && !info.shape) ||
          kiln_elem_size(info.elem_type) == 0 ||
          kiln_tensor_elements(&info) < 0) {
        error = lib + ": " + kind + " " + std::to_string(i) +
                " has a malformed description (element type " +
                std::to_string(info.elem_type) + ")";
        return false;
      }
    }
    return true;
  };
  return checkTensors(model.inputs, model.num_inputs, "input") &&
         checkTensors(model.outputs, model.num_outputs, "output");
}

/// A buffer handed to the compiled code. By default it is
/// KILN_WORKSPACE_ALIGNMENT aligned (compiled kernels run fastest on aligned
/// data, and kiln-run times them). With a guard it is mapped so that the
/// page right after its last byte, or right before its first, is
/// inaccessible: an out-of-bounds access by a kernel faults instead of
/// passing unseen. Against a following guard, a buffer starts at
/// `alignment` (the workspace's 64) or at the alignment its size gives.
class Buffer {
public:
  Buffer() = default;
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  Buffer(Buffer &&other) noexcept { *this = std::move(other); }
  Buffer &operator=(Buffer &&other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(mapping_, other.mapping_);
    std::swap(mappingSize_, other.mappingSize_);
    return *this;
  }
  ~Buffer() {
    if (mapping_)
      munmap(mapping_, mappingSize_);
    else
      std::free(data_);
  }

  bool allocate(size_t bytes, const std::string &guard,
                size_t alignment = 1) {
    size_ = bytes;
    if (guard.empty()) {
      size_t rounded =
          (std::max<size_t>(bytes, 1) + KILN_WORKSPACE_ALIGNMENT - 1) /
          KILN_WORKSPACE_ALIGNMENT * KILN_WORKSPACE_ALIGNMENT;
      data_ = static_cast<uint8_t *>(
          std::aligned_alloc(KILN_WORKSPACE_ALIGNMENT, rounded));
      return data_ != nullptr;
    }
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t used = (bytes + alignment - 1) / alignment * alignment;
    size_t pages = (used + page - 1) / page;
    mappingSize_ = (pages + 1) * page;
    void *mapping = mmap(nullptr, mappingSize_, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED)
      return false;
    mapping_ = static_cast<uint8_t *>(mapping);
    if (guard == "after") {
      uint8_t *fence = mapping_ + pages * page;
      data_ = fence - used;
      return mprotect(fence, page, PROT_NONE) == 0;
    }
    data_ = mapping_ + page;
    return mprotect(mapping_, page, PROT_NONE) == 0;
  }

  uint8_t *data() const { return data_; }
  size_t size() const { return size_; }

private:
  uint8_t *data_ = nullptr;
  size_t size_ = 0;
  uint8_t *mapping_ = nullptr;
  size_t mappingSize_ = 0;
};

/// The runtime functions of the loaded library, not kiln-run's own copy:
/// the library's copy is the one linked with the OpenMP runtime its
/// threaded code uses, so only it can set the run's thread count.
struct LibraryRuntime {
  decltype(&kiln_context_create) createContext = nullptr;
  decltype(&kiln_context_create_with_workspace) createContextWithWorkspace =
      nullptr;
  decltype(&kiln_context_destroy) destroyContext = nullptr;
  decltype(&kiln_context_set_threads) setThreads = nullptr;
  decltype(&kiln_context_error) contextError = nullptr;
  decltype(&kiln_run) run = nullptr;

  /// Looks every function up in `handle`; returns the first one missing.
  const char *load(void *handle) {
    auto get = [&](auto &fn, const char *name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(handle, name));
      return fn != nullptr;
    };
    if (!get(createContext, "kiln_context_create"))
      return "kiln_context_create";
    if (!get(createContextWithWorkspace, "kiln_context_create_with_workspace"))
      return "kiln_context_create_with_workspace";
    if (!get(destroyContext, "kiln_context_destroy"))
      return "kiln_context_destroy";
    if (!get(setThreads, "kiln_context_set_threads"))
      return "kiln_context_set_threads";
    if (!get(contextError, "kiln_context_error"))
      return "kiln_context_error";
    if (!get(run, "kiln_run"))
      return "kiln_run";
    return nullptr;
  }
};

void printValues(int32_t index, const kiln_tensor_info &info,
                 const HostTensor &tensor) {
  constexpr int64_t MaxShown = 10;
  int64_t count = tensor.numElements();
  std::string text;
  for (int64_t i = 0; i < std::min(count, MaxShown); ++i)
    text += (i ? ", " : "") + formatElement(tensor, i);
  if (count > MaxShown)
    text += ", ... (" + std::to_string(count) + " values)";
  std::printf("output %d %s: %s\n", index, describe(info).c_str(),
              text.c_str());
}

std::string formatDiff(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3g", value);
  return text;
}

/// Three decimals, or three significant digits below 1 ms, so that tiny
/// models do not print as 0.000.
std::string formatMillis(double ms) {
  char text[32];
  std::snprintf(text, sizeof(text), ms >= 1 ? "%.3f" : "%.3g", ms);
  return text;
}

/// Compares every output with DIR/output_K.pb; returns the exit status.
int compareOutputs(const kiln_model_info &model,
                   const std::vector<HostTensor> &outputs,
                   const std::string &dir, const CompareOptions &options) {
  int status = 0;
  for (int32_t k = 0; k < model.num_outputs; ++k) {
    std::string path =
        (std::filesystem::path(dir) / ("output_" + std::to_string(k) + ".pb"))
            .string();
    HostTensor ref;
    std::string error;
    if (!readTensorProto(path, ref, error))
      return reportError(error);
    readUint16AsBfloat16(ref, outputs[k].elemType);
    const char *name = model.outputs[k].name ? model.outputs[k].name : "";
    CompareResult result = compareTensors(outputs[k], ref, options);
    if (!result.typeError.empty()) {
      std::printf("output %d '%s': MISMATCH: reference %s is %s, the model "
                  "gives %s\n",
                  k, name, path.c_str(),
                  formatType(ref.elemType, ref.shape).c_str(),
                  formatType(outputs[k].elemType, outputs[k].shape).c_str());
      status = ExitMismatch;
      continue;
    }
    std::printf("output %d '%s': max abs diff %s, max rel diff %s, ", k, name,
                formatDiff(result.maxAbsDiff).c_str(),
                formatDiff(result.maxRelDiff).c_str());
    if (result.ok()) {
      std::printf("OK\n");
      continue;
    }
    std::printf("MISMATCH (%lld of %lld elements)\n",
                (long long)result.numMismatches, (long long)result.numElements);
    for (const Mismatch &m : result.firstMismatches)
      std::printf("  at %s: got %s, expected %s\n",
                  formatIndex(m.index, ref.shape).c_str(), m.got.c_str(),
                  m.expected.c_str());
    status = ExitMismatch;
  }
  if (status == ExitMismatch)
    std::printf("FAILED: outputs differ from %s (rtol %g, atol %g)\n",
                dir.c_str(), options.rtol, options.atol);
  return status;
}

int run(const Options &options) {
  // dlopen searches the library path for a bare name; the user means a file.
  std::string lib = options.library;
  std::string libPath = lib.find('/') == std::string::npos ? "./" + lib : lib;
  void *handle = dlopen(libPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    std::string ext = std::filesystem::path(lib).extension().string();
    std::string hint = ext == ".a" || ext == ".o"
                           ? " (kiln-run needs a shared library: compile "
                             "with kilnc -o NAME.so)"
                           : "";
    return reportError("cannot load library " + lib + ": " +
                       (why ? why : "unknown error") + hint);
  }
  // The library stays loaded until exit: the model description lives in it,
  // and unloading code that may have started threads is not worth the risk.
  using ModelFn = const kiln_model_info *(*)();
  auto modelFn = reinterpret_cast<ModelFn>(dlsym(handle, "kiln_library_model"));
  if (!modelFn)
    return reportError(lib + ": no kiln_library_model symbol (is it a "
                             "library compiled by kilnc?)");
  const kiln_model_info *model = modelFn();
  if (!model)
    return reportError(lib + ": kiln_library_model() returned NULL");
  std::string error;
  if (!checkModel(lib, *model, error))
    return reportError(error);

  if (options.inputs.size() != size_t(model->num_inputs)) {
    std::string expected;
    for (int32_t i = 0; i < model->num_inputs; ++i)
      expected += (i ? ", " : "") + describe(model->inputs[i]);
    return reportError(
        "model '" + std::string(model->name ? model->name : "") + "' takes " +
        std::to_string(model->num_inputs) + " input(s)" +
        (expected.empty() ? "" : " (" + expected + ")") + ", " +
        std::to_string(options.inputs.size()) + " given with -i");
  }

  std::vector<Buffer> inputBuffers(model->num_inputs);
  std::vector<const void *> inputPtrs(model->num_inputs);
  for (int32_t i = 0; i < model->num_inputs; ++i) {
    const std::string &file = options.inputs[i];
    const kiln_tensor_info &info = model->inputs[i];
    HostTensor tensor;
    if (!readTensorFile(file, tensor, error))
      return reportError(error);
    readUint16AsBfloat16(tensor, info.elem_type);
    if (tensor.elemType != info.elem_type || tensor.shape != shapeOf(info))
      return reportError(file + ": input " + std::to_string(i) + " '" +
                         (info.name ? info.name : "") + "' expects " +
                         formatType(info.elem_type, shapeOf(info)) +
                         ", the file holds " +
                         formatType(tensor.elemType, tensor.shape));
    if (!inputBuffers[i].allocate(tensor.bytes.size(), options.guard))
      return reportError("out of memory for input " + std::to_string(i));
    std::memcpy(inputBuffers[i].data(), tensor.bytes.data(),
                tensor.bytes.size());
    inputPtrs[i] = inputBuffers[i].data();
  }

  std::vector<Buffer> outputBuffers(model->num_outputs);
  std::vector<void *> outputPtrs(model->num_outputs);
  for (int32_t k = 0; k < model->num_outputs; ++k) {
    size_t bytes = kiln_tensor_bytes(&model->outputs[k]);
    if (!outputBuffers[k].allocate(bytes, options.guard))
      return reportError("out of memory for output " + std::to_string(k) +
                         " (" + std::to_string(bytes) + " bytes)");
    // Outputs are fully overwritten; zeroes make a model that fails to do so
    // deterministic rather than random.
    std::memset(outputBuffers[k].data(), 0, bytes);
    outputPtrs[k] = outputBuffers[k].data();
  }

  // With a guard, kiln-run places the workspace too.
  Buffer workspace;
  if (!options.guard.empty() && model->workspace_size > 0 &&
      !workspace.allocate(model->workspace_size, options.guard,
                          KILN_WORKSPACE_ALIGNMENT))
    return reportError("out of memory for " +
                       std::to_string(model->workspace_size) +
                       " bytes of workspace");
  LibraryRuntime runtime;
  if (const char *missing = runtime.load(handle))
    return reportError(lib + ": no " + missing +
                       " symbol (is it a library compiled by this kilnc?)");
  auto destroy = [&](kiln_context *ctx) { runtime.destroyContext(ctx); };
  std::unique_ptr<kiln_context, decltype(destroy)> ctx(
      options.guard.empty()
          ? runtime.createContext(model)
          : runtime.createContextWithWorkspace(model, workspace.data()),
      destroy);
  if (!ctx)
    return reportError(lib + ": cannot create a context (out of memory for " +
                       std::to_string(model->workspace_size) +
                       " bytes of workspace)");
  if (options.threads > 0) {
    int32_t most = std::max(model->max_threads, 1);
    if (options.threads > most)
      return reportError(lib + ": compiled for at most " +
                         std::to_string(most) + " thread(s), " +
                         std::to_string(options.threads) +
                         " requested (kilnc --num-threads sets the most)");
    runtime.setThreads(ctx.get(), static_cast<int32_t>(options.threads));
  }
  if (runtime.run(ctx.get(), inputPtrs.data(), outputPtrs.data()) != KILN_OK)
    return reportError(lib + ": " + runtime.contextError(ctx.get()));

  std::vector<HostTensor> outputs(model->num_outputs);
  for (int32_t k = 0; k < model->num_outputs; ++k) {
    const kiln_tensor_info &info = model->outputs[k];
    outputs[k].name = info.name ? info.name : "";
    outputs[k].elemType = info.elem_type;
    outputs[k].shape = shapeOf(info);
    const uint8_t *data = outputBuffers[k].data();
    outputs[k].bytes.assign(data, data + outputBuffers[k].size());
  }

  bool printByDefault = options.outputDir.empty() &&
                        options.compareDir.empty() && !options.iterations;
  if (options.print || printByDefault)
    for (int32_t k = 0; k < model->num_outputs; ++k)
      printValues(k, model->outputs[k], outputs[k]);

  if (!options.outputDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.outputDir, ec);
    if (ec)
      return reportError(options.outputDir +
                         ": cannot create directory: " + ec.message());
    for (int32_t k = 0; k < model->num_outputs; ++k) {
      std::string path = (std::filesystem::path(options.outputDir) /
                          ("output_" + std::to_string(k) + ".pb"))
                             .string();
      if (!writeTensorProto(path, outputs[k], error))
        return reportError(error);
      std::printf("output %d %s -> %s\n", k,
                  describe(model->outputs[k]).c_str(), path.c_str());
    }
  }

  int status = 0;
  if (!options.compareDir.empty()) {
    status =
        compareOutputs(*model, outputs, options.compareDir, options.compare);
    if (status == ExitError)
      return status;
  }

  if (options.iterations > 0) {
    // The run above was the warm-up: caches, page faults of the workspace.
    std::vector<double> millis;
    millis.reserve(options.iterations);
    for (int64_t i = 0; i < options.iterations; ++i) {
      auto start = std::chrono::steady_clock::now();
      runtime.run(ctx.get(), inputPtrs.data(), outputPtrs.data());
      auto end = std::chrono::steady_clock::now();
      millis.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(millis.begin(), millis.end());
    size_t n = millis.size();
    double median =
        n % 2 ? millis[n / 2] : (millis[n / 2 - 1] + millis[n / 2]) / 2;
    std::printf("median latency: %s ms (%lld iterations, min %s ms, max %s "
                "ms)\n",
                formatMillis(median).c_str(), (long long)n,
                formatMillis(millis.front()).c_str(),
                formatMillis(millis.back()).c_str());
  }
  std::fflush(stdout);
  return status;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string error;
  switch (parseArgs(argc, argv, options, error)) {
  case ParseResult::Help:
    std::fputs(Usage, stdout);
    return 0;
  case ParseResult::Error:
    std::fprintf(stderr, "kiln-run: %s (see kiln-run --help)\n", error.c_str());
    return ExitError;
  case ParseResult::Run:
    break;
  }
  try {
    return run(options);
  } catch (const std::bad_alloc &) {
    return reportError("out of memory");
  } catch (const std::exception &e) {
    return reportError(std::string("internal error: ") + e.what());
  }
}
