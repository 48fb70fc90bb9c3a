//===- kilnc.cpp - The kiln compiler driver -------------------------------===//
//
//   kilnc MODEL.onnx -o OUT [--emit=KIND] [--target=cpu] [--mcpu=CPU] [-O3]
//         [--input-shape NAME=1x3x224x224] [--name=NAME]
//
// The kind of output follows OUT's extension (.so, .a, .o, .mlir, .ll, none:
// an executable) unless --emit names it. Libraries come with OUT's stem + .h.
//
//===----------------------------------------------------------------------===//
#include "backends/ModelInterface.h"
#include "backends/cpu/CpuCodegen.h"
#include "backends/cpu/HeaderWriter.h"
#include "backends/cpu/Linking.h"
#include "compiler/ir/NNDialect.h"
#include "compiler/pipelines/Pipelines.h"
#include "frontends/onnx/OnnxImporter.h"
#include "passes/Passes.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/raw_ostream.h"

#include <thread>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

// kilnc's own options, in groups with an example each; --help shows only
// these, --help-hidden also LLVM's and MLIR's.
cl::OptionCategory inputCategory(
    "Input",
    "The model: ONNX (.onnx), or an nn graph (.mlir, .mlirbc).\n"
    "  example: kilnc model.onnx -o model.so --input-shape=input=1x3x224x224");
cl::OptionCategory outputCategory(
    "Output",
    "What to write: the kind follows OUT's extension (.so, .a, .o, .mlir,\n"
    "  .mlirbc, .ll, .h; none: an executable) unless --emit names it. A\n"
    "  library comes with a C header, OUT's stem + .h.\n"
    "  example: kilnc model.onnx -o build/model.a --name=classifier");
cl::OptionCategory codegenCategory(
    "Target and code generation",
    "Which machine the code is for, and how it is generated.\n"
    "  example: kilnc model.onnx -o model.so -O3 --mcpu=skylake-avx512 "
    "--num-threads=1");

cl::opt<std::string> inputPath(cl::Positional,
                               cl::desc("<model.onnx|model.mlir|model.mlirbc>"),
                               cl::Required, cl::cat(inputCategory));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix the shape of an input with symbolic dimensions: "
             "NAME=D0xD1x..."),
    cl::value_desc("NAME=SHAPE"), cl::cat(inputCategory));
cl::list<std::string> boundInputs(
    "bind-input",
    cl::desc("Compile a graph input as a constant read from a TensorProto "
             "file (for shape-valued inputs)"),
    cl::value_desc("NAME=FILE.pb"), cl::cat(inputCategory));

cl::opt<std::string> outputPath("o", cl::desc("Output file"),
                                cl::value_desc("OUT"), cl::Required,
                                cl::cat(outputCategory));
cl::opt<std::string> emitKind(
    "emit",
    cl::desc("What to produce: so, a, obj, exe, mlir (the nn graph), mlirbc "
             "(the nn graph as bytecode), linalg, llvm-mlir, ll, header; "
             "default: from OUT's extension"),
    cl::value_desc("KIND"), cl::init(""), cl::cat(outputCategory));
cl::opt<std::string> modelName("name",
                               cl::desc("Model name and C symbol prefix "
                                        "(default: OUT's stem)"),
                               cl::value_desc("PREFIX"), cl::init(""),
                               cl::cat(outputCategory));

cl::opt<std::string> targetName("target", cl::desc("cpu or nvptx"),
                                cl::value_desc("TARGET"), cl::init("cpu"),
                                cl::cat(codegenCategory));
cl::opt<std::string> mcpu("mcpu", cl::desc("Target CPU (default: the host)"),
                          cl::value_desc("CPU"), cl::init("host"),
                          cl::cat(codegenCategory));
cl::opt<unsigned> optLevel("O", cl::desc("Optimization level 0-3 (default 3)"),
                           cl::Prefix, cl::init(3), cl::cat(codegenCategory));
