//===- DistributeToThreads.cpp - Large linalg ops into per-thread chunks --===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_DISTRIBUTETOTHREADS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct DistributeToThreadsPass
    : impl::DistributeToThreadsBase<DistributeToThreadsPass> {
  using DistributeToThreadsBase::DistributeToThreadsBase;

  void runOnOperation() override {
    if (threads < 2)
      return;
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](func::FuncOp func) {
      for (Operation &op : func.getBody().getOps())
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
          if (linalgOp.hasPureTensorSemantics())
            candidates.push_back(linalgOp);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      std::optional<int64_t> dim = chooseDim(op);
      if (!dim)
        continue;
      SmallVector<OpFoldResult> numThreads(*dim + 1, rewriter.getIndexAttr(0));
      numThreads[*dim] = rewriter.getIndexAttr(threads);
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp)
          .setNumThreads(numThreads);
      rewriter.setInsertionPoint(op);
      auto tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue; // Stays serial: correct, only slower.
      rewriter.replaceOp(op, tiled->replacements);
    }
  }

  /// The first parallel loop with at least `threads` iterations, for ops
  /// with enough work; none otherwise.
  std::optional<int64_t> chooseDim(linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t iterations = 1;
    for (int64_t r : ranges) {
      if (ShapedType::isDynamic(r))
        return std::nullopt;
      iterations *= r;
    }
    if (iterations < minIterations)
      return std::nullopt;
    for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray()))
      if (type == utils::IteratorType::parallel && ranges[i] >= threads)
        return i;
    return std::nullopt;
  }
};

} // namespace
} // namespace kiln
