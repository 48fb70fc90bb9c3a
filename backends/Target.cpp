//===- Target.cpp - Emit kinds and the target interface -------------------===//
#include "backends/Target.h"

#include "llvm/Support/Path.h"

namespace kiln {

Target::~Target() = default;

llvm::ArrayRef<EmitKind> emitKinds() {
  static const EmitKind kinds[] = {
      {"so", ".so", Stage::Final, true, true,
       "a shared library (runtime inside) and its C header"},
      {"a", ".a", Stage::Final, true, true,
       "a static library (model and runtime objects) and its C header"},
      {"obj", ".o", Stage::Final, false, true,
       "the model's object file and its C header (link the runtime too)"},
      {"exe", "", Stage::Final, true, false, "a standalone executable"},
      {"mlir", ".mlir", Stage::Graph, false, false, "the optimized nn graph"},
      {"mlirbc", ".mlirbc", Stage::Graph, false, false,
       "the optimized nn graph as MLIR bytecode"},
      {"linalg", ".mlir", Stage::Linalg, false, false,
       "structured linalg on tensors"},
      {"llvm-mlir", ".mlir", Stage::Lowered, false, false,
       "the target's lowest MLIR (the LLVM dialect)"},
      {"ll", ".ll", Stage::Final, false, false, "LLVM IR"},
      {"header", ".h", Stage::Graph, false, false, "the C header only"},
      {"ptx", ".ptx", Stage::Final, false, false, "PTX (--target=nvptx)"},
  };
  return kinds;
}

const EmitKind *lookupEmitKind(llvm::StringRef name) {
  for (const EmitKind &kind : emitKinds())
    if (kind.name == name)
      return &kind;
  return nullptr;
}

const EmitKind *emitKindForPath(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  // The first kind with the extension: .mlir is the nn graph.
  for (const EmitKind &kind : emitKinds())
    if (kind.extension == extension)
      return &kind;
  return nullptr;
}

} // namespace kiln
