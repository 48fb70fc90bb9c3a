//===- CpuConvKernels.cpp - Blocked convolutions as register-tiled kernels ===//
//
// Lowers the channel-blocked convolutions of CpuBlockConvolutions
// (BlockedConv.h) to vector code. The output block c equals the vector
// width, so one vector register holds c output channels of one pixel:
//
// - A tile is `pixels` consecutive output pixels of one row times `blocks`
//   channel blocks, `pixels * blocks` accumulators that stay in registers
//   for the whole reduction (14 x 2 = 28 of the 32 AVX-512 registers, the
//   other four holding the filter vectors and the broadcast input).
// - The reduction runs over (input block, kh, kw, input channel): per step
//   it loads the `blocks` filter vectors of that tap (contiguous in the
//   packed filter), broadcasts the input value of each of the tile's pixels
//   and issues one FMA per accumulator: (pixels + blocks) loads per
//   pixels * blocks FMAs, for any stride and dilation.
// - Accumulators start from the init (the bias, see TileFusion.h) and the
//   elementwise consumer (activation, residual add) is applied before the
//   store.
// - The independent (image, channel-block group, output row) triples are
//   the iterations of an scf.forall with threads; a row's pixel tiles are
//   a loop, with a smaller tail tile where the row does not divide.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/cpu-kernels/BlockedConv.h"
#include "passes/cpu-kernels/TileFusion.h"
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_CPUCONVKERNELS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct BlockedConv {
  linalg::GenericOp op;
  int64_t strideH, strideW, dilationH, dilationW;
  // Shapes: input [N, C1, Hp, Wp, cIn], filter [F1, C1, KH, KW, cIn, c],
  // output [N, F1, OH, OW, c].
  ArrayRef<int64_t> in, filter, out;
};

