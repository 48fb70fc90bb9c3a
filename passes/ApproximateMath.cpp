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
// Constant powers become products and square roots (MLIR's algebraic
// simplification); any other f32 powf(x, y) becomes exp(y * log|x|) with
// selects for the special
// cases of C's pow (negative bases, zeros, ones, infinities): LRN's
// (k + alpha * sum)^beta was one libm call per element, a tenth of an
// AlexNet. Its error grows with |y * log|x||: about 6 ulp per unit, 5e-6
// relative at the largest finite results.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace kiln {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// f32 or a vector of f32 (after linalg-to-loops, what the math ops are).
bool isF32ScalarOrVector(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getElementType().isF32();
  return type.isF32();
}

/// `v` as a constant of `type`, f32 or a vector of f32.
Value f32Like(OpBuilder &b, Location loc, Type type, float v) {
  auto attr = b.getF32FloatAttr(v);
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(vector, attr));
  return arith::ConstantOp::create(b, loc, attr);
}

struct PowFAsExpLog : OpRewritePattern<math::PowFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::PowFOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!isF32ScalarOrVector(type))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto constant = [&](float v) { return f32Like(b, op.getLoc(), type, v); };
    auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) -> Value {
      return arith::CmpFOp::create(b, p, l, r);
    };
    auto select = [&](Value c, Value t, Value f) -> Value {
      return arith::SelectOp::create(b, c, t, f);
    };
    using P = arith::CmpFPredicate;
    Value x = op.getLhs(), y = op.getRhs();
    Value zero = constant(0), one = constant(1);
    Value absX = math::AbsFOp::create(b, x);
    Value inf = constant(std::numeric_limits<float>::infinity());
    Value r = math::ExpOp::create(
        b, arith::MulFOp::create(b, y, math::LogOp::create(b, absX)));
    // y an integer (infinities count as even ones), and an odd one.
    Value floorY = math::FloorOp::create(b, y);
    Value isInteger = cmp(P::OEQ, floorY, y);
    Value half = arith::MulFOp::create(b, y, constant(0.5f));
    Value isOdd = arith::AndIOp::create(
        b, isInteger, cmp(P::ONE, math::FloorOp::create(b, half), half));
    // A negative base (or -0): the sign for an odd power, NaN for a
    // non-integer one of a finite base.
    Value negative = cmp(P::OLT, x, zero);
    Value signBit = cmp(P::OLT, math::CopySignOp::create(b, one, x), zero);
    r = select(arith::AndIOp::create(b, signBit, isOdd),
               arith::NegFOp::create(b, r), r);
    Value infiniteY = cmp(P::OEQ, math::AbsFOp::create(b, y), inf);
    Value nonInteger = cmp(P::ONE, floorY, y);
    Value finiteX = cmp(P::ONE, absX, inf);
    r = select(arith::AndIOp::create(
                   b, arith::AndIOp::create(b, negative, finiteX), nonInteger),
               constant(std::numeric_limits<float>::quiet_NaN()), r);
    // |x| = 1 with an infinite y (0 * inf above), x = 1, y = 0: one.
    r = select(arith::AndIOp::create(b, cmp(P::OEQ, absX, one), infiniteY), one,
               r);
    r = select(
        arith::OrIOp::create(b, cmp(P::OEQ, x, one), cmp(P::OEQ, y, zero)), one,
        r);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Scales a subnormal argument of an f32 log or log2 into the normal range
/// (and its result back): the polynomial approximations read the exponent
/// field, which a subnormal does not have.
void scaleSubnormalLogArguments(Operation *root) {
  root->walk([](Operation *op) {
    if (!isa<math::LogOp, math::Log2Op>(op) ||
        !isF32ScalarOrVector(op->getResult(0).getType()))
      return;
    Type type = op->getResult(0).getType();
    OpBuilder b(op);
    Location loc = op->getLoc();
    auto constant = [&](float v) { return f32Like(b, loc, type, v); };
    Value x = op->getOperand(0);
    // 0 < x < the smallest normal f32: times 2^24.
    Value subnormal = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                              constant(0)),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                              constant(std::numeric_limits<float>::min())));
    Value scaled = arith::SelectOp::create(
        b, loc, subnormal,
        arith::MulFOp::create(b, loc, x, constant(16777216.0f)), x);
    op->setOperand(0, scaled);
    b.setInsertionPointAfter(op);
    // log(2^24) or log2(2^24).
    float shift = isa<math::LogOp>(op) ? 24 * 0.693147180559945309f : 24.0f;
    Value result = op->getResult(0);
    Value corrected = arith::SubFOp::create(b, loc, result, constant(shift));
    Value selected =
        arith::SelectOp::create(b, loc, subnormal, corrected, result);
    SmallPtrSet<Operation *, 2> readers{corrected.getDefiningOp(),
                                        selected.getDefiningOp()};
    result.replaceAllUsesExcept(selected, readers);
  });
}

struct ApproximateMathPass : impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    // Constant powers first as products and square roots (x^2 = x * x
    // exactly, LRN's x^0.75 = sqrt(x) * sqrt(sqrt(x)); square roots give
    // -0 and NaN for the bases -0 and -inf, where pow gives +0 and +inf),
    // then the other powf, so that its log is scaled too.
    RewritePatternSet strength(&getContext());
    populateMathAlgebraicSimplificationPatterns(strength);
    if (failed(applyPatternsGreedily(getOperation(), std::move(strength))))
      return signalPassFailure();
    RewritePatternSet powf(&getContext());
    powf.add<PowFAsExpLog>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(powf))))
      return signalPassFailure();
    scaleSubnormalLogArguments(getOperation());
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
