//===- LinearAlgebra.cpp - Lowering of gemm and matmul --------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
  // 16-bit floats accumulate in f32 and round once at the end, as NumPy
  // (and ml_dtypes' bfloat16) do: rounding every partial sum to 8 or 11
  // mantissa bits loses several ulps over a long reduction.
  Type accNNType = nnElementType;
  if (nnElementType.isF16() || nnElementType.isBF16())
    accNNType = b.getF32Type();
  bool widened = accNNType != nnElementType;
  auto accType = resultType.clone(computeTypeOf(accNNType));
  ScalarArith s(b, loc, accNNType);
  Value acc = buildFilled(b, loc, accType, s.constant(0));
  SmallVector<utils::IteratorType> iterators(lhsMap.getNumDims(),
                                             utils::IteratorType::parallel);
  iterators[reductionDim] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, accType, ValueRange{lhs, rhs}, acc,
      ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        ScalarArith ns(nested, nestedLoc, accNNType);
        Value x = args[0], y = args[1];
        if (widened) {
          x = ns.castFrom(x, nnElementType);
          y = ns.castFrom(y, nnElementType);
        }
        linalg::YieldOp::create(nested, nestedLoc, ns.mulAdd(args[2], x, y));
      });
  Value result = generic.getResult(0);
  if (!widened)
    return result;
  return buildElementwise(b, loc, resultType, result,
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            return ScalarArith(nb, l, nnElementType)
                                .castFrom(args[0], accNNType);
                          });
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

/// nn.einsum: one linalg.generic whose loops are the equation's letters,
/// the output's first, then the summed ones. A letter repeated in a term
/// reads the diagonal (the same loop twice in the operand's map); an
/// operand axis of extent 1 under a longer letter broadcasts (constant 0).
/// 16-bit floats accumulate in f32.
struct EinsumLowering : OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Type nnElementType = op.getType().getElementType();
    auto [lhs, out] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    // Loop order: output letters, then the others in order of appearance.
    std::string letters = out.str();
    llvm::StringMap<int64_t> extent;
    for (auto [term, value] : llvm::zip(terms, adaptor.getInputs())) {
      auto shape = cast<RankedTensorType>(value.getType()).getShape();
      for (auto [i, ch] : llvm::enumerate(term)) {
        if (letters.find(ch) == std::string::npos)
          letters.push_back(ch);
        int64_t &e = extent[StringRef(&ch, 1)];
        e = std::max(e, shape[i]);
      }
    }
    int64_t numLoops = letters.size();
    auto loopOf = [&](char ch) {
      return getAffineDimExpr(letters.find(ch), ctx);
    };
    SmallVector<AffineMap> maps;
    for (auto [term, value] : llvm::zip(terms, adaptor.getInputs())) {
      auto shape = cast<RankedTensorType>(value.getType()).getShape();
      SmallVector<AffineExpr> exprs;
      for (auto [i, ch] : llvm::enumerate(term))
        exprs.push_back(shape[i] == 1 && extent[StringRef(&ch, 1)] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : loopOf(ch));
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (char ch : out)
      outExprs.push_back(loopOf(ch));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::reduction);
    for (size_t i = 0; i < out.size(); ++i)
      iterators[i] = utils::IteratorType::parallel;

    Type accNNType = nnElementType;
    if (nnElementType.isF16() || nnElementType.isBF16())
      accNNType = rewriter.getF32Type();
    bool widened = accNNType != nnElementType;
    auto accType = resultType.clone(computeTypeOf(accNNType));
    Value acc = buildFilled(rewriter, loc, accType,
                            ScalarArith(rewriter, loc, accNNType).constant(0));
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, accType, adaptor.getInputs(), acc, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              ScalarArith s(b, l, accNNType);
              Value product;
              for (Value v : args.drop_back()) {
                if (widened)
                  v = s.castFrom(v, nnElementType);
                product = product ? s.mul(product, v) : v;
              }
              linalg::YieldOp::create(b, l, s.add(args.back(), product));
            })
            .getResult(0);
    if (widened)
      result = buildElementwise(
          rewriter, loc, resultType, result,
          [&](OpBuilder &b, Location l, ValueRange args) {
            return ScalarArith(b, l, nnElementType).castFrom(args[0], accNNType);
          });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// nn.det: Gaussian elimination with partial pivoting, per matrix, in an
