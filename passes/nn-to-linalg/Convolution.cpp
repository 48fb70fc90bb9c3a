//===- Convolution.cpp - Lowering of nn.conv ------------------------------===//
//
// A 1-D, 2-D or 3-D convolution with one group becomes the named op
// (linalg.conv_1d_ncw_fcw, conv_2d_nchw_fchw, conv_3d_ncdhw_fcdhw) on the
// zero-padded input, accumulating into the bias: the ops that targets
// recognise and give their own algorithms. Depthwise ones (one input and
// one output channel per group) become the named depthwise op
// (linalg.depthwise_conv_1d_ncw_cw, _2d_nchw_chw, _3d_ncdhw_cdhw) with the
// filter [C, 1, K...] viewed as [C, K...]. Other grouped convolutions
// compute on the input viewed as [N, G, C/G, I...], the filter as
// [G, F/G, C/G, K...] and the result as [N, G, F/G, O...]: in 2-D the named
// linalg.conv_2d_ngchw_gfchw, otherwise a linalg.generic with the same
// indexing (linalg has no named grouped 1-D or 3-D convolution).
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

using IteratorTypes = SmallVector<utils::IteratorType>;

/// Creates the 1-D, 2-D or 3-D one of three named convolutions with
/// strides and dilations.
template <typename Op1D, typename Op2D, typename Op3D>
Value buildNamedConv(OpBuilder &b, Location loc, int64_t spatial,
                     RankedTensorType type, ValueRange ins, Value init,
                     ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  SmallVector<Type> types{type};
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  if (spatial == 1)
    return Op1D::create(b, loc, types, ins, init, stridesAttr, dilationsAttr)
        .getResult(0);
  if (spatial == 2)
    return Op2D::create(b, loc, types, ins, init, stridesAttr, dilationsAttr)
        .getResult(0);
  return Op3D::create(b, loc, types, ins, init, stridesAttr, dilationsAttr)
      .getResult(0);
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto finalType = convertedType(*getTypeConverter(), op.getType());
    Value inputValue = adaptor.getInput(), filterValue = adaptor.getFilter(),
          biasValue = adaptor.getBias();
    // float16 accumulates in f32 and rounds once (as NumPy's float16
    // products do): the operands are widened first.
    Type origNNType = nnElementType;
    bool widened = nnElementType.isF16();
    if (widened) {
      nnElementType = rewriter.getF32Type();
      auto widen = [&](Value v) -> Value {
        if (!v)
          return v;
        return buildElementwise(
            rewriter, loc,
            cast<RankedTensorType>(v.getType()).clone(nnElementType), v,
            [&](OpBuilder &b, Location l, ValueRange args) {
              return ScalarArith(b, l, nnElementType)
                  .castFrom(args[0], origNNType);
            });
      };
      inputValue = widen(inputValue);
      filterValue = widen(filterValue);
      biasValue = widen(biasValue);
    }
    ScalarArith s(rewriter, loc, nnElementType);
    auto resultType = finalType.clone(computeTypeOf(nnElementType));
    auto inputType = cast<RankedTensorType>(inputValue.getType());
    auto filterType = cast<RankedTensorType>(filterValue.getType());
    Type elementType = resultType.getElementType();
    int64_t spatial = inputType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t channelsPerGroup = inputType.getDimSize(1) / group;
    int64_t filtersPerGroup = filterType.getDimSize(0) / group;
    auto pads = op.getPads();
    ArrayRef<int64_t> kernel = filterType.getShape().drop_front(2);
    auto dilations = op.getDilations();

    SmallVector<int64_t> low(2, 0), high(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      low.push_back(pads[i]);
      high.push_back(pads[i + spatial]);
    }

    bool named = spatial >= 1 && spatial <= 3 && group == 1;
    bool depthwise = spatial >= 1 && spatial <= 3 && group > 1 &&
                     channelsPerGroup == 1 && filtersPerGroup == 1;
    Value input =
        buildPadded(rewriter, loc, inputValue, low, high, s.constant(0));
    Value bias =
        buildBiasInit(rewriter, loc, biasValue, resultType, s.constant(0));
    auto strides = op.getStrides();
    Value conv;
    if (named) {
      conv = buildNamedConv<linalg::Conv1DNcwFcwOp, linalg::Conv2DNchwFchwOp,
                            linalg::Conv3DNcdhwFcdhwOp>(
          rewriter, loc, spatial, resultType, {input, filterValue}, bias,
          strides, dilations);
    } else if (depthwise) {
      SmallVector<int64_t> filterShape{filterType.getDimSize(0)};
      llvm::append_range(filterShape, kernel);
      Value filter =
          buildReshape(rewriter, loc, filterValue,
                       RankedTensorType::get(filterShape, elementType));
      conv = buildNamedConv<linalg::DepthwiseConv1DNcwCwOp,
                            linalg::DepthwiseConv2DNchwChwOp,
                            linalg::DepthwiseConv3DNcdhwCdhwOp>(
          rewriter, loc, spatial, resultType, {input, filter}, bias, strides,
          dilations);
    } else {
      conv = buildReshape(rewriter, loc,
                          buildGroupedConv(rewriter, loc, input, filterValue,
                                           bias, group, strides, dilations,
                                           nnElementType),
                          resultType);
    }
    rewriter.replaceOp(op, widened ? narrowed(rewriter, loc, conv) : conv);
    return success();
  }

