//===- kilnc.cpp - The kiln compiler driver -------------------------------===//
//
//   kilnc MODEL.onnx -o OUT [--emit=KIND] [--target=cpu] [--mcpu=CPU] [-O3]
//         [--input-shape NAME=1x3x224x224] [--name=NAME]
//
// A thin layer over the compiler library: it imports the model and maps its
// flags to kiln::CompileOptions (compiler/driver/Compile.h). The kind of
// output follows OUT's extension (.so, .a, .o, .mlir, .ll, none: an
// executable) unless --emit names it. Libraries come with OUT's stem + .h.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Compile.h"
#include "compiler/ir/NNDialect.h"
#include "frontends/onnx/OnnxImporter.h"
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/raw_ostream.h"

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

cl::opt<std::string> convAlgorithm(
    "conv-algorithm",
    cl::desc("How convolutions are computed: auto (a cost model per layer), "
             "direct, winograd (3x3 stride-1 layers) or im2col (dense 2-D "
             "layers); layers that do not allow the one forced stay direct"),
    cl::value_desc("ALGORITHM"), cl::init("auto"), cl::cat(codegenCategory));
cl::list<std::string> convAlgorithmOverrides(
    "conv-algorithm-for",
    cl::desc("The algorithm of one convolution, by ONNX node name "
             "(repeatable; comma-separated lists too)"),
    cl::value_desc("NODE=ALGORITHM"), cl::CommaSeparated,
    cl::cat(codegenCategory));

cl::opt<std::string> reportPath(
    "report",
    cl::desc("Describe each convolution and matrix product (node, op, "
             "algorithm, layout, GFLOP, fused nodes) and the totals (FLOPs, "
             "weights, workspace, reorders): a table on stdout, or written "
             "to FILE (JSON when FILE ends in .json)"),
    cl::value_desc("FILE"), cl::ValueOptional, cl::cat(outputCategory));

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

/// The emit kinds the --emit flag accepts, as "so|a|...".
std::string emitKindList() {
  std::string list;
  for (const kiln::EmitKind &kind : kiln::emitKinds())
    list += (list.empty() ? "" : "|") + kind.name.str();
  return list;
}

/// Where the runtime archives are: next to kilnc's bin/, in ../lib.
std::string runtimeLibraryDir(const char *argv0) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&runtimeLibraryDir));
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib");
  return path.str().str();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  hideOtherOptions({&inputCategory, &outputCategory, &codegenCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln: an ahead-of-time compiler for neural networks\n\n"
      "  kilnc MODEL -o OUT [options]\n\n"
      "  kilnc model.onnx -o model.so   a shared library and model.h\n"
      "  kilnc model.onnx -o model      a standalone executable\n"
      "  kilnc model.onnx -o model.mlir the imported nn graph\n\n"
      "--help-hidden also lists LLVM's and MLIR's options.\n");

  const kiln::EmitKind *kind = emitKind.empty()
                                   ? kiln::emitKindForPath(outputPath)
                                   : kiln::lookupEmitKind(emitKind);
  if (!emitKind.empty() && !kind)
    return fail("unknown --emit kind '" + emitKind +
                "': use --emit=" + emitKindList());
  if (!kind)
    return fail("cannot tell what to emit for '" + outputPath +
                "' from its extension: use --emit=" + emitKindList());
  if (convAlgorithm != "auto" && !kiln::parseConvAlgorithm(convAlgorithm))
    return fail("unknown --conv-algorithm '" + convAlgorithm +
                "': use auto, direct, im2col or winograd");
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
  // An error names the node and the field; the whole module after it (MLIR's
  // "see current operation") only on request.
  if (cl::getRegisteredOptions().lookup("mlir-print-op-on-diagnostic")
          ->getNumOccurrences() == 0)
    context.printOpOnDiagnostic(false);
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

  kiln::CompileOptions options;
  options.kind = kind;
  options.outputPath = outputPath;
  options.modelName = modelName;
  options.sourceName = inputPath;
  options.target = targetName;
  if (reportPath.getNumOccurrences() > 0)
    options.reportPath = reportPath.empty() ? "-" : reportPath.getValue();
  kiln::TargetOptions &target = options.pipeline.target;
  target.cpu = mcpu;
  target.optLevel = optLevel;
  target.threads = threadCount;
  target.convAlgorithm = convAlgorithm;
  target.convAlgorithmOverrides.assign(convAlgorithmOverrides.begin(),
                                       convAlgorithmOverrides.end());
  target.runtimeLibraryDir = runtimeLibraryDir(argv[0]);
  options.configurePassManager = [](PassManager &pm) {
    applyDefaultTimingPassManagerCLOptions(pm);
    return applyPassManagerCLOptions(pm);
  };
  return failed(kiln::compileModel(*module, options)) ? 1 : 0;
}
