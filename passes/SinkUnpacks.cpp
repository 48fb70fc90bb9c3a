//===- SinkUnpacks.cpp - Keep packed layouts through elementwise ops -----===//
//
// A kernel that computes in a packed layout (the CPU's channel-blocked
// convolutions) leaves its result as unpack(packed) and reads its operands
// as pack(x). Between two such kernels there are elementwise ops (the
// residual add, activations): this pass moves each unpack below the
// elementwise generic that reads it, so that the generic runs on the packed
// data, and the next kernel's pack(unpack(y)) folds to y. Activations then
// stay packed from one kernel to the next.
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
      !unpack.getOuterDimsPerm().empty())
    return std::nullopt;
  SmallVector<int64_t> tiles = unpack.getStaticTiles();
  if (ShapedType::isDynamic(tiles[0]))
    return std::nullopt;
  Tiling t{unpack.getInnerDimsPos()[0], tiles[0]};
  // Exactly the packed tiles, no padding dropped and none left out.
  int64_t size = unpack.getDestType().getDimSize(t.dim);
  if (ShapedType::isDynamic(size) ||
      size != unpack.getSourceType().getDimSize(t.dim) * t.tile)
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

struct SinkUnpackThroughElementwise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op->getNumResults() != 1 ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !op.getIndexingMapsArray().back().isIdentity())
      return failure();
    for (Operation &inner : op.getRegion().front())
      if (isa<linalg::IndexOp, tensor::ExtractOp>(inner))
        return failure();
    // The tiling of the first unpacked input read through an identity map;
    // every other unpacked input must share it.
    std::optional<Tiling> tiling;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto unpack = input->get().getDefiningOp<linalg::UnPackOp>();
      if (!unpack || !op.getMatchingIndexingMap(input).isIdentity())
        continue;
      std::optional<Tiling> t = simpleTiling(unpack);
      if (!t)
        continue;
      if (!tiling)
        tiling = t;
    }
    if (!tiling)
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = resultType.getRank();
    int64_t tiledSize = resultType.getDimSize(tiling->dim);

    // The packed operands and their maps over (loops..., point loop).
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    AffineExpr point = getAffineDimExpr(rank, ctx);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      SmallVector<AffineExpr> exprs;
      std::optional<int64_t> tiledResult;
      for (auto [i, e] : llvm::enumerate(map.getResults())) {
        exprs.push_back(e);
        if (!e.isFunctionOfDim(tiling->dim))
          continue;
        // Only the tiled loop itself can be split into (block, lane).
        auto d = dyn_cast<AffineDimExpr>(e);
        if (!d || tiledResult)
          return failure();
        tiledResult = i;
      }
      auto type = dyn_cast<RankedTensorType>(input->get().getType());
      if (!tiledResult) {
        // Does not vary along the tiled dimension: read as before.
        inputs.push_back(input->get());
        maps.push_back(AffineMap::get(rank + 1, 0, exprs, ctx));
        continue;
      }
      if (!type || type.getDimSize(*tiledResult) != tiledSize)
        return failure();
      exprs.push_back(point);
      maps.push_back(AffineMap::get(rank + 1, 0, exprs, ctx));
      auto unpack = input->get().getDefiningOp<linalg::UnPackOp>();
      std::optional<Tiling> t = unpack ? simpleTiling(unpack) : std::nullopt;
      if (t && t->dim == *tiledResult && t->tile == tiling->tile)
        inputs.push_back(unpack.getSource());
      else
        inputs.push_back(
            pack(rewriter, loc, input->get(), *tiledResult, tiling->tile));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank + 1, ctx));

    Block &body = op.getRegion().front();
    Value init = op.getDpsInits()[0];
    // An init the body never reads needs no packing, only a shape.
    Value packedInit =
        body.getArguments().back().use_empty()
            ? tensor::EmptyOp::create(
                  rewriter, loc,
                  packedShape(resultType, tiling->dim, tiling->tile),
                  resultType.getElementType())
                  .getResult()
            : pack(rewriter, loc, init, tiling->dim, tiling->tile);
    SmallVector<utils::IteratorType> iterators(rank + 1,
                                               utils::IteratorType::parallel);
    auto packed =
        linalg::GenericOp::create(rewriter, loc, packedInit.getType(), inputs,
                                  packedInit, maps, iterators);
    rewriter.inlineRegionBefore(op.getRegion(), packed.getRegion(),
                                packed.getRegion().begin());
    Value dest = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    rewriter.replaceOpWithNewOp<linalg::UnPackOp>(
        op, packed.getResult(0), dest, ArrayRef<int64_t>{tiling->dim},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(tiling->tile)});
    return success();
  }
};

struct SinkUnpacksPass : impl::SinkUnpacksBase<SinkUnpacksPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<SinkUnpackThroughElementwise>(ctx);
    // pack(unpack(x)) -> x, unused packs and empties.
    linalg::PackOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::UnPackOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
