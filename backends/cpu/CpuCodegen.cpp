//===- CpuCodegen.cpp - LLVM dialect to x86-64 object code ----------------===//
#include "backends/cpu/CpuCodegen.h"

#include "kiln/runtime.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace kiln {
namespace {

const char *kTriple = "x86_64-unknown-linux-gnu";

/// A context for the memref types that passedAsBarePointer asks about.
MLIRContext *kStaticContext() {
  static MLIRContext context;
  return &context;
}

/// The CPU name and feature string for `options`. This VM reports a wrong
/// host CPU name, so "host" uses the feature list the host reports instead.
std::pair<std::string, std::string> cpuAndFeatures(const TargetOptions &o) {
  std::string cpu = o.cpu, features;
  if (cpu == "host") {
    cpu = "x86-64-v3";
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    for (auto &f : hostFeatures)
      features += (features.empty() ? "" : ",") +
                  std::string(f.second ? "+" : "-") + f.first().str();
  }
  if (!o.features.empty())
    features += (features.empty() ? "" : ",") + o.features;
  return {cpu, features};
}

void initializeX86() {
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86Target();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86AsmPrinter();
}

std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options,
                    std::optional<llvm::CodeModel::Model> codeModel,
                    std::string &error) {
  initializeX86();
  llvm::Triple triple(kTriple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  auto [cpu, features] = cpuAndFeatures(options);
  llvm::TargetOptions targetOptions;
  auto level = options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
               : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                       : llvm::CodeGenOptLevel::None;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, codeModel,
      level));
}

/// Emits the kiln_tensor_info array for `tensors`.
llvm::Constant *tensorInfos(llvm::Module &m, llvm::StructType *infoType,
                            const std::vector<TensorDesc> &tensors,
                            const std::string &symbol) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  std::vector<llvm::Constant *> infos;
  for (auto [i, t] : llvm::enumerate(tensors)) {
    auto *shapeInit = llvm::ConstantDataArray::get(
        ctx, llvm::ArrayRef<uint64_t>(
                 reinterpret_cast<const uint64_t *>(t.shape.data()),
                 t.shape.size()));
    auto *shape = new llvm::GlobalVariable(
        m, shapeInit->getType(), true, llvm::GlobalValue::PrivateLinkage,
        shapeInit, symbol + "_shape" + std::to_string(i));
    auto *nameInit = llvm::ConstantDataArray::getString(ctx, t.name);
    auto *name = new llvm::GlobalVariable(
        m, nameInit->getType(), true, llvm::GlobalValue::PrivateLinkage,
        nameInit, symbol + "_name" + std::to_string(i));
    infos.push_back(llvm::ConstantStruct::get(
        infoType, {name, b.getInt32(t.elemType),
                   b.getInt32(static_cast<int32_t>(t.shape.size())), shape}));
  }
  auto *arrayType = llvm::ArrayType::get(infoType, infos.size());
  return new llvm::GlobalVariable(m, arrayType, true,
                                  llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantArray::get(arrayType, infos),
                                  symbol);
}

/// Whether the lowered graph takes its tensors as bare pointers (MLIR's
/// bare-pointer convention) or, when one of them has no bare form (a zero
/// in a non-leading dimension), all as memref descriptors.
bool takesBarePointers(const ModelInterface &model) {
  for (const auto *tensors : {&model.inputs, &model.outputs})
    for (const TensorDesc &t : *tensors)
      if (!LLVMTypeConverter::canConvertToBarePtr(
              MemRefType::get(t.shape, Float32Type::get(kStaticContext()))))
        return false;
  return true;
}

/// Appends the arguments that pass a buffer of `shape` at `p`: the pointer
/// itself, or a memref descriptor (allocated and aligned pointers, offset,
/// sizes, row-major strides).
void appendBufferArgs(llvm::IRBuilder<> &b, llvm::Value *p,
                      const std::vector<int64_t> &shape, bool bare,
                      std::vector<llvm::Value *> &args) {
  if (bare) {
    args.push_back(p);
    return;
  }
  args.insert(args.end(), {p, p, b.getInt64(0)});
  for (int64_t d : shape)
    args.push_back(b.getInt64(d));
  int64_t stride = 1;
  std::vector<llvm::Value *> strides(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = b.getInt64(stride);
    stride *= shape[d];
  }
  args.insert(args.end(), strides.begin(), strides.end());
}

