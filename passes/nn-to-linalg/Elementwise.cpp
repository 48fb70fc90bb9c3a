//===- Elementwise.cpp - Lowering of elementwise nn ops -------------------===//
//
// Every elementwise op becomes one linalg.generic with broadcasting maps;
// only the scalar body differs, so one pattern serves them all.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// The scalar computation of one elementwise op. `args` are the converted
/// scalars of the op's operands, in order.
Value buildScalarBody(Operation *op, OpBuilder &b, Location loc,
                      ValueRange args) {
  // Operand 0's nn type decides the arithmetic, except for where (operand 1).
  Type nnType = elementTypeOf(op->getOperand(isa<WhereOp>(op) ? 1 : 0));
  ScalarArith s(b, loc, nnType);
  auto unaryFloat = [&](auto opTag) -> Value {
    using MathOp = decltype(opTag);
    return MathOp::create(b, loc, args[0]);
  };
  // e^x - 1 of a 16-bit float in f32, rounded once: the expansion of
  // math.expm1 (e^x - 1) would cancel in 16 bits.
  auto expm1 = [&](Value x) -> Value {
    Type t = x.getType();
    if (!t.isF16() && !t.isBF16())
      return math::ExpM1Op::create(b, loc, x);
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, t,
                                   math::ExpM1Op::create(b, loc, wide));
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) { return s.add(args[0], args[1]); })
      .Case([&](SubOp) { return s.sub(args[0], args[1]); })
      .Case([&](MulOp) { return s.mul(args[0], args[1]); })
      .Case([&](DivOp) { return s.div(args[0], args[1]); })
      .Case([&](MaxOp) { return s.max(args[0], args[1]); })
      .Case([&](MinOp) { return s.min(args[0], args[1]); })
      .Case([&](PowOp) {
        // The exponent may have another element type (ONNX Pow).
        Value exponent =
            s.castFrom(args[1], elementTypeOf(op->getOperand(1)));
        return s.pow(args[0], exponent);
      })
      .Case([&](ModOp mod) { return s.rem(args[0], args[1], mod.getFmod()); })
      .Case([&](PReluOp) {
        Value zero = s.constant(0);
        return s.select(s.compare("lt", args[0], zero),
                        s.mul(args[0], args[1]), args[0]);
      })
      .Case([&](BitShiftOp shift) -> Value {
        // Amounts outside [0, width) (an unsigned compare catches the
        // negative ones) shift everything out.
        Type t = args[0].getType();
        unsigned width = t.getIntOrFloatBitWidth();
        Value widthValue = arith::ConstantOp::create(
            b, loc, b.getIntegerAttr(t, width));
        Value amount = s.castFrom(args[1], elementTypeOf(op->getOperand(1)));
        Value valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                            amount, widthValue);
        if (shift.getLeft())
          return arith::SelectOp::create(
              b, loc, valid, arith::ShLIOp::create(b, loc, args[0], amount),
              s.constant(0));
        if (s.isUnsigned())
          return arith::SelectOp::create(
              b, loc, valid, arith::ShRUIOp::create(b, loc, args[0], amount),
              s.constant(0));
        Value sign = arith::ShRSIOp::create(
            b, loc, args[0],
            arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, width - 1)));
        return arith::SelectOp::create(
            b, loc, valid, arith::ShRSIOp::create(b, loc, args[0], amount),
            sign);
      })
      .Case([&](EqualOp) { return s.compare("eq", args[0], args[1]); })
      .Case([&](LessOp) { return s.compare("lt", args[0], args[1]); })
      .Case([&](LessEqualOp) { return s.compare("le", args[0], args[1]); })
      .Case([&](GreaterOp) { return s.compare("gt", args[0], args[1]); })
      .Case([&](GreaterEqualOp) { return s.compare("ge", args[0], args[1]); })
      .Case([&](AndOp) -> Value {
        return arith::AndIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](OrOp) -> Value {
        return arith::OrIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](XorOp) -> Value {
        return arith::XOrIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](WhereOp) { return s.select(args[0], args[1], args[2]); })
      .Case([&](NegOp) { return s.neg(args[0]); })
      .Case([&](AbsOp) { return s.abs(args[0]); })
      .Case([&](SignOp) { return s.sign(args[0]); })
      .Case([&](SqrtOp) { return unaryFloat(math::SqrtOp()); })
      .Case([&](ExpOp) { return unaryFloat(math::ExpOp()); })
      .Case([&](LogOp) { return unaryFloat(math::LogOp()); })
      .Case([&](FloorOp) { return unaryFloat(math::FloorOp()); })
      .Case([&](CeilOp) { return unaryFloat(math::CeilOp()); })
      .Case([&](RoundOp) { return unaryFloat(math::RoundEvenOp()); })
      .Case([&](ErfOp) { return unaryFloat(math::ErfOp()); })
      .Case([&](SinOp) { return unaryFloat(math::SinOp()); })
      .Case([&](CosOp) { return unaryFloat(math::CosOp()); })
      .Case([&](TanOp) { return unaryFloat(math::TanOp()); })
      .Case([&](AsinOp) { return unaryFloat(math::AsinOp()); })
      .Case([&](AcosOp) { return unaryFloat(math::AcosOp()); })
      .Case([&](AtanOp) { return unaryFloat(math::AtanOp()); })
      .Case([&](SinhOp) { return unaryFloat(math::SinhOp()); })
      .Case([&](CoshOp) { return unaryFloat(math::CoshOp()); })
      .Case([&](AsinhOp) { return unaryFloat(math::AsinhOp()); })
      .Case([&](AcoshOp) { return unaryFloat(math::AcoshOp()); })
      .Case([&](AtanhOp) { return unaryFloat(math::AtanhOp()); })
      .Case([&](TanhOp) { return unaryFloat(math::TanhOp()); })
      .Case([&](ReciprocalOp) { return s.div(s.constant(1), args[0]); })
      .Case([&](NotOp) -> Value {
        return arith::XOrIOp::create(
            b, loc, args[0],
            arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
      })
      .Case([&](IsNaNOp) -> Value {
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                     args[0], args[0]);
      })
      .Case([&](ReluOp) { return s.max(args[0], s.constant(0)); })
      .Case([&](SigmoidOp) -> Value {
        // 1 / (1 + e^-x)
        Value e = math::ExpOp::create(b, loc, s.neg(args[0]));
        return s.div(s.constant(1), s.add(s.constant(1), e));
      })
      .Case([&](SoftplusOp) -> Value {
        // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large x,
        // log1p keeps precision for very negative x.
        Value tail = math::Log1pOp::create(
            b, loc, math::ExpOp::create(b, loc, s.neg(s.abs(args[0]))));
        return s.add(s.max(args[0], s.constant(0)), tail);
      })
      .Case([&](SoftsignOp) {
        return s.div(args[0], s.add(s.constant(1), s.abs(args[0])));
      })
      .Case([&](LeakyReluOp relu) {
        Value scaled = s.mul(args[0], s.constant(relu.getAlpha().convertToDouble()));
        return s.select(s.compare("lt", args[0], s.constant(0)), scaled,
                        args[0]);
      })
      .Case([&](EluOp elu) {
        Value em1 = expm1(args[0]);
        Value scaled = s.mul(em1, s.constant(elu.getAlpha().convertToDouble()));
        return s.select(s.compare("lt", args[0], s.constant(0)), scaled,
                        args[0]);
      })
      .Case([&](SeluOp selu) {
        Value em1 = expm1(args[0]);
        Value neg = s.mul(em1, s.constant(selu.getAlpha().convertToDouble()));
        Value v =
            s.select(s.compare("le", args[0], s.constant(0)), neg, args[0]);
        return s.mul(v, s.constant(selu.getGamma().convertToDouble()));
      })
      .Case([&](HardSigmoidOp hs) {
        Value v = s.add(
            s.mul(args[0], s.constant(hs.getAlpha().convertToDouble())),
            s.constant(hs.getBeta().convertToDouble()));
        return s.max(s.constant(0), s.min(s.constant(1), v));
      })
      .Case([&](ThresholdedReluOp tr) {
        return s.select(
            s.compare("gt", args[0], s.constant(tr.getAlpha().convertToDouble())),
            args[0], s.constant(0));
      })
      .Case([&](ClipOp clip) {
        Value v = args[0];
        if (auto lo = clip.getMin())
          v = s.max(v, s.constant(lo->convertToDouble()));
        if (auto hi = clip.getMax())
          v = s.min(v, s.constant(hi->convertToDouble()));
        return v;
      })
      .Case([&](CastOp cast) {
        ScalarArith to(b, loc, elementTypeOf(cast.getResult()));
        to.saturate = cast.getSaturate();
        to.roundMode = cast.getRoundMode();
        return to.castFrom(args[0], nnType);
      })
      .Case([&](BroadcastOp) { return args[0]; })
      .Case([&](BitcastOp cast) -> Value {
        Type to = computeTypeOf(elementTypeOf(cast.getResult()));
        Type from = args[0].getType();
        // Bools are bytes 0 and 1.
        if (from.isInteger(1))
          return arith::ExtUIOp::create(b, loc, to, args[0]);
        if (to.isInteger(1))
          return arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::ne, args[0],
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0)));
        if (from == to)
          return args[0];
        return arith::BitcastOp::create(b, loc, to, args[0]);
      })
      .Default([](Operation *) { return Value(); });
}

