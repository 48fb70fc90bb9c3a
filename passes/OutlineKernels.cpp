//===- OutlineKernels.cpp - One function per top-level loop nest ----------===//
//
// After bufferization the graph function is one long sequence of loop nests
// (linalg ops, scf.forall chunks). LLVM's per-function analyses grow faster
// than linearly with that length (ScalarEvolution walks the chain of
// predecessors for each loop guard), so a DenseNet-121 spent 40 s in LLVM.
// Each top-level op with regions or loops moves into its own private
// function, marked noinline, and is called in its place: LLVM then
// optimizes many small functions. Scalar constants the op uses are cloned
// into the function; every other value it uses becomes an argument. Ops
// whose memref operands the bare-pointer calling convention cannot pass
// (dynamic shapes or strides) stay where they are.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A value a bare pointer can carry: no memref, or a memref with a static
/// shape, strides and offset.
bool passableAsArgument(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type)
    return !isa<BaseMemRefType>(value.getType());
  if (!type.hasStaticShape())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return !ShapedType::isDynamic(offset) &&
         llvm::none_of(strides, ShapedType::isDynamic);
}

bool isKernel(Operation *op) {
  return op->getNumResults() == 0 && !op->hasTrait<OpTrait::IsTerminator>() &&
         (op->getNumRegions() > 0 || isa<linalg::LinalgOp>(op));
}

/// Whether `value` is a constant of a scalar type, cloned rather than passed.
bool isScalarConstant(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->hasTrait<OpTrait::ConstantLike>() &&
         def->getNumOperands() == 0 && value.getType().isIntOrIndexOrFloat();
}

struct OutlineKernelsPass : impl::OutlineKernelsBase<OutlineKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp func : functions) {
      if (func.isExternal() || func->hasAttr("kiln.kernel"))
        continue;
      SmallVector<Operation *> kernels;
      for (Operation &op : func.getBody().front())
        if (isKernel(&op))
          kernels.push_back(&op);
      // A function with one loop nest gains nothing.
      if (kernels.size() < 2)
        continue;
      unsigned count = 0;
      for (Operation *op : kernels)
        outline(op, func, symbols, count);
    }
  }

  void outline(Operation *op, func::FuncOp parent, SymbolTable &symbols,
               unsigned &count) {
    // The values the op uses from outside, in first-use order.
    llvm::SetVector<Value> used(op->getOperands().begin(),
                                op->getOperands().end());
    llvm::SetVector<Value> above;
    getUsedValuesDefinedAbove(op->getRegions(), above);
    used.insert(above.begin(), above.end());
    SmallVector<Value> arguments, cloned;
    for (Value v : used)
      (isScalarConstant(v) ? cloned : arguments).push_back(v);
    if (!llvm::all_of(arguments, passableAsArgument))
      return;

    OpBuilder b(parent);
    auto type = b.getFunctionType(ValueRange(arguments).getTypes(), {});
    auto kernel = func::FuncOp::create(
        b, op->getLoc(),
        (parent.getSymName() + "_kernel" + Twine(count++)).str(), type);
    kernel.setPrivate();
    kernel->setAttr("kiln.kernel", b.getUnitAttr());
    // Kept apart through LLVM: inlined back, the function is long again.
    // (func-to-llvm carries `passthrough` over to llvm.func.)
    kernel->setAttr("passthrough", b.getStrArrayAttr({"noinline"}));
    symbols.insert(kernel);

    Block *body = kernel.addEntryBlock();
    b.setInsertionPointToStart(body);
    IRMapping mapping;
    for (auto [value, arg] : llvm::zip(arguments, body->getArguments()))
      mapping.map(value, arg);
    for (Value v : cloned)
      b.clone(*v.getDefiningOp(), mapping);
    b.clone(*op, mapping);
    func::ReturnOp::create(b, op->getLoc());

    b.setInsertionPoint(op);
    func::CallOp::create(b, op->getLoc(), kernel, arguments);
    op->erase();
  }
};

} // namespace
} // namespace kiln
