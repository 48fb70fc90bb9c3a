//===- FoldBatchNorm.cpp - Batch norm into the preceding convolution ------===//
#include "compiler/ir/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

std::optional<std::vector<double>> constantValues(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  // Natively for f32 and f64: an APFloat per element took seconds for
  // ResNet-50's weights.
  if (attr.getElementType().isF32()) {
    auto floats = attr.getValues<float>();
    return std::vector<double>(floats.begin(), floats.end());
  }
  if (attr.getElementType().isF64()) {
    auto doubles = attr.getValues<double>();
    return std::vector<double>(doubles.begin(), doubles.end());
  }
  std::vector<double> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

DenseElementsAttr toAttr(RankedTensorType type, ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  if (floatType.isF32()) {
    // Rounded to nearest, ties to even, as APFloat::convert does.
    std::vector<float> floats(values.begin(), values.end());
    return DenseElementsAttr::get(type, ArrayRef<float>(floats));
  }
  if (floatType.isF64())
    return DenseElementsAttr::get(type, values);
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool losesInfo;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &losesInfo);
    converted.push_back(f);
  }
  return DenseElementsAttr::get(type, converted);
}

struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use conv");
    auto filter = constantValues(conv.getFilter());
    auto scale = constantValues(bn.getScale());
    auto shift = constantValues(bn.getBias());
    auto mean = constantValues(bn.getMean());
    auto variance = constantValues(bn.getVariance());
    if (!filter || !scale || !shift || !mean || !variance)
      return rewriter.notifyMatchFailure(bn, "non-constant parameters");
    int64_t filters = conv.getFilter().getType().getDimSize(0);
    std::vector<double> bias(filters, 0.0);
    if (conv.getBias()) {
      auto values = constantValues(conv.getBias());
      if (!values)
        return rewriter.notifyMatchFailure(bn, "non-constant conv bias");
      bias = *values;
    }
    double epsilon = bn.getEpsilon().convertToDouble();
    int64_t perFilter = filter->size() / filters;
    for (int64_t f = 0; f < filters; ++f) {
      double s = (*scale)[f] / std::sqrt((*variance)[f] + epsilon);
      for (int64_t i = 0; i < perFilter; ++i)
        (*filter)[f * perFilter + i] *= s;
      bias[f] = (bias[f] - (*mean)[f]) * s + (*shift)[f];
    }
    auto filterType = conv.getFilter().getType();
    auto biasType = RankedTensorType::get({filters}, filterType.getElementType());
    Location loc = bn.getLoc();
    Value newFilter = ConstantOp::create(rewriter, conv.getLoc(),
                                         toAttr(filterType, *filter));
    Value newBias = ConstantOp::create(rewriter, loc, toAttr(biasType, bias));
    // The folded convolution is both nodes: the convolution's name first,
    // as reports and profiles name a layer by it.
    auto folded = ConvOp::create(
        rewriter, rewriter.getFusedLoc({conv.getLoc(), loc}), bn.getType(),
        conv.getInput(), newFilter, newBias, conv.getStridesAttr(),
        conv.getPadsAttr(), conv.getDilationsAttr(), conv.getGroupAttr());
    rewriter.replaceOp(bn, folded);
    rewriter.eraseOp(conv);
    return success();
  }
};

struct FoldBatchNormPass : impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
