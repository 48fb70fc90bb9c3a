//===- TileLoops.cpp - Loops over the independent tiles of a kernel ------===//
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {
namespace {

SmallVector<OpFoldResult> asAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  SmallVector<OpFoldResult> attrs;
  for (int64_t v : values)
    attrs.push_back(b.getIndexAttr(v));
  return attrs;
}

} // namespace

Value buildTileLoops(RewriterBase &rewriter, Location loc,
                     ArrayRef<int64_t> counts, Value dest, bool parallel,
                     function_ref<TileSlice(ValueRange)> slice,
                     function_ref<Value(ValueRange, Value)> body) {
  auto destType = cast<RankedTensorType>(dest.getType());
  SmallVector<OpFoldResult> unitStrides(destType.getRank(),
                                        rewriter.getIndexAttr(1));
  auto extract = [&](Value from, const TileSlice &s) -> Value {
    auto type = RankedTensorType::get(s.sizes, destType.getElementType());
    return tensor::ExtractSliceOp::create(rewriter, loc, type, from, s.offsets,
                                          asAttrs(rewriter, s.sizes),
                                          unitStrides);
  };
  int64_t iterations = 1;
  for (int64_t c : counts)
    iterations *= c;

  if (parallel && iterations > 1) {
    auto forall =
        scf::ForallOp::create(rewriter, loc, asAttrs(rewriter, counts),
                              ValueRange{dest}, std::nullopt);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(forall.getBody());
    SmallVector<Value> ivs = forall.getInductionVars();
    Value out = forall.getRegionIterArgs()[0];
    TileSlice s = slice(ivs);
    Value tile = body(ivs, extract(out, s));
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(rewriter, loc, tile, out, s.offsets,
                                          asAttrs(rewriter, s.sizes),
                                          unitStrides);
    return forall.getResult(0);
  }

  // Serial: a nest of scf.for carrying the destination.
  OpBuilder::InsertionGuard guard(rewriter);
  SmallVector<Value> ivs;
  SmallVector<scf::ForOp> loops;
  Value current = dest;
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  for (int64_t count : counts) {
    if (count == 1) {
      ivs.push_back(zero);
      continue;
    }
    Value upper = arith::ConstantIndexOp::create(rewriter, loc, count);
    auto loop = scf::ForOp::create(rewriter, loc, zero, upper, one,
                                   ValueRange{current});
    loops.push_back(loop);
    rewriter.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
    current = loop.getRegionIterArgs()[0];
  }
  TileSlice s = slice(ivs);
  Value tile = body(ivs, extract(current, s));
  Value inserted =
      tensor::InsertSliceOp::create(rewriter, loc, tile, current, s.offsets,
                                    asAttrs(rewriter, s.sizes), unitStrides);
  for (scf::ForOp loop : llvm::reverse(loops)) {
    scf::YieldOp::create(rewriter, loc, inserted);
    inserted = loop.getResult(0);
    rewriter.setInsertionPointAfter(loop);
  }
  return inserted;
}

} // namespace kiln
