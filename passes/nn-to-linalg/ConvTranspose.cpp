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
// an ordinary stride-1 convolution of x with the phase's T taps, reversed.
// The output o is full[o + pads_begin]; q runs over just the range the
// output needs, [qlo, qhi), and x is padded (or cropped) so that its element
// qlo - T + 1 comes first (P = Q + T - 1 elements, q relative to qlo). One
// linalg.generic computes every phase:
//
//   loops (n, g, m, r..., c, u..., q...)
//   input  [N, G, C/G, P...]                 at (n, g, c, q + u)
//   filter [G, C/G, M/G, s..., T...]         at (g, c, m, r..., u...)
//   output [N, G, M/G, s..., Q...]           at (n, g, m, r..., q...)
//
// accumulating into the bias. With the positions innermost, as in the
// convolution lowering, the inner loop reads the input and writes the
// output contiguously with the filter value invariant. When the phases
// outnumber the positions (large strides), the loops are
// (n, g, m, c, u..., q..., r...) instead and the phases come last in the
// filter and the output, so that the inner loop stays long. The filter is
// rearranged by phase and reversed tap at compile time when it is a
// constant (else by a small gather over the weights). A transpose then
// interleaves the phases ([N, G, M/G, Q0, s0, Q1, s1, ...], viewed as
// [N, M, Q0 * s0, ...]) and the output's window is sliced out.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

Value extractSlice(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == sizes &&
      llvm::all_of(offsets, [](int64_t o) { return o == 0; }))
    return value;
  SmallVector<OpFoldResult> offsetAttrs, sizeAttrs, strideAttrs;
  for (size_t i = 0; i < sizes.size(); ++i) {
    offsetAttrs.push_back(b.getIndexAttr(offsets[i]));
    sizeAttrs.push_back(b.getIndexAttr(sizes[i]));
    strideAttrs.push_back(b.getIndexAttr(1));
  }
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(sizes, type.getElementType()), value,
      offsetAttrs, sizeAttrs, strideAttrs);
}

/// The rearranged filter: [G, C/G, M/G] then the phases and the reversed
/// taps, [s..., T...] (phaseFirst) or [T..., s...].
struct FilterLayout {
  ArrayRef<int64_t> shape; // of the filter, [C, M/G, K...]
  ArrayRef<int64_t> dilations, strides, taps;
  int64_t channelsPerGroup;
  bool phaseFirst;
  /// Dimensions of the phase and of the reversed tap of spatial axis i.
  int64_t phaseDim(int64_t i) const {
    return 3 + i + (phaseFirst ? 0 : shape.size() - 2);
  }
  int64_t tapDim(int64_t i) const {
    return 3 + i + (phaseFirst ? shape.size() - 2 : 0);
  }
};

/// The filter rearranged at compile time when it is a constant: element
/// (g, c, m, r..., u...) of `type` (in layout order) is W[g * C/G + c, m, k...] where
/// k * d = (T - 1 - u) * s + r, or zero where no k fits.
Value foldFilter(OpBuilder &b, Location loc, Value filter,
                 RankedTensorType type, const FilterLayout &layout) {
  DenseElementsAttr weights;
  if (!matchPattern(filter, m_Constant(&weights)) || weights.isSplat() ||
      !isa<FloatType>(weights.getElementType()))
    return {};
  int64_t spatial = layout.shape.size() - 2;
  ArrayRef<char> raw = weights.getRawData();
  size_t width = raw.size() / weights.getNumElements();
  std::vector<char> bytes(type.getNumElements() * width, 0);
  SmallVector<int64_t> sourceStrides(layout.shape.size(), 1);
  for (int64_t i = layout.shape.size() - 2; i >= 0; --i)
    sourceStrides[i] = sourceStrides[i + 1] * layout.shape[i + 1];
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0, e = type.getNumElements(); linear < e; ++linear) {
    int64_t rest = linear;
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    int64_t source = (index[0] * layout.channelsPerGroup + index[1]) *
                         sourceStrides[0] +
                     index[2] * sourceStrides[1];
    bool valid = true;
    for (int64_t i = 0; i < spatial && valid; ++i) {
      int64_t r = index[layout.phaseDim(i)], u = index[layout.tapDim(i)];
      int64_t kd = (layout.taps[i] - 1 - u) * layout.strides[i] + r;
      valid = kd % layout.dilations[i] == 0 &&
              kd / layout.dilations[i] < layout.shape[i + 2];
      source += kd / layout.dilations[i] * sourceStrides[i + 2];
    }
    if (valid)
      std::memcpy(&bytes[linear * width], &raw[source * width], width);
  }
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::getFromRawBuffer(type, bytes));
}