/// scf.for nest over a copy of the input (tensor.extract / tensor.insert):
/// det = product of the pivots, negated per row swap.
struct DetLowering : OpConversionPattern<DetOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t m = inputType.getShape().back();
    int64_t batch = resultType.getNumElements();
    Type elementType = inputType.getElementType();
    auto matricesType = RankedTensorType::get({batch, m, m}, elementType);
    Value work = buildReshape(rewriter, loc, adaptor.getInput(), matricesType);
    // A copy the loops may write.
    Value empty = tensor::EmptyOp::create(rewriter, loc, matricesType.getShape(),
                                          elementType);
    Value copy = linalg::CopyOp::create(rewriter, loc, work, empty).getResult(0);
    auto detsType = RankedTensorType::get({batch}, elementType);
    Value dets = tensor::EmptyOp::create(rewriter, loc, detsType.getShape(),
                                         elementType);
    auto idx = [&](OpBuilder &b, Location l, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, l, v);
    };
    Value zeroI = idx(rewriter, loc, 0), oneI = idx(rewriter, loc, 1),
          mI = idx(rewriter, loc, m), batchI = idx(rewriter, loc, batch);
    auto outer = scf::ForOp::create(
        rewriter, loc, zeroI, batchI, oneI, ValueRange{copy, dets},
        [&](OpBuilder &b, Location l, Value bi, ValueRange iter) {
          ScalarArith s(b, l, nnElementType);
          Value one = s.constant(1), zero = s.constant(0);
          // Over the pivot columns k: (matrices, det).
          auto cols = scf::ForOp::create(
              b, l, zeroI, mI, oneI, ValueRange{iter[0], one},
              [&](OpBuilder &b2, Location l2, Value k, ValueRange it) {
                ScalarArith s2(b2, l2, nnElementType);
                Value mats = it[0], det = it[1];
                Value kp1 = arith::AddIOp::create(b2, l2, k, oneI);
                // The row p >= k with the largest |a[p][k]|.
                Value akk = tensor::ExtractOp::create(b2, l2, mats,
                                                      ValueRange{bi, k, k});
                auto search = scf::ForOp::create(
                    b2, l2, kp1, mI, oneI,
                    ValueRange{k, s2.abs(akk)},
                    [&](OpBuilder &b3, Location l3, Value i, ValueRange best) {
                      ScalarArith s3(b3, l3, nnElementType);
                      Value v = s3.abs(tensor::ExtractOp::create(
                          b3, l3, mats, ValueRange{bi, i, k}));
                      Value better = s3.compare("gt", v, best[1]);
                      scf::YieldOp::create(
                          b3, l3,
                          ValueRange{arith::SelectOp::create(b3, l3, better, i,
                                                             best[0]),
                                     s3.select(better, v, best[1])});
                    });
                Value p = search.getResult(0);
                // Swap rows k and p (a no-op when equal).
                auto swap = scf::ForOp::create(
                    b2, l2, zeroI, mI, oneI, ValueRange{mats},
                    [&](OpBuilder &b3, Location l3, Value j, ValueRange it3) {
                      Value rk = tensor::ExtractOp::create(
                          b3, l3, it3[0], ValueRange{bi, k, j});
                      Value rp = tensor::ExtractOp::create(
                          b3, l3, it3[0], ValueRange{bi, p, j});
                      Value t = tensor::InsertOp::create(
                          b3, l3, rp, it3[0], ValueRange{bi, k, j});
                      t = tensor::InsertOp::create(b3, l3, rk, t,
                                                   ValueRange{bi, p, j});
                      scf::YieldOp::create(b3, l3, t);
                    });
                mats = swap.getResult(0);
                Value swapped = arith::CmpIOp::create(
                    b2, l2, arith::CmpIPredicate::ne, p, k);
                Value pivot = tensor::ExtractOp::create(b2, l2, mats,
                                                        ValueRange{bi, k, k});
                Value newDet = s2.mul(det, pivot);
                newDet = s2.select(swapped, s2.neg(newDet), newDet);
                // Eliminate below the pivot (skipped for a zero pivot: the
                // determinant is already 0).
                Value nonZero = s2.compare("ne", pivot, s2.constant(0));
                auto rows = scf::ForOp::create(
                    b2, l2, kp1, mI, oneI, ValueRange{mats},
                    [&](OpBuilder &b3, Location l3, Value i, ValueRange it3) {
                      ScalarArith s3(b3, l3, nnElementType);
                      Value aik = tensor::ExtractOp::create(
                          b3, l3, it3[0], ValueRange{bi, i, k});
                      Value f = s3.select(nonZero, s3.div(aik, pivot),
                                          s3.constant(0));
                      auto colsLoop = scf::ForOp::create(
                          b3, l3, kp1, mI, oneI, ValueRange{it3[0]},
                          [&](OpBuilder &b4, Location l4, Value j,
                              ValueRange it4) {
                            ScalarArith s4(b4, l4, nnElementType);
                            Value aij = tensor::ExtractOp::create(
                                b4, l4, it4[0], ValueRange{bi, i, j});
                            Value akj = tensor::ExtractOp::create(
                                b4, l4, it4[0], ValueRange{bi, k, j});
                            Value v = s4.sub(aij, s4.mul(f, akj));
                            scf::YieldOp::create(
                                b4, l4,
                                tensor::InsertOp::create(b4, l4, v, it4[0],
                                                         ValueRange{bi, i, j})
                                    .getResult());
                          });
                      scf::YieldOp::create(b3, l3, colsLoop.getResult(0));
                    });
                scf::YieldOp::create(b2, l2,
                                     ValueRange{rows.getResult(0), newDet});
              });
          (void)zero;
          Value newDets = tensor::InsertOp::create(b, l, cols.getResult(1),
                                                   iter[1], ValueRange{bi});
          scf::YieldOp::create(b, l, ValueRange{cols.getResult(0), newDets});
        });
    rewriter.replaceOp(
        op, buildReshape(rewriter, loc, outer.getResult(1), resultType));
    return success();
  }
};

} // namespace

void populateLinearAlgebraLowering(TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<GemmLowering, MatMulLowering, EinsumLowering, DetLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
