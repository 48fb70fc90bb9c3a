//===- SinkUnpacks.cpp - Keep packed layouts through elementwise ops -----===//
//
// A kernel that computes in a packed layout (the CPU's channel-blocked
// convolutions) leaves its result as unpack(packed) and reads its operands
// as pack(x). Between two such kernels there are elementwise ops (the
// residual add, activations), pooling, padding and concatenations: this
// pass moves each unpack below the op that reads it, so that the op runs on
// the packed data, and the next kernel's pack(unpack(y)) folds to y.
// Activations then stay packed from one kernel to the next:
// - a linalg.generic whose tiled dimension is a parallel loop read as
//   itself (elementwise ops, pooling windows, reductions over the other
//   dimensions) gets one more loop, innermost, over the tile's lanes, which
//   LLVM vectorizes: contiguous lanes of one pixel;
// - a tensor.pad that does not pad the tiled dimension pads the packed
//   tensor;
// - a tensor.insert_slice (a concatenation) at tile boundaries of the
//   tiled dimension inserts into the packed destination.
//
// Unlike MLIR's data-layout propagation, a generic whose inputs are several
// unpacks of the same tiling (a residual add of two convolutions) is moved
// too. Only unpacks without padding move (the tiled dimension divisible by
// the tile), so that no padding lane ever reaches an op that could turn it
// into a NaN.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_SINKUNPACKS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The packing of one dimension by one static tile, with no permutation of
/// the outer dimensions and no padding.
struct Tiling {
  int64_t dim;
  int64_t tile;
};

std::optional<Tiling> simpleTiling(linalg::UnPackOp unpack) {
  if (unpack.getInnerDimsPos().size() != 1 ||
      !unpack.getOuterDimsPerm().empty() ||
      !unpack.getDestType().hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> tiles = unpack.getStaticTiles();
  if (ShapedType::isDynamic(tiles[0]))
    return std::nullopt;
  Tiling t{unpack.getInnerDimsPos()[0], tiles[0]};
  // Exactly the packed tiles, no padding dropped and none left out.
  if (unpack.getDestType().getDimSize(t.dim) !=
      unpack.getSourceType().getDimSize(t.dim) * t.tile)
    return std::nullopt;
  return t;
}

SmallVector<int64_t> packedShape(RankedTensorType type, int64_t dim,
                                 int64_t tile) {
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] /= tile;
  shape.push_back(tile);
  return shape;
}

Value pack(OpBuilder &b, Location loc, Value value, int64_t dim, int64_t tile) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape = packedShape(type, dim, tile);
  Value dest = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::PackOp::create(b, loc, value, dest, ArrayRef<int64_t>{dim},
                                ArrayRef<OpFoldResult>{b.getIndexAttr(tile)},
                                std::nullopt)
      .getResult();
}

/// `value` packed along `dim` by `tile`: the source of an unpack with that
/// tiling, only the shape (an empty tensor) when its values are not read,
/// else a pack.
Value packedOperand(OpBuilder &b, Location loc, Value value, int64_t dim,
                    int64_t tile, bool valuesRead) {
  auto unpack = value.getDefiningOp<linalg::UnPackOp>();
  std::optional<Tiling> t = unpack ? simpleTiling(unpack) : std::nullopt;
  if (t && t->dim == dim && t->tile == tile)
    return unpack.getSource();
  auto type = cast<RankedTensorType>(value.getType());
  if (!valuesRead)
    return tensor::EmptyOp::create(b, loc, packedShape(type, dim, tile),
                                   type.getElementType());
  return pack(b, loc, value, dim, tile);
}

/// Replaces `op` with the unpack of `packed` along `dim` by `tile`.
void replaceWithUnpack(RewriterBase &rewriter, Operation *op, Value packed,
                       int64_t dim, int64_t tile) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Value dest = tensor::EmptyOp::create(rewriter, op->getLoc(), type.getShape(),
                                       type.getElementType());
  rewriter.replaceOpWithNewOp<linalg::UnPackOp>(
      op, packed, dest, ArrayRef<int64_t>{dim},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(tile)});
}

