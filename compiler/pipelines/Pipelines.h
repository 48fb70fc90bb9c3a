//===- Pipelines.h - kiln's pass pipelines ----------------------*- C++ -*-===//
//
// The whole compiler, stage by stage. Each stage takes an explicit options
// struct; kilnc and kiln-opt assemble the same stages.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PIPELINES_PIPELINES_H
#define KILN_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include <string>

namespace kiln {

struct GraphOptions {
  /// Run canonicalization and constant folding on the nn graph.
  bool foldConstants = true;
  /// Fold batch normalization into preceding convolutions.
  bool foldBatchNorm = true;
};

struct CpuCodegenOptions {
  /// The graph function that becomes the library's entry point.
  std::string entry = "main_graph";
  /// Fuse producer-consumer elementwise linalg ops before bufferization.
  bool fuseElementwise = true;
  /// Threads that large ops are split across (OpenMP); 1: serial code.
  int64_t threads = 2;
};

/// nn graph to nn graph: canonicalize, fold constants and batch norms.
void buildGraphOptimizationStage(mlir::OpPassManager &pm,
                                 const GraphOptions &options);
/// nn to linalg/tensor/arith/math on tensors.
void buildNNToLinalgStage(mlir::OpPassManager &pm,
                          const CpuCodegenOptions &options);
/// Tensors to memrefs; results become out-parameters; temporaries are
/// planned into one workspace argument.
void buildBufferizationStage(mlir::OpPassManager &pm,
                             const CpuCodegenOptions &options);
/// Loops and memrefs down to the LLVM dialect (bare-pointer ABI).
void buildCpuToLLVMStage(mlir::OpPassManager &pm,
                         const CpuCodegenOptions &options);

/// Everything from the nn graph to the LLVM dialect, for the CPU.
void buildCpuPipeline(mlir::OpPassManager &pm, const GraphOptions &graph,
                      const CpuCodegenOptions &codegen);

/// Registers the stages as named pipelines for kiln-opt
/// (kiln-graph-opt, kiln-nn-to-linalg, kiln-bufferize, kiln-cpu-to-llvm,
/// kiln-cpu).
void registerPipelines();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_PIPELINES_H
