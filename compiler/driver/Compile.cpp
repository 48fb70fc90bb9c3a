//===- Compile.cpp - kiln as a library: one module in, files out ----------===//
#include "compiler/driver/Compile.h"

#include "backends/HeaderWriter.h"
#include "backends/ModelInterface.h"
#include "backends/cpu/CpuTarget.h"
#include "compiler/driver/Report.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln {

llvm::ArrayRef<llvm::StringLiteral> targetNames() {
  static const llvm::StringLiteral names[] = {"cpu"};
  return names;
}

std::unique_ptr<Target> createTarget(llvm::StringRef name) {
  if (name == "cpu")
    return createCpuTarget();
  return nullptr;
}

namespace {

/// Writes `write`'s output to `path` (text or binary), or fails with a
/// diagnostic naming the file.
LogicalResult
writeFile(Location loc, llvm::StringRef path, bool text,
          llvm::function_ref<LogicalResult(llvm::raw_ostream &)> write) {
  std::error_code ec;
  llvm::raw_fd_ostream os(
      path, ec, text ? llvm::sys::fs::OF_Text : llvm::sys::fs::OF_None);
  if (ec)
    return emitError(loc) << "cannot write '" << path << "': " << ec.message();
  return write(os);
}

/// The C header of `model`.
LogicalResult writeHeader(Location loc, llvm::StringRef path,
                          const ModelInterface &model) {
  return writeFile(loc, path, /*text=*/true, [&](llvm::raw_ostream &os) {
    os << generateHeader(model);
    return success();
  });
}

/// The nn graph (or a later MLIR stage) as text, or as bytecode.
LogicalResult writeModule(ModuleOp module, const EmitKind &kind,
                          llvm::StringRef path) {
  Location loc = UnknownLoc::get(module.getContext());
  bool bytecode = kind.name == "mlirbc";
  return writeFile(
      loc, path, !bytecode, [&](llvm::raw_ostream &os) -> LogicalResult {
        if (!bytecode) {
          module.print(os);
          return success();
        }
        // Straight to the file: the weights are written once, never as text.
        if (failed(writeBytecodeToFile(module, os)))
          return emitError(loc) << "cannot write '" << path << "' as bytecode";
        return success();
      });
}

LogicalResult writeReport(ModuleOp module, StringRef entry, StringRef path) {
  FailureOr<CompileReport> report = collectReport(module, entry);
  if (failed(report))
    return failure();
  if (path == "-") {
    printReportTable(*report, llvm::outs());
    return success();
  }
  bool json = llvm::sys::path::extension(path) == ".json";
  return writeFile(UnknownLoc::get(module.getContext()), path, /*text=*/true,
                   [&](llvm::raw_ostream &os) -> LogicalResult {
                     if (json)
                       printReportJson(*report, os);
                     else
                       printReportTable(*report, os);
                     return success();
                   });
}

} // namespace

FailureOr<Artifact> compileModel(ModuleOp module,
                                 const CompileOptions &options) {
  Location loc = UnknownLoc::get(module.getContext());
  if (!options.kind)
    return emitError(loc) << "no emit kind given";
  const EmitKind &kind = *options.kind;
  std::unique_ptr<Target> target = createTarget(options.target);
  if (!target)
    return emitError(loc) << "--target=" << options.target
                          << ": only the cpu target is implemented so far";
  if (!target->supports(kind))
    return emitError(loc) << (kind.name == "ptx"
                                  ? "PTX output needs --target=nvptx, which "
                                    "is not implemented yet"
                                  : "the " + options.target +
                                        " target cannot emit " +
                                        kind.name.str());

  const TargetOptions &targetOptions = options.pipeline.target;
  auto graph = module.lookupSymbol<func::FuncOp>(targetOptions.entry);
  if (!graph)
    return emitError(loc) << "'" << options.sourceName << "' has no function '"
                          << targetOptions.entry << "'";
  std::string name = options.modelName;
  if (name.empty())
    name = llvm::sys::path::stem(options.outputPath).str();
  if (name.empty())
    name = llvm::sys::path::stem(options.sourceName).str();
  // Read before lowering erases signedness and names.
  auto model = describeGraph(graph, name);
  if (failed(model))
    return failure();

  PassManager pm(module.getContext());
  if (options.configurePassManager && failed(options.configurePassManager(pm)))
    return failure();
  buildPipeline(pm, *target, std::min(kind.lastStage, Stage::Lowered),
                options.pipeline);
  if (failed(pm.run(module)))
    return failure();
  if (!options.reportPath.empty() &&
      failed(writeReport(module, targetOptions.entry, options.reportPath)))
    return failure();

  Artifact artifact;
  artifact.files.push_back(options.outputPath);
  if (kind.name == "header") {
    if (failed(writeHeader(loc, options.outputPath, *model)))
      return failure();
    return artifact;
  }
  if (kind.lastStage != Stage::Final) {
    if (failed(writeModule(module, kind, options.outputPath)))
      return failure();
    return artifact;
  }
  if (failed(target->emit(module, *model, kind, options.outputPath,
                          targetOptions)))
    return failure();
  if (kind.withHeader) {
    llvm::SmallString<256> headerPath(options.outputPath);
    llvm::sys::path::replace_extension(headerPath, ".h");
    if (failed(writeHeader(loc, headerPath, *model)))
      return failure();
    artifact.files.push_back(headerPath.str().str());
  }
  return artifact;
}

} // namespace kiln
