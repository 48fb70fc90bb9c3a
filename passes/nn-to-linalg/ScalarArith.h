//===- ScalarArith.h - Scalar arithmetic by nn element type -----*- C++ -*-===//
//
// The bodies of lowered nn ops compute on scalars of signless integer or
// float type; the nn element type (which keeps signedness: ui8 vs i8) picks
// the arith op. One place decides how each nn element type computes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_NNTOLINALG_SCALARARITH_H
#define KILN_PASSES_NNTOLINALG_SCALARARITH_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace kiln {

/// Builds scalar arithmetic for values whose nn element type is `nnType`.
class ScalarArith {
public:
  ScalarArith(mlir::OpBuilder &builder, mlir::Location loc, mlir::Type nnType)
      : b(builder), loc(loc), nnType(nnType) {}

  bool isFloat() const { return mlir::isa<mlir::FloatType>(nnType); }
  bool isUnsigned() const { return nnType.isUnsignedInteger(); }
  bool isBool() const { return nnType.isInteger(1); }
  /// The signless type the lowered code computes in.
  mlir::Type computeType() const;

  mlir::Value constant(double value);
  /// The lowest and highest values of the type (-inf and +inf for floats).
  mlir::Value lowest();
  mlir::Value highest();

  mlir::Value add(mlir::Value a, mlir::Value c);
  mlir::Value sub(mlir::Value a, mlir::Value c);
  mlir::Value mul(mlir::Value a, mlir::Value c);
  mlir::Value div(mlir::Value a, mlir::Value c);
  /// acc + a * c, fused (one rounding) for floats.
  mlir::Value mulAdd(mlir::Value acc, mlir::Value a, mlir::Value c);
  mlir::Value rem(mlir::Value a, mlir::Value c, bool fmod);
  /// NaN-propagating for floats.
  mlir::Value max(mlir::Value a, mlir::Value c);
  mlir::Value min(mlir::Value a, mlir::Value c);
  mlir::Value pow(mlir::Value a, mlir::Value c);
  mlir::Value neg(mlir::Value a);
  mlir::Value abs(mlir::Value a);
  mlir::Value sign(mlir::Value a);

  /// Comparisons: "eq", "lt", "le", "gt", "ge"; the result is i1.
  mlir::Value compare(llvm::StringRef predicate, mlir::Value a, mlir::Value c);
  mlir::Value select(mlir::Value cond, mlir::Value a, mlir::Value c);

  /// Converts `value` of nn element type `from` to this builder's type.
  mlir::Value castFrom(mlir::Value value, mlir::Type from);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type nnType;
};

/// The signless type that code computes in for an nn element type.
mlir::Type computeTypeOf(mlir::Type nnType);

} // namespace kiln

#endif // KILN_PASSES_NNTOLINALG_SCALARARITH_H
