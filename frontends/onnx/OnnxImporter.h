//===- OnnxImporter.h - ONNX ModelProto to the nn dialect -------*- C++ -*-===//
#ifndef KILN_FRONTENDS_ONNX_ONNXIMPORTER_H
#define KILN_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include <string>
#include <vector>

namespace kiln::onnx_frontend {

struct ImportOptions {
  /// Fixed shapes for graph inputs whose dimensions are symbolic.
  llvm::StringMap<std::vector<int64_t>> inputShapes;
  /// Graph inputs bound to constants at compile time: name -> a TensorProto
  /// (.pb) file. Shape-valued inputs (a Reshape's shape, Slice's bounds)
  /// must be known when compiling; binding them is how a user fixes them.
  llvm::StringMap<std::string> boundInputs;
  /// Name of the generated graph function.
  std::string entry = "main_graph";
};

/// Imports the ONNX model at `path` into a module holding one function
/// `options.entry`. Errors are emitted as MLIR diagnostics (located at the
/// file, or at the ONNX node's name) and the result is null.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context,
                                                 llvm::StringRef path,
                                                 const ImportOptions &options);

/// Parses "NAME=1x3x224x224" into `options`; returns an error message or "".
std::string parseInputShape(llvm::StringRef spec, ImportOptions &options);
/// Parses "NAME=FILE.pb" into `options`; returns an error message or "".
std::string parseBoundInput(llvm::StringRef spec, ImportOptions &options);

} // namespace kiln::onnx_frontend

#endif // KILN_FRONTENDS_ONNX_ONNXIMPORTER_H
