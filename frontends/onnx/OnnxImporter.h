//===- OnnxImporter.h - ONNX ModelProto to the nn dialect -------*- C++ -*-===//
#ifndef KILN_FRONTENDS_ONNX_ONNXIMPORTER_H
#define KILN_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
class NodeProto;
} // namespace onnx

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

/// Imports a ModelProto already in memory; `path` names it in diagnostics
/// and its folder anchors external data.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context,
                                                  const onnx::ModelProto &model,
                                                  llvm::StringRef path,
                                                  const ImportOptions &options);

/// Imports ONNX nodes one at a time into a scratch function, for callers
/// that assemble a graph node by node and want each node checked as it is
/// added, with the result types the whole-graph import would give it (the
/// builder DSL checks its layers this way). Values are named as in ONNX;
/// errors are emitted as diagnostics located at the node's name.
class NodeByNodeImporter {
public:
  NodeByNodeImporter(mlir::MLIRContext &context, llvm::StringRef sourceName,
                     int64_t opset);
  ~NodeByNodeImporter();

  /// A value known only by its type (a graph input, or a weight whose
  /// contents no node needs to read).
  mlir::LogicalResult addValue(llvm::StringRef name,
                               mlir::RankedTensorType type);
  /// A value whose contents nodes may read (a Reshape's shape, Resize's
  /// scales).
  mlir::LogicalResult addConstant(llvm::StringRef name,
                                  mlir::DenseElementsAttr value);
  mlir::LogicalResult importNode(const onnx::NodeProto &node);
  /// The type of a value in scope, or null.
  mlir::RankedTensorType typeOf(llvm::StringRef name) const;

private:
  struct State;
  std::unique_ptr<State> state;
};

/// Parses "NAME=1x3x224x224" into `options`; returns an error message or "".
std::string parseInputShape(llvm::StringRef spec, ImportOptions &options);
/// Parses "NAME=FILE.pb" into `options`; returns an error message or "".
std::string parseBoundInput(llvm::StringRef spec, ImportOptions &options);

} // namespace kiln::onnx_frontend

#endif // KILN_FRONTENDS_ONNX_ONNXIMPORTER_H
