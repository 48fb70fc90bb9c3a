//===- CpuConvKernels.cpp - Blocked convolutions as register-tiled kernels ===//
//
// Lowers the channel-blocked convolutions of CpuBlockConvolutions
// (BlockedConv.h) to vector code. The output block c equals the vector
// width, so one vector register holds c output channels of one pixel:
//
// - A tile is `pixels` consecutive output pixels of one row (along the last
//   spatial dimension) times `blocks`
//   channel blocks, `pixels * blocks` accumulators that stay in registers
//   for the whole reduction (14 x 2 = 28 of the 32 AVX-512 registers, two
//   more holding the filter vectors and one the broadcast input; an odd
//   number of channel blocks gives 28 x 1).
// - The reduction runs over (input block, taps, input channel), the input
//   blocks being those of the tile's block group when grouped: per step
//   it loads the `blocks` filter vectors of that tap (contiguous in the
//   packed filter), broadcasts the input value of each of the tile's pixels
//   and issues one FMA per accumulator: (pixels + blocks) loads per
//   pixels * blocks FMAs, for any stride and dilation.
// - Accumulators start from the init (the bias, see TileFusion.h) and the
//   elementwise consumer (activation, residual add) is applied before the
//   store.
// - The independent (image, channel-block group, outer spatial indices)
//   rows are the iterations of an scf.forall with threads (when the
//   convolution has enough work to pay for a parallel region); a row's
//   pixel tiles are a loop, with a smaller tail tile where the row does not
//   divide.
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
  /// One filter per channel (BlockedConv.h's second form).
  bool depthwise = false;
  /// Independent dense convolutions of a grouped one (BlockedConv.h).
  int64_t blockGroups = 1;
  int64_t spatial = 0;
  SmallVector<int64_t> strides, dilations;
  // Shapes: input [B, C1, I..., cIn], filter [F1, C1/blockGroups, K...,
  // cIn, c] (or [C1, K..., c] when depthwise), output [B, F1, O..., c].
  ArrayRef<int64_t> in, filter, out;

  /// Multiply-adds of the whole convolution.
  int64_t macs() const {
    int64_t n = 1;
    for (int64_t d : out)
      n *= d;
    for (int64_t d : filter.drop_front().drop_back())
      n *= d;
    return n;
  }

  /// Output blocks of each block group.
  int64_t outBlocksPerGroup() const { return out[1] / blockGroups; }

  /// The taps K_1..K_N.
  ArrayRef<int64_t> taps() const {
    return filter.slice(depthwise ? 1 : 2, spatial);
  }
};