private:
  /// The grouped convolution on the input viewed as [N, G, C/G, I...], the
  /// filter as [G, F/G, C/G, K...] and the accumulator as [N, G, F/G, O...]
  /// (the result, in that view): linalg.conv_2d_ngchw_gfchw in 2-D, a
  /// linalg.generic with the same indexing otherwise (its multiply-add that
  /// of `nnElementType`).
  Value buildGroupedConv(OpBuilder &b, Location loc, Value input, Value filter,
                         Value init, int64_t group, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations,
                         Type nnElementType) const {
    MLIRContext *ctx = b.getContext();
    auto grouped = [&](Value v, int64_t dim) {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[dim] /= group;
      shape.insert(shape.begin() + dim, group);
      return buildReshape(b, loc, v, type.clone(shape));
    };
    input = grouped(input, 1);
    filter = grouped(filter, 0);
    init = grouped(init, 1);
    auto type = cast<RankedTensorType>(init.getType());
    int64_t spatial = type.getRank() - 3;
    if (spatial == 2)
      return linalg::Conv2DNgchwGfchwOp::create(
                 b, loc, TypeRange{type}, ValueRange{input, filter}, init,
                 b.getI64TensorAttr(strides), b.getI64TensorAttr(dilations))
          .getResult(0);
    // Loops: n, g, f, c, k..., o... (the output positions innermost, so
    // that the loops' inner one reads and writes contiguously).
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    int64_t numLoops = 4 + 2 * spatial;
    SmallVector<AffineExpr> inputExprs{dim(0), dim(1), dim(3)},
        filterExprs{dim(1), dim(2), dim(3)}, outExprs{dim(0), dim(1), dim(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr k = dim(4 + i), o = dim(4 + spatial + i);
      filterExprs.push_back(k);
      inputExprs.push_back(o * strides[i] + k * dilations[i]);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                AffineMap::get(numLoops, 0, filterExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)};
    IteratorTypes iterators(3, utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    iterators.append(spatial, utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, type, ValueRange{input, filter}, init, maps, iterators,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, l,
                     ScalarArith(nb, l, nnElementType)
                         .mulAdd(args[2], args[0], args[1]));
               })
        .getResult(0);
  }

  /// A convolution computed in f32 for an f16 one, rounded once.
  Value narrowed(OpBuilder &b, Location loc, Value result) const {
    auto type = cast<RankedTensorType>(result.getType());
    Type f16 = b.getF16Type();
    return buildElementwise(b, loc, type.clone(f16), result,
                            [&](OpBuilder &nb, Location l, ValueRange args) {
                              return ScalarArith(nb, l, f16)
                                  .castFrom(args[0], type.getElementType());
                            });
  }
};

} // namespace

void populateConvolutionLowering(TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<ConvLowering>(converter, patterns.getContext());
}

} // namespace kiln
