//===- FloatConstants.h - f32 constant data for compile-time packing -----===//
//
// The CPU kernels rearrange constant weights at compile time into the
// layout their register tiles read (GEMM panels, blocked filters): these
// read a constant's f32 values and build the rearranged constant.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_FLOATCONSTANTS_H
#define KILN_PASSES_CPU_KERNELS_FLOATCONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <vector>

namespace kiln {

/// The f32 values of `attr` (a splat's repeated).
inline std::vector<float> floatValues(mlir::DenseElementsAttr attr) {
  auto values = attr.getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

/// A constant of `shape` holding `values`.
inline mlir::DenseElementsAttr floatsAttr(mlir::MLIRContext *ctx,
                                          llvm::ArrayRef<int64_t> shape,
                                          llvm::ArrayRef<float> values) {
  auto type = mlir::RankedTensorType::get(shape, mlir::Float32Type::get(ctx));
  return mlir::DenseElementsAttr::getFromRawBuffer(
      type, llvm::ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                                 values.size() * sizeof(float)));
}

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_FLOATCONSTANTS_H
