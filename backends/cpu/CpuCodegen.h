//===- CpuCodegen.h - LLVM dialect to x86-64 object code --------*- C++ -*-===//
#ifndef KILN_BACKENDS_CPU_CPUCODEGEN_H
#define KILN_BACKENDS_CPU_CPUCODEGEN_H

#include "backends/ModelInterface.h"
#include "backends/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <memory>
#include <string>

namespace kiln {

/// Translates the lowered module (LLVM dialect) to LLVM IR and adds the
/// library's C entry points: <prefix>_model(), the weak kiln_library_model()
/// and the kiln_model_info they return. Every other symbol becomes internal.
/// `graphName` is the lowered graph function.
mlir::FailureOr<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                  const ModelInterface &model, llvm::StringRef graphName,
                  const TargetOptions &options);

/// The f32 lanes of the widest vector registers of options' CPU: 16 with
/// AVX-512, else 8.
int64_t cpuVectorWidth(const TargetOptions &options);

/// Optimizes `module` at options.optLevel and emits an ELF object into
/// `object`. Returns an error message, empty on success.
std::string emitObject(llvm::Module &module, const TargetOptions &options,
                       llvm::SmallVectorImpl<char> &object);

} // namespace kiln

#endif // KILN_BACKENDS_CPU_CPUCODEGEN_H