cl::opt<unsigned> threadCount(
    "num-threads",
    cl::desc("Threads that large ops are split across (default: this "
             "machine's cores; 1: serial code without OpenMP)"),
    cl::value_desc("N"), cl::init(0), cl::cat(codegenCategory));

/// Hides every option outside `categories` and LLVM's generic ones (--help,
/// --version) from --help: LLVM's and MLIR's several hundred stay in
/// --help-hidden (cl::HideUnrelatedOptions would hide them there too).
void hideOtherOptions(llvm::ArrayRef<const cl::OptionCategory *> categories) {
  for (auto &entry : cl::getRegisteredOptions()) {
    cl::Option *option = entry.second;
    if (llvm::none_of(option->Categories, [&](const cl::OptionCategory *c) {
          return llvm::is_contained(categories, c) ||
                 c->getName() == "Generic Options";
        }))
      option->setHiddenFlag(cl::Hidden);
  }
}

/// `text` with every byte that is not part of a printable UTF-8 character
/// written as \xHH (newlines and tabs kept): names in a damaged or hostile
/// model must not break tools that read kilnc's messages as text, nor send
/// control sequences to a terminal.
std::string escapeUnprintable(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  auto escape = [&](unsigned char byte) {
    static const char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[byte >> 4];
    out += hex[byte & 15];
  };
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(text.begin());
  const auto *end = reinterpret_cast<const llvm::UTF8 *>(text.end());
  while (p < end) {
    unsigned size = llvm::getNumBytesForUTF8(*p);
    llvm::UTF32 codePoint;
    const llvm::UTF8 *next = p;
    if (p + size <= end && llvm::isLegalUTF8Sequence(p, p + size) &&
        llvm::convertUTF8Sequence(&next, end, &codePoint,
                                  llvm::strictConversion) ==
            llvm::conversionOK &&
        (codePoint == '\n' || codePoint == '\t' ||
         llvm::sys::unicode::isPrintable(codePoint))) {
      out.append(reinterpret_cast<const char *>(p), size);
      p += size;
    } else {
      escape(*p++);
    }
  }
  return out;
}

/// Prints diagnostics as "FILE: node 'NAME': error: MESSAGE".
void printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  std::string prefix;
  Location loc = diag.getLocation();
  if (auto name = dyn_cast<NameLoc>(loc)) {
    if (auto file = dyn_cast<FileLineColLoc>(name.getChildLoc()))
      prefix = file.getFilename().str() + ": ";
    prefix += "node '" + name.getName().str() + "': ";
  } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    prefix = file.getFilename().str();
    if (file.getLine() > 0)
      prefix += ":" + std::to_string(file.getLine()) + ":" +
                std::to_string(file.getColumn());
    prefix += ": ";
  } else if (!isa<UnknownLoc>(loc)) {
    std::string text;
    llvm::raw_string_ostream ls(text);
    ls << loc;
    prefix = text + ": ";
  }
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error
                             ? "error: "
                         : diag.getSeverity() == DiagnosticSeverity::Warning
                             ? "warning: "
                             : "note: ";
  os << "kilnc: " << escapeUnprintable(prefix) << severity
     << escapeUnprintable(diag.str()) << "\n";
  for (Diagnostic &note : diag.getNotes())
    printDiagnostic(note);
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "kilnc: error: " << escapeUnprintable(message.str()) << "\n";
  return 1;
}

std::string emitFromExtension(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".so") return "so";
  if (ext == ".a") return "a";
  if (ext == ".o") return "obj";
  if (ext == ".mlir") return "mlir";
  if (ext == ".mlirbc") return "mlirbc";
  if (ext == ".ll") return "ll";
  if (ext == ".h") return "header";
  if (ext == ".ptx") return "ptx";
  if (ext.empty()) return "exe";
  return "";
}

/// Where the runtime archives are: next to kilnc's bin/, in ../lib.
std::string libraryPath(const char *argv0, llvm::StringRef file) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&libraryPath));
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib", file);
  return path.str().str();
}

