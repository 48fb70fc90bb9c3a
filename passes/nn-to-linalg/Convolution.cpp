//===- Convolution.cpp - Lowering of nn.conv ------------------------------===//
//
// A grouped N-D convolution becomes one linalg.generic over
// (n, g, f, out..., c, k...) on the input viewed as [N, G, C/G, spatial...]
// and the filter as [G, F/G, C/G, kernel...], accumulating into the bias.
// Later passes pick a faster algorithm per layer; this form is the reference.
//
//===----------------------------------------------------------------------===//
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

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getType().getElementType();
    ScalarArith s(rewriter, loc, nnElementType);
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto filterType = cast<RankedTensorType>(adaptor.getFilter().getType());
    Type elementType = resultType.getElementType();
    int64_t spatial = inputType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t channelsPerGroup = inputType.getDimSize(1) / group;
    int64_t filtersPerGroup = filterType.getDimSize(0) / group;
    auto pads = op.getPads();

    // Pad the spatial axes with zeros.
    SmallVector<int64_t> low(2, 0), high(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      low.push_back(pads[i]);
      high.push_back(pads[i + spatial]);
    }
    Value input =
        buildPadded(rewriter, loc, adaptor.getInput(), low, high, s.constant(0));
    auto paddedType = cast<RankedTensorType>(input.getType());

    // Split channels into groups.
    SmallVector<int64_t> groupedInputShape{paddedType.getDimSize(0), group,
                                           channelsPerGroup};
    llvm::append_range(groupedInputShape, paddedType.getShape().drop_front(2));
    SmallVector<ReassociationIndices> inputAssoc{{0}, {1, 2}};
    for (int64_t i = 0; i < spatial; ++i)
      inputAssoc.push_back({i + 3});
    input = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(groupedInputShape, elementType),
        input, inputAssoc);

    SmallVector<int64_t> groupedFilterShape{group, filtersPerGroup,
                                            channelsPerGroup};
    llvm::append_range(groupedFilterShape, filterType.getShape().drop_front(2));
    SmallVector<ReassociationIndices> filterAssoc{{0, 1}, {2}};
    for (int64_t i = 0; i < spatial; ++i)
      filterAssoc.push_back({i + 3});
    Value filter = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(groupedFilterShape, elementType),
        adaptor.getFilter(), filterAssoc);

    SmallVector<int64_t> groupedOutShape{resultType.getDimSize(0), group,
                                         filtersPerGroup};
    llvm::append_range(groupedOutShape, resultType.getShape().drop_front(2));
    auto groupedOutType = RankedTensorType::get(groupedOutShape, elementType);
    SmallVector<ReassociationIndices> outAssoc{{0}, {1, 2}};
    for (int64_t i = 0; i < spatial; ++i)
      outAssoc.push_back({i + 3});

    // The accumulator starts as the bias (or zero).
    Value acc;
    if (adaptor.getBias()) {
      Value bias = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({group, filtersPerGroup}, elementType),
          adaptor.getBias(), ArrayRef<ReassociationIndices>{{0, 1}});
      SmallVector<AffineExpr> biasExprs{getAffineDimExpr(1, ctx),
                                        getAffineDimExpr(2, ctx)};
      auto biasMap = AffineMap::get(groupedOutType.getRank(), 0, biasExprs, ctx);
      Value init = tensor::EmptyOp::create(rewriter, loc, groupedOutShape,
                                           elementType);
      SmallVector<utils::IteratorType> parallel(groupedOutType.getRank(),
                                                utils::IteratorType::parallel);
      acc = linalg::GenericOp::create(
                rewriter, loc, groupedOutType, bias, init,
                ArrayRef<AffineMap>{biasMap, rewriter.getMultiDimIdentityMap(
                                                 groupedOutType.getRank())},
                parallel,
                [](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(b, l, args[0]);
                })
                .getResult(0);
    } else {
      acc = buildFilled(rewriter, loc, groupedOutType, s.constant(0));
    }

    // Loops: n, g, f, c, k_0..k_{s-1}, o_0..o_{s-1}. With the output
    // positions innermost, loops over this generic read the input and write
    // the output contiguously with the filter value invariant: LLVM
    // vectorizes that inner loop, and one output plane stays in L1 while
    // the input channels stream past it.
    int64_t numLoops = 3 + 1 + 2 * spatial;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr n = dim(0), g = dim(1), f = dim(2), c = dim(3);
    SmallVector<AffineExpr> inputExprs{n, g, c}, filterExprs{g, f, c},
        outExprs{n, g, f};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr k = dim(4 + i), o = dim(4 + spatial + i);
      inputExprs.push_back(o * op.getStrides()[i] + k * op.getDilations()[i]);
      filterExprs.push_back(k);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                AffineMap::get(numLoops, 0, filterExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(3,
                                               utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    iterators.append(spatial, utils::IteratorType::parallel);
    Value conv =
        linalg::GenericOp::create(
            rewriter, loc, groupedOutType, ValueRange{input, filter}, acc, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              ScalarArith ns(b, l, nnElementType);
              linalg::YieldOp::create(b, l,
                                      ns.mulAdd(args[2], args[0], args[1]));
            })
            .getResult(0);
    rewriter.replaceOp(op, tensor::CollapseShapeOp::create(
                               rewriter, loc, resultType, conv, outAssoc));
    return success();
  }
};

} // namespace

void populateConvolutionLowering(TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<ConvLowering>(converter, patterns.getContext());
}

} // namespace kiln
