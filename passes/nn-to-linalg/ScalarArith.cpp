//===- ScalarArith.cpp - Scalar arithmetic by nn element type -------------===//
#include "passes/nn-to-linalg/ScalarArith.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace kiln {

Type computeTypeOf(Type nnType) {
  if (ScalarArith::isNarrowFloat(nnType) || ScalarArith::isSubByteInt(nnType))
    return IntegerType::get(nnType.getContext(), 8);
  if (auto intType = dyn_cast<IntegerType>(nnType))
    return IntegerType::get(nnType.getContext(), intType.getWidth());
  return nnType;
}

namespace {

/// The layout of a narrow float format.
struct NarrowFormat {
  unsigned expBits, manBits;
  int bias;
  bool hasInf;   // E5M2: exponent all ones, mantissa 0
  bool fnuz;     // NaN is 0x80, no negative zero
  bool e8m0;     // exponent only, unsigned
  unsigned maxCode, nanCode; // magnitudes (sign bit clear)
};

NarrowFormat narrowFormatOf(Type t) {
  if (isa<Float8E4M3FNType>(t))
    return {4, 3, 7, false, false, false, 0x7e, 0x7f};
  if (isa<Float8E4M3FNUZType>(t))
    return {4, 3, 8, false, true, false, 0x7f, 0x80};
  if (isa<Float8E5M2Type>(t))
    return {5, 2, 15, true, false, false, 0x7b, 0x7e};
  if (isa<Float8E5M2FNUZType>(t))
    return {5, 2, 16, false, true, false, 0x7f, 0x80};
  if (isa<Float8E8M0FNUType>(t))
    return {8, 0, 127, false, false, true, 0xfe, 0xff};
  // FLOAT4E2M1FN: no NaN or infinity (ml_dtypes turns NaN into -0).
  return {2, 1, 1, false, false, false, 0x7, 0x8};
}

struct IntBuilder {
  OpBuilder &b;
  Location loc;
  Type type;
  Value c(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value band(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value sel(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value lor(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value land(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
};

/// The f32 value of a narrow float code (held in i8).
Value decodeNarrowFloat(OpBuilder &b, Location loc, Value code, Type format) {
  NarrowFormat f = narrowFormatOf(format);
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f64 = b.getF64Type();
  IntBuilder I{b, loc, i32};
  IntBuilder L{b, loc, i64};
  using P = arith::CmpIPredicate;
  unsigned width = f.e8m0 ? 8 : 1 + f.expBits + f.manBits;
  Value u = I.band(arith::ExtUIOp::create(b, loc, i32, code),
                   I.c((1 << width) - 1));
  // pow2(k) as an f64: bits (k + 1023) << 52.
  auto pow2 = [&](Value k) -> Value {
    Value e = L.add(arith::ExtSIOp::create(b, loc, i64, k), L.c(1023));
    return arith::BitcastOp::create(b, loc, f64, L.shl(e, L.c(52)));
  };
  Value nan = arith::ConstantOp::create(
      b, loc, b.getF64FloatAttr(std::numeric_limits<double>::quiet_NaN()));
  Value result;
  if (f.e8m0) {
    result = pow2(I.sub(u, I.c(127)));
    result = arith::SelectOp::create(b, loc, I.cmp(P::eq, u, I.c(0xff)), nan,
                                     result);
  } else {
    Value exp = I.band(I.shr(u, I.c(f.manBits)), I.c((1 << f.expBits) - 1));
    Value man = I.band(u, I.c((1 << f.manBits) - 1));
    Value sub = I.cmp(P::eq, exp, I.c(0));
    Value sig = I.sel(sub, man, I.add(man, I.c(1 << f.manBits)));
    Value k = I.sub(I.sel(sub, I.c(1), exp), I.c(f.bias + f.manBits));
    Value mag = arith::MulFOp::create(
        b, loc, arith::UIToFPOp::create(b, loc, f64, sig), pow2(k));
    Value negative = I.cmp(P::ne, I.shr(u, I.c(width - 1)), I.c(0));
    result = arith::SelectOp::create(b, loc, negative,
                                     arith::NegFOp::create(b, loc, mag), mag);
    Value isNan;
    if (f.fnuz)
      isNan = I.cmp(P::eq, u, I.c(0x80));
    else if (f.hasInf)
      isNan = I.land(I.cmp(P::eq, exp, I.c((1 << f.expBits) - 1)),
                     I.cmp(P::ne, man, I.c(0)));
    else if (width == 8)
      isNan = I.cmp(P::eq, I.band(u, I.c(0x7f)), I.c(f.nanCode));
    if (f.hasInf) {
      Value inf = arith::ConstantOp::create(
          b, loc, b.getF64FloatAttr(std::numeric_limits<double>::infinity()));
      Value isInf = I.land(I.cmp(P::eq, exp, I.c((1 << f.expBits) - 1)),
                           I.cmp(P::eq, man, I.c(0)));
      result = arith::SelectOp::create(
          b, loc, isInf,
          arith::SelectOp::create(b, loc, negative,
                                  arith::NegFOp::create(b, loc, inf), inf),
          result);
    }
    if (isNan)
      result = arith::SelectOp::create(b, loc, isNan, nan, result);
  }
  return arith::TruncFOp::create(b, loc, b.getF32Type(), result);
}

/// The narrow float code (in i8) of an f32, rounded to nearest even (or, for
/// FLOAT8E8M0, as `roundMode`), saturating or not as ONNX Cast does.
Value encodeNarrowFloat(OpBuilder &b, Location loc, Value x, Type format,
                        bool saturate, nn::RoundMode roundMode) {
  NarrowFormat f = narrowFormatOf(format);
  Type i32 = b.getI32Type();
  IntBuilder I{b, loc, i32};
  using P = arith::CmpIPredicate;
  Value bits = arith::BitcastOp::create(b, loc, i32, x);
  Value i8 = Value();
  (void)i8;
  if (f.e8m0) {
    // onnx.numpy_helper.to_float8e8m0: the f32 exponent, rounded.
    Value exponent = I.band(I.shr(bits, I.c(23)), I.c(0xff));
    Value special = I.cmp(P::eq, exponent, I.c(0xff));
    Value roundUp;
    switch (roundMode) {
    case nn::RoundMode::Nearest: {
      Value g = I.cmp(P::ne, I.band(bits, I.c(0x400000)), I.c(0));
      Value r = I.cmp(P::ne, I.band(bits, I.c(0x200000)), I.c(0));
      Value st = I.cmp(P::ne, I.band(bits, I.c(0x1fffff)), I.c(0));
      Value lsb = I.cmp(P::ugt, exponent, I.c(0));
      roundUp = I.land(g, I.lor(I.lor(r, st), lsb));
      break;
    }
    case nn::RoundMode::Up:
      roundUp = I.cmp(P::ne, I.band(bits, I.c(0x7fffff)), I.c(0));
      break;
    case nn::RoundMode::Down:
      break; // Truncation: the exponent as it is.
    }
    Value e = exponent;
    if (roundUp) {
      Value allowed = saturate ? I.cmp(P::ne, exponent, I.c(0xfe))
                               : I.cmp(P::eq, I.c(0), I.c(0));
      Value inc = I.land(I.land(roundUp, allowed),
                         I.cmp(P::ne, special, I.cmp(P::eq, I.c(0), I.c(0))));
      e = I.add(exponent, arith::ExtUIOp::create(b, loc, i32, inc));
    }
    e = I.sel(special, I.c(0xff), e);
    return arith::TruncIOp::create(b, loc, b.getI8Type(), e);
  }
  unsigned width = 1 + f.expBits + f.manBits;
  Value sign = I.shr(bits, I.c(31));
  Value a = I.band(bits, I.c(0x7fffffff));
  Value isNan = I.cmp(P::ugt, a, I.c(0x7f800000));
  Value isInf = I.cmp(P::eq, a, I.c(0x7f800000));
  Value e32 = I.shr(a, I.c(23)); // biased; 0 for zero and f32 subnormals
  Value isTiny = I.cmp(P::eq, e32, I.c(0));
  Value sig = I.bor(I.band(a, I.c(0x7fffff)), I.c(0x800000));
  int minExp = 1 - f.bias; // unbiased exponent of the smallest normal
  // E = e32 - 127; te = max(E, minExp); shift = 23 - M + (te - E).
  Value E = I.sub(e32, I.c(127));
  Value belowNormal = I.cmp(P::slt, E, I.c(minExp));
  Value te = I.sel(belowNormal, I.c(minExp), E);
  Value shift = I.add(I.c(23 - f.manBits), I.sub(te, E));
  shift = I.sel(I.cmp(P::sgt, shift, I.c(31)), I.c(31), shift);
  Value q = I.shr(sig, shift);
  Value rem = I.band(sig, I.sub(I.shl(I.c(1), shift), I.c(1)));
  Value half = I.shl(I.c(1), I.sub(shift, I.c(1)));
  Value odd = I.cmp(P::ne, I.band(q, I.c(1)), I.c(0));
  Value up = I.lor(I.cmp(P::ugt, rem, half),
                   I.land(I.cmp(P::eq, rem, half), odd));
  q = I.add(q, arith::ExtUIOp::create(b, loc, i32, up));
  // Normalize: q in [2^M, 2^(M+1)) for normals; a carry to 2^(M+1) bumps
  // the exponent; q < 2^M only in the subnormal range.
  Value expField = I.add(te, I.c(f.bias));
  Value carry = I.cmp(P::uge, q, I.c(1 << (f.manBits + 1)));
  q = I.sel(carry, I.shr(q, I.c(1)), q);
  expField = I.sel(carry, I.add(expField, I.c(1)), expField);
  Value subnormal = I.cmp(P::ult, q, I.c(1 << f.manBits));
  expField = I.sel(subnormal, I.c(0), expField);
  Value man = I.band(q, I.c((1 << f.manBits) - 1));
  Value mag = I.bor(I.shl(expField, I.c(f.manBits)), man);
  mag = I.sel(isTiny, I.c(0), mag);
  Value overflow = I.cmp(P::sgt, mag, I.c(f.maxCode));
  bool isFloat4 = width == 4;
  // What overflow and infinity become.
  unsigned overflowCode = saturate || isFloat4 ? f.maxCode
                          : f.hasInf           ? 0x7c
                                               : f.nanCode;
  unsigned infCode = overflowCode;
  mag = I.sel(I.lor(overflow, isInf), I.c(infCode), mag);
  Value signBit = I.shl(sign, I.c(width - 1));
  Value code = I.bor(mag, signBit);
  if (f.fnuz) {
    // No negative zero; NaN (and non-saturated overflow) is 0x80 unsigned.
    code = I.sel(I.cmp(P::eq, mag, I.c(0)), I.c(0), code);
    code = I.sel(I.cmp(P::eq, mag, I.c(0x80)), I.c(0x80), code);
    code = I.sel(isNan, I.c(0x80), code);
  } else if (isFloat4) {
    code = I.sel(isNan, I.c(f.nanCode), code);
  } else {
    code = I.sel(isNan, I.bor(I.c(f.nanCode), signBit), code);
  }
  return arith::TruncIOp::create(b, loc, b.getI8Type(), code);
}

} // namespace

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
  if (from == nnType)
    return value;
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  // Narrow floats: decode to f32, then convert; encode from f32.
  if (isNarrowFloat(from))
    return castFrom(decodeNarrowFloat(b, loc, value, from), f32);
  if (isNarrowFloat(nnType)) {
    ScalarArith wide(b, loc, f32);
    return encodeNarrowFloat(b, loc, wide.castFrom(value, from), nnType,
                             saturate, roundMode);
  }
  // Sub-byte integers: read as the 8-bit integer they are stored as. To one
  // (see docs/onnx-ops.md): from an integer, the low bits, as ONNX defines
  // for fixed-point narrowing; from a float, truncated toward zero, and 0
  // where ONNX leaves the result undefined (NaN, infinities, values whose
  // truncation is outside the type's range), as onnx's reference does.
  if (isSubByteInt(from))
    return castFrom(value, IntegerType::get(b.getContext(), 8,
                                            from.isUnsignedInteger()
                                                ? IntegerType::Unsigned
                                                : IntegerType::Signless));
  unsigned bits = isSubByteInt(nnType) ? nnType.getIntOrFloatBitWidth() : 0;
  if (bits) {
    Value wide;
    if (isa<FloatType>(from)) {
      // Compare in the source's precision (f64 stays f64) so that no value
      // rounds across a bound on the way.
      FloatType cmpType =
          from.isF64() ? FloatType(b.getF64Type()) : FloatType(b.getF32Type());
      Value x = ScalarArith(b, loc, cmpType).castFrom(value, from);
      double lo = isUnsigned() ? -1.0 : -std::ldexp(1.0, bits - 1) - 1.0;
      double hi = isUnsigned() ? std::ldexp(1.0, bits)
                               : std::ldexp(1.0, bits - 1);
      auto bound = [&](double v) {
        return arith::ConstantOp::create(b, loc, b.getFloatAttr(cmpType, v));
      };
      // Ordered comparisons: NaN is out of range.
      Value inRange = arith::AndIOp::create(
          b, loc,
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                bound(lo)),
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                bound(hi)));
      Value safe = arith::SelectOp::create(b, loc, inRange, x, bound(0.0));
      wide = arith::FPToSIOp::create(b, loc, i32, safe);
    } else {
      wide = ScalarArith(b, loc, i32).castFrom(value, from);
    }
    Value low = arith::TruncIOp::create(b, loc, b.getIntegerType(bits), wide);
    if (isUnsigned())
      return arith::ExtUIOp::create(b, loc, to, low);
    return arith::ExtSIOp::create(b, loc, to, low);
  }
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
