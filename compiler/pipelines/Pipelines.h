//===- Pipelines.h - kiln's pass pipelines ----------------------*- C++ -*-===//
//
// The whole compiler, stage by stage; buildPipeline reads top-down like a
// table of contents. The stages before the target seam (graph optimization,
// nn -> structured linalg) are target-independent; the target's own stages
// (backends/Target.h) plug in around them. Each stage takes an explicit
// options struct; kilnc (through compileModel) and kiln-opt assemble the
// same stages.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PIPELINES_PIPELINES_H
#define KILN_COMPILER_PIPELINES_PIPELINES_H

#include "backends/Target.h"

#include "mlir/Pass/PassManager.h"

namespace kiln {

struct GraphOptions {
  /// Run canonicalization and constant folding on the nn graph.
  bool foldConstants = true;
  /// Fold batch normalization into preceding convolutions.
  bool foldBatchNorm = true;
};

struct LinalgOptions {
  /// Fuse producer-consumer elementwise linalg ops into one loop nest.
  bool fuseElementwise = true;
};

struct PipelineOptions {
  GraphOptions graph;
  LinalgOptions linalg;
  TargetOptions target;
};

/// nn graph to nn graph: canonicalize, fold constants and batch norms.
void buildGraphOptimizationStage(mlir::OpPassManager &pm,
                                 const GraphOptions &options);
/// nn to structured linalg, tensor, arith and math on tensors, with no
/// target's choices in it.
void buildNNToLinalgStage(mlir::OpPassManager &pm,
                          const LinalgOptions &options);

/// The compiler from the imported nn graph up to and including `last`:
///   Graph:   graph optimization
///   Linalg:  + the target's algorithm choices on nn, nn -> linalg
///   Lowered: + the target's codegen pipeline
/// (Stage::Final, the target's emission, is not a pass pipeline.)
void buildPipeline(mlir::OpPassManager &pm, const Target &target, Stage last,
                   const PipelineOptions &options);

/// Registers the target-independent stages as named pipelines for kiln-opt
/// (kiln-graph-opt, kiln-nn-to-linalg).
void registerPipelines();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_PIPELINES_H
