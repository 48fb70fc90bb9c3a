//===- ScalarArith.h - Scalar arithmetic by nn element type -----*- C++ -*-===//
//
// The bodies of lowered nn ops compute on scalars of signless integer or
// float type; the nn element type (which keeps signedness: ui8 vs i8) picks
// the arith op. One place decides how each nn element type computes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_NNTOLINALG_SCALARARITH_H
#define KILN_PASSES_NNTOLINALG_SCALARARITH_H

#include "compiler/ir/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace kiln {

/// Builds scalar arithmetic for values whose nn element type is `nnType`.
class ScalarArith {
public:
  ScalarArith(mlir::OpBuilder &builder, mlir::Location loc, mlir::Type nnType)
      : b(builder), loc(loc), nnType(nnType) {}

  /// Floats the lowered code computes with (narrow floats are only stored).
  bool isFloat() const {
    return mlir::isa<mlir::FloatType>(nnType) && !isNarrowFloat(nnType);
  }
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
  /// Conversions to the 8-bit floats saturate (clamp to the largest finite
  /// value) unless `saturate` is cleared; to FLOAT8E8M0 they round as
  /// `roundMode` says, as ONNX Cast does.
  mlir::Value castFrom(mlir::Value value, mlir::Type from);
  bool saturate = true;
  nn::RoundMode roundMode = nn::RoundMode::Up;

  /// Narrow floats (8 bits or fewer: the float8 formats, FLOAT4E2M1) are
  /// stored as their codes in i8 and only converted; sub-byte integers
  /// (i4, ui4, i2, ui2) are stored sign- or zero-extended in i8.
  static bool isNarrowFloat(mlir::Type t) {
    return mlir::isa<mlir::FloatType>(t) && t.getIntOrFloatBitWidth() <= 8;
  }
  static bool isSubByteInt(mlir::Type t) {
    return t.isInteger() && !t.isInteger(1) && t.getIntOrFloatBitWidth() < 8;
  }

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type nnType;
};

/// The signless type that code computes in for an nn element type (i8 for
/// the narrow floats and sub-byte integers).
mlir::Type computeTypeOf(mlir::Type nnType);

} // namespace kiln

#endif // KILN_PASSES_NNTOLINALG_SCALARARITH_H
