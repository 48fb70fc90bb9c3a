//===- NNDialect.cpp - The nn dialect -------------------------------------===//
#include "compiler/ir/NNDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln::nn;

#include "compiler/ir/NNDialect.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "compiler/ir/NNOps.cpp.inc"
      >();
}

Operation *NNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