std::optional<BlockedConv> matchBlockedConv(linalg::GenericOp op,
                                            int64_t vectorWidth) {
  auto params = op->getAttrOfType<DenseI64ArrayAttr>(kBlockedConvAttr);
  bool depthwise = !params;
  if (depthwise)
    params = op->getAttrOfType<DenseI64ArrayAttr>(kBlockedDepthwiseAttr);
  if (!params || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  if (!matchPattern(op.getDpsInputs()[1], m_Constant()))
    return std::nullopt;
  BlockedConv conv;
  conv.op = op;
  conv.depthwise = depthwise;
  conv.in = cast<RankedTensorType>(op.getDpsInputs()[0].getType()).getShape();
  conv.filter =
      cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
  conv.out = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  conv.spatial = static_cast<int64_t>(conv.out.size()) - 3;
  if (conv.spatial < 1 || params.size() != 2 * conv.spatial ||
      conv.out.back() != vectorWidth || conv.filter.back() != vectorWidth)
    return std::nullopt;
  conv.strides.assign(params.asArrayRef().begin(),
                      params.asArrayRef().begin() + conv.spatial);
  conv.dilations.assign(params.asArrayRef().begin() + conv.spatial,
                        params.asArrayRef().end());
  if (!depthwise) {
    // The filter's input blocks are those of one block group.
    if (conv.in[1] % conv.filter[1] != 0)
      return std::nullopt;
    conv.blockGroups = conv.in[1] / conv.filter[1];
    if (conv.out[1] % conv.blockGroups != 0)
      return std::nullopt;
  }
  // The maps must be the blocked form's (the attribute could have been
  // carried onto something else).
  auto maps = depthwise
                  ? blockedDepthwiseMaps(op.getContext(), conv.spatial,
                                         conv.strides, conv.dilations)
                  : blockedConvMaps(op.getContext(), conv.spatial, conv.strides,
                                    conv.dilations, conv.blockGroups,
                                    conv.outBlocksPerGroup(), conv.filter[1]);
  if (op.getIndexingMapsArray() != maps)
    return std::nullopt;
  return conv;
}

/// The vector registers of the target: 32 with AVX-512's 16 f32 lanes, 16
/// with AVX2's 8.
int64_t vectorRegisters(int64_t vectorWidth) {
  return vectorWidth >= 16 ? 32 : 16;
}

/// Output channel blocks and pixels (along the last spatial dimension) per
/// register tile.
struct ConvTiling {
  int64_t blocks, pixels;
};

ConvTiling chooseTiling(const BlockedConv &conv, int64_t registers) {
  // A depthwise tile is one channel block: each input vector serves one
  // accumulator, so more blocks would not save loads. The blocks of a tile
  // are in one block group: they read the same input.
  int64_t blocks = conv.outBlocksPerGroup() % 2 == 0 && !conv.depthwise ? 2 : 1;
  // Of the vector registers, the filter vectors (up to two), one broadcast
  // and one spare; the rest are accumulators (28 of AVX-512's 32).
  int64_t maxPixels = (registers - 4) / blocks;
  int64_t width = conv.out[conv.out.size() - 2];
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
  Value mul(Value a, int64_t b) {
    return b == 1 ? a : arith::MulIOp::create(*rewriter, loc, a, index(b));
  }

  /// The first input block read by output block `f1`: that of its block
  /// group.
  Value firstInputBlock(Value f1) {
    Value group = arith::DivUIOp::create(*rewriter, loc, f1,
                                         index(conv.outBlocksPerGroup()));
    return mul(group, conv.filter[1]);
  }

  /// Computes `pixels` output pixels from `column` of the row at `outer`
  /// (image, first channel block, outer spatial indices) into `tile`
  /// ([1, blocks, 1..., O_N, c]).
  Value emitTile(Value tile, ArrayRef<Value> outer, Value column,
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
  int64_t blocks = tiling.blocks, rank = conv.out.size();
  int64_t width = conv.out[rank - 2];
  int64_t fullTiles = width / tiling.pixels, tail = width % tiling.pixels;

  // Iterations: image, channel block group, every spatial index but the
  // last.
  SmallVector<int64_t> counts{conv.out[0], conv.out[1] / blocks};
  llvm::append_range(counts, conv.out.slice(2, conv.spatial - 1));
  auto outer = [&](ValueRange ivs) {
    SmallVector<Value> values(ivs);
    values[1] = mul(ivs[1], blocks);
    return values;
  };
  Value result = buildTileLoops(
      *rewriter, loc, counts, dest, parallel,
      [&](ValueRange ivs) {
        TileSlice slice;
        for (Value v : outer(ivs))
          slice.offsets.push_back(v);
        slice.offsets.append(2, rewriter->getIndexAttr(0));
        slice.sizes.assign(rank, 1);
        slice.sizes[1] = blocks;
        slice.sizes[rank - 2] = width;
        slice.sizes[rank - 1] = conv.out[rank - 1];
        return slice;
      },
      [&](ValueRange ivs, Value tile) {
        SmallVector<Value> at = outer(ivs);
        if (fullTiles > 0) {
          auto loop = scf::ForOp::create(
              *rewriter, loc, index(0), index(fullTiles * tiling.pixels),
              index(tiling.pixels), ValueRange{tile});
          OpBuilder::InsertionGuard guard(*rewriter);
          rewriter->setInsertionPointToStart(loop.getBody());
          scf::YieldOp::create(*rewriter, loc,
                               emitTile(loop.getRegionIterArgs()[0], at,
                                        loop.getInductionVar(), tiling.pixels));
          tile = loop.getResult(0);
        }
        if (tail > 0)
          tile = emitTile(tile, at, index(fullTiles * tiling.pixels), tail);
        return tile;
      });
  rewriter->replaceOp(last, result);
  if (epilogue)
    rewriter->eraseOp(conv.op);
}

Value ConvEmitter::emitTile(Value tile, ArrayRef<Value> outer, Value column,
                            int64_t pixels) {
  int64_t blocks = tiling.blocks, rank = conv.out.size(), c = conv.out.back();
  int64_t n = conv.spatial;
  auto vectorType = VectorType::get({c}, rewriter->getF32Type());
  Value input = conv.op.getDpsInputs()[0], filter = conv.op.getDpsInputs()[1];
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));
  // Output indices of pixel p, block b: in the output, in the tile.
  auto outIndex = [&](int64_t p, int64_t b) {
    SmallVector<Value> index(outer);
    index[1] = add(outer[1], b);
    index.push_back(add(column, p));
    index.push_back(this->index(0));
    return index;
  };
  auto tileIndex = [&](int64_t p, int64_t b) {
    SmallVector<Value> at(rank, index(0));
    at[1] = index(b);
    at[rank - 2] = add(column, p);
    return at;
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

  Value groupBase;
  if (conv.blockGroups > 1)
    groupBase = firstInputBlock(outer[1]);

  // The reduction: input blocks, the taps k_1..k_N, input channels (only
  // the taps when depthwise); each loop carries the accumulators.
  OpBuilder::InsertionGuard guard(*rewriter);
  SmallVector<scf::ForOp> loops;
  SmallVector<int64_t> extents;
  if (!conv.depthwise)
    extents.push_back(conv.filter[1]);
  llvm::append_range(extents, conv.taps());
  if (!conv.depthwise)
    extents.push_back(conv.in.back());
  ValueRange carried = initial;
  for (int64_t extent : extents) {
    auto loop = scf::ForOp::create(*rewriter, loc, index(0), index(extent),
                                   index(1), carried);
    rewriter->setInsertionPointToStart(loop.getBody());
    loops.push_back(loop);
    carried = loop.getRegionIterArgs();
  }
  int64_t firstTap = conv.depthwise ? 0 : 1;
  SmallVector<Value> taps;
  for (int64_t i = 0; i < n; ++i)
    taps.push_back(loops[firstTap + i].getInductionVar());
  // The input block and lane: the output's own when depthwise, else the
  // reduction's within the tile's block group.
  Value c1 = conv.depthwise ? outer[1] : loops.front().getInductionVar();
  Value inputBlock =
      groupBase ? arith::AddIOp::create(*rewriter, loc, groupBase, c1) : c1;
  Value c0 = conv.depthwise ? index(0) : loops.back().getInductionVar();
  // Input position of pixel 0: o_i * s_i + k_i * d_i.
  SmallVector<Value> inputIndex{outer[0], inputBlock};
  for (int64_t i = 0; i < n; ++i) {
    Value o = i + 1 < n ? outer[2 + i] : column;
    inputIndex.push_back(
        arith::AddIOp::create(*rewriter, loc, mul(o, conv.strides[i]),
                              mul(taps[i], conv.dilations[i])));
  }
  inputIndex.push_back(c0);
  SmallVector<Value> weights;
  for (int64_t b = 0; b < blocks; ++b) {
    SmallVector<Value> filterIndex{add(outer[1], b)};
    if (!conv.depthwise)
      filterIndex.push_back(c1);
    llvm::append_range(filterIndex, taps);
    if (!conv.depthwise)
      filterIndex.push_back(c0);
    filterIndex.push_back(index(0));
    weights.push_back(vector::TransferReadOp::create(*rewriter, loc, vectorType,
                                                     filter, filterIndex, zero,
                                                     ArrayRef<bool>{true}));
  }
  SmallVector<Value> acc(carried);
  for (int64_t p = 0; p < pixels; ++p) {
    SmallVector<Value> at(inputIndex);
    at[1 + n] = add(inputIndex[1 + n], p * conv.strides[n - 1]);
    // A broadcast input channel against the filter vectors; depthwise, the
    // input vector of the same channels.
    Value x =
        conv.depthwise
            ? vector::TransferReadOp::create(*rewriter, loc, vectorType, input,
                                             at, zero, ArrayRef<bool>{true})
                  .getResult()
            : vector::BroadcastOp::create(
                  *rewriter, loc, vectorType,
                  tensor::ExtractOp::create(*rewriter, loc, input, at))
                  .getResult();
    for (int64_t b = 0; b < blocks; ++b) {
      Value &slot = acc[p * blocks + b];
      slot = vector::FMAOp::create(*rewriter, loc, x, weights[b], slot);
    }
  }
  scf::YieldOp::create(*rewriter, loc, acc);
  // Each enclosing loop yields its inner loop's results.
  for (int64_t i = loops.size() - 2; i >= 0; --i) {
    rewriter->setInsertionPointToEnd(loops[i].getBody());
    scf::YieldOp::create(*rewriter, loc, loops[i + 1].getResults());
  }
  rewriter->setInsertionPointAfter(loops.front());

  // Epilogue and stores.
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t b = 0; b < blocks; ++b) {
      Value value = loops.front().getResult(p * blocks + b);
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
      bool parallel = threads > 1 && conv.macs() >= minParallelWork;
      ConvEmitter emitter(conv, findFusableEpilogue(conv.op->getResult(0)),
                          chooseTiling(conv, vectorRegisters(vectorWidth)),
                          parallel);
      emitter.emit(rewriter);
    }
  }
};

} // namespace
} // namespace kiln