/// The loop of `map` at result `pos`, if that result is a plain loop.
std::optional<unsigned> loopAt(AffineMap map, int64_t pos) {
  if (auto d = dyn_cast<AffineDimExpr>(map.getResult(pos)))
    return d.getPosition();
  return std::nullopt;
}

/// generic(unpack(x), ...) -> unpack(generic'(x, ...)) when the unpacked
/// dimension is one parallel loop that every operand reads either as that
/// loop alone or not at all: generic' has one more loop, innermost, over
/// the tile's lanes. Elementwise ops, window reductions (pooling) and
/// reductions over other dimensions keep their structure.
struct SinkUnpackThroughGeneric : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op->getNumResults() != 1)
      return failure();
    AffineMap outputMap = op.getIndexingMapsArray().back();
    if (!outputMap.isProjectedPermutation())
      return failure();
    for (Operation &inner : op.getRegion().front())
      if (isa<linalg::IndexOp, tensor::ExtractOp>(inner))
        return failure();
    // The tiling of the first unpacked input whose tiled dimension is a
    // plain parallel loop that the output has too.
    std::optional<Tiling> tiling;
    unsigned loop = 0;
    int64_t outputPos = 0;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto unpack = input->get().getDefiningOp<linalg::UnPackOp>();
      std::optional<Tiling> t = unpack ? simpleTiling(unpack) : std::nullopt;
      if (!t)
        continue;
      std::optional<unsigned> l =
          loopAt(op.getMatchingIndexingMap(input), t->dim);
      if (!l || op.getIteratorTypesArray()[*l] != utils::IteratorType::parallel)
        continue;
      std::optional<unsigned> pos =
          outputMap.getResultPosition(getAffineDimExpr(*l, op.getContext()));
      if (!pos)
        continue;
      tiling = t;
      loop = *l;
      outputPos = *pos;
      break;
    }
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (!tiling || !resultType.hasStaticShape())
      return failure();
    int64_t tiledSize = resultType.getDimSize(outputPos);
    int64_t numLoops = op.getNumLoops();

    // The packed operands and their maps over (loops..., lane loop).
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    AffineExpr lane = getAffineDimExpr(numLoops, ctx);
    Block &body = op.getRegion().front();
    // Each operand's result that the tiled loop indexes (checked for every
    // operand before anything is created: a failed match leaves no IR).
    SmallVector<std::optional<int64_t>> tiledResults;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      std::optional<int64_t> tiled;
      for (auto [i, e] : llvm::enumerate(map.getResults())) {
        if (!e.isFunctionOfDim(loop))
          continue;
        // Only the tiled loop itself can be split into (block, lane).
        if (loopAt(map, i) != loop || tiled)
          return failure();
        tiled = i;
      }
      auto type = dyn_cast<RankedTensorType>(operand.get().getType());
      if (tiled && (!type || !type.hasStaticShape() ||
                    type.getDimSize(*tiled) != tiledSize))
        return failure();
      tiledResults.push_back(tiled);
    }
    // Each operand: read as before, or packed along its tiled result.
    SmallVector<Value> operands;
    SmallVector<AffineMap> maps;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      SmallVector<AffineExpr> exprs(map.getResults());
      std::optional<int64_t> tiled = tiledResults[operand.getOperandNumber()];
      Value value = operand.get();
      if (tiled) {
        exprs.push_back(lane);
        // An init the body never reads needs no packing, only a shape.
        bool valuesRead = !op.isDpsInit(&operand) ||
                          !body.getArguments().back().use_empty();
        value = packedOperand(rewriter, loc, value, *tiled, tiling->tile,
                              valuesRead);
      }
      operands.push_back(value);
      maps.push_back(AffineMap::get(numLoops + 1, 0, exprs, ctx));
    }
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    iterators.push_back(utils::IteratorType::parallel);
    Value packedInit = operands.back();
    operands.pop_back();
    auto packed =
        linalg::GenericOp::create(rewriter, loc, packedInit.getType(), operands,
                                  packedInit, maps, iterators);
    rewriter.inlineRegionBefore(op.getRegion(), packed.getRegion(),
                                packed.getRegion().begin());
    replaceWithUnpack(rewriter, op, packed.getResult(0), outputPos,
                      tiling->tile);
    return success();
  }
};