/// The shape of the workspace argument the planner appended.
std::vector<int64_t> workspaceShape(const ModelInterface &model) {
  return {std::max<int64_t>(model.workspaceSize, 1)};
}

/// Adds <prefix>_entry, the model info and its accessors.
void addEntryPoints(llvm::Module &m, llvm::Function *graph,
                    const ModelInterface &model) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  llvm::Type *ptr = b.getPtrTy();

  // void <prefix>_entry(void *workspace, const void *const *in, void *const *out)
  auto *entryType = llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr, ptr}, false);
  auto *entry = llvm::Function::Create(entryType, llvm::GlobalValue::InternalLinkage,
                                       model.prefix + "_entry", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  std::vector<llvm::Value *> args;
  bool bare = takesBarePointers(model);
  auto loadPointers = [&](llvm::Value *array,
                          const std::vector<TensorDesc> &tensors) {
    for (size_t i = 0; i < tensors.size(); ++i)
      appendBufferArgs(
          b, b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, array, i)),
          tensors[i].shape, bare, args);
  };
  loadPointers(entry->getArg(1), model.inputs);
  loadPointers(entry->getArg(2), model.outputs);
  appendBufferArgs(b, entry->getArg(0), workspaceShape(model), bare, args);
  b.CreateCall(graph, args);
  b.CreateRetVoid();

  auto *tensorInfoType = llvm::StructType::create(
      ctx, {ptr, b.getInt32Ty(), b.getInt32Ty(), ptr}, "kiln_tensor_info");
  auto *modelInfoType = llvm::StructType::create(
      ctx,
      {b.getInt32Ty(), ptr, b.getInt32Ty(), b.getInt32Ty(), ptr, ptr,
       b.getInt64Ty(), ptr, b.getInt32Ty()},
      "kiln_model_info");
  auto *nameInit = llvm::ConstantDataArray::getString(ctx, model.name);
  auto *name = new llvm::GlobalVariable(m, nameInit->getType(), true,
                                        llvm::GlobalValue::PrivateLinkage,
                                        nameInit, model.prefix + "_name");
  auto *info = new llvm::GlobalVariable(
      m, modelInfoType, true, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantStruct::get(
          modelInfoType,
          {b.getInt32(KILN_ABI_VERSION), name,
           b.getInt32(static_cast<int32_t>(model.inputs.size())),
           b.getInt32(static_cast<int32_t>(model.outputs.size())),
           tensorInfos(m, tensorInfoType, model.inputs, model.prefix + "_inputs"),
           tensorInfos(m, tensorInfoType, model.outputs,
                       model.prefix + "_outputs"),
           b.getInt64(model.workspaceSize), entry,
           b.getInt32(model.maxThreads)}),
      model.prefix + "_info");

  auto *accessorType = llvm::FunctionType::get(ptr, {}, false);
  for (auto [symbol, linkage] :
       {std::pair{model.prefix + "_model", llvm::GlobalValue::ExternalLinkage},
        std::pair{std::string("kiln_library_model"),
                  llvm::GlobalValue::WeakAnyLinkage}}) {
    auto *accessor = llvm::Function::Create(accessorType, linkage, symbol, m);
    b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", accessor));
    b.CreateRet(info);
  }
}

} // namespace

int64_t cpuVectorWidth(const TargetOptions &options) {
  initializeX86();
  auto [cpu, features] = cpuAndFeatures(options);
  llvm::Triple triple(kTriple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return 8;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, cpu, features));
  return subtarget && subtarget->checkFeatures("+avx512f") ? 16 : 8;
}

