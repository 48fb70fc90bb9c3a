//===- Target.h - What a code generation target provides -------*- C++ -*-===//
//
// The seam between kiln's target-independent compiler (import, graph passes,
// nn -> structured linalg) and a code generator. A target owns everything
// that depends on the machine: its algorithm choices on the nn graph, the
// tiling, distribution and bufferization ABI of its codegen pipeline, and
// how a lowered module becomes files. The CPU (backends/cpu) is the first
// implementation; a second target is a second implementation of this
// interface, not a branch inside the CPU's pipeline.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_BACKENDS_TARGET_H
#define KILN_BACKENDS_TARGET_H

#include "backends/ModelInterface.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace kiln {

/// How far compilation goes for an emit kind, in pipeline order.
enum class Stage {
  Graph,   // the optimized nn graph
  Linalg,  // structured linalg on tensors, after the target's nn choices
  Lowered, // the target's lowest MLIR (the LLVM dialect for the CPU)
  Final,   // files made by Target::emit (LLVM IR, objects, libraries)
};

/// One kind of output kilnc can write; emitKinds() is the table of them.
struct EmitKind {
  llvm::StringLiteral name;
  /// The extension that selects this kind when --emit is not given ("" is
  /// an executable); kinds that share an extension are chosen by name only.
  llvm::StringLiteral extension;
  Stage lastStage;
  /// Linked with the runtime (a library or an executable).
  bool links;
  /// A C header (OUT's stem + .h) comes with it.
  bool withHeader;
  llvm::StringLiteral description;
};

/// Every emit kind, in the order kilnc lists them.
llvm::ArrayRef<EmitKind> emitKinds();
const EmitKind *lookupEmitKind(llvm::StringRef name);
/// The kind OUT's extension selects, or null.
const EmitKind *emitKindForPath(llvm::StringRef path);

/// Options a target's pipeline and emission read. No pass reads a global
/// flag: everything a target decides from comes from here.
struct TargetOptions {
  /// The graph function that becomes the library's entry point.
  std::string entry = "main_graph";
  /// "host" or a processor name of the target (an LLVM CPU for the CPU).
  std::string cpu = "host";
  /// Extra target features ("+avx512f,..."), appended.
  std::string features;
  /// 0..3, as -O.
  int optLevel = 3;
  /// Threads that large ops are split across; 0: the host's cores; 1:
  /// serial code.
  int64_t threads = 0;
  /// Where the runtime's archives are (libkiln_runtime.a, libkiln_main.a).
  std::string runtimeLibraryDir;
  /// The convolution algorithm: "auto" (the target's cost model), or one
  /// to use wherever a layer allows it (passes/ConvAlgorithm.h).
  std::string convAlgorithm = "auto";
  /// NODE=ALGORITHM: single convolutions by ONNX node name.
  std::vector<std::string> convAlgorithmOverrides;
};

class Target {
public:
  virtual ~Target();
  virtual llvm::StringRef name() const = 0;
  /// Whether this target can write `kind`.
  virtual bool supports(const EmitKind &kind) const = 0;
  /// On the optimized nn graph: the target's algorithm choices, rewriting
  /// nn ops into the forms its kernels run best.
  virtual void buildStrategyStage(mlir::OpPassManager &pm,
                                  const TargetOptions &options) const = 0;
  /// From structured linalg on tensors to the target's lowest MLIR.
  virtual void buildCodegenPipeline(mlir::OpPassManager &pm,
                                    const TargetOptions &options) const = 0;
  /// Writes `kind` (at Stage::Final) of the lowered `module` to `path`,
  /// completing `model` with what only the lowered code knows (its
  /// workspace size). Fails with a diagnostic.
  virtual mlir::LogicalResult emit(mlir::ModuleOp module, ModelInterface &model,
                                   const EmitKind &kind, llvm::StringRef path,
                                   const TargetOptions &options) const = 0;
};

} // namespace kiln

#endif // KILN_BACKENDS_TARGET_H
