//===- ConvAlgorithm.h - The algorithm chosen for a convolution ----------===//
//
// Which algorithm computes a convolution is chosen once per layer (by
// kiln-cpu-select-conv-algorithms: a cost model, or the user's choice) and
// recorded on the op as `kiln.conv_algorithm`, a string attribute that the
// layout and kernel passes carry along and read:
//   direct    the register-tiled blocked kernel (CpuConvKernels);
//   winograd  F(4x4, 3x3) Winograd: transforms around a batched matrix
//             product (CpuWinogradConvolutions);
//   im2col    the input's patches as the rows of a matrix product
//             (CpuIm2colConvolutions).
// A convolution without the attribute is computed directly.
// CpuBlockConvolutions carries both attributes below onto the blocked form.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CONVALGORITHM_H
#define KILN_PASSES_CONVALGORITHM_H

#include "mlir/IR/Operation.h"

#include <optional>

namespace kiln {

enum class ConvAlgorithm { Direct, Winograd, Im2col };

inline constexpr llvm::StringLiteral kConvAlgorithmAttr = "kiln.conv_algorithm";
/// The floating-point operations of the convolution as the model states it
/// (2 per multiply-add, before any channel padding of the blocked layout),
/// recorded beside the algorithm for reports (RecordLayers).
inline constexpr llvm::StringLiteral kLayerFlopsAttr = "kiln.flops";

inline llvm::StringRef stringifyConvAlgorithm(ConvAlgorithm algorithm) {
  switch (algorithm) {
  case ConvAlgorithm::Direct:
    return "direct";
  case ConvAlgorithm::Winograd:
    return "winograd";
  case ConvAlgorithm::Im2col:
    return "im2col";
  }
  llvm_unreachable("unknown convolution algorithm");
}

inline std::optional<ConvAlgorithm> parseConvAlgorithm(llvm::StringRef name) {
  for (ConvAlgorithm a : {ConvAlgorithm::Direct, ConvAlgorithm::Winograd,
                          ConvAlgorithm::Im2col})
    if (name == stringifyConvAlgorithm(a))
      return a;
  return std::nullopt;
}

/// The algorithm recorded on `op` (direct when none is).
inline ConvAlgorithm getConvAlgorithm(mlir::Operation *op) {
  auto attr = op->getAttrOfType<mlir::StringAttr>(kConvAlgorithmAttr);
  if (!attr)
    return ConvAlgorithm::Direct;
  return parseConvAlgorithm(attr.getValue()).value_or(ConvAlgorithm::Direct);
}

inline void setConvAlgorithm(mlir::Operation *op, ConvAlgorithm algorithm) {
  op->setAttr(kConvAlgorithmAttr,
              mlir::StringAttr::get(op->getContext(),
                                    stringifyConvAlgorithm(algorithm)));
}

} // namespace kiln

#endif // KILN_PASSES_CONVALGORITHM_H
