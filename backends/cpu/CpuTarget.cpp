//===- CpuTarget.cpp - The x86-64 CPU target ------------------------------===//
#include "backends/cpu/CpuTarget.h"

#include "backends/cpu/CpuCodegen.h"
#include "backends/cpu/Linking.h"
#include "compiler/pipelines/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <thread>

using namespace mlir;

namespace kiln {

int64_t cpuThreadCount(const TargetOptions &options) {
  if (options.threads > 0)
    return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

//===----------------------------------------------------------------------===//
// The CPU's stages
//===----------------------------------------------------------------------===//

void buildCpuStrategyStage(OpPassManager &pm, const TargetOptions &) {
  pm.addPass(createConvTransposeToConv());
}

void buildCpuKernelStage(OpPassManager &pm, const TargetOptions &options) {
  int64_t vectorWidth = cpuVectorWidth(options);
  int64_t threads = cpuThreadCount(options);
  // An algorithm for every convolution.
  CpuSelectConvAlgorithmsOptions select;
  select.algorithm = options.convAlgorithm;
  select.overrides.assign(options.convAlgorithmOverrides.begin(),
                          options.convAlgorithmOverrides.end());
  select.vectorWidth = vectorWidth;
  pm.addPass(createCpuSelectConvAlgorithms(select));
  // Convolutions in channel-blocked layout, kept blocked between them.
  CpuBlockConvolutionsOptions block;
  block.blockSize = vectorWidth;
  pm.addPass(createCpuBlockConvolutions(block));
  pm.addNestedPass<func::FuncOp>(createSinkUnpacks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createRecordLayers());
  CpuWinogradConvolutionsOptions winograd;
  winograd.vectorWidth = vectorWidth;
  winograd.threads = threads;
  pm.addPass(createCpuWinogradConvolutions(winograd));
  CpuIm2colConvolutionsOptions im2col;
  im2col.threads = threads;
  pm.addPass(createCpuIm2colConvolutions(im2col));
  CpuConvKernelsOptions conv;
  conv.vectorWidth = vectorWidth;
  conv.threads = threads;
  pm.addPass(createCpuConvKernels(conv));
  CpuGemmKernelsOptions gemm;
  gemm.vectorWidth = vectorWidth;
  gemm.threads = threads;
  pm.addPass(createCpuGemmKernels(gemm));
  CpuReductionKernelsOptions reduction;
  reduction.vectorWidth = vectorWidth;
  reduction.threads = threads;
  pm.addPass(createCpuReductionKernels(reduction));
  pm.addPass(createLowerPacks());
  pm.addPass(createCanonicalizerPass());
}

void buildCpuDistributionStage(OpPassManager &pm,
                               const TargetOptions &options) {
  int64_t threads = cpuThreadCount(options);
  if (threads <= 1)
    return;
  DistributeToThreadsOptions distribute;
  distribute.threads = threads;
  pm.addPass(createDistributeToThreads(distribute));
  pm.addPass(createCanonicalizerPass());
}

void buildCpuBufferizationStage(OpPassManager &pm,
                                const TargetOptions &options) {
  // Concatenated and padded tensors computed where they are kept.
  pm.addPass(createInPlaceSubsets());
  pm.addPass(createElementwiseInPlace());
  pm.addPass(createDistinctResults());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results become out-parameters of the (public) graph function; static
  // temporaries are hoisted to the function's entry for the workspace plan.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // A thread's chunk is written in place, then "copied" into the shared
  // output: the same subview twice, one value after CSE, and the copy of a
  // buffer onto itself folds away (GoogLeNet: 135 of 210 copies).
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  PlanWorkspaceOptions workspace;
  workspace.entry = options.entry;
  pm.addPass(createPlanWorkspace(workspace));
}

void buildCpuToLLVMStage(OpPassManager &pm, const TargetOptions &) {
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createFlattenConstantGlobals());
  pm.addPass(createOutlineKernels());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Vectorizable exp, log, tanh, erf instead of libm calls.
  pm.addPass(createApproximateMath());
  // The kernels' vector transfers: masked tails and strided views become
  // loads and stores (the 1-D ones directly in vector-to-llvm).
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  // Per-thread chunks (scf.forall) become OpenMP parallel loops.
  pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  // Before scf-to-cf: it lowers the single-block alloca scopes that wrap
  // OpenMP loop bodies.
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

namespace {

void buildCpuCodegenPipeline(OpPassManager &pm, const TargetOptions &options) {
  buildCpuKernelStage(pm, options);
  buildCpuDistributionStage(pm, options);
  buildCpuBufferizationStage(pm, options);
  buildCpuToLLVMStage(pm, options);
}

//===----------------------------------------------------------------------===//
// The target
//===----------------------------------------------------------------------===//

class CpuTarget final : public Target {
public:
  llvm::StringRef name() const override { return "cpu"; }

  bool supports(const EmitKind &kind) const override {
    return kind.name != "ptx";
  }

  void buildStrategyStage(OpPassManager &pm,
                          const TargetOptions &options) const override {
    buildCpuStrategyStage(pm, options);
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const TargetOptions &options) const override {
    buildCpuCodegenPipeline(pm, options);
  }

  LogicalResult emit(ModuleOp module, ModelInterface &model,
                     const EmitKind &kind, llvm::StringRef path,
                     const TargetOptions &options) const override;
};

LogicalResult CpuTarget::emit(ModuleOp module, ModelInterface &model,
                              const EmitKind &kind, llvm::StringRef path,
                              const TargetOptions &options) const {
  Location loc = UnknownLoc::get(module.getContext());
  auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(options.entry);
  if (!lowered) {
    // The one known cause: MLIR's bare-pointer calling convention has no
    // form for memrefs with a zero in a non-leading dimension.
    for (const auto *tensors : {&model.inputs, &model.outputs})
      for (const TensorDesc &t : *tensors)
        if (llvm::is_contained(t.shape, 0))
          return emitError(loc) << "'" << t.name
                                << "' has zero elements in a shape kiln "
                                   "cannot pass to compiled code yet";
    return emitError(loc) << "the graph function was not lowered to LLVM";
  }
  if (auto size = lowered->getAttrOfType<IntegerAttr>("kiln.workspace_size"))
    model.workspaceSize = size.getInt();
  model.maxThreads = static_cast<int32_t>(cpuThreadCount(options));

  llvm::LLVMContext llvmContext;
  auto llvmModule =
      translateToLLVMIR(module, llvmContext, model, options.entry, options);
  if (failed(llvmModule))
    return failure();
  if (kind.name == "ll") {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return emitError(loc)
             << "cannot write '" << path << "': " << ec.message();
    (*llvmModule)->print(os, nullptr);
    return success();
  }

  LinkInputs link;
  if (std::string error = emitObject(**llvmModule, options, link.object);
      !error.empty())
    return emitError(loc) << error;
  // The object holds the weights now; the LLVM module's copy can go.
  llvmModule->reset();
  auto archive = [&](llvm::StringRef file) {
    llvm::SmallString<256> archivePath(options.runtimeLibraryDir);
    llvm::sys::path::append(archivePath, file);
    return archivePath.str().str();
  };
  link.runtimeArchive = archive("libkiln_runtime.a");
  link.mainArchive = archive("libkiln_main.a");
  link.clang = KILN_CLANG;
  if (cpuThreadCount(options) > 1)
    link.libraries = {"-L" KILN_OPENMP_LIBDIR, "-lomp",
                      "-Wl,-rpath," KILN_OPENMP_LIBDIR};
  std::string error = kind.name == "obj"  ? writeObject(link, path)
                      : kind.name == "a"  ? writeStaticLibrary(link, path)
                      : kind.name == "so" ? writeSharedLibrary(link, path)
                                          : writeExecutable(link, path);
  if (!error.empty())
    return emitError(loc) << error;
  return success();
}

} // namespace

std::unique_ptr<Target> createCpuTarget() {
  return std::make_unique<CpuTarget>();
}

void registerCpuPipelines() {
  // Fixed options, so that what kiln-opt prints does not depend on the
  // machine it runs on.
  static const TargetOptions options = [] {
    TargetOptions o;
    o.threads = 2;
    o.cpu = "x86-64-v4";
    return o;
  }();
  PassPipelineRegistration<>(
      "kiln-cpu-strategy", "The CPU's algorithm choices on the nn graph",
      [](OpPassManager &pm) { buildCpuStrategyStage(pm, options); });
  PassPipelineRegistration<>(
      "kiln-cpu-kernels", "The CPU's vector kernels on linalg",
      [](OpPassManager &pm) { buildCpuKernelStage(pm, options); });
  PassPipelineRegistration<>(
      "kiln-cpu-distribute", "Split large linalg ops across threads",
      [](OpPassManager &pm) { buildCpuDistributionStage(pm, options); });
  PassPipelineRegistration<>(
      "kiln-bufferize", "Bufferize and plan the workspace",
      [](OpPassManager &pm) { buildCpuBufferizationStage(pm, options); });
  PassPipelineRegistration<>(
      "kiln-cpu-to-llvm", "Lower loops and memrefs to the LLVM dialect",
      [](OpPassManager &pm) { buildCpuToLLVMStage(pm, options); });
  PassPipelineRegistration<>(
      "kiln-cpu-codegen",
      "The CPU's codegen pipeline, linalg on tensors to the LLVM dialect",
      [](OpPassManager &pm) { buildCpuCodegenPipeline(pm, options); });
  PassPipelineRegistration<>(
      "kiln-cpu", "The whole compiler for the CPU, nn to the LLVM dialect",
      [](OpPassManager &pm) {
        PipelineOptions pipeline;
        pipeline.target = options;
        buildPipeline(pm, *createCpuTarget(), Stage::Lowered, pipeline);
      });
}

} // namespace kiln
