//===- Pipelines.cpp - kiln's pass pipelines ------------------------------===//
#include "compiler/pipelines/Pipelines.h"

#include "passes/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln {
namespace {

/// Appends upstream passes given in textual form (no builtin.module wrapper:
/// with one, a nested pass manager silently matches nothing).
void addPasses(OpPassManager &pm, llvm::StringRef pipeline) {
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    llvm::report_fatal_error(llvm::Twine("bad built-in pipeline: ") + error);
}

} // namespace

void buildGraphOptimizationStage(OpPassManager &pm,
                                 const GraphOptions &options) {
  if (options.foldConstants)
    pm.addPass(createCanonicalizerPass());
  if (options.foldBatchNorm)
    pm.addPass(createFoldBatchNorm());
  if (options.foldConstants)
    pm.addPass(createCSEPass());
}

void buildNNToLinalgStage(OpPassManager &pm, const CpuCodegenOptions &options) {
  // Algorithm choices for this backend, still on nn ops.
  pm.addPass(createConvTransposeToConv());
  pm.addPass(createStridedConvToChannels());
  pm.addPass(createLowerNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createCSEPass());
  if (options.threads > 1) {
    DistributeToThreadsOptions distribute;
    distribute.threads = options.threads;
    pm.addPass(createDistributeToThreads(distribute));
    pm.addPass(createCanonicalizerPass());
  }
}

void buildBufferizationStage(OpPassManager &pm,
                             const CpuCodegenOptions &options) {
  pm.addPass(createDistinctResults());
  addPasses(pm, "one-shot-bufferize{bufferize-function-boundaries=1 "
                "function-boundary-type-conversion=identity-layout-map},"
                "buffer-results-to-out-params{modify-public-functions=1 "
                "hoist-static-allocs=1},"
                "canonicalize");
  PlanWorkspaceOptions workspace;
  workspace.entry = options.entry;
  pm.addPass(createPlanWorkspace(workspace));
}

void buildCpuToLLVMStage(OpPassManager &pm, const CpuCodegenOptions &) {
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createFlattenConstantGlobals());
  pm.addPass(createOutlineKernels());
  // Per-thread chunks (scf.forall) become OpenMP parallel loops.
  addPasses(pm, "func.func(convert-linalg-to-loops),"
                "func.func(scf-forall-to-parallel),"
                "convert-scf-to-openmp,"
                "lower-affine,"
                "expand-strided-metadata,"
                "lower-affine,"
                // Before scf-to-cf: it lowers the single-block alloca scopes
                // that wrap OpenMP loop bodies.
                "finalize-memref-to-llvm,"
                "convert-scf-to-cf,"
                "convert-math-to-llvm,"
                "convert-math-to-libm,"
                "convert-arith-to-llvm,"
                "convert-index-to-llvm,"
                "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
                "convert-cf-to-llvm,"
                "convert-openmp-to-llvm,"
                "convert-ub-to-llvm,"
                "reconcile-unrealized-casts,"
                "canonicalize");
}

void buildCpuPipeline(OpPassManager &pm, const GraphOptions &graph,
                      const CpuCodegenOptions &codegen) {
  buildGraphOptimizationStage(pm, graph);
  buildNNToLinalgStage(pm, codegen);
  buildBufferizationStage(pm, codegen);
  buildCpuToLLVMStage(pm, codegen);
}

void registerPipelines() {
  PassPipelineRegistration<>(
      "kiln-graph-opt", "Optimize the nn graph",
      [](OpPassManager &pm) { buildGraphOptimizationStage(pm, {}); });
  PassPipelineRegistration<>(
      "kiln-nn-to-linalg", "Lower nn to linalg on tensors",
      [](OpPassManager &pm) { buildNNToLinalgStage(pm, {}); });
  PassPipelineRegistration<>(
      "kiln-bufferize", "Bufferize and plan the workspace",
      [](OpPassManager &pm) { buildBufferizationStage(pm, {}); });
  PassPipelineRegistration<>(
      "kiln-cpu-to-llvm", "Lower loops and memrefs to the LLVM dialect",
      [](OpPassManager &pm) { buildCpuToLLVMStage(pm, {}); });
  PassPipelineRegistration<>(
      "kiln-cpu", "The whole CPU pipeline, nn to the LLVM dialect",
      [](OpPassManager &pm) { buildCpuPipeline(pm, {}, {}); });
}

} // namespace kiln
