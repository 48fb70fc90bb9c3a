//===- Destinations.h - Which operand a tensor result is written into ----===//
//
// Before bufferization, a tensor result that an op writes "in place" of one
// of its operands (the init of a destination-style op, the iteration
// argument of a loop, the shared output of an scf.forall, the destination of
// an insert) will share that operand's buffer. Following these back from a
// value finds the tensor.empty (or other value) its buffer comes from
// (InPlaceSubsets, ElementwiseInPlace).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_DESTINATIONS_H
#define KILN_PASSES_DESTINATIONS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace kiln {

/// The operand whose buffer `result` is written into, or null.
inline mlir::OpOperand *tiedDestination(mlir::OpResult result) {
  mlir::Operation *op = result.getOwner();
  if (auto forall = llvm::dyn_cast<mlir::scf::ForallOp>(op))
    return forall.getTiedOpOperand(result);
  if (auto loop = llvm::dyn_cast<mlir::scf::ForOp>(op))
    return loop.getTiedLoopInit(result);
  if (auto insert = llvm::dyn_cast<mlir::tensor::InsertSliceOp>(op))
    return &insert.getDestMutable();
  if (auto dps = llvm::dyn_cast<mlir::DestinationStyleOpInterface>(op))
    return dps.getTiedOpOperand(result);
  return nullptr;
}

} // namespace kiln

#endif // KILN_PASSES_DESTINATIONS_H
