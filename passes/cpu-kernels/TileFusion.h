//===- TileFusion.h - What a kernel's tile starts from and ends with -----===//
//
// A CPU kernel holds each output tile in vector registers from its first
// accumulation to its store. The ops around it fuse into that tile:
// - its init (a fill, or a broadcast of a bias) becomes the accumulators'
//   initial value, so the init tensor is never written;
// - an elementwise linalg.generic that reads the kernel's result (bias,
//   batch-norm scale, activation, residual add: FuseElementwise has already
//   merged such chains into one generic) is applied to the registers before
//   they are stored, so the result makes no round trip through memory; the
//   kernel then writes the epilogue's result instead.
// Both address a run of `width` positions along the output's last
// dimension, the kernel's vector lanes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_TILEFUSION_H
#define KILN_PASSES_CPU_KERNELS_TILEFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace kiln {

/// The initial value of a kernel's accumulators, from its init tensor.
class AccumulatorInit {
public:
  explicit AccumulatorInit(mlir::Value init);

  /// Whether the accumulators start from the init's own elements, read
  /// tile by tile (neither a fill nor a broadcast).
  bool readsInit() const { return kind == Kind::Elements; }

  /// The tensor the kernel may write in place of the init: a fill's or a
  /// broadcast's destination (its content is never read), else the init.
  mlir::Value destination() const { return dest; }

  /// The initial vector for `width` positions from output index `index`.
  /// When readsInit(), it is read from `initSlice` at `sliceIndex` (the
  /// init, or the slice of it the kernel is writing).
  mlir::Value emit(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::ValueRange index, int64_t width, bool inBounds,
                   mlir::Value initSlice, mlir::ValueRange sliceIndex) const;

private:
  enum class Kind { Splat, Broadcast, Elements };
  Kind kind = Kind::Elements;
  mlir::Value dest;
  mlir::TypedAttr splat;
  /// For Broadcast: the broadcast tensor and how output indices read it.
  mlir::Value source;
  mlir::AffineMap sourceMap;
};

/// An elementwise generic that consumes a kernel's result.
struct Epilogue {
  mlir::linalg::GenericOp op;
  /// The input operand that reads the kernel's result.
  unsigned kernelInput = 0;

  /// The tensor the kernel writes when fused: the epilogue's init.
  mlir::Value destination() { return op.getDpsInits()[0]; }

  /// Emits the epilogue's body on vectors. `kernelValue` is the kernel's
  /// result for `width` consecutive positions along the last output
  /// dimension, starting at output index `index`; other inputs are read at
  /// the same positions (a vector where they vary along the last dimension,
  /// a broadcast scalar where they do not); `inBounds` says whether all
  /// `width` positions lie inside the output (else the reads are masked).
  /// Returns the vector to store.
  mlir::Value emit(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::Value kernelValue, mlir::ValueRange index,
                   int64_t width, bool inBounds);
};

/// The epilogue that can be fused into the kernel producing `result`, if
/// any: the single user of `result`, an all-parallel linalg.generic with one
/// result, identity maps for its output and for `result`, a body of
/// elementwise-mappable ops that does not read its output, and other inputs
/// that either vary contiguously along the last dimension or not at all.
std::optional<Epilogue> findFusableEpilogue(mlir::Value result);

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_TILEFUSION_H
