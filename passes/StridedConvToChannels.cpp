//===- StridedConvToChannels.cpp - Strided convs as unit-stride ones ------===//
#include "compiler/ir/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_STRIDEDCONVTOCHANNELS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

struct StridedConvToPhases : OpRewritePattern<ConvOp> {
  StridedConvToPhases(MLIRContext *context, int64_t maxWidth)
      : OpRewritePattern(context), maxWidth(maxWidth) {}

  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    auto inputType = conv.getInput().getType();
    auto filterType = conv.getFilter().getType();
    auto resultType = cast<RankedTensorType>(conv.getType());
    if (inputType.getRank() != 4 || conv.getGroup() != 1)
      return rewriter.notifyMatchFailure(conv, "not a 2-D ungrouped conv");
    int64_t s = conv.getStrides()[0];
    if (s < 2 || conv.getStrides()[1] != s ||
        llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
        resultType.getDimSize(3) >= maxWidth)
      return rewriter.notifyMatchFailure(conv, "not a narrow strided conv");
    DenseElementsAttr filter;
    if (!matchPattern(conv.getFilter(), m_Constant(&filter)) ||
        !isa<FloatType>(filter.getElementType()))
      return rewriter.notifyMatchFailure(conv, "filter is not a constant");

    Location loc = conv.getLoc();
    Type elementType = inputType.getElementType();
    int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
    int64_t f = filterType.getDimSize(0);
    int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
    int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
    auto unitStride = rewriter.getDenseI64ArrayAttr({1, 1});
    auto noPads = rewriter.getDenseI64ArrayAttr({0, 0, 0, 0});

    // A 1x1 kernel reads one phase only: subsample, then convolve.
    if (kh == 1 && kw == 1 &&
        llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; })) {
      Value sampled = SliceOp::create(
          rewriter, loc, RankedTensorType::get({n, c, oh, ow}, elementType),
          conv.getInput(), rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
          rewriter.getDenseI64ArrayAttr({n, c, oh, ow}),
          rewriter.getDenseI64ArrayAttr({1, 1, s, s}));
      rewriter.replaceOpWithNewOp<ConvOp>(conv, resultType, sampled,
                                          conv.getFilter(), conv.getBias(),
                                          unitStride, noPads, unitStride,
                                          conv.getGroupAttr());
      return success();
    }
    // Smaller kernels would leave most of the phase filters zero.
    if (kh < s || kw < s)
      return rewriter.notifyMatchFailure(conv, "kernel smaller than stride");
    // Phase kernels and the padded extents the phases need.
    int64_t ah = (kh + s - 1) / s, aw = (kw + s - 1) / s;
    int64_t hp = s * (oh + ah - 1), wp = s * (ow + aw - 1);
    auto pads = conv.getPads();
    SmallVector<int64_t> padding{0, 0, pads[0], pads[1], 0, 0,
                                 hp - inputType.getDimSize(2) - pads[0],
                                 wp - inputType.getDimSize(3) - pads[1]};

    // x[n, c, s*i + ph, s*j + pw] -> x'[n, (c, ph, pw), i, j]
    auto typeOf = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, elementType);
    };
    Value padded = PadOp::create(rewriter, loc, typeOf({n, c, hp, wp}),
                                 conv.getInput(),
                                 rewriter.getDenseI64ArrayAttr(padding),
                                 rewriter.getStringAttr("constant"),
                                 rewriter.getF64FloatAttr(0.0));
    Value split = ReshapeOp::create(rewriter, loc,
                                    typeOf({n, c, hp / s, s, wp / s, s}), padded);
    Value phases = TransposeOp::create(
        rewriter, loc, typeOf({n, c, s, s, hp / s, wp / s}), split,
        rewriter.getDenseI64ArrayAttr({0, 1, 3, 5, 2, 4}));
    Value input = ReshapeOp::create(rewriter, loc,
                                    typeOf({n, c * s * s, hp / s, wp / s}),
                                    phases);

    // w'[f, (c, ph, pw), a, b] = w[f, c, s*a + ph, s*b + pw], zero outside.
    auto values = llvm::to_vector(filter.getValues<APFloat>());
    auto floatType = cast<FloatType>(filter.getElementType());
    SmallVector<APFloat> rearranged;
    rearranged.reserve(f * c * s * s * ah * aw);
    APFloat zero = APFloat::getZero(floatType.getFloatSemantics());
    for (int64_t fi = 0; fi < f; ++fi)
      for (int64_t ci = 0; ci < c; ++ci)
        for (int64_t ph = 0; ph < s; ++ph)
          for (int64_t pw = 0; pw < s; ++pw)
            for (int64_t a = 0; a < ah; ++a)
              for (int64_t b = 0; b < aw; ++b) {
                int64_t y = s * a + ph, x = s * b + pw;
                rearranged.push_back(
                    y < kh && x < kw
                        ? values[((fi * c + ci) * kh + y) * kw + x]
                        : zero);
              }
    auto newFilterType =
        RankedTensorType::get({f, c * s * s, ah, aw}, filter.getElementType());
    Value newFilter = ConstantOp::create(
        rewriter, conv.getFilter().getLoc(),
        DenseElementsAttr::get(newFilterType, rearranged));
    rewriter.replaceOpWithNewOp<ConvOp>(
        conv, resultType, input, newFilter, conv.getBias(),
        unitStride, noPads, unitStride, conv.getGroupAttr());
    return success();
  }

  int64_t maxWidth;
};

struct StridedConvToChannelsPass
    : impl::StridedConvToChannelsBase<StridedConvToChannelsPass> {
  using StridedConvToChannelsBase::StridedConvToChannelsBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<StridedConvToPhases>(&getContext(), maxWidth);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
