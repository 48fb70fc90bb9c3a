//===- FuseElementwise.cpp - Elementwise fusion that keeps contractions ---===//
//
// MLIR's linalg-fuse-elementwise-ops, with one difference: reshapes are
// never folded into (or out of) ops that reduce. Folding the expand_shape
// after a matmul [4, 784] x [784, 1200] -> [4, 240, 5] into the matmul
// turns its contiguous 1200-wide inner loop into a 5-wide one, which does
// not vectorize (a maxout layer ran 25x slower than the matmul alone).
// Nor do the reshapes that view a reducing op's operands or result (a
// grouped convolution's [N, G, C/G, ...] views) move away from it: targets
// recognise the op with its views. Elementwise producers still fuse into
// their consumers, and other reshapes still move through elementwise ops.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

bool reduces(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

/// A reshape of a reducing op's result, or feeding one.
bool viewsReduction(Operation *op) {
  if (!isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
    return false;
  return reduces(op->getOperand(0).getDefiningOp()) ||
         llvm::any_of(op->getUsers(), reduces);
}

struct FuseElementwisePass : impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    // As upstream: fuse a producer only into its single user.
    linalg::ControlFusionFn singleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::ControlFusionFn reshapeAroundElementwise =
        [singleUse](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          return singleUse(fused) && !reduces(producer) &&
                 !reduces(fused->getOwner()) && !viewsReduction(producer) &&
                 !viewsReduction(fused->getOwner());
        };
    linalg::populateElementwiseOpsFusionPatterns(patterns, singleUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(
        patterns, reshapeAroundElementwise);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    linalg::FillOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
