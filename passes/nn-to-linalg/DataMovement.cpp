//===- DataMovement.cpp - Lowering of reshape, transpose, slices, pads ----===//
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

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildReshape(rewriter, op.getLoc(), adaptor.getInput(),
                         convertedType(*getTypeConverter(), op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         resultType.getShape(),
                                         resultType.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(
                               rewriter, op.getLoc(), adaptor.getInput(), init,
                               op.getPerm())
                               .getResult());
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value result = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                           resultType.getElementType());
    int64_t axis = op.getAxis(), offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto type = cast<RankedTensorType>(input.getType());
      if (type.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0)),
          sizes, strides(type.getRank(), rewriter.getIndexAttr(1));
      for (int64_t d : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[axis] = rewriter.getIndexAttr(offset);
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    // A strided extract_slice over the elements taken (a view after
    // bufferization); axes with negative steps are then reversed.
    SmallVector<OpFoldResult> offsets, sizes, strides;
    bool reversed = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t start = op.getStarts()[d], size = op.getSizes()[d],
              step = op.getSteps()[d];
      // An empty slice reads nothing: offset 0 keeps it in bounds.
      int64_t first = size == 0 ? 0 : step > 0 ? start : start + step * (size - 1);
      reversed |= step < 0 && size > 1;
      offsets.push_back(rewriter.getIndexAttr(first));
      sizes.push_back(rewriter.getIndexAttr(size));
      strides.push_back(rewriter.getIndexAttr(std::abs(step)));
    }
    Value slice = tensor::ExtractSliceOp::create(rewriter, loc, resultType,
                                                 adaptor.getInput(), offsets,
                                                 sizes, strides);
    if (reversed) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < rank; ++d) {
        AffineExpr e = getAffineDimExpr(d, ctx);
        exprs.push_back(op.getSteps()[d] < 0 ? (resultType.getDimSize(d) - 1) - e
                                             : e);
      }
      Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                           resultType.getElementType());
      SmallVector<utils::IteratorType> iterators(rank,
                                                 utils::IteratorType::parallel);
      slice = linalg::GenericOp::create(
                  rewriter, loc, resultType, slice, init,
                  ArrayRef<AffineMap>{AffineMap::get(rank, 0, exprs, ctx),
                                      rewriter.getMultiDimIdentityMap(rank)},
                  iterators,
                  [](OpBuilder &b, Location l, ValueRange args) {
                    linalg::YieldOp::create(b, l, args[0]);
                  })
                  .getResult(0);
    }
    rewriter.replaceOp(op, slice);
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    auto pads = op.getPads();
    PadMode mode = op.getMode();
    ScalarArith s(rewriter, loc, nnElementType);
    double padValue = op.getValue().convertToDouble();
    bool anyNegative = llvm::any_of(pads, [](int64_t p) { return p < 0; });
    if (mode == PadMode::Constant && !anyNegative) {
      rewriter.replaceOp(op, buildPadded(rewriter, loc, adaptor.getInput(),
                                         pads.take_front(rank),
                                         pads.drop_front(rank),
                                         s.constant(padValue)));
      return success();
    }
    // General case: every output element computes its source index.
    auto inputShape = op.getInput().getType().getShape();
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{}, init,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          auto cst = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          Value inBounds = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t extent = inputShape[d];
            Value i = arith::SubIOp::create(
                b, l, linalg::IndexOp::create(b, l, d), cst(pads[d]));
            Value low = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i,
                                              cst(0));
            Value high = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                               i, cst(extent));
            Value clamped = arith::MinSIOp::create(
                b, l, arith::MaxSIOp::create(b, l, i, cst(0)), cst(extent - 1));
            switch (mode) {
            case PadMode::Reflect: {
              // -i before the start, 2(n-1) - i past the end.
              Value before = arith::SubIOp::create(b, l, cst(0), i);
              Value after = arith::SubIOp::create(b, l, cst(2 * (extent - 1)), i);
              Value r = arith::SelectOp::create(b, l, low, before, i);
              r = arith::SelectOp::create(b, l, high, after, r);
              indices.push_back(r);
              break;
            }
            case PadMode::Edge:
              indices.push_back(clamped);
              break;
            case PadMode::Constant: {
              indices.push_back(clamped);
              Value outside = arith::OrIOp::create(b, l, low, high);
              inBounds = arith::AndIOp::create(
                  b, l, inBounds,
                  arith::XOrIOp::create(
                      b, l, outside,
                      arith::ConstantOp::create(b, l, b.getBoolAttr(true))));
              break;
            }
            }
          }
          Value v = tensor::ExtractOp::create(b, l, input, indices);
          if (mode == PadMode::Constant)
            v = arith::SelectOp::create(
                b, l, inBounds, v, ScalarArith(b, l, nnElementType).constant(padValue));
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    int64_t extent = op.getInput().getType().getDimSize(axis);
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    auto identity = rewriter.getMultiDimIdentityMap(rank);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getIndices(), init,
        ArrayRef<AffineMap>{identity, identity},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(
                d == axis ? normalizedIndex(b, l, args[0], unsignedIndices, extent)
                          : (Value)linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    int64_t indicesRank = indicesType.getRank();
    int64_t extent = op.getInput().getType().getDimSize(axis);
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indicesRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, ctx));
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getIndices(), init,
        ArrayRef<AffineMap>{AffineMap::get(rank, 0, indexExprs, ctx),
                            rewriter.getMultiDimIdentityMap(rank)},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value index =
              normalizedIndex(b, l, args[0], unsignedIndices, extent);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          coords.push_back(index);
          for (int64_t d = axis + indicesRank; d < rank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(b, l,
                                  tensor::ExtractOp::create(b, l, input, coords)
                                      .getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateDataMovementLowering(TypeConverter &converter,
                                  RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering,
               SliceLowering, PadLowering, GatherLowering,
               GatherElementsLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
