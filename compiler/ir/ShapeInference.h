//===- ShapeInference.h - Shape rules shared by nn ops ----------*- C++ -*-===//
//
// The shape arithmetic of ONNX-style ops, used by the ops' type inference and
// by frontends that must compute attributes (auto_pad, ceil_mode).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_IR_SHAPEINFERENCE_H
#define KILN_COMPILER_IR_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace kiln::nn {

/// NumPy broadcast of two shapes; std::nullopt when they do not broadcast.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Result type of a broadcasting binary op (i1 elements when boolResult).
llvm::LogicalResult
inferBroadcastType(std::optional<mlir::Location> loc, mlir::Type lhs,
                   mlir::Type rhs, bool boolResult,
                   llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Output extent of a sliding window (convolution, pooling) along one axis.
int64_t slidingWindowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                                int64_t padBegin, int64_t padEnd,
                                int64_t dilation, bool ceilMode);

/// Number of elements of a static shape.
int64_t numElements(llvm::ArrayRef<int64_t> shape);

} // namespace kiln::nn

#endif // KILN_COMPILER_IR_SHAPEINFERENCE_H
