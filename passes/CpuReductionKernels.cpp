//===- CpuReductionKernels.cpp - Reductions along the contiguous axis -----===//
//
// LLVM's loop vectorizer leaves a reduction along a row scalar: the
// partial result is stored to the output in every iteration (it may alias
// the input, for all LLVM knows) and a float sum may not be reassociated.
// Softmax's max and sum, reduce ops and the statistics of a normalization
// ran 3x slower than ONNX Runtime's.
//
// This pass writes them as vector code on tensors: for each output element
// (the loops other than the reduced one), one vector accumulator runs over
// the row `vector-width` lanes at a time with the body's elementwise part
// evaluated on vectors, a masked last step covers the rest of the row (the
// lanes past it contribute the combining op's identity), and one
// horizontal reduction, combined with the init, gives the element. Sums are
// reassociated: lanes first, then across lanes.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

namespace kiln {
#define GEN_PASS_DEF_CPUREDUCTIONKERNELS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A reduction of the innermost loop: out[o...] = combine(out[o...],
/// f(inputs[..., r])).
struct RowReduction {
  linalg::GenericOp op;
  /// The body's op combining the output with f.
  Operation *combine;
  vector::CombiningKind kind;
  /// Length of the reduced axis.
  int64_t extent;
};

std::optional<vector::CombiningKind> combiningKind(Operation *op) {
  if (isa<arith::AddFOp>(op))
    return vector::CombiningKind::ADD;
  if (isa<arith::MulFOp>(op))
    return vector::CombiningKind::MUL;
  if (isa<arith::MaximumFOp>(op))
    return vector::CombiningKind::MAXIMUMF;
  if (isa<arith::MinimumFOp>(op))
    return vector::CombiningKind::MINIMUMF;
  return std::nullopt;
}

/// The identity of `kind`: what a lane past the row contributes.
float identity(vector::CombiningKind kind) {
  switch (kind) {
  case vector::CombiningKind::ADD:
    return 0;
  case vector::CombiningKind::MUL:
    return 1;
  case vector::CombiningKind::MAXIMUMF:
    return -std::numeric_limits<float>::infinity();
  case vector::CombiningKind::MINIMUMF:
    return std::numeric_limits<float>::infinity();
  default:
    llvm_unreachable("not a kind combiningKind returns");
  }
}

std::optional<RowReduction> matchRowReduction(linalg::GenericOp op,
                                              int64_t vectorWidth) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1)
    return std::nullopt;
  int64_t loops = op.getNumLoops();
  if (loops < 2 || op.getNumReductionLoops() != 1 ||
      op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return std::nullopt;
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  // The output is indexed by the other loops, in order; each input reads
  // the reduced loop last (contiguously) or not at all.
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineExpr> others;
  for (int64_t d = 0; d + 1 < loops; ++d)
    others.push_back(getAffineDimExpr(d, ctx));
  if (maps.back() != AffineMap::get(loops, 0, others, ctx))
    return std::nullopt;
  AffineExpr reduced = getAffineDimExpr(loops - 1, ctx);
  for (AffineMap map : ArrayRef(maps).drop_back()) {
    // Dimensions of size 1 may be read at 0 (a broadcast row statistic).
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
      return std::nullopt;
    std::optional<unsigned> at = map.getResultPosition(reduced);
    if (at && *at + 1 != map.getNumResults())
      return std::nullopt;
  }
  // The body: combine(out, f(inputs)), f elementwise arithmetic.
  Block &body = op.getRegion().front();
  BlockArgument out = body.getArguments().back();
  Value yielded = body.getTerminator()->getOperand(0);
  Operation *combine = yielded.getDefiningOp();
  // The combine reads the output once and only the yield reads it.
  if (!combine || combine->getBlock() != &body || !out.hasOneUse() ||
      out.getUses().begin()->getOwner() != combine || !yielded.hasOneUse() ||
      combine->getNumOperands() != 2)
    return std::nullopt;
  std::optional<vector::CombiningKind> kind = combiningKind(combine);
  if (!kind)
    return std::nullopt;
  // The rest evaluates on vectors: single-result scalar arith and math.
  for (Operation &inner : body.without_terminator())
    if (inner.getNumRegions() != 0 || inner.getNumResults() != 1 ||
        !inner.getResult(0).getType().isIntOrFloat() ||
        !isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()))
      return std::nullopt;
  int64_t extent = op.getStaticLoopRanges().back();
  if (extent < vectorWidth)
    return std::nullopt;
  return RowReduction{op, combine, *kind, extent};
}

