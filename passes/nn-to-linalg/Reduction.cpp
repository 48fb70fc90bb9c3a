//===- Reduction.cpp - Lowering of nn.reduce and nn.arg_reduce ------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <functional>

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// log(sum(exp(x))) computed as m + log(sum(exp(x - m))), m = max(x), so
/// that large inputs do not overflow. Returns the reduced-shape tensor.
Value buildLogSumExp(OpBuilder &b, Location loc, ReduceOp op, Value input) {
  Type nnElementType = op.getType().getElementType();
  auto inputType = cast<RankedTensorType>(input.getType());
  ScalarArith s(b, loc, nnElementType);
  Value max = buildReduction(b, loc, input, op.getAxes(), s.lowest(),
                             [&](OpBuilder &nb, Location l, Value acc, Value x) {
                               return ScalarArith(nb, l, nnElementType).max(acc, x);
                             });
  SmallVector<int64_t> keptShape(inputType.getShape());
  for (int64_t axis : op.getAxes())
    keptShape[axis] = 1;
  Value keptMax = buildReshape(
      b, loc, max, RankedTensorType::get(keptShape, inputType.getElementType()));
  Value exps = buildElementwise(
      b, loc, inputType, {input, keptMax},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return math::ExpOp::create(
            nb, l, ScalarArith(nb, l, nnElementType).sub(args[0], args[1]));
      });
  Value sum = buildReduction(b, loc, exps, op.getAxes(), s.constant(0),
                             [&](OpBuilder &nb, Location l, Value acc, Value x) {
                               return ScalarArith(nb, l, nnElementType).add(acc, x);
                             });
  return buildElementwise(
      b, loc, cast<RankedTensorType>(sum.getType()), {sum, max},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return ScalarArith(nb, l, nnElementType)
            .add(math::LogOp::create(nb, l, args[0]), args[1]);
      });
}

/// Kinds that divide, take a root or a logarithm: float inputs only.
bool needsFloat(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Mean:
  case ReduceKind::L2:
  case ReduceKind::LogSum:
  case ReduceKind::LogSumExp:
    return true;
  case ReduceKind::Sum:
  case ReduceKind::Max:
  case ReduceKind::Min:
  case ReduceKind::Prod:
  case ReduceKind::L1:
  case ReduceKind::SumSquare:
    return false;
  }
  llvm_unreachable("unknown reduction kind");
}

/// The accumulator's start: the identity of the kind's step.
Value reductionInit(ScalarArith &s, ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Max:
    return s.lowest();
  case ReduceKind::Min:
    return s.highest();
  case ReduceKind::Prod:
    return s.constant(1);
  case ReduceKind::Sum:
  case ReduceKind::Mean:
  case ReduceKind::L1:
  case ReduceKind::L2:
  case ReduceKind::LogSum:
  case ReduceKind::LogSumExp:
  case ReduceKind::SumSquare:
    return s.constant(0);
  }
  llvm_unreachable("unknown reduction kind");
}

/// One accumulation step.
Value reductionStep(ScalarArith &s, ReduceKind kind, Value acc, Value x) {
  switch (kind) {
  case ReduceKind::Max:
    return s.max(acc, x);
  case ReduceKind::Min:
    return s.min(acc, x);
  case ReduceKind::Prod:
    return s.mul(acc, x);
  case ReduceKind::L1:
    return s.add(acc, s.abs(x));
  case ReduceKind::L2:
  case ReduceKind::SumSquare:
    return s.add(acc, s.mul(x, x));
  case ReduceKind::Sum:
  case ReduceKind::Mean:
  case ReduceKind::LogSum:
  case ReduceKind::LogSumExp:
    return s.add(acc, x);
  }
  llvm_unreachable("unknown reduction kind");
}

/// What the accumulated value of `count` elements (of nn type `accType`)
/// goes through at the end; empty when it is the result.
std::function<Value(OpBuilder &, Location, Value)>
reductionFinish(ReduceKind kind, Type accType, int64_t count) {
  switch (kind) {
  case ReduceKind::Mean:
    return [=](OpBuilder &b, Location l, Value v) {
      ScalarArith s(b, l, accType);
      return s.div(v, s.constant(count));
    };
  case ReduceKind::L2:
    return [](OpBuilder &b, Location l, Value v) -> Value {
      return math::SqrtOp::create(b, l, v);
    };
  case ReduceKind::LogSum:
    return [](OpBuilder &b, Location l, Value v) -> Value {
      return math::LogOp::create(b, l, v);
    };
  case ReduceKind::Sum:
  case ReduceKind::Max:
  case ReduceKind::Min:
  case ReduceKind::Prod:
  case ReduceKind::L1:
  case ReduceKind::LogSumExp:
  case ReduceKind::SumSquare:
    return nullptr;
  }
  llvm_unreachable("unknown reduction kind");
}

struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    ReduceKind kind = op.getKind();
    if (!isa<FloatType>(nnElementType) && needsFloat(kind))
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    if (kind == ReduceKind::LogSumExp) {
      rewriter.replaceOp(op, buildReshape(rewriter, loc,
                                          buildLogSumExp(rewriter, loc, op,
                                                         adaptor.getInput()),
                                          resultType));
      return success();
    }
    // Sums of float16 accumulate in f32 and round once, as NumPy's pairwise
    // sums of float16 do. (bfloat16, an ml_dtypes type to NumPy, sums
    // element by element in bfloat16.)
    Type accNNType = nnElementType;
    if (nnElementType.isF16() && kind != ReduceKind::Max &&
        kind != ReduceKind::Min && kind != ReduceKind::Prod)
      accNNType = rewriter.getF32Type();
    bool widened = accNNType != nnElementType;
    Value input = adaptor.getInput();
    if (widened)
      input = buildElementwise(
          rewriter, loc,
          cast<RankedTensorType>(input.getType()).clone(accNNType), input,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return ScalarArith(b, l, accNNType).castFrom(args[0], nnElementType);
          });
    ScalarArith sa(rewriter, loc, accNNType);
    Value reduced = buildReduction(
        rewriter, loc, input, op.getAxes(), reductionInit(sa, kind),
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          ScalarArith ns(b, l, accNNType);
          return reductionStep(ns, kind, acc, x);
        });
    int64_t count = 1;
    for (int64_t axis : op.getAxes())
      count *= op.getInput().getType().getDimSize(axis);
    if (auto finish = reductionFinish(kind, accNNType, count))
      reduced = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(reduced.getType()), reduced,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return finish(b, l, args[0]);
          });
    if (widened)
      reduced = buildElementwise(
          rewriter, loc,
          cast<RankedTensorType>(reduced.getType())
              .clone(resultType.getElementType()),
          reduced, [&](OpBuilder &b, Location l, ValueRange args) {
            return ScalarArith(b, l, nnElementType).castFrom(args[0], accNNType);
          });
    rewriter.replaceOp(op, buildReshape(rewriter, loc, reduced, resultType));
    return success();
  }
};

struct ArgReduceLowering : OpConversionPattern<ArgReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ArgReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getInput().getType().getElementType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t axis = op.getAxis();
    bool isMax;
    switch (op.getKind()) {
    case ArgReduceKind::Max:
      isMax = true;
      break;
    case ArgReduceKind::Min:
      isMax = false;
      break;
    }
    bool last = op.getSelectLastIndex();
    ScalarArith s(rewriter, loc, nnElementType);

    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < inputType.getRank(); ++d) {
      if (d == axis) {
        iterators.push_back(utils::IteratorType::reduction);
        continue;
      }
      iterators.push_back(utils::IteratorType::parallel);
      shape.push_back(inputType.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    auto valueType = RankedTensorType::get(shape, inputType.getElementType());
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    Value values = buildFilled(rewriter, loc, valueType,
                               isMax ? s.lowest() : s.highest());
    Value indices = buildFilled(
        rewriter, loc, indexType,
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0)));
    auto outMap = AffineMap::get(inputType.getRank(), 0, outExprs, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, adaptor.getInput(),
        ValueRange{values, indices},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(inputType.getRank()),
                            outMap, outMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith ns(b, l, nnElementType);
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          // Strict comparison keeps the first extreme; non-strict the last.
          Value better = ns.compare(isMax ? (last ? "ge" : "gt")
                                          : (last ? "le" : "lt"),
                                    args[0], args[1]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{ns.select(better, args[0], args[1]),
                         arith::SelectOp::create(b, l, better, index, args[2])});
        });
    rewriter.replaceOp(
        op, buildReshape(rewriter, loc, generic.getResult(1),
                         convertedType(*getTypeConverter(), op.getType())));
    return success();
  }
};

/// out[i] = sum (product) of x[j] for j <= i (j < i exclusive; j >= i,
/// j > i reversed), as a generic over (.., i, j) that combines only where j
/// qualifies.
template <typename OpTy>
struct CumulativeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  static constexpr bool isProduct = std::is_same_v<OpTy, CumProdOp>;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*this->getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    ScalarArith s(rewriter, loc, nnElementType);
    SmallVector<AffineExpr> inputExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value acc =
        buildFilled(rewriter, loc, resultType, s.constant(isProduct ? 1 : 0));
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getInput(), acc,
        ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, inputExprs, ctx),
                            AffineMap::get(rank + 1, 0, outExprs, ctx)},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          auto pred = reverse ? (exclusive ? arith::CmpIPredicate::sgt
                                           : arith::CmpIPredicate::sge)
                              : (exclusive ? arith::CmpIPredicate::slt
                                           : arith::CmpIPredicate::sle);
          Value take = arith::CmpIOp::create(b, l, pred, j, i);
          ScalarArith ns(b, l, nnElementType);
          Value combined = isProduct ? ns.mul(args[1], args[0])
                                     : ns.add(args[1], args[0]);
          linalg::YieldOp::create(b, l, ns.select(take, combined, args[1]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateReductionLowering(TypeConverter &converter,
                               RewritePatternSet &patterns) {
  patterns.add<ReduceLowering, ArgReduceLowering, CumulativeLowering<CumSumOp>,
               CumulativeLowering<CumProdOp>>(converter, patterns.getContext());
}

} // namespace kiln
