//===- ConvTransposeToConv.cpp - Transposed convolutions as convolutions --===//
//
// A transposed convolution with stride s is, phase by phase, a stride-1
// convolution (the polyphase form of nn-to-linalg/ConvTranspose.cpp): along
// an axis, with the dilated kernel zero-padded to T * s taps (T =
// ceil(Kd / s)), the full result at j = q * s + r is
//
//   full[q * s + r] = sum over u < T of x[q - T + 1 + u] * Wd[(T - 1 - u) * s + r].
//
// Stacking the s^k phases as output channels makes that one nn.conv of x
// (padded so that element qlo - T + 1 comes first) with a filter
// [M * s^k, C / G, T...] rearranged at compile time; a reshape, a transpose
// interleaving the phases and a slice to the output window follow. The
// convolution then takes every path convolutions have (the CPU's
// convolution kernel, threads), where the direct form's inner loop was only
// as long as one phase's row (the DCGAN generator: 8 to 16).
//
// Applies when the filter is a float constant and the input needs padding,
// not cropping, on every side.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_CONVTRANSPOSETOCONV
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

struct ConvTransposeAsConv : OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    DenseElementsAttr filter;
    if (!matchPattern(op.getFilter(), m_Constant(&filter)) ||
        !isa<FloatType>(filter.getElementType()))
      return rewriter.notifyMatchFailure(op, "filter is not a float constant");
    int64_t rank = inputType.getRank(), axes = rank - 2;
    if (axes < 1)
      return rewriter.notifyMatchFailure(op, "no spatial axes");
    ArrayRef<int64_t> w = filter.getType().getShape(); // [C, M/G, K...]
    int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
    int64_t groups = op.getGroup(), m = resultType.getDimSize(1);
    int64_t cg = c / groups, mg = m / groups;

    // Per axis: taps T, first phase row qlo, rows Q, input padding.
    SmallVector<int64_t> taps, qlo, rows, padBegin, padEnd, sliceStart;
    int64_t phases = 1;
    for (int64_t i = 0; i < axes; ++i) {
      int64_t s = op.getStrides()[i], d = op.getDilations()[i];
      int64_t kd = (w[2 + i] - 1) * d + 1;
      int64_t t = (kd + s - 1) / s;
      int64_t begin = op.getPads()[i];
      int64_t out = resultType.getDimSize(2 + i);
      int64_t lo = floorDiv(begin, s), hi = floorDiv(begin + out - 1, s) + 1;
      int64_t left = t - 1 - lo;
      int64_t right = (hi - lo + t - 1) - inputType.getDimSize(2 + i) - left;
      if (left < 0 || right < 0)
        return rewriter.notifyMatchFailure(op, "the input would be cropped");
      taps.push_back(t);
      qlo.push_back(lo);
      rows.push_back(hi - lo);
      padBegin.push_back(left);
      padEnd.push_back(right);
      sliceStart.push_back(begin - lo * s);
      phases *= s;
    }

    // The filter [M * S, C / G, T...]: output channel (g * M/G + mm) * S +
    // phase, tap u reading kernel element ((T - 1 - u) * s + r) / d.
    SmallVector<int64_t> newShape{m * phases, cg};
    newShape.append(taps.begin(), taps.end());
    auto floatType = cast<FloatType>(filter.getElementType());
    APFloat zero = APFloat::getZero(floatType.getFloatSemantics());
    int64_t tapCount = 1;
    for (int64_t t : taps)
      tapCount *= t;
    SmallVector<APFloat> values(m * phases * cg * tapCount, zero);
    SmallVector<APFloat> source(filter.getValues<APFloat>());
    SmallVector<int64_t> phase(axes), tap(axes);
    for (int64_t oc = 0; oc < m * phases; ++oc) {
      int64_t channel = oc / phases, g = channel / mg, mm = channel % mg;
      for (int64_t rest = oc % phases, i = axes - 1; i >= 0; --i) {
        phase[i] = rest % op.getStrides()[i];
        rest /= op.getStrides()[i];
      }
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t flat = 0; flat < tapCount; ++flat) {
          int64_t rest = flat, src = (g * cg + ci) * mg + mm;
          bool inside = true;
          for (int64_t i = axes - 1; i >= 0; --i) {
            tap[i] = rest % taps[i];
            rest /= taps[i];
          }
          for (int64_t i = 0; i < axes; ++i) {
            int64_t s = op.getStrides()[i], d = op.getDilations()[i];
            int64_t k = (taps[i] - 1 - tap[i]) * s + phase[i];
            inside &= k % d == 0 && k / d < w[2 + i];
            src = src * w[2 + i] + (inside ? k / d : 0);
          }
          if (inside)
            values[(oc * cg + ci) * tapCount + flat] = source[src];
        }
    }
    Location loc = op.getLoc();
    auto elementType = resultType.getElementType();
    Value newFilter = ConstantOp::create(
        rewriter, op.getFilter().getLoc(),
        DenseElementsAttr::get(RankedTensorType::get(newShape, floatType),
                               values));
    Value bias;
    if (DenseElementsAttr b; op.getBias()) {
      if (!matchPattern(op.getBias(), m_Constant(&b)))
        return rewriter.notifyMatchFailure(op, "bias is not a constant");
      SmallVector<APFloat> biasValues;
      for (const APFloat &v : b.getValues<APFloat>())
        biasValues.append(phases, v);
      bias = ConstantOp::create(
          rewriter, op.getBias().getLoc(),
          DenseElementsAttr::get(
              RankedTensorType::get({m * phases}, b.getElementType()),
              biasValues));
    }

    SmallVector<int64_t> ones(axes, 1), pads(padBegin);
    pads.append(padEnd.begin(), padEnd.end());
    SmallVector<int64_t> convShape{n, m * phases};
    convShape.append(rows.begin(), rows.end());
    Value conv = ConvOp::create(
        rewriter, loc, RankedTensorType::get(convShape, elementType),
        op.getInput(), newFilter, bias, rewriter.getDenseI64ArrayAttr(ones),
        rewriter.getDenseI64ArrayAttr(pads), rewriter.getDenseI64ArrayAttr(ones),
        rewriter.getI64IntegerAttr(groups));
    // [N, M * S, Q...] -> [N, M, s..., Q...] -> [N, M, Q0, s0, Q1, s1, ...].
    SmallVector<int64_t> split{n, m}, perm{0, 1}, interleaved{n, m};
    for (int64_t i = 0; i < axes; ++i)
      split.push_back(op.getStrides()[i]);
    split.append(rows.begin(), rows.end());
    for (int64_t i = 0; i < axes; ++i) {
      perm.push_back(2 + axes + i);
      perm.push_back(2 + i);
    }
    SmallVector<int64_t> permuted;
    for (int64_t p : perm)
      permuted.push_back(split[p]);
    for (int64_t i = 0; i < axes; ++i)
      interleaved.push_back(rows[i] * op.getStrides()[i]);
    Value phased = ReshapeOp::create(
        rewriter, loc, RankedTensorType::get(split, elementType), conv);
    Value ordered = TransposeOp::create(
        rewriter, loc, RankedTensorType::get(permuted, elementType), phased,
        rewriter.getDenseI64ArrayAttr(perm));
    Value full = ReshapeOp::create(
        rewriter, loc, RankedTensorType::get(interleaved, elementType),
        ordered);
    SmallVector<int64_t> starts{0, 0}, steps(rank, 1);
    starts.append(sliceStart.begin(), sliceStart.end());
    rewriter.replaceOpWithNewOp<SliceOp>(
        op, resultType, full, rewriter.getDenseI64ArrayAttr(starts),
        rewriter.getDenseI64ArrayAttr(resultType.getShape()),
        rewriter.getDenseI64ArrayAttr(steps));
    return success();
  }
};

struct ConvTransposeToConvPass
    : impl::ConvTransposeToConvBase<ConvTransposeToConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvTransposeAsConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