class ReductionEmitter {
public:
  ReductionEmitter(RewriterBase &rewriter, RowReduction reduction,
                   int64_t vectorWidth)
      : rewriter(rewriter), r(reduction), width(vectorWidth),
        loc(reduction.op.getLoc()) {}

  void emit(bool parallel);

private:
  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  }
  VectorType vectorOf(Type t) { return VectorType::get({width}, t); }
  Value splat(float v) {
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(vectorOf(rewriter.getF32Type()),
                               rewriter.getF32FloatAttr(v)));
  }
  /// The index of an input map's result `e` (not the reduced loop) at the
  /// output element `outIndex`.
  Value outerIndex(AffineExpr e, ValueRange outIndex) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      return outIndex[d.getPosition()];
    return index(0);
  }
  /// `op` of the body on `operands` (vectors or scalars).
  Value cloneWith(Operation *op, ValueRange operands, bool vectors);
  /// f on the row's lanes from `column`: the inputs read as vectors
  /// (`rowInputs`) or broadcast (`invariant`), padding lanes past the row
  /// read as 0 when `masked`.
  Value evaluate(ValueRange outIndex, Value column, bool masked,
                 const IRMapping &invariant);

  RewriterBase &rewriter;
  RowReduction r;
  int64_t width;
  Location loc;
};

Value ReductionEmitter::cloneWith(Operation *op, ValueRange operands,
                                  bool vectors) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (!vectors)
      return rewriter.clone(*op)->getResult(0);
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(vectorOf(constant.getType()),
                               constant.getValue()));
  }
  OperationState state(loc, op->getName());
  state.addOperands(operands);
  for (Type t : op->getResultTypes())
    state.addTypes(vectors ? Type(vectorOf(t)) : t);
  state.addAttributes(op->getAttrs());
  return rewriter.create(state)->getResult(0);
}

Value ReductionEmitter::evaluate(ValueRange outIndex, Value column, bool masked,
                                 const IRMapping &invariant) {
  linalg::GenericOp op = r.op;
  Block &body = op.getRegion().front();
  AffineExpr reduced =
      getAffineDimExpr(op.getNumLoops() - 1, rewriter.getContext());
  IRMapping values;
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    if (Value v = invariant.lookupOrNull(arg)) {
      values.map(arg, v);
      continue;
    }
    SmallVector<Value> indices;
    for (AffineExpr e : op.getMatchingIndexingMap(input).getResults())
      indices.push_back(e == reduced ? column : outerIndex(e, outIndex));
    values.map(arg, vector::TransferReadOp::create(
                        rewriter, loc, vectorOf(rewriter.getF32Type()),
                        input->get(), indices, zero, ArrayRef<bool>{!masked})
                        .getResult());
  }
  for (Operation &inner : body.without_terminator()) {
    if (&inner == r.combine)
      continue;
    SmallVector<Value> operands;
    for (Value v : inner.getOperands()) {
      Value mapped = values.lookupOrNull(v);
      // A scalar from outside the body, the same in every lane.
      operands.push_back(mapped ? mapped
                                : vector::BroadcastOp::create(
                                      rewriter, loc, vectorOf(v.getType()), v)
                                      .getResult());
    }
    values.map(inner.getResult(0), cloneWith(&inner, operands, true));
  }
  Value out = body.getArguments().back();
  Value f = r.combine->getOperand(0) == out ? r.combine->getOperand(1)
                                            : r.combine->getOperand(0);
  if (Value mapped = values.lookupOrNull(f))
    return mapped;
  return vector::BroadcastOp::create(rewriter, loc, vectorOf(f.getType()), f);
}

