//===- CpuTarget.h - The x86-64 CPU target ----------------------*- C++ -*-===//
//
// kiln's CPU code generator as a Target: its nn-level algorithm choices, its
// codegen pipeline (distribution over threads, bufferization with results as
// out-parameters and one planned workspace, lowering to the LLVM dialect with
// the bare-pointer ABI) and its emission (LLVM IR, objects, libraries,
// executables). The stage functions are also registered as named pipelines
// for kiln-opt.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_BACKENDS_CPU_CPUTARGET_H
#define KILN_BACKENDS_CPU_CPUTARGET_H

#include "backends/Target.h"

#include <memory>

namespace kiln {

std::unique_ptr<Target> createCpuTarget();

/// The thread count the CPU target generates code for (options.threads, or
/// this machine's cores when it is 0).
int64_t cpuThreadCount(const TargetOptions &options);

/// nn to nn: the CPU's algorithm choices (transposed convolutions as
/// phase-stacked convolutions).
void buildCpuStrategyStage(mlir::OpPassManager &pm,
                           const TargetOptions &options);
/// linalg on tensors: the CPU's kernels (matrix products and convolutions
/// with constant weights as register-tiled vector code over weights packed
/// at compile time, convolutions in channel-blocked layout).
void buildCpuKernelStage(mlir::OpPassManager &pm,
                         const TargetOptions &options);
/// linalg on tensors: split large ops across threads (scf.forall).
void buildCpuDistributionStage(mlir::OpPassManager &pm,
                               const TargetOptions &options);
/// Tensors to memrefs; results become out-parameters; temporaries are
/// planned into one workspace argument.
void buildCpuBufferizationStage(mlir::OpPassManager &pm,
                                const TargetOptions &options);
/// Loops and memrefs down to the LLVM dialect (bare-pointer ABI).
void buildCpuToLLVMStage(mlir::OpPassManager &pm, const TargetOptions &options);

/// Registers the CPU's stages as kiln-opt pipelines: kiln-cpu-strategy,
/// kiln-cpu-kernels, kiln-cpu-distribute, kiln-bufferize, kiln-cpu-to-llvm, kiln-cpu-codegen
/// (the four after nn -> linalg) and kiln-cpu (the whole compiler, nn to
/// the LLVM dialect).
void registerCpuPipelines();

} // namespace kiln

#endif // KILN_BACKENDS_CPU_CPUTARGET_H