/// Every op with the NN_Elementwise trait: one linalg.generic whose body
/// buildScalarBody gives (an op it has no case for fails to match).
struct ElementwiseLowering : OpTraitConversionPattern<nn::Elementwise> {
  using Base::Base;

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType =
        convertedType(*getTypeConverter(), op->getResult(0).getType());
    bool failedBody = false;
    Value result =
        buildElementwise(rewriter, op->getLoc(), resultType, operands,
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           Value v = buildScalarBody(op, b, loc, args);
                           if (!v) {
                             failedBody = true;
                             v = args[0];
                           }
                           return v;
                         });
    if (failedBody)
      return rewriter.notifyMatchFailure(op, "no scalar lowering");
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedType(*getTypeConverter(), op.getType());
    ElementsAttr value = op.getValue();
    if (value.getType() != type) {
      // Unsigned constants become signless ones of the same bits; narrow
      // floats their codes and sub-byte integers their values, in i8.
      auto dense = dyn_cast<DenseElementsAttr>(value);
      if (!dense)
        return rewriter.notifyMatchFailure(op, "cannot retype constant");
      Type from = dense.getElementType(), to = type.getElementType();
      if (ScalarArith::isSubByteInt(from)) {
        bool isUnsigned = from.isUnsignedInteger();
        value = dense.mapValues(to, [&](const APInt &v) {
          return isUnsigned ? v.zext(8) : v.sext(8);
        });
      } else if (ScalarArith::isNarrowFloat(from) &&
                 from.getIntOrFloatBitWidth() < 8) {
        value = dense.mapValues(to, [&](const APFloat &v) {
          return v.bitcastToAPInt().zext(8);
        });
      } else {
        value = dense.bitcast(to);
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type,
                                                   cast<TypedAttr>(value));
    return success();
  }
};

} // namespace

void populateElementwiseLowering(TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ElementwiseLowering>(converter,
                                                      patterns.getContext());
}

} // namespace kiln
