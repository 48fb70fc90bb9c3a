//===- Normalization.cpp - Lowering of batch norm, LRN and softmax --------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// `perChannel` (1-D, one value per channel) reshaped to [C, 1, ..., 1] so
/// that it broadcasts along axis 1 of a tensor of rank `rank`.
Value asChannelVector(OpBuilder &b, Location loc, Value perChannel,
                      int64_t rank) {
  auto type = cast<RankedTensorType>(perChannel.getType());
  SmallVector<int64_t> shape{type.getDimSize(0)};
  shape.append(rank - 2, 1);
  return buildReshape(b, loc, perChannel,
                      RankedTensorType::get(shape, type.getElementType()));
}

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto paramType = cast<RankedTensorType>(adaptor.getScale().getType());
    double epsilon = op.getEpsilon().convertToDouble();
    // Per channel: a = scale / sqrt(var + eps), b = bias - mean * a; then
    // y = x * a + b, so the per-element work is one multiply-add.
    Value multiplier = buildElementwise(
        rewriter, loc, paramType, {adaptor.getScale(), adaptor.getVariance()},
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith s(b, l, nnElementType);
          Value std = math::SqrtOp::create(b, l, s.add(args[1], s.constant(epsilon)));
          return s.div(args[0], std);
        });
    Value shift = buildElementwise(
        rewriter, loc, paramType, {adaptor.getBias(), adaptor.getMean(), multiplier},
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith s(b, l, nnElementType);
          return s.sub(args[0], s.mul(args[1], args[2]));
        });
    int64_t rank = resultType.getRank();
    Value result = buildElementwise(
        rewriter, loc, resultType,
        {adaptor.getInput(), asChannelVector(rewriter, loc, multiplier, rank),
         asChannelVector(rewriter, loc, shift, rank)},
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith s(b, l, nnElementType);
          return s.add(s.mul(args[0], args[1]), args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LRNLowering : OpConversionPattern<LRNOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    int64_t size = op.getSize();
    ScalarArith s(rewriter, loc, nnElementType);
    Value squares = buildElementwise(
        rewriter, loc, resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          return ScalarArith(b, l, nnElementType).mul(args[0], args[0]);
        });
    // Sum over channels [c - floor((size-1)/2), c + ceil((size-1)/2)].
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[1] = (size - 1) / 2;
    high[1] = size / 2;
    Value padded = buildPadded(rewriter, loc, squares, low, high, s.constant(0));
    Value window = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{size},
                                           resultType.getElementType());
    Value acc = buildFilled(rewriter, loc, resultType, s.constant(0));
    SmallVector<AffineExpr> inputExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr e = getAffineDimExpr(d, ctx);
      inputExprs.push_back(d == 1 ? e + getAffineDimExpr(rank, ctx) : e);
      outExprs.push_back(e);
    }
    SmallVector<AffineMap> maps{
        AffineMap::get(rank + 1, 0, inputExprs, ctx),
        AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx)),
        AffineMap::get(rank + 1, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{padded, window}, acc, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, ScalarArith(b, l, nnElementType).add(args[2], args[0]));
            })
            .getResult(0);
    double alphaOverSize = op.getAlpha().convertToDouble() / size;
    double beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, resultType, {adaptor.getInput(), sums},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarArith ns(b, l, nnElementType);
                  Value base = ns.add(ns.constant(bias),
                                      ns.mul(ns.constant(alphaOverSize), args[1]));
                  return ns.div(args[0], ns.pow(base, ns.constant(beta)));
                }));
    return success();
  }
};

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t axis = op.getAxis();
    ScalarArith s(rewriter, loc, nnElementType);
    SmallVector<int64_t> keptShape(resultType.getShape());
    keptShape[axis] = 1;
    auto keptType = RankedTensorType::get(keptShape, resultType.getElementType());
    auto reduceKept = [&](Value input, Value init, bool isMax) {
      Value r = buildReduction(rewriter, loc, input, {axis}, init,
                               [&](OpBuilder &b, Location l, Value acc, Value x) {
                                 ScalarArith ns(b, l, nnElementType);
                                 return isMax ? ns.max(acc, x) : ns.add(acc, x);
                               });
      return buildReshape(rewriter, loc, r, keptType);
    };
    Value input = adaptor.getInput();
    Value max = reduceKept(input, s.lowest(), true);
    Value shifted = buildElementwise(
        rewriter, loc, resultType, {input, max},
        [&](OpBuilder &b, Location l, ValueRange args) {
          return ScalarArith(b, l, nnElementType).sub(args[0], args[1]);
        });
    Value exps = buildElementwise(
        rewriter, loc, resultType, shifted,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return math::ExpOp::create(b, l, args[0]);
        });
    Value sum;
    if (nnElementType.isF16()) {
      // Sum float16 exponentials in f32, rounding once (as NumPy does;
      // ml_dtypes' bfloat16 sums in bfloat16, as the generic path here).
      Type f32 = rewriter.getF32Type();
      Value wide = buildElementwise(
          rewriter, loc, resultType.clone(f32), exps,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return ScalarArith(b, l, f32).castFrom(args[0], nnElementType);
          });
      Value r = buildReduction(rewriter, loc, wide, {axis},
                               ScalarArith(rewriter, loc, f32).constant(0),
                               [&](OpBuilder &b, Location l, Value acc, Value x) {
                                 return ScalarArith(b, l, f32).add(acc, x);
                               });
      r = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(r.getType()).clone(
                             resultType.getElementType()),
          r, [&](OpBuilder &b, Location l, ValueRange args) {
            return ScalarArith(b, l, nnElementType).castFrom(args[0], f32);
          });
      sum = buildReshape(rewriter, loc, r, keptType);
    } else {
      sum = reduceKept(exps, s.constant(0), false);
    }
    bool log = op.getLog();
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, resultType,
                {log ? shifted : exps, sum},
                [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                  ScalarArith ns(b, l, nnElementType);
                  if (log)
                    return ns.sub(args[0], math::LogOp::create(b, l, args[1]));
                  return ns.div(args[0], args[1]);
                }));
    return success();
  }
};

} // namespace

void populateNormalizationLowering(TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, LRNLowering, SoftmaxLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
