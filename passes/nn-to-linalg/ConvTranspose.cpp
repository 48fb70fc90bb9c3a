//===- ConvTranspose.cpp - Lowering of nn.conv_transpose ------------------===//
//
// A transposed convolution scatters every input value, times the kernel,
// into the output at stride steps; linalg cannot scatter, so it is computed
// in gather form, split by phase (polyphase), which does no work on zeros.
//
// Along one spatial axis with stride s, the dilated kernel of extent
// Kd = (K - 1) * d + 1 is zero-padded to T * s taps (T = ceil(Kd / s)).
// The full (unpadded) result at j = q * s + r (phase r in [0, s)) is
//
//   full[q * s + r] = sum over u < T of x[q - T + 1 + u] * Wd[(T - 1 - u) * s + r]
//
// an ordinary stride-1 convolution of x with the phase's T taps. The
// output o is full[o + pads_begin]; q runs over just the range the output
// needs, [qlo, qhi), and x is padded (or cropped) so that its element
// qlo - T + 1 comes first (P = Q + T - 1 elements, q relative to qlo). One
// linalg.generic computes every phase:
//
//   loops (n, g, m, r..., c, u..., q...)
//   input  [N, G, C/G, P...]            at (n, g, c, q + u)
//   filter [G, C/G, M/G, T0, s0, ...]   at (g, c, m, u0, r0, u1, r1, ...)
//   output [N, G, M/G, Q0, s0, ...]     at (n, g, m, q0, r0, q1, r1, ...)
//
// with the filter's taps reversed (a small gather over the weights),
// accumulating into the bias; the output is then viewed as
// [N, M, Q0 * s0, ...] and the window of the result sliced out. With the
// positions innermost the inner loop reads the input contiguously with the
// filter value invariant, as in the convolution lowering.
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

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

Value extractSlice(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                   ArrayRef<int64_t> strides = {}) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == sizes &&
      llvm::all_of(offsets, [](int64_t o) { return o == 0; }))
    return value;
  SmallVector<OpFoldResult> offsetAttrs, sizeAttrs, strideAttrs;
  for (size_t i = 0; i < sizes.size(); ++i) {
    offsetAttrs.push_back(b.getIndexAttr(offsets[i]));
    sizeAttrs.push_back(b.getIndexAttr(sizes[i]));
    strideAttrs.push_back(b.getIndexAttr(strides.empty() ? 1 : strides[i]));
  }
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(sizes, type.getElementType()), value,
      offsetAttrs, sizeAttrs, strideAttrs);
}

