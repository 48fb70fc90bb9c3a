//===- ScalarArith.cpp - Scalar arithmetic by nn element type -------------===//
#include "passes/nn-to-linalg/ScalarArith.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace kiln {

Type computeTypeOf(Type nnType) {
  if (auto intType = dyn_cast<IntegerType>(nnType))
    return IntegerType::get(nnType.getContext(), intType.getWidth());
  return nnType;
}

Type ScalarArith::computeType() const { return computeTypeOf(nnType); }

Value ScalarArith::constant(double value) {
  Type type = computeType();
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value ScalarArith::lowest() {
  Type type = computeType();
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned() || isBool() ? APInt::getMinValue(width)
                                         : APInt::getSignedMinValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value ScalarArith::highest() {
  Type type = computeType();
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType,
                       APFloat::getInf(floatType.getFloatSemantics())));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned() || isBool() ? APInt::getMaxValue(width)
                                         : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value ScalarArith::add(Value a, Value c) {
  if (isFloat())
    return arith::AddFOp::create(b, loc, a, c);
  if (isBool())
    return arith::OrIOp::create(b, loc, a, c);
  return arith::AddIOp::create(b, loc, a, c);
}

Value ScalarArith::sub(Value a, Value c) {
  if (isFloat())
    return arith::SubFOp::create(b, loc, a, c);
  return arith::SubIOp::create(b, loc, a, c);
}

Value ScalarArith::mul(Value a, Value c) {
  if (isFloat())
    return arith::MulFOp::create(b, loc, a, c);
  if (isBool())
    return arith::AndIOp::create(b, loc, a, c);
  return arith::MulIOp::create(b, loc, a, c);
}

Value ScalarArith::mulAdd(Value acc, Value a, Value c) {
  if (isFloat())
    return math::FmaOp::create(b, loc, a, c, acc);
  return add(acc, mul(a, c));
}

Value ScalarArith::div(Value a, Value c) {
  if (isFloat())
    return arith::DivFOp::create(b, loc, a, c);
  if (isUnsigned())
    return arith::DivUIOp::create(b, loc, a, c);
  return arith::DivSIOp::create(b, loc, a, c);
}

Value ScalarArith::rem(Value a, Value c, bool fmod) {
  if (isFloat()) {
    Value r = arith::RemFOp::create(b, loc, a, c);
    if (fmod)
      return r;
    // Python's %: the result takes the divisor's sign.
    Value zero = constant(0);
    Value rNonZero = compare("ne", r, zero);
    Value signsDiffer = arith::XOrIOp::create(b, loc, compare("lt", r, zero),
                                              compare("lt", c, zero));
    Value fix = arith::AndIOp::create(b, loc, rNonZero, signsDiffer);
    return select(fix, add(r, c), r);
  }
  if (isUnsigned())
    return arith::RemUIOp::create(b, loc, a, c);
  Value r = arith::RemSIOp::create(b, loc, a, c);
  if (fmod)
    return r;
  Value zero = constant(0);
  Value rNonZero = compare("ne", r, zero);
  Value signsDiffer = arith::XOrIOp::create(b, loc, compare("lt", r, zero),
                                            compare("lt", c, zero));
  Value fix = arith::AndIOp::create(b, loc, rNonZero, signsDiffer);
  return select(fix, add(r, c), r);
}

Value ScalarArith::max(Value a, Value c) {
  if (isFloat())
    return arith::MaximumFOp::create(b, loc, a, c);
  if (isUnsigned() || isBool())
    return arith::MaxUIOp::create(b, loc, a, c);
  return arith::MaxSIOp::create(b, loc, a, c);
}

Value ScalarArith::min(Value a, Value c) {
  if (isFloat())
    return arith::MinimumFOp::create(b, loc, a, c);
  if (isUnsigned() || isBool())
    return arith::MinUIOp::create(b, loc, a, c);
  return arith::MinSIOp::create(b, loc, a, c);
}

Value ScalarArith::pow(Value a, Value c) {
  if (isFloat())
    return math::PowFOp::create(b, loc, a, c);
  // Integer powers compute in f64, exact for every result that fits 2^53.
  Type f64 = b.getF64Type();
  ScalarArith asDouble(b, loc, f64);
  Value r = math::PowFOp::create(b, loc, asDouble.castFrom(a, nnType),
                                 asDouble.castFrom(c, nnType));
  return castFrom(r, f64);
}

Value ScalarArith::neg(Value a) {
  if (isFloat())
    return arith::NegFOp::create(b, loc, a);
  return sub(constant(0), a);
}

Value ScalarArith::abs(Value a) {
  if (isFloat())
    return math::AbsFOp::create(b, loc, a);
  if (isUnsigned() || isBool())
    return a;
  return math::AbsIOp::create(b, loc, a);
}

Value ScalarArith::sign(Value a) {
  Value zero = constant(0), one = constant(1), minusOne = constant(-1);
  Value positive = select(compare("gt", a, zero), one, zero);
  if (isUnsigned())
    return positive;
  return select(compare("lt", a, zero), minusOne, positive);
}

Value ScalarArith::compare(StringRef predicate, Value a, Value c) {
  if (isFloat()) {
    arith::CmpFPredicate pred = llvm::StringSwitch<arith::CmpFPredicate>(predicate)
                    .Case("eq", arith::CmpFPredicate::OEQ)
                    .Case("ne", arith::CmpFPredicate::UNE)
                    .Case("lt", arith::CmpFPredicate::OLT)
                    .Case("le", arith::CmpFPredicate::OLE)
                    .Case("gt", arith::CmpFPredicate::OGT)
                    .Case("ge", arith::CmpFPredicate::OGE);
    return arith::CmpFOp::create(b, loc, pred, a, c);
  }
  bool isUns = isUnsigned() || isBool();
  arith::CmpIPredicate pred =
      llvm::StringSwitch<arith::CmpIPredicate>(predicate)
          .Case("eq", arith::CmpIPredicate::eq)
          .Case("ne", arith::CmpIPredicate::ne)
          .Case("lt", isUns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt)
          .Case("le", isUns ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle)
          .Case("gt", isUns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
          .Case("ge", isUns ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge);
  return arith::CmpIOp::create(b, loc, pred, a, c);
}

Value ScalarArith::select(Value cond, Value a, Value c) {
  return arith::SelectOp::create(b, loc, cond, a, c);
}

Value ScalarArith::castFrom(Value value, Type from) {
  Type to = computeType();
  Type fromCompute = computeTypeOf(from);
  if (fromCompute == to)
    return value;
  bool fromFloat = isa<FloatType>(from);
  bool fromUnsigned = from.isUnsignedInteger() || from.isInteger(1);
  if (fromFloat && isFloat()) {
    unsigned fromWidth = fromCompute.getIntOrFloatBitWidth();
    unsigned toWidth = to.getIntOrFloatBitWidth();
    if (fromWidth == toWidth) // f16 <-> bf16: through f32
      return arith::TruncFOp::create(
          b, loc, to, arith::ExtFOp::create(b, loc, b.getF32Type(), value));
    if (fromWidth < toWidth)
      return arith::ExtFOp::create(b, loc, to, value);
    return arith::TruncFOp::create(b, loc, to, value);
  }
  if (fromFloat) {
    if (isBool())
      return arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::UNE, value,
          arith::ConstantOp::create(b, loc, b.getFloatAttr(fromCompute, 0.0)));
    if (isUnsigned())
      return arith::FPToUIOp::create(b, loc, to, value);
    return arith::FPToSIOp::create(b, loc, to, value);
  }
  if (isFloat()) {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  // Integer to integer.
  unsigned fromWidth = fromCompute.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (toWidth == 1)
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, value,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(fromCompute, 0)));
  if (toWidth < fromWidth)
    return arith::TruncIOp::create(b, loc, to, value);
  if (fromUnsigned)
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

} // namespace kiln