std::optional<BlockedConv> matchBlockedConv(linalg::GenericOp op,
                                            int64_t vectorWidth) {
  auto params = op->getAttrOfType<DenseI64ArrayAttr>(kBlockedConvAttr);
  if (!params || params.size() != 4 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics())
    return std::nullopt;
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  if (!matchPattern(op.getDpsInputs()[1], m_Constant()))
    return std::nullopt;
  BlockedConv conv{op, params[0], params[1], params[2], params[3], {}, {}, {}};
  conv.in = cast<RankedTensorType>(op.getDpsInputs()[0].getType()).getShape();
  conv.filter =
      cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
  conv.out = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  if (conv.in.size() != 5 || conv.filter.size() != 6 || conv.out.size() != 5 ||
      conv.out[4] != vectorWidth || conv.filter[5] != vectorWidth)
    return std::nullopt;
  // The maps must be the blocked form's (the attribute could have been
  // carried onto something else).
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> expected{
      AffineMap::get(9, 0,
                     {d(0), d(5), d(2) * conv.strideH + d(6) * conv.dilationH,
                      d(3) * conv.strideW + d(7) * conv.dilationW, d(8)},
                     ctx),
      AffineMap::get(9, 0, {d(1), d(5), d(6), d(7), d(8), d(4)}, ctx),
      AffineMap::get(9, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
  if (op.getIndexingMapsArray() != expected)
    return std::nullopt;
  return conv;
}

/// Output channel blocks and pixels per register tile.
struct ConvTiling {
  int64_t blocks, pixels;
};

ConvTiling chooseTiling(const BlockedConv &conv) {
  int64_t blocks = conv.out[1] % 2 == 0 ? 2 : 1;
  // 32 vector registers: blocks filter vectors, one broadcast, the rest
  // accumulators (at most 28 so that LLVM has room for addresses).
  int64_t maxPixels = std::min<int64_t>(28 / blocks, 32 - blocks - 1);
  int64_t width = conv.out[3];
  if (width <= maxPixels)
    return {blocks, width};
  // The widest tile that divides the row, if it is at least half the
  // widest; else the widest, with a tail.
  for (int64_t p = maxPixels; p > maxPixels / 2; --p)
    if (width % p == 0)
      return {blocks, p};
  return {blocks, maxPixels};
}

class ConvEmitter {
public:
  ConvEmitter(BlockedConv conv, std::optional<Epilogue> epilogue,
              ConvTiling tiling, bool parallel)
      : conv(conv), init(conv.op.getDpsInits()[0]), epilogue(epilogue),
        tiling(tiling), parallel(parallel) {}

  void emit(RewriterBase &rewriter);

private:
  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(*rewriter, loc, v);
  }
  Value add(Value a, int64_t b) {
    return b == 0 ? a : arith::AddIOp::create(*rewriter, loc, a, index(b));
  }
  Value mulAdd(Value a, int64_t m, Value b) {
    Value product =
        m == 1 ? a
               : arith::MulIOp::create(*rewriter, loc, a, index(m)).getResult();
    return arith::AddIOp::create(*rewriter, loc, product, b);
  }

  /// Computes `pixels` output pixels from `column` of row `row` into
  /// `tile` ([1, blocks, 1, OW, c]).
  Value emitTile(Value tile, Value image, Value block, Value row, Value column,
                 int64_t pixels);

  BlockedConv conv;
  AccumulatorInit init;
  std::optional<Epilogue> epilogue;
  ConvTiling tiling;
  bool parallel;
  RewriterBase *rewriter = nullptr;
  Location loc = UnknownLoc();
};

void ConvEmitter::emit(RewriterBase &r) {
  rewriter = &r;
  loc = conv.op.getLoc();
  Operation *last = epilogue ? epilogue->op.getOperation() : conv.op;
  rewriter->setInsertionPoint(last);
  Value dest = epilogue ? epilogue->destination() : init.destination();
  int64_t blocks = tiling.blocks, width = conv.out[3], c = conv.out[4];
  int64_t fullTiles = width / tiling.pixels, tail = width % tiling.pixels;

  Value result = buildTileLoops(
      *rewriter, loc, {conv.out[0], conv.out[1] / blocks, conv.out[2]}, dest,
      parallel,
      [&](ValueRange ivs) {
        Value block =
            arith::MulIOp::create(*rewriter, loc, ivs[1], index(blocks));
        return TileSlice{{ivs[0], block, ivs[2], rewriter->getIndexAttr(0),
                          rewriter->getIndexAttr(0)},
                         {1, blocks, 1, width, c}};
      },
      [&](ValueRange ivs, Value tile) {
        Value block =
            arith::MulIOp::create(*rewriter, loc, ivs[1], index(blocks));
        if (fullTiles > 0) {
          auto loop = scf::ForOp::create(
              *rewriter, loc, index(0), index(fullTiles * tiling.pixels),
              index(tiling.pixels), ValueRange{tile});
          OpBuilder::InsertionGuard guard(*rewriter);
          rewriter->setInsertionPointToStart(loop.getBody());
          scf::YieldOp::create(*rewriter, loc,
                               emitTile(loop.getRegionIterArgs()[0], ivs[0],
                                        block, ivs[2], loop.getInductionVar(),
                                        tiling.pixels));
          tile = loop.getResult(0);
        }
        if (tail > 0)
          tile = emitTile(tile, ivs[0], block, ivs[2],
                          index(fullTiles * tiling.pixels), tail);
        return tile;
      });
  rewriter->replaceOp(last, result);
  if (epilogue)
    rewriter->eraseOp(conv.op);
}

Value ConvEmitter::emitTile(Value tile, Value image, Value block, Value row,
                            Value column, int64_t pixels) {
  int64_t blocks = tiling.blocks, c = conv.out[4];
  auto vectorType = VectorType::get({c}, rewriter->getF32Type());
  Value input = conv.op.getDpsInputs()[0], filter = conv.op.getDpsInputs()[1];
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));
  auto outIndex = [&](int64_t p, int64_t b) {
    return SmallVector<Value>{image, add(block, b), row, add(column, p),
                              index(0)};
  };
  auto tileIndex = [&](int64_t p, int64_t b) {
    return SmallVector<Value>{index(0), index(b), index(0), add(column, p),
                              index(0)};
  };

  // Initial accumulators, [pixel][block].
  SmallVector<Value> initial;
  bool fromInit = epilogue && init.readsInit();
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t b = 0; b < blocks; ++b) {
      SmallVector<Value> full = outIndex(p, b);
      initial.push_back(init.emit(*rewriter, loc, full, c, /*inBounds=*/true,
                                  fromInit ? conv.op.getDpsInits()[0] : tile,
                                  fromInit ? full : tileIndex(p, b)));
    }

  // The reduction: input blocks, kh, kw, input channels.
  auto loopOver = [&](int64_t count, ValueRange iterArgs) {
    return scf::ForOp::create(*rewriter, loc, index(0), index(count), index(1),
                              iterArgs);
  };
  OpBuilder::InsertionGuard guard(*rewriter);
  auto c1Loop = loopOver(conv.in[1], initial);
  rewriter->setInsertionPointToStart(c1Loop.getBody());
  auto khLoop = loopOver(conv.filter[2], c1Loop.getRegionIterArgs());
  rewriter->setInsertionPointToStart(khLoop.getBody());
  Value inRow =
      mulAdd(khLoop.getInductionVar(), conv.dilationH,
             arith::MulIOp::create(*rewriter, loc, row, index(conv.strideH)));
  auto kwLoop = loopOver(conv.filter[3], khLoop.getRegionIterArgs());
  rewriter->setInsertionPointToStart(kwLoop.getBody());
  Value inColumn = mulAdd(
      kwLoop.getInductionVar(), conv.dilationW,
      arith::MulIOp::create(*rewriter, loc, column, index(conv.strideW)));
  auto c0Loop = loopOver(conv.in[4], kwLoop.getRegionIterArgs());
  rewriter->setInsertionPointToStart(c0Loop.getBody());
  {
    Value c1 = c1Loop.getInductionVar(), kh = khLoop.getInductionVar(),
          kw = kwLoop.getInductionVar(), c0 = c0Loop.getInductionVar();
    SmallVector<Value> weights;
    for (int64_t b = 0; b < blocks; ++b)
      weights.push_back(vector::TransferReadOp::create(
          *rewriter, loc, vectorType, filter,
          ValueRange{add(block, b), c1, kh, kw, c0, index(0)}, zero,
          ArrayRef<bool>{true}));
    SmallVector<Value> acc(c0Loop.getRegionIterArgs());
    for (int64_t p = 0; p < pixels; ++p) {
      Value x = tensor::ExtractOp::create(
          *rewriter, loc, input,
          ValueRange{image, c1, inRow, add(inColumn, p * conv.strideW), c0});
      Value broadcast =
          vector::BroadcastOp::create(*rewriter, loc, vectorType, x);
      for (int64_t b = 0; b < blocks; ++b) {
        Value &slot = acc[p * blocks + b];
        slot =
            vector::FMAOp::create(*rewriter, loc, broadcast, weights[b], slot);
      }
    }
    scf::YieldOp::create(*rewriter, loc, acc);
  }
  // Close the outer loops: each yields its inner loop's results.
  rewriter->setInsertionPointToEnd(kwLoop.getBody());
  scf::YieldOp::create(*rewriter, loc, c0Loop.getResults());
  rewriter->setInsertionPointToEnd(khLoop.getBody());
  scf::YieldOp::create(*rewriter, loc, kwLoop.getResults());
  rewriter->setInsertionPointToEnd(c1Loop.getBody());
  scf::YieldOp::create(*rewriter, loc, khLoop.getResults());
  rewriter->setInsertionPointAfter(c1Loop);

  // Epilogue and stores.
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t b = 0; b < blocks; ++b) {
      Value value = c1Loop.getResult(p * blocks + b);
      if (epilogue)
        value = epilogue->emit(*rewriter, loc, value, outIndex(p, b), c,
                               /*inBounds=*/true);
      tile =
          vector::TransferWriteOp::create(*rewriter, loc, value, tile,
                                          tileIndex(p, b), ArrayRef<bool>{true})
              .getResult();
    }
  return tile;
}

struct CpuConvKernelsPass : impl::CpuConvKernelsBase<CpuConvKernelsPass> {
  using CpuConvKernelsBase::CpuConvKernelsBase;

  void runOnOperation() override {
    SmallVector<BlockedConv> convs;
    getOperation().walk([&](linalg::GenericOp op) {
      if (auto conv = matchBlockedConv(op, vectorWidth))
        convs.push_back(*conv);
    });
    IRRewriter rewriter(&getContext());
    for (BlockedConv &conv : convs) {
      ConvEmitter emitter(conv, findFusableEpilogue(conv.op->getResult(0)),
                          chooseTiling(conv), threads > 1);
      emitter.emit(rewriter);
    }
  }
};

} // namespace
} // namespace kiln
