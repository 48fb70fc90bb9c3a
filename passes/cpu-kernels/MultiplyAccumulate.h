//===- MultiplyAccumulate.h - The structured ops the CPU kernels take ----===//
//
// The CPU's kernel passes recognise a linalg.generic whose body is one
// math.fma, acc = fma(input0, input1, acc): the blocked convolutions that
// CpuBlockConvolutions makes for CpuConvKernels, and the matrix products
// that Winograd and im2col make for CpuGemmKernels. These build them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_MULTIPLYACCUMULATE_H
#define KILN_PASSES_CPU_KERNELS_MULTIPLYACCUMULATE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace kiln {

/// acc = fma(inputs[0], inputs[1], acc) over `maps` and `iterators`, into
/// `init`.
mlir::linalg::GenericOp
buildMultiplyAccumulate(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::ValueRange inputs, mlir::Value init,
                        llvm::ArrayRef<mlir::AffineMap> maps,
                        llvm::ArrayRef<mlir::utils::IteratorType> iterators);

/// The f32 matrix product lhs x rhs from zero: [M, K] x [K, N] -> [M, N],
/// or a batch of them, [B, M, K] x [B, K, N] -> [B, M, N].
mlir::Value buildMatrixProduct(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value lhs, mlir::Value rhs);

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_MULTIPLYACCUMULATE_H
