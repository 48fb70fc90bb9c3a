//===- Pipelines.cpp - kiln's pass pipelines ------------------------------===//
#include "compiler/pipelines/Pipelines.h"

#include "passes/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

void buildGraphOptimizationStage(OpPassManager &pm,
                                 const GraphOptions &options) {
  if (options.foldConstants)
    pm.addPass(createCanonicalizerPass());
  if (options.foldBatchNorm)
    pm.addPass(createFoldBatchNorm());
  if (options.foldConstants)
    pm.addPass(createCSEPass());
}

void buildNNToLinalgStage(OpPassManager &pm, const LinalgOptions &options) {
  pm.addPass(createLowerNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createCSEPass());
}

void buildPipeline(OpPassManager &pm, const Target &target, Stage last,
                   const PipelineOptions &options) {
  buildGraphOptimizationStage(pm, options.graph);
  if (last == Stage::Graph)
    return;
  target.buildStrategyStage(pm, options.target);
  buildNNToLinalgStage(pm, options.linalg);
  if (last == Stage::Linalg)
    return;
  target.buildCodegenPipeline(pm, options.target);
}

void registerPipelines() {
  PassPipelineRegistration<>(
      "kiln-graph-opt", "Optimize the nn graph",
      [](OpPassManager &pm) { buildGraphOptimizationStage(pm, {}); });
  PassPipelineRegistration<>(
      "kiln-nn-to-linalg", "Lower nn to structured linalg on tensors",
      [](OpPassManager &pm) { buildNNToLinalgStage(pm, {}); });
}

} // namespace kiln
