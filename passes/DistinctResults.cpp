//===- DistinctResults.cpp - One value per returned tensor ----------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace kiln {
#define GEN_PASS_DEF_DISTINCTRESULTS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct DistinctResultsPass : impl::DistinctResultsBase<DistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder builder(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type || seen.insert(value).second)
          continue;
        Value init = tensor::EmptyOp::create(builder, ret.getLoc(),
                                             type.getShape(),
                                             type.getElementType());
        operand.set(linalg::CopyOp::create(builder, ret.getLoc(), value, init)
                        .getResult(0));
      }
    });
  }
};

} // namespace
} // namespace kiln
