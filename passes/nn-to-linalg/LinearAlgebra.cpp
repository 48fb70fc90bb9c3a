//===- LinearAlgebra.cpp - Lowering of gemm and matmul --------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// A contraction acc[out] += lhs[lhsMap] * rhs[rhsMap] whose loop
/// `reductionDim` is the reduction. Callers order the loops (.., m, k, n) so
/// that the innermost loop walks rows of rhs and out contiguously, which
/// LLVM vectorizes without reassociating the sum.
Value buildContraction(OpBuilder &b, Location loc, Type nnElementType,
                       RankedTensorType resultType, Value lhs, Value rhs,
                       AffineMap lhsMap, AffineMap rhsMap, AffineMap outMap,
                       unsigned reductionDim) {
  ScalarArith s(b, loc, nnElementType);
  Value acc = buildFilled(b, loc, resultType, s.constant(0));
  SmallVector<utils::IteratorType> iterators(lhsMap.getNumDims(),
                                             utils::IteratorType::parallel);
  iterators[reductionDim] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhs, rhs}, acc,
      ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        ScalarArith ns(nested, nestedLoc, nnElementType);
        linalg::YieldOp::create(nested, nestedLoc,
                                ns.mulAdd(args[2], args[0], args[1]));
      });
  return generic.getResult(0);
}

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Type nnElementType = op.getType().getElementType();
    AffineExpr m, k, n;
    bindDims(ctx, m, k, n);
    auto lhsMap = AffineMap::get(3, 0,
                                 op.getTransA() ? ArrayRef<AffineExpr>{k, m}
                                                : ArrayRef<AffineExpr>{m, k},
                                 ctx);
    auto rhsMap = AffineMap::get(3, 0,
                                 op.getTransB() ? ArrayRef<AffineExpr>{n, k}
                                                : ArrayRef<AffineExpr>{k, n},
                                 ctx);
    auto outMap = AffineMap::get(3, 0, {m, n}, ctx);
    Value product =
        buildContraction(rewriter, loc, nnElementType, resultType,
                         adaptor.getA(), adaptor.getB(), lhsMap, rhsMap, outMap,
                         /*reductionDim=*/1);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<Value> inputs{product};
    if (adaptor.getC() && beta != 0.0)
      inputs.push_back(adaptor.getC());
    if (alpha != 1.0 || inputs.size() > 1)
      product = buildElementwise(
          rewriter, loc, resultType, inputs,
          [&](OpBuilder &b, Location l, ValueRange args) {
            ScalarArith s(b, l, nnElementType);
            Value v = alpha == 1.0 ? args[0]
                                   : s.mul(args[0], s.constant(alpha));
            if (args.size() > 1)
              v = s.add(v, beta == 1.0 ? args[1]
                                       : s.mul(args[1], s.constant(beta)));
            return v;
          });
    rewriter.replaceOp(op, product);
    return success();
  }
};

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    int64_t loops = rank + 1;
    auto resultShape = resultType.getShape();
    // Batch dims broadcast like elementwise operands; then (m, k) x (k, n).
    auto operandMap = [&](Value v, bool isLhs) {
      auto shape = cast<RankedTensorType>(v.getType()).getShape();
      AffineMap batch = broadcastMap(ctx, shape.drop_back(2),
                                     resultShape.drop_back(2));
      SmallVector<AffineExpr> exprs(batch.getResults());
      AffineExpr m = getAffineDimExpr(rank - 2, ctx);
      AffineExpr k = getAffineDimExpr(rank - 1, ctx);
      AffineExpr n = getAffineDimExpr(rank, ctx);
      if (isLhs) {
        exprs.push_back(m);
        exprs.push_back(k);
      } else {
        exprs.push_back(k);
        exprs.push_back(n);
      }
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank - 1; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    outExprs.push_back(getAffineDimExpr(rank, ctx));
    auto outMap = AffineMap::get(loops, 0, outExprs, ctx);
    rewriter.replaceOp(
        op, buildContraction(rewriter, op.getLoc(),
                             op.getType().getElementType(), resultType,
                             adaptor.getLhs(), adaptor.getRhs(),
                             operandMap(adaptor.getLhs(), true),
                             operandMap(adaptor.getRhs(), false), outMap,
                             /*reductionDim=*/rank - 1));
    return success();
  }
};

} // namespace

void populateLinearAlgebraLowering(TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<GemmLowering, MatMulLowering>(converter, patterns.getContext());
}

} // namespace kiln