/// The same rearrangement at run time, a gather over the weights. (With
/// tensor.extract: reading the taps reversed through an indexing map would
/// need a negative coefficient, which tiling does not support.)
Value buildFilter(OpBuilder &b, Location loc, Value filter,
                  RankedTensorType type, const FilterLayout &layout,
                  Value zero) {
  int64_t spatial = layout.shape.size() - 2;
  int64_t rank = type.getRank();
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{},
             ValueRange{tensor::EmptyOp::create(b, loc, type.getShape(),
                                                type.getElementType())},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange) {
               auto cst = [&](int64_t v) -> Value {
                 return arith::ConstantIndexOp::create(nb, l, v);
               };
               auto idx = [&](int64_t d) -> Value {
                 return linalg::IndexOp::create(nb, l, d);
               };
               Value channel = arith::AddIOp::create(
                   nb, l,
                   arith::MulIOp::create(nb, l, idx(0),
                                         cst(layout.channelsPerGroup)),
                   idx(1));
               SmallVector<Value> coords{channel, idx(2)};
               Value valid;
               for (int64_t i = 0; i < spatial; ++i) {
                 // kd = (T - 1 - u) * s + r; k = kd / d if d divides kd.
                 Value reversed =
                     arith::SubIOp::create(nb, l, cst(layout.taps[i] - 1),
                                           idx(layout.tapDim(i)));
                 Value kd = arith::AddIOp::create(
                     nb, l,
                     arith::MulIOp::create(nb, l, reversed,
                                           cst(layout.strides[i])),
                     idx(layout.phaseDim(i)));
                 Value k = arith::DivUIOp::create(nb, l, kd,
                                                  cst(layout.dilations[i]));
                 Value ok = arith::AndIOp::create(
                     nb, l,
                     arith::CmpIOp::create(
                         nb, l, arith::CmpIPredicate::eq,
                         arith::RemUIOp::create(nb, l, kd,
                                                cst(layout.dilations[i])),
                         cst(0)),
                     arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, k,
                                           cst(layout.shape[i + 2])));
                 valid = valid ? arith::AndIOp::create(nb, l, valid, ok).getResult()
                               : ok;
                 coords.push_back(
                     arith::MinUIOp::create(nb, l, k,
                                            cst(layout.shape[i + 2] - 1)));
               }
               Value w = tensor::ExtractOp::create(nb, l, filter, coords);
               linalg::YieldOp::create(
                   nb, l,
                   arith::SelectOp::create(nb, l, valid, w, zero).getResult());
             })
      .getResult(0);
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
    SmallVector<int64_t> taps, qlo, qcount, low, high;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t kd = (filterType.getDimSize(i + 2) - 1) * dilations[i] + 1;
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

    // The loops run over the positions q innermost, contiguous in the input
    // and the output, or over the phases r when they are the longer (large
    // strides, small inputs: FCN's 32x upsampling), contiguous in the output
    // and the filter with the input value invariant. The accumulator and
    // the filter put the phases before the positions (taps) or after.
    bool phasesInner = strides.back() > qcount.back();
    SmallVector<int64_t> accShape{batch, group, filtersPerGroup};
    if (phasesInner) {
      llvm::append_range(accShape, qcount);
      llvm::append_range(accShape, strides);
    } else {
      llvm::append_range(accShape, strides);
      llvm::append_range(accShape, qcount);
    }
    auto accType = RankedTensorType::get(accShape, elementType);
    // It starts as the bias.
    Value acc =
        buildGroupedBiasInit(rewriter, loc, adaptor.getBias(), accType, zero);

    if (!empty) {
      Value input = extractSlice(rewriter, loc, adaptor.getInput(), cropOffsets,
                                 cropSizes);
      input = buildPadded(rewriter, loc, input, padLow, padHigh, zero);
      SmallVector<int64_t> inputShape{batch, group, channelsPerGroup};
      for (int64_t i = 0; i < spatial; ++i)
        inputShape.push_back(qcount[i] + taps[i] - 1);
      input = buildReshape(rewriter, loc, input,
                           RankedTensorType::get(inputShape, elementType));

      // The filter by phase and reversed tap: element (r, u) is the dilated
      // tap kd = (T - 1 - u) * s + r, zero between dilated taps and past
      // the kernel.
      SmallVector<int64_t> filterShape{group, channelsPerGroup,
                                       filtersPerGroup};
      if (phasesInner) {
        llvm::append_range(filterShape, taps);
        llvm::append_range(filterShape, strides);
      } else {
        llvm::append_range(filterShape, strides);
        llvm::append_range(filterShape, taps);
      }
      FilterLayout layout{filterType.getShape(), dilations,   strides,
                          taps,                  channelsPerGroup, !phasesInner};
      auto rearrangedType = RankedTensorType::get(filterShape, elementType);
      Value filter =
          foldFilter(rewriter, loc, adaptor.getFilter(), rearrangedType, layout);
      if (!filter)
        filter = buildFilter(rewriter, loc, adaptor.getFilter(), rearrangedType,
                             layout, zero);

      // Loops: n, g, m, r..., c, u..., q...  or  n, g, m, c, u..., q..., r...
      int64_t numLoops = 4 + 3 * spatial;
      auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      int64_t phaseLoop = phasesInner ? 4 + 2 * spatial : 3;
      int64_t channelLoop = phasesInner ? 3 : 3 + spatial;
      int64_t tapLoop = channelLoop + 1;
      int64_t positionLoop = tapLoop + spatial;
      auto phase = [&](int64_t i) { return dim(phaseLoop + i); };
      auto tap = [&](int64_t i) { return dim(tapLoop + i); };
      auto position = [&](int64_t i) { return dim(positionLoop + i); };
      AffineExpr c = dim(channelLoop);
      SmallVector<AffineExpr> inputExprs{dim(0), dim(1), c},
          filterExprs{dim(1), c, dim(2)}, outExprs{dim(0), dim(1), dim(2)};
      for (int64_t i = 0; i < spatial; ++i)
        inputExprs.push_back(position(i) + tap(i));
      for (int64_t first = 0; first < 2; ++first) {
        bool phases = (first == 0) != phasesInner;
        for (int64_t i = 0; i < spatial; ++i) {
          filterExprs.push_back(phases ? phase(i) : tap(i));
          outExprs.push_back(phases ? phase(i) : position(i));
        }
      }
      SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                  AffineMap::get(numLoops, 0, filterExprs, ctx),
                                  AffineMap::get(numLoops, 0, outExprs, ctx)};
      SmallVector<utils::IteratorType> iterators(numLoops,
                                                 utils::IteratorType::parallel);
      for (int64_t i = channelLoop; i < positionLoop; ++i)
        iterators[i] = utils::IteratorType::reduction;
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

    // Interleave the phases: [N, G, M/G, Q0, s0, Q1, s1, ...].
    SmallVector<int64_t> perm{0, 1, 2}, interleaved{batch, group,
                                                    filtersPerGroup};
    for (int64_t i = 0; i < spatial; ++i) {
      perm.push_back(phasesInner ? 3 + i : 3 + spatial + i);
      perm.push_back(phasesInner ? 3 + spatial + i : 3 + i);
      interleaved.push_back(qcount[i]);
      interleaved.push_back(strides[i]);
    }
    // (Unit strides, or one spatial axis with the phases inner: nothing
    // moves.)
    bool moves = false;
    for (int64_t d = 0, last = -1; d < static_cast<int64_t>(perm.size()); ++d) {
      if (accShape[perm[d]] == 1)
        continue;
      moves |= perm[d] < last;
      last = perm[d];
    }
    if (moves) {
      Value init = tensor::EmptyOp::create(rewriter, loc, interleaved,
                                           elementType);
      acc = linalg::TransposeOp::create(rewriter, loc, acc, init, perm)
                .getResult()
                .front();
    }

    // [N, M, Q0 * s0, ...], then the output's window of it.
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
