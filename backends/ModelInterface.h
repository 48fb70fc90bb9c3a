//===- ModelInterface.h - What a compiled model exposes ---------*- C++ -*-===//
//
// The inputs and outputs of a compiled graph (names, ONNX element types,
// shapes), read from the graph function before lowering erases signedness.
// Backends emit it as the kiln_model_info of runtime/include/kiln/runtime.h
// and as the generated C header.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_BACKENDS_MODELINTERFACE_H
#define KILN_BACKENDS_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <string>
#include <vector>

namespace kiln {

struct TensorDesc {
  std::string name;
  int32_t elemType; // kiln_elem_type (ONNX TensorProto.DataType)
  std::vector<int64_t> shape;
};

struct ModelInterface {
  /// The model's name, and the C identifier prefix of its symbols.
  std::string name, prefix;
  std::vector<TensorDesc> inputs, outputs;
  uint64_t workspaceSize = 0;
  /// The most threads the compiled code runs on (1: serial code).
  int32_t maxThreads = 1;
};

/// Reads the interface of `graph` (arguments and results named by their
/// `kiln.name` attributes). Fails with a diagnostic on an unsupported type.
mlir::FailureOr<ModelInterface> describeGraph(mlir::func::FuncOp graph,
                                              llvm::StringRef modelName);

/// A valid C identifier made from `name`.
std::string toCIdentifier(llvm::StringRef name);

} // namespace kiln

#endif // KILN_BACKENDS_MODELINTERFACE_H
