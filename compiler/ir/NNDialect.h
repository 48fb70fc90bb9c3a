//===- NNDialect.h - The nn dialect -----------------------------*- C++ -*-===//
#ifndef KILN_COMPILER_IR_NNDIALECT_H
#define KILN_COMPILER_IR_NNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "compiler/ir/NNDialect.h.inc"

#include "compiler/ir/NNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "compiler/ir/NNAttrs.h.inc"

namespace kiln::nn {
/// The NN_Elementwise trait (NNOps.td): the op lowers to one elementwise
/// linalg.generic, so passes ask for the trait rather than list op classes.
template <typename ConcreteType>
class Elementwise : public mlir::OpTrait::TraitBase<ConcreteType, Elementwise> {
};
} // namespace kiln::nn

#include "compiler/ir/ShapeInference.h"

#define GET_OP_CLASSES
#include "compiler/ir/NNOps.h.inc"

#endif // KILN_COMPILER_IR_NNDIALECT_H
