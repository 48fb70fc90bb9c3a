//===- kiln-opt.cpp - MLIR optimizer driver with the nn dialect -----------===//
#include "backends/cpu/CpuTarget.h"
#include "compiler/ir/NNDialect.h"
#include "compiler/pipelines/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  registry.insert<kiln::nn::NNDialect>();
  kiln::registerKilnPasses();
  kiln::registerPipelines();
  kiln::registerCpuPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "kiln optimizer driver\n", registry));
}
