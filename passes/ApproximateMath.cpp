//===- ApproximateMath.cpp - Vectorizable f32 elementary functions -------===//
//
// x86 has no instructions for exp, log or tanh: as LLVM intrinsics they
// become one libm call per element, and a vector of 16 lanes becomes 16
// calls. A LeNet-5 spent half its time in tanhf, an LSTM most of its time in
// its gates. MLIR's polynomial approximations (accurate to a few ulp over
// the whole range, with infinities, NaN and the limits handled) are plain
// arithmetic that stays in vector registers, in kernels' fused epilogues and
// in loops the loop vectorizer widens.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct ApproximateMathPass : impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    auto approximated = [](StringRef name) {
      return llvm::is_contained({"math.tanh", "math.exp", "math.expm1",
                                 "math.log", "math.log1p", "math.log2",
                                 "math.erf"},
                                name);
    };
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