void ReductionEmitter::emit(bool parallel) {
  linalg::GenericOp op = r.op;
  rewriter.setInsertionPoint(op);
  Value init = op.getDpsInits()[0];
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t rank = outType.getRank();
  Block &body = op.getRegion().front();
  int64_t full = r.extent / width * width, tail = r.extent - full;
  Value out = body.getArguments().back();
  bool outFirst = r.combine->getOperand(0) == out;
  auto combine = [&](Value acc, Value v, bool vectors) {
    SmallVector<Value> operands{acc, v};
    if (!outFirst)
      std::swap(operands[0], operands[1]);
    return cloneWith(r.combine, operands, vectors);
  };

  Value result = buildTileLoops(
      rewriter, loc, outType.getShape(), init, parallel,
      [&](ValueRange ivs) {
        TileSlice slice;
        for (Value iv : ivs)
          slice.offsets.push_back(iv);
        slice.sizes.assign(rank, 1);
        return slice;
      },
      [&](ValueRange ivs, Value tile) {
        // Inputs that do not vary along the row: read once, broadcast.
        AffineExpr reduced =
            getAffineDimExpr(op.getNumLoops() - 1, rewriter.getContext());
        IRMapping invariant;
        for (OpOperand *input : op.getDpsInputOperands()) {
          AffineMap map = op.getMatchingIndexingMap(input);
          if (map.getResultPosition(reduced))
            continue;
          SmallVector<Value> indices;
          for (AffineExpr e : map.getResults())
            indices.push_back(outerIndex(e, ivs));
          Value scalar =
              tensor::ExtractOp::create(rewriter, loc, input->get(), indices);
          invariant.map(body.getArgument(input->getOperandNumber()),
                        vector::BroadcastOp::create(
                            rewriter, loc, vectorOf(scalar.getType()), scalar)
                            .getResult());
        }
        Value acc = splat(identity(r.kind));
        if (full > 0) {
          auto loop = scf::ForOp::create(rewriter, loc, index(0), index(full),
                                         index(width), ValueRange{acc});
          OpBuilder::InsertionGuard guard(rewriter);
          rewriter.setInsertionPointToStart(loop.getBody());
          Value v = evaluate(ivs, loop.getInductionVar(), false, invariant);
          scf::YieldOp::create(
              rewriter, loc,
              combine(loop.getRegionIterArgs()[0], v, /*vectors=*/true));
          acc = loop.getResult(0);
        }
        if (tail > 0) {
          // Lanes past the row contribute the identity.
          Value v = evaluate(ivs, index(full), true, invariant);
          Value mask = vector::CreateMaskOp::create(
              rewriter, loc, vectorOf(rewriter.getI1Type()),
              ValueRange{index(tail)});
          v = arith::SelectOp::create(rewriter, loc, mask, v,
                                      splat(identity(r.kind)));
          acc = combine(acc, v, /*vectors=*/true);
        }
        Value lanes = vector::ReductionOp::create(rewriter, loc, r.kind, acc);
        SmallVector<Value> origin(rank, index(0));
        Value old = tensor::ExtractOp::create(rewriter, loc, tile, origin);
        return tensor::InsertOp::create(
                   rewriter, loc, combine(old, lanes, false), tile, origin)
            .getResult();
      });
  rewriter.replaceOp(op, result);
}

struct CpuReductionKernelsPass
    : impl::CpuReductionKernelsBase<CpuReductionKernelsPass> {
  using CpuReductionKernelsBase::CpuReductionKernelsBase;

  void runOnOperation() override {
    SmallVector<RowReduction> reductions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (auto reduction = matchRowReduction(op, vectorWidth))
        reductions.push_back(*reduction);
    });
    IRRewriter rewriter(&getContext());
    for (RowReduction &reduction : reductions) {
      auto outType =
          cast<RankedTensorType>(reduction.op->getResult(0).getType());
      bool parallel =
          threads > 1 && outType.getNumElements() > 1 &&
          outType.getNumElements() * reduction.extent >= minParallelWork;
      ReductionEmitter(rewriter, reduction, vectorWidth).emit(parallel);
    }
  }
};

} // namespace
} // namespace kiln
