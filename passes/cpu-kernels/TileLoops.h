//===- TileLoops.h - Loops over the independent tiles of a kernel --------===//
//
// A kernel's outer loops visit independent slices of its output (panels of
// a matrix product, rows of output channels of a convolution). With threads
// they are one scf.forall, which bufferization and forall-to-parallel turn
// into an OpenMP loop; serially, a nest of scf.for. Either way on tensors:
// each iteration extracts its slice of the destination, computes it and
// inserts it back.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_TILELOOPS_H
#define KILN_PASSES_CPU_KERNELS_TILELOOPS_H

#include "mlir/IR/PatternMatch.h"

namespace kiln {

/// The slice of the destination one iteration writes.
struct TileSlice {
  llvm::SmallVector<mlir::OpFoldResult> offsets;
  llvm::SmallVector<int64_t> sizes;
};

/// Builds loops over the iteration space `counts` that write `dest`, as an
/// scf.forall when `parallel` (and there is more than one iteration), else
/// as nested scf.for. For each iteration, `slice` gives the slice of `dest`
/// it writes (unit strides) and `body` computes the new slice from the old;
/// `slice` runs first, in the iteration's body, so `body` may use values it
/// created. Returns the final destination.
mlir::Value buildTileLoops(
    mlir::RewriterBase &rewriter, mlir::Location loc,
    llvm::ArrayRef<int64_t> counts, mlir::Value dest, bool parallel,
    llvm::function_ref<TileSlice(mlir::ValueRange ivs)> slice,
    llvm::function_ref<mlir::Value(mlir::ValueRange ivs, mlir::Value tile)>
        body);

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_TILELOOPS_H
