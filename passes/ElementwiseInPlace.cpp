//===- ElementwiseInPlace.cpp - Elementwise ops over a dying operand -----===//
//
// An elementwise linalg.generic that writes a fresh tensor (outs a
// tensor.empty) while one of its inputs, of the same type and read at the
// same position, is read by nothing after it, may write that input's
// buffer instead: each element is read before it is written, and the
// input's buffer would otherwise stay allocated beside the output's for
// the op's duration. The input must own its buffer (computed in a
// tensor.empty of its own, not a slice of a tensor that lives on), else
// bufferization would have to copy it first. The workspace plan then holds
// one buffer where it held two.
//
//===----------------------------------------------------------------------===//
#include "passes/Destinations.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace kiln {
#define GEN_PASS_DEF_ELEMENTWISEINPLACE
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Whether `value` is computed in a buffer of its own: through
/// destinations back to a tensor.empty.
bool ownsBuffer(Value value) {
  Value v = value;
  while (Operation *def = v.getDefiningOp()) {
    if (isa<tensor::EmptyOp>(def))
      return true;
    OpOperand *tied = tiedDestination(cast<OpResult>(v));
    if (!tied)
      return false;
    v = tied->get();
  }
  return false;
}

/// Whether `op` is the last reader of `value` (all in one block).
bool isLastUse(Value value, Operation *op) {
  Block *block = op->getBlock();
  for (Operation *user : value.getUsers()) {
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    if (!ancestor || (ancestor != op && op->isBeforeInBlock(ancestor)))
      return false;
  }
  return true;
}

struct ElementwiseInPlacePass
    : impl::ElementwiseInPlaceBase<ElementwiseInPlacePass> {
  void runOnOperation() override {
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.getNumDpsInits() != 1 ||
          op.getNumParallelLoops() != op.getNumLoops() ||
          !op.hasPureTensorSemantics() ||
          !op->getParentOfType<func::FuncOp>() ||
          op->getParentOp() != op->getParentOfType<func::FuncOp>())
        return;
      OpOperand &init = op.getDpsInitsMutable()[0];
      if (!init.get().getDefiningOp<tensor::EmptyOp>() ||
          op.payloadUsesValueFromOperand(&init) ||
          !op.getMatchingIndexingMap(&init).isIdentity())
        return;
      for (OpOperand *input : op.getDpsInputOperands()) {
        Value v = input->get();
        if (v.getType() != init.get().getType() ||
            !op.getMatchingIndexingMap(input).isIdentity() ||
            llvm::count(op->getOperands(), v) != 1 || !isLastUse(v, op) ||
            !ownsBuffer(v))
          continue;
        init.set(v);
        return;
      }
    });
  }
};

} // namespace
} // namespace kiln