struct ConvTransposeLowering : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
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
    int64_t batch = inputType.getDimSize(0);
    int64_t channels = inputType.getDimSize(1);
    int64_t channelsPerGroup = channels / group;
    int64_t filtersPerGroup = filterType.getDimSize(1);
    auto strides = op.getStrides(), pads = op.getPads(),
         dilations = op.getDilations();
    ArrayRef<int64_t> out = resultType.getShape().drop_front(2);
    Value zero = s.constant(0);

    // Per axis: taps per phase T, the q range [qlo, qlo + Q) and the padding
    // (negative: cropping) of the input that puts x[qlo - T + 1] at 0.
    SmallVector<int64_t> taps, qlo, qcount, low, high, dilated;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t kd = (filterType.getDimSize(i + 2) - 1) * dilations[i] + 1;
      dilated.push_back(kd);
      taps.push_back(ceilDiv(kd, strides[i]));
      qlo.push_back(floorDiv(pads[i], strides[i]));
      qcount.push_back(ceilDiv(pads[i] + out[i], strides[i]) - qlo.back());
      low.push_back(taps.back() - 1 - qlo.back());
      high.push_back(qcount.back() + taps.back() - 1 -
                     inputType.getDimSize(i + 2) - low.back());
    }

    // The input, cropped where the padding is negative, then padded.
    SmallVector<int64_t> cropOffsets(2, 0), cropSizes{batch, channels},
        padLow(2, 0), padHigh(2, 0);
    bool empty = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t size = inputType.getDimSize(i + 2) - std::max<int64_t>(0, -low[i]) -
                     std::max<int64_t>(0, -high[i]);
      empty |= size <= 0;
      cropOffsets.push_back(std::max<int64_t>(0, -low[i]));
      cropSizes.push_back(size);
      padLow.push_back(std::max<int64_t>(0, low[i]));
      padHigh.push_back(std::max<int64_t>(0, high[i]));
    }

    // The accumulator [N, G, M/G, Q0, s0, Q1, s1, ...] starts as the bias.
    SmallVector<int64_t> accShape{batch, group, filtersPerGroup};
    for (int64_t i = 0; i < spatial; ++i) {
      accShape.push_back(qcount[i]);
      accShape.push_back(strides[i]);
    }
    auto accType = RankedTensorType::get(accShape, elementType);
    Value acc;
    if (adaptor.getBias()) {
      Value bias = buildReshape(
          rewriter, loc, adaptor.getBias(),
          RankedTensorType::get({group, filtersPerGroup}, elementType));
      auto biasMap = AffineMap::get(
          accType.getRank(), 0,
          {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
      Value init = tensor::EmptyOp::create(rewriter, loc, accShape, elementType);
      acc = linalg::GenericOp::create(
                rewriter, loc, accType, bias, init,
                ArrayRef<AffineMap>{biasMap, rewriter.getMultiDimIdentityMap(
                                                 accType.getRank())},
                SmallVector<utils::IteratorType>(accType.getRank(),
                                                 utils::IteratorType::parallel),
                [](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(b, l, args[0]);
                })
                .getResult(0);
    } else {
      acc = buildFilled(rewriter, loc, accType, zero);
    }

    if (!empty) {
      Value input = extractSlice(rewriter, loc, adaptor.getInput(), cropOffsets,
                                 cropSizes);
      input = buildPadded(rewriter, loc, input, padLow, padHigh, zero);
      SmallVector<int64_t> inputShape{batch, group, channelsPerGroup};
      for (int64_t i = 0; i < spatial; ++i)
        inputShape.push_back(qcount[i] + taps[i] - 1);
      input = buildReshape(rewriter, loc, input,
                           RankedTensorType::get(inputShape, elementType));

      // The filter, dilated (zeros between the taps), padded to T * s taps.
      Value filter = adaptor.getFilter();
      if (llvm::any_of(dilations, [](int64_t d) { return d > 1; })) {
        SmallVector<int64_t> dilatedShape(filterType.getShape().take_front(2));
        llvm::append_range(dilatedShape, dilated);
        Value zeros = buildFilled(
            rewriter, loc, RankedTensorType::get(dilatedShape, elementType),
            zero);
        SmallVector<OpFoldResult> offsets(filterType.getRank(),
                                          rewriter.getIndexAttr(0)),
            sizes, steps(2, rewriter.getIndexAttr(1));
        for (int64_t d : filterType.getShape())
          sizes.push_back(rewriter.getIndexAttr(d));
        for (int64_t d : dilations)
          steps.push_back(rewriter.getIndexAttr(d));
        filter = tensor::InsertSliceOp::create(rewriter, loc, filter, zeros,
                                               offsets, sizes, steps);
      }
      SmallVector<int64_t> filterLow(filterType.getRank(), 0), filterHigh(2, 0);
      SmallVector<int64_t> filterShape{group, channelsPerGroup,
                                       filtersPerGroup};
      for (int64_t i = 0; i < spatial; ++i) {
        filterHigh.push_back(taps[i] * strides[i] - dilated[i]);
        filterShape.push_back(taps[i]);
        filterShape.push_back(strides[i]);
      }
      filter = buildPadded(rewriter, loc, filter, filterLow, filterHigh, zero);
      Value taps2 = buildReshape(rewriter, loc, filter,
                                 RankedTensorType::get(filterShape, elementType));
      // Taps reversed: flipped[.., u, r, ..] = taps2[.., T - 1 - u, r, ..].
      // (Read with tensor.extract: an indexing map with a negative
      // coefficient would not survive tiling.)
      auto flippedType = RankedTensorType::get(filterShape, elementType);
      int64_t filterRank = flippedType.getRank();
      filter =
          linalg::GenericOp::create(
              rewriter, loc, flippedType, ValueRange{},
              ValueRange{tensor::EmptyOp::create(rewriter, loc, filterShape,
                                                 elementType)},
              ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(filterRank)},
              SmallVector<utils::IteratorType>(filterRank,
                                               utils::IteratorType::parallel),
              [&](OpBuilder &b, Location l, ValueRange) {
                SmallVector<Value> coords;
                for (int64_t d = 0; d < filterRank; ++d) {
                  Value index = linalg::IndexOp::create(b, l, d);
                  if (d >= 3 && (d - 3) % 2 == 0)
                    index = arith::SubIOp::create(
                        b, l,
                        arith::ConstantIndexOp::create(b, l,
                                                       taps[(d - 3) / 2] - 1),
                        index);
                  coords.push_back(index);
                }
                linalg::YieldOp::create(
                    b, l, tensor::ExtractOp::create(b, l, taps2, coords)
                              .getResult());
              })
              .getResult(0);

      // Loops: n, g, m, r..., c, u..., q...
      int64_t numLoops = 4 + 3 * spatial;
      auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      auto phase = [&](int64_t i) { return dim(3 + i); };
      AffineExpr c = dim(3 + spatial);
      auto tap = [&](int64_t i) { return dim(4 + spatial + i); };
      auto position = [&](int64_t i) { return dim(4 + 2 * spatial + i); };
      SmallVector<AffineExpr> inputExprs{dim(0), dim(1), c},
          filterExprs{dim(1), c, dim(2)}, outExprs{dim(0), dim(1), dim(2)};
      for (int64_t i = 0; i < spatial; ++i) {
        inputExprs.push_back(position(i) + tap(i));
        filterExprs.push_back(tap(i));
        filterExprs.push_back(phase(i));
        outExprs.push_back(position(i));
        outExprs.push_back(phase(i));
      }
      SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                  AffineMap::get(numLoops, 0, filterExprs, ctx),
                                  AffineMap::get(numLoops, 0, outExprs, ctx)};
      SmallVector<utils::IteratorType> iterators(3 + spatial,
                                                 utils::IteratorType::parallel);
      iterators.append(1 + spatial, utils::IteratorType::reduction);
      iterators.append(spatial, utils::IteratorType::parallel);
      acc = linalg::GenericOp::create(
                rewriter, loc, accType, ValueRange{input, filter}, acc, maps,
                iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  ScalarArith ns(b, l, nnElementType);
                  linalg::YieldOp::create(b, l,
                                          ns.mulAdd(args[2], args[0], args[1]));
                })
                .getResult(0);
    }

    // [N, G, M/G, Q0 * s0, ...], then the output's window of it.
    SmallVector<int64_t> fullShape{batch, group * filtersPerGroup},
        offsets(2, 0), sizes{batch, group * filtersPerGroup};
    for (int64_t i = 0; i < spatial; ++i) {
      fullShape.push_back(qcount[i] * strides[i]);
      offsets.push_back(pads[i] - qlo[i] * strides[i]);
      sizes.push_back(out[i]);
    }
    Value full = buildReshape(rewriter, loc, acc,
                              RankedTensorType::get(fullShape, elementType));
    rewriter.replaceOp(op, extractSlice(rewriter, loc, full, offsets, sizes));
    return success();
  }
};

} // namespace

void populateConvTransposeLowering(TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<ConvTransposeLowering>(converter, patterns.getContext());
}

} // namespace kiln