FailureOr<std::unique_ptr<llvm::Module>>
translateToLLVMIR(ModuleOp module, llvm::LLVMContext &llvmContext,
                  const ModelInterface &model, StringRef graphName,
                  const TargetOptions &options) {
  registerBuiltinDialectTranslation(*module->getContext());
  registerLLVMDialectTranslation(*module->getContext());
  registerOpenMPDialectTranslation(*module->getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, model.prefix);
  if (!llvmModule)
    return static_cast<LogicalResult>(module.emitError("translation to LLVM IR failed"));
  llvm::Function *graph = llvmModule->getFunction(graphName);
  if (!graph)
    return static_cast<LogicalResult>(module.emitError("no lowered graph function '")
                   << graphName << "'");
  // Only the accessors are exported; the graph gets a model-specific name so
  // that several models link into one program.
  bool bare = takesBarePointers(model);
  size_t expectedParams = bare ? 1 : 5; // the workspace
  for (const auto *tensors : {&model.inputs, &model.outputs})
    for (const TensorDesc &t : *tensors)
      expectedParams += bare ? 1 : 3 + 2 * t.shape.size();
  if (graph->arg_size() != expectedParams)
    return static_cast<LogicalResult>(
        emitError(module.getLoc(), "the lowered graph takes ")
        << graph->arg_size() << " parameters, " << expectedParams
        << " expected for its inputs, outputs and workspace");
  graph->setName(model.prefix + "_graph");
  for (llvm::Function &f : *llvmModule)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : llvmModule->globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
  addEntryPoints(*llvmModule, graph, model);

  auto [cpu, features] = cpuAndFeatures(options);
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpu);
    if (!features.empty())
      f.addFnAttr("target-features", features);
  }
  return llvmModule;
}

/// Bytes of initialized global data (the weights, mostly).
static uint64_t globalDataBytes(const llvm::Module &module) {
  const llvm::DataLayout &layout = module.getDataLayout();
  uint64_t bytes = 0;
  for (const llvm::GlobalVariable &g : module.globals())
    if (g.hasInitializer())
      bytes += layout.getTypeAllocSize(g.getValueType());
  return bytes;
}

/// The same initialized data as byte arrays: the assembly printer writes an
/// array of floats element by element (an APFloat and a data-layout query
/// each), seconds for ResNet-50's 100 MB of weights, and bytes in one write.
static void retypeDataAsBytes(llvm::Module &module) {
  const llvm::DataLayout &layout = module.getDataLayout();
  SmallVector<llvm::GlobalVariable *> globals;
  for (llvm::GlobalVariable &g : module.globals()) {
    auto *data =
        g.hasInitializer()
            ? llvm::dyn_cast<llvm::ConstantDataSequential>(g.getInitializer())
            : nullptr;
    if (data && !data->isString())
      globals.push_back(&g);
  }
  for (llvm::GlobalVariable *g : globals) {
    auto *data = llvm::cast<llvm::ConstantDataSequential>(g->getInitializer());
    StringRef raw = data->getRawDataValues();
    llvm::Constant *bytes = llvm::ConstantDataArray::get(
        module.getContext(),
        ArrayRef<uint8_t>(raw.bytes_begin(), raw.bytes_end()));
    auto *replacement = new llvm::GlobalVariable(
        module, bytes->getType(), g->isConstant(), g->getLinkage(), bytes, "",
        g, g->getThreadLocalMode(), g->getAddressSpace());
    replacement->copyAttributesFrom(g);
    // The alignment the typed array had, kept.
    replacement->setAlignment(layout.getPreferredAlign(g));
    replacement->takeName(g);
    g->replaceAllUsesWith(replacement);
    g->eraseFromParent();
  }
}

std::string emitObject(llvm::Module &module, const TargetOptions &options,
                       llvm::SmallVectorImpl<char> &object) {
  // The small code model reaches data with 32-bit PC-relative offsets; past
  // about 2 GB of weights those overflow at link time. The medium model
  // puts large globals in .lrodata, addressed with 64-bit offsets.
  std::optional<llvm::CodeModel::Model> codeModel;
  if (globalDataBytes(module) > (uint64_t(1) << 30))
    codeModel = llvm::CodeModel::Medium;
  std::string error;
  auto machine = createTargetMachine(options, codeModel, error);
  if (!machine)
    return "cannot create the x86-64 target: " + error;
  module.setTargetTriple(llvm::Triple(kTriple));
  module.setDataLayout(machine->createDataLayout());

  if (options.optLevel > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopVectorization = true;
    tuning.SLPVectorization = true;
    // Full unrolling of the short inner loops of small layers runs before
    // the loop vectorizer and leaves scalar straight-line code.
    tuning.LoopUnrolling = false;
    llvm::PassBuilder pb(machine.get(), tuning);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    auto level = options.optLevel >= 3   ? llvm::OptimizationLevel::O3
                 : options.optLevel == 2 ? llvm::OptimizationLevel::O2
                                         : llvm::OptimizationLevel::O1;
    pb.buildPerModuleDefaultPipeline(level).run(module, mam);
  }

  retypeDataAsBytes(module);
  object.clear();
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return "the x86-64 target cannot emit object files";
  codegen.run(module);
  return "";
}

} // namespace kiln
