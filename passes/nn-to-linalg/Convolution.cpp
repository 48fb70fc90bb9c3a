//===- Convolution.cpp - Lowering of nn.conv ------------------------------===//
//
// A 1-D, 2-D or 3-D convolution with one group becomes the named op
// (linalg.conv_1d_ncw_fcw, conv_2d_nchw_fchw, conv_3d_ncdhw_fcdhw) on the
// zero-padded input, accumulating into the bias: the ops that targets
// recognise and give their own algorithms. Depthwise ones (one input and
// one output channel per group) become the named depthwise op
// (linalg.depthwise_conv_1d_ncw_cw, _2d_nchw_chw, _3d_ncdhw_cdhw) with the
// filter [C, 1, K...] viewed as [C, K...]. Other grouped convolutions become
// one linalg.generic over (n, g, f, out..., c, k...) on the input viewed as
// [N, G, C/G, spatial...] and the filter as [G, F/G, C/G, kernel...].
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

/// Stride-1 convolutions whose output rows are narrower than this compute
/// "wide" rows (see below): short inner loops do not vectorize well.
constexpr int64_t kWideBelowWidth = 28;

using IteratorTypes = SmallVector<utils::IteratorType>;

/// The grouped convolution as one linalg.generic. The loops are ordered
/// (n, g, f, c, k..., positions...): with the output positions innermost,
/// the inner loop reads the input and writes the output contiguously with
/// the filter value invariant, so LLVM vectorizes it, and one output plane
/// stays in L1 while the input channels stream past it.
///
/// Direct form: positions are the output's spatial indices o..., reading
/// input[o * stride + k * dilation].
///
/// Wide form (unit strides, narrow rows): the padded input's spatial axes
/// are flattened and the output is computed at every flat position q of
/// rows as wide as the padded input, reading input[q + offset(k)]. The
/// columns past the true output width are discarded by a final slice. One
/// long inner loop replaces many short ones, for the cost of
/// (padded width - output width) wasted columns.
struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
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
    int64_t batch = inputType.getDimSize(0);
    int64_t channelsPerGroup = inputType.getDimSize(1) / group;
    int64_t filtersPerGroup = filterType.getDimSize(0) / group;
    auto pads = op.getPads();
    ArrayRef<int64_t> kernel = filterType.getShape().drop_front(2);
    ArrayRef<int64_t> out = resultType.getShape().drop_front(2);
    auto dilations = op.getDilations();

    SmallVector<int64_t> low(2, 0), high(2, 0), padded;
    for (int64_t i = 0; i < spatial; ++i) {
      low.push_back(pads[i]);
      high.push_back(pads[i + spatial]);
      padded.push_back(inputType.getDimSize(i + 2) + pads[i] +
                       pads[i + spatial]);
    }

    bool named = spatial >= 1 && spatial <= 3 && group == 1;
    bool depthwise = spatial >= 1 && spatial <= 3 && group > 1 &&
                     channelsPerGroup == 1 && filtersPerGroup == 1;
    bool wide = !named && !depthwise && spatial >= 2 && out.back() < kWideBelowWidth &&
                llvm::all_of(op.getStrides(), [](int64_t v) { return v == 1; });
    // Wide form: the flat stride of each padded spatial axis, the flat
    // offset of each kernel position, and the width of a wide output row.
    SmallVector<int64_t> flatStrides(spatial, 1);
    for (int64_t i = spatial - 2; i >= 0; --i)
      flatStrides[i] = flatStrides[i + 1] * padded[i + 1];
    int64_t rowSize = spatial > 0 ? flatStrides[0] : 1;
    int64_t wideCount = out[0] * rowSize;
    if (wide) {
      // The last wide positions read past the padded input: add zero rows.
      int64_t lastRead = wideCount - 1;
      for (int64_t i = 0; i < spatial; ++i)
        lastRead += (kernel[i] - 1) * dilations[i] * flatStrides[i];
      int64_t available = padded[0] * rowSize;
      int64_t extraRows =
          std::max<int64_t>(0, lastRead + 1 - available + rowSize - 1) /
          rowSize;
      high[2] += extraRows;
      padded[0] += extraRows;
    }
    Value input =
        buildPadded(rewriter, loc, inputValue, low, high, s.constant(0));
    if (named) {
      SmallVector<Type> types{resultType};
      SmallVector<Value> ins{input, filterValue};
      SmallVector<Value> outs{
          buildBiasInit(rewriter, loc, biasValue, resultType, s.constant(0))};
      auto strides = rewriter.getI64TensorAttr(op.getStrides());
      auto dilationsAttr = rewriter.getI64TensorAttr(dilations);
      Value conv =
          spatial == 1
              ? linalg::Conv1DNcwFcwOp::create(rewriter, loc, types, ins, outs,
                                               strides, dilationsAttr)
                    .getResult(0)
          : spatial == 2
              ? linalg::Conv2DNchwFchwOp::create(rewriter, loc, types, ins,
                                                 outs, strides, dilationsAttr)
                    .getResult(0)
              : linalg::Conv3DNcdhwFcdhwOp::create(
                    rewriter, loc, types, ins, outs, strides, dilationsAttr)
                    .getResult(0);
      rewriter.replaceOp(op, widened ? narrowed(rewriter, loc, conv) : conv);
      return success();
    }
    if (depthwise) {
      SmallVector<int64_t> filterShape{filterType.getDimSize(0)};
      llvm::append_range(filterShape, kernel);
      SmallVector<Value> ins{
          input, buildReshape(rewriter, loc, filterValue,
                              RankedTensorType::get(filterShape, elementType))};
      SmallVector<Value> outs{
          buildBiasInit(rewriter, loc, biasValue, resultType, s.constant(0))};
      SmallVector<Type> types{resultType};
      auto strides = rewriter.getI64TensorAttr(op.getStrides());
      auto dilationsAttr = rewriter.getI64TensorAttr(dilations);
      Value conv =
          spatial == 1
              ? linalg::DepthwiseConv1DNcwCwOp::create(
                    rewriter, loc, types, ins, outs, strides, dilationsAttr)
                    .getResult(0)
          : spatial == 2
              ? linalg::DepthwiseConv2DNchwChwOp::create(
                    rewriter, loc, types, ins, outs, strides, dilationsAttr)
                    .getResult(0)
              : linalg::DepthwiseConv3DNcdhwCdhwOp::create(
                    rewriter, loc, types, ins, outs, strides, dilationsAttr)
                    .getResult(0);
      rewriter.replaceOp(op, widened ? narrowed(rewriter, loc, conv) : conv);
      return success();
    }

    // Views with the channels split into groups.
    SmallVector<int64_t> inputShape{batch, group, channelsPerGroup};
    if (wide)
      inputShape.push_back(numElements(padded));
    else
      llvm::append_range(inputShape, padded);
    input = buildReshape(rewriter, loc, input,
                         RankedTensorType::get(inputShape, elementType));
    SmallVector<int64_t> filterShape{group, filtersPerGroup, channelsPerGroup};
    llvm::append_range(filterShape, kernel);
    Value filter =
        buildReshape(rewriter, loc, filterValue,
                     RankedTensorType::get(filterShape, elementType));
    SmallVector<int64_t> accShape{batch, group, filtersPerGroup};
    if (wide)
      accShape.push_back(wideCount);
    else
      llvm::append_range(accShape, out);
    auto accType = RankedTensorType::get(accShape, elementType);

    Value acc =
        buildGroupedBiasInit(rewriter, loc, biasValue, accType, s.constant(0));

    // Loops: n, g, f, c, k..., then the positions.
    int64_t positions = wide ? 1 : spatial;
    int64_t numLoops = 4 + spatial + positions;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> inputExprs{dim(0), dim(1), dim(3)},
        filterExprs{dim(1), dim(2), dim(3)}, outExprs{dim(0), dim(1), dim(2)};
    AffineExpr flatOffset = getAffineConstantExpr(0, ctx);
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr k = dim(4 + i);
      filterExprs.push_back(k);
      if (wide) {
        flatOffset = flatOffset + k * (dilations[i] * flatStrides[i]);
        continue;
      }
      AffineExpr o = dim(4 + spatial + i);
      inputExprs.push_back(o * op.getStrides()[i] + k * dilations[i]);
      outExprs.push_back(o);
    }
    if (wide) {
      AffineExpr q = dim(4 + spatial);
      inputExprs.push_back(q + flatOffset);
      outExprs.push_back(q);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                AffineMap::get(numLoops, 0, filterExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)};
    IteratorTypes iterators(3, utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    iterators.append(positions, utils::IteratorType::parallel);
    Value conv = linalg::GenericOp::create(
                     rewriter, loc, accType, ValueRange{input, filter}, acc,
                     maps, iterators,
                     [&](OpBuilder &b, Location l, ValueRange args) {
                       ScalarArith ns(b, l, nnElementType);
                       linalg::YieldOp::create(
                           b, l, ns.mulAdd(args[2], args[0], args[1]));
                     })
                     .getResult(0);

    if (wide) {
      // Keep the true output columns of the wide rows.
      SmallVector<int64_t> wideShape{batch, group, filtersPerGroup, out[0]};
      llvm::append_range(wideShape, ArrayRef<int64_t>(padded).drop_front());
      conv = buildReshape(rewriter, loc, conv,
                          RankedTensorType::get(wideShape, elementType));
      SmallVector<int64_t> keptShape{batch, group, filtersPerGroup};
      llvm::append_range(keptShape, out);
      SmallVector<OpFoldResult> offsets(keptShape.size(),
                                        rewriter.getIndexAttr(0)),
          sizes, strides(keptShape.size(), rewriter.getIndexAttr(1));
      for (int64_t d : keptShape)
        sizes.push_back(rewriter.getIndexAttr(d));
      conv = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(keptShape, elementType), conv,
          offsets, sizes, strides);
    }
    Value result = buildReshape(rewriter, loc, conv, resultType);
    rewriter.replaceOp(op, widened ? narrowed(rewriter, loc, result) : result);
    return success();
  }

private:
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
