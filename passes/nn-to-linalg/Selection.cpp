//===- Selection.cpp - Lowering of nn.top_k -------------------------------===//
//
// nn.top_k ranks every element along the axis against the others, then
// picks, for each output slot j < k, the element of rank j; both steps are
// linalg.generics with a reduction over the axis (O(n^2) per slice, no
// data-dependent control flow, so they tile and thread like any other):
//
//   rank[.., i, ..] = #{ m : x[m] beats x[i] }      x[m] beats x[i] when it
//                                                   is more extreme, or
//                                                   equal at a lower index
//   (values, indices)[.., j, ..] = (x[i], i) for the i with rank[i] == j
//
// Ties thus keep the lower index first, as ONNX requires; the ranks are a
// permutation of 0..n-1, so every slot j < k receives exactly one element.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getInput().getType().getElementType();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto valuesType = convertedType(*getTypeConverter(), op.getValues().getType());
    auto indicesType =
        convertedType(*getTypeConverter(), op.getIndices().getType());
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();
    bool largest = op.getLargest();
    Type i64 = rewriter.getI64Type();

    // Loops (d0 .. d{rank-1}, m): d_axis is i, m the other element.
    SmallVector<AffineExpr> selfExprs, otherExprs;
    for (int64_t d = 0; d < rank; ++d) {
      selfExprs.push_back(getAffineDimExpr(d, ctx));
      otherExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    }
    auto selfMap = AffineMap::get(rank + 1, 0, selfExprs, ctx);
    auto otherMap = AffineMap::get(rank + 1, 0, otherExprs, ctx);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    auto rankType = RankedTensorType::get(inputType.getShape(), i64);
    Value zero64 =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0));
    Value ranks = buildFilled(rewriter, loc, rankType, zero64);
    ranks = linalg::GenericOp::create(
                rewriter, loc, rankType, ValueRange{input, input}, ranks,
                ArrayRef<AffineMap>{selfMap, otherMap, selfMap}, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarArith s(b, l, nnElementType);
                  Value i = linalg::IndexOp::create(b, l, axis);
                  Value m = linalg::IndexOp::create(b, l, rank);
                  Value more = s.compare(largest ? "gt" : "lt", args[1], args[0]);
                  Value equal = s.compare("eq", args[1], args[0]);
                  Value before = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::ult, m, i);
                  Value beats = arith::OrIOp::create(
                      b, l, more, arith::AndIOp::create(b, l, equal, before));
                  Value one = arith::ConstantOp::create(
                      b, l, b.getI64IntegerAttr(1));
                  Value inc = arith::SelectOp::create(b, l, beats, one,
                                                      arith::ConstantOp::create(
                                                          b, l,
                                                          b.getI64IntegerAttr(0)));
                  linalg::YieldOp::create(
                      b, l, arith::AddIOp::create(b, l, args[2], inc).getResult());
                })
                .getResult(0);

    // Loops (d0 .. d{rank-1}, i): d_axis is the slot j < k.
    Value values = buildFilled(rewriter, loc, valuesType,
                               ScalarArith(rewriter, loc, nnElementType).constant(0));
    Value indices = buildFilled(rewriter, loc, indicesType, zero64);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType},
        ValueRange{input, ranks}, ValueRange{values, indices},
        ArrayRef<AffineMap>{otherMap, otherMap, selfMap, selfMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value j = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, rank));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            args[1], j);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, hit, args[0], args[2]),
                         arith::SelectOp::create(b, l, hit, i, args[3])});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateSelectionLowering(TypeConverter &converter,
                               RewritePatternSet &patterns) {
  patterns.add<TopKLowering>(converter, patterns.getContext());
}

} // namespace kiln
