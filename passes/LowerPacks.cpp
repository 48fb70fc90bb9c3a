//===- LowerPacks.cpp - linalg.pack/unpack as pads, reshapes, transposes --===//
//
// Bufferization has no rule for linalg.pack and linalg.unpack: the ones
// that remain after the kernels (at the edges of packed regions) become
// tensor.pad + expand_shape + linalg.transpose, and linalg.transpose +
// collapse_shape + extract_slice, with MLIR's lowerPack / lowerUnPack.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERPACKS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct LowerPacksPass : impl::LowerPacksBase<LowerPacksPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::PackOp, linalg::UnPackOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      bool lowered =
          isa<linalg::PackOp>(op)
              ? succeeded(linalg::lowerPack(rewriter, cast<linalg::PackOp>(op)))
              : succeeded(
                    linalg::lowerUnPack(rewriter, cast<linalg::UnPackOp>(op)));
      if (!lowered) {
        op->emitError("cannot lower this ") << op->getName();
        return signalPassFailure();
      }
    }
  }
};

} // namespace
} // namespace kiln