std::string writeText(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return "cannot write '" + path.str() + "': " + ec.message();
  os << text;
  return "";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  hideOtherOptions({&inputCategory, &outputCategory, &codegenCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln: an ahead-of-time compiler for neural networks\n\n"
      "  kilnc MODEL -o OUT [options]\n\n"
      "  kilnc model.onnx -o model.so   a shared library and model.h\n"
      "  kilnc model.onnx -o model      a standalone executable\n"
      "  kilnc model.onnx -o model.mlir the imported nn graph\n\n"
      "--help-hidden also lists LLVM's and MLIR's options.\n");

  std::string emit = emitKind.empty() ? emitFromExtension(outputPath) : emitKind;
  static const llvm::StringSet<> kinds = {"so",     "a",      "obj",
                                          "exe",    "mlir",   "mlirbc",
                                          "linalg", "llvm-mlir", "ll",
                                          "header", "ptx"};
  if (!emitKind.empty() && !kinds.contains(emit))
    return fail("unknown --emit kind '" + emit +
                "': use --emit=so|a|obj|exe|mlir|mlirbc|linalg|llvm-mlir|ll|"
                "header");
  if (!kinds.contains(emit))
    return fail("cannot tell what to emit for '" + outputPath +
                "' from its extension: use --emit=so|a|obj|exe|mlir|mlirbc|"
                "linalg|llvm-mlir|ll|header");
  if (targetName != "cpu")
    return fail("--target=" + targetName +
                ": only the cpu target is implemented so far");
  if (emit == "ptx")
    return fail("PTX output needs --target=nvptx, which is not implemented "
                "yet");
  if (optLevel > 3)
    return fail("-O" + llvm::Twine(optLevel) + ": use -O0 to -O3");
  // Fail early on an output path that cannot be written.
  llvm::StringRef outDir = llvm::sys::path::parent_path(outputPath);
  if (!outDir.empty() && !llvm::sys::fs::is_directory(outDir))
    return fail("cannot write '" + outputPath + "': directory '" + outDir +
                "' does not exist");
  if (!outDir.empty() && llvm::sys::fs::access(outDir, llvm::sys::fs::AccessMode::Write))
    return fail("cannot write '" + outputPath + "': directory '" + outDir +
                "' is not writable");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<kiln::nn::NNDialect>();
  registerAllPasses();
  kiln::registerKilnPasses();
  MLIRContext context(registry);
  context.disableMultithreading();
  context.getDiagEngine().registerHandler([](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });

  kiln::onnx_frontend::ImportOptions importOptions;
  for (const std::string &spec : inputShapes)
    if (std::string error = kiln::onnx_frontend::parseInputShape(spec, importOptions);
        !error.empty())
      return fail("--input-shape: " + error);
  for (const std::string &spec : boundInputs)
    if (std::string error = kiln::onnx_frontend::parseBoundInput(spec, importOptions);
        !error.empty())
      return fail("--bind-input: " + error);

  OwningOpRef<ModuleOp> module;
  llvm::StringRef inputExt = llvm::sys::path::extension(inputPath);
  if (inputExt == ".mlir" || inputExt == ".mlirbc") {
    // Text or bytecode: the parser tells them apart.
    llvm::SourceMgr sourceMgr;
    module = parseSourceFile<ModuleOp>(inputPath, sourceMgr,
                                       ParserConfig(&context));
  } else {
    module = kiln::onnx_frontend::importOnnxFile(context, inputPath,
                                                 importOptions);
  }
  if (!module)
    return 1;

  std::string name = modelName.empty()
                         ? llvm::sys::path::stem(outputPath).str()
                         : modelName.getValue();
  if (name.empty())
    name = llvm::sys::path::stem(inputPath).str();
  kiln::CpuCodegenOptions codegen;
  codegen.threads = threadCount ? threadCount
                                : std::max(1u, std::thread::hardware_concurrency());
  auto graph = module->lookupSymbol<func::FuncOp>(codegen.entry);
  if (!graph)
    return fail("'" + inputPath + "' has no function '" + codegen.entry + "'");
  auto model = kiln::describeGraph(graph, name);
  if (failed(model))
    return 1;

  kiln::GraphOptions graphOptions;
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  if (emit == "mlir" || emit == "mlirbc" || emit == "header") {
    kiln::buildGraphOptimizationStage(pm, graphOptions);
  } else if (emit == "linalg") {
    kiln::buildGraphOptimizationStage(pm, graphOptions);
    kiln::buildNNToLinalgStage(pm, codegen);
  } else {
    kiln::buildCpuPipeline(pm, graphOptions, codegen);
  }
  if (failed(pm.run(*module)))
    return 1;

  if (emit == "mlir" || emit == "linalg" || emit == "llvm-mlir") {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (std::string error = writeText(outputPath, text); !error.empty())
      return fail(error);
    return 0;
  }
  if (emit == "mlirbc") {
    // Straight to the file: the weights are written once, never as text.
    std::error_code ec;
    llvm::raw_fd_ostream os(outputPath, ec);
    if (ec)
      return fail("cannot write '" + outputPath + "': " + ec.message());
    if (failed(writeBytecodeToFile(*module, os)))
      return fail("cannot write '" + outputPath + "' as bytecode");
    return 0;
  }
  if (emit == "header") {
    if (std::string error = writeText(outputPath, kiln::generateHeader(*model));
        !error.empty())
      return fail(error);
    return 0;
  }

  auto lowered = module->lookupSymbol<LLVM::LLVMFuncOp>(codegen.entry);
  if (!lowered) {
    // The one known cause: MLIR's bare-pointer calling convention has no
    // form for memrefs with a zero in a non-leading dimension.
    for (const auto *tensors : {&model->inputs, &model->outputs})
      for (const kiln::TensorDesc &t : *tensors)
        if (llvm::is_contained(t.shape, 0))
          return fail("'" + t.name +
                      "' has zero elements in a shape kiln cannot pass to "
                      "compiled code yet");
    return fail("the graph function was not lowered to LLVM");
  }
  if (auto size = lowered->getAttrOfType<IntegerAttr>("kiln.workspace_size"))
    model->workspaceSize = size.getInt();

  kiln::CpuTargetOptions target;
  target.cpu = mcpu;
  target.optLevel = optLevel;
  llvm::LLVMContext llvmContext;
  auto llvmModule = kiln::translateToLLVMIR(*module, llvmContext, *model,
                                            codegen.entry, target);
  if (failed(llvmModule))
    return 1;
  if (emit == "ll") {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    if (std::string error = writeText(outputPath, text); !error.empty())
      return fail(error);
    return 0;
  }

  kiln::LinkInputs link;
  if (std::string error = kiln::emitObject(**llvmModule, target, link.object);
      !error.empty())
    return fail(error);
  // The object holds the weights now; the LLVM module's copy can go.
  llvmModule->reset();
  link.runtimeArchive = libraryPath(argv[0], "libkiln_runtime.a");
  link.mainArchive = libraryPath(argv[0], "libkiln_main.a");
  link.clang = KILN_CLANG;
  if (codegen.threads > 1)
    link.libraries = {"-L" KILN_OPENMP_LIBDIR, "-lomp",
                      "-Wl,-rpath," KILN_OPENMP_LIBDIR};
  std::string error = emit == "obj" ? kiln::writeObject(link, outputPath)
                      : emit == "a" ? kiln::writeStaticLibrary(link, outputPath)
                      : emit == "so"
                          ? kiln::writeSharedLibrary(link, outputPath)
                          : kiln::writeExecutable(link, outputPath);
  if (!error.empty())
    return fail(error);
  if (emit != "exe") {
    llvm::SmallString<256> headerPath(outputPath);
    llvm::sys::path::replace_extension(headerPath, ".h");
    if (std::string error = writeText(headerPath, kiln::generateHeader(*model));
        !error.empty())
      return fail(error);
  }
  return 0;
}