/// pad(unpack(x)) -> unpack(pad'(x)) when the tiled dimension is not
/// padded (the spatial zero or -inf padding of a convolution or pooling).
struct SinkUnpackThroughPad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    auto unpack = pad.getSource().getDefiningOp<linalg::UnPackOp>();
    std::optional<Tiling> t = unpack ? simpleTiling(unpack) : std::nullopt;
    Value padding = pad.getConstantPaddingValue();
    if (!t || !padding || pad.getNofold() ||
        !pad.getResultType().hasStaticShape())
      return failure();
    SmallVector<int64_t> low(pad.getStaticLow()), high(pad.getStaticHigh());
    if (llvm::any_of(low, ShapedType::isDynamic) ||
        llvm::any_of(high, ShapedType::isDynamic) || low[t->dim] != 0 ||
        high[t->dim] != 0)
      return failure();
    low.push_back(0);
    high.push_back(0);
    auto resultType = pad.getResultType();
    SmallVector<int64_t> shape = packedShape(resultType, t->dim, t->tile);
    Location loc = pad.getLoc();
    Value packed = tensor::PadOp::create(
        rewriter, loc, resultType.clone(shape), unpack.getSource(),
        getAsIndexOpFoldResult(rewriter.getContext(), low),
        getAsIndexOpFoldResult(rewriter.getContext(), high), padding);
    replaceWithUnpack(rewriter, pad, packed, t->dim, t->tile);
    return success();
  }
};

/// insert_slice(unpack(x), dest) -> unpack(insert_slice'(x, packed dest))
/// when the slice starts and ends on tile boundaries along the tiled
/// dimension: a concatenation along the channels of blocked tensors stays
/// blocked.
struct SinkUnpackThroughInsertSlice : OpRewritePattern<tensor::InsertSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::InsertSliceOp insert,
                                PatternRewriter &rewriter) const override {
    auto unpack = insert.getSource().getDefiningOp<linalg::UnPackOp>();
    std::optional<Tiling> t = unpack ? simpleTiling(unpack) : std::nullopt;
    RankedTensorType destType = insert.getDestType();
    if (!t || insert.getSourceType().getRank() != destType.getRank() ||
        !destType.hasStaticShape())
      return failure();
    ArrayRef<int64_t> offsets = insert.getStaticOffsets(),
                      sizes = insert.getStaticSizes(),
                      strides = insert.getStaticStrides();
    if (llvm::any_of(offsets, ShapedType::isDynamic) ||
        llvm::any_of(sizes, ShapedType::isDynamic) ||
        llvm::any_of(strides, [](int64_t s) { return s != 1; }) ||
        offsets[t->dim] % t->tile != 0 ||
        destType.getDimSize(t->dim) % t->tile != 0)
      return failure();
    Location loc = insert.getLoc();
    // An empty destination's values are not read.
    Value dest = insert.getDest();
    Value packedDest =
        packedOperand(rewriter, loc, dest, t->dim, t->tile,
                      !dest.getDefiningOp<tensor::EmptyOp>());
    SmallVector<int64_t> packedOffsets(offsets), packedSizes(sizes),
        packedStrides(strides);
    packedOffsets[t->dim] /= t->tile;
    packedSizes[t->dim] /= t->tile;
    packedOffsets.push_back(0);
    packedSizes.push_back(t->tile);
    packedStrides.push_back(1);
    MLIRContext *ctx = rewriter.getContext();
    Value packed = tensor::InsertSliceOp::create(
        rewriter, loc, unpack.getSource(), packedDest,
        getAsIndexOpFoldResult(ctx, packedOffsets),
        getAsIndexOpFoldResult(ctx, packedSizes),
        getAsIndexOpFoldResult(ctx, packedStrides));
    replaceWithUnpack(rewriter, insert, packed, t->dim, t->tile);
    return success();
  }
};

struct SinkUnpacksPass : impl::SinkUnpacksBase<SinkUnpacksPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<SinkUnpackThroughGeneric, SinkUnpackThroughPad,
                 SinkUnpackThroughInsertSlice>(ctx);
    // pack(unpack(x)) -> x, pack(fill) -> fill, unused packs and empties.
    linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::PackOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::UnPackOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
