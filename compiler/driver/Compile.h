//===- Compile.h - kiln as a library: one module in, files out --*- C++ -*-===//
//
// The compiler's entry point: an imported nn module and explicit options in,
// the files of one emit kind out (backends/Target.h has the table of kinds).
// kilnc is a thin layer from command-line flags to CompileOptions.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_COMPILE_H
#define KILN_COMPILER_DRIVER_COMPILE_H

#include "backends/Target.h"
#include "compiler/pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

struct CompileOptions {
  /// What to write (required).
  const EmitKind *kind = nullptr;
  std::string outputPath;
  /// The model's name and C symbol prefix; default: OUT's stem, else the
  /// source's stem.
  std::string modelName;
  /// Where the module came from, for messages.
  std::string sourceName;
  /// A target name (targetNames()).
  std::string target = "cpu";
  PipelineOptions pipeline;
  /// Where to write the report of the compiled layers (Report.h): "-" for a
  /// table on stdout, a .json path for JSON, another path for the table;
  /// empty for none.
  std::string reportPath;
  /// Called on the pass manager before it runs (kilnc applies MLIR's
  /// command-line options there: --mlir-print-ir-after-all and the like).
  std::function<mlir::LogicalResult(mlir::PassManager &)> configurePassManager;
};

/// What compileModel wrote.
struct Artifact {
  /// Every file written, the main one first (then the C header, if any).
  std::vector<std::string> files;
};

/// Compiles `module` (the nn graph; it is transformed in place) as
/// `options` say. Fails with diagnostics on the module's context.
mlir::FailureOr<Artifact> compileModel(mlir::ModuleOp module,
                                       const CompileOptions &options);

/// The targets kiln implements, and one of them by name (null if none).
llvm::ArrayRef<llvm::StringLiteral> targetNames();
std::unique_ptr<Target> createTarget(llvm::StringRef name);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_COMPILE_H
