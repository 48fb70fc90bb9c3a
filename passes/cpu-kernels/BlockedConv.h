//===- BlockedConv.h - The channel-blocked convolution form --------------===//
//
// CpuBlockConvolutions produces, and CpuConvKernels lowers, an N-D
// convolution (N = 1, 2, 3 spatial dimensions) in NCHWc layout as a
// linalg.generic over the loops
//   (n, f1, o_1..o_N, f0 | c1, k_1..k_N, c0)
// with
//   input  [B, C1, I_1..I_N, c']   at (n, c1, o_i * s_i + k_i * d_i..., c0)
//   filter [F1, C1, K_1..K_N, c', c] at (f1, c1, k_1..k_N, c0, f0)
//   output [B, F1, O_1..O_N, c]    at (n, f1, o_1..o_N, f0)
// and the body acc = fma(input, filter, acc). The attribute below, on that
// generic, holds the strides s_i, then the dilations d_i.
//
// A grouped convolution is B > 1 independent dense ones, each of whole
// groups ("block groups": k groups, k * C/G input and k * F/G output
// channels, both multiples of c, and its filter dense, zero between an
// output channel and the inputs outside its group). Output block f1 reads
// the input blocks of its block group: the filter is [F1, C1/B, ...] and
// the input is read at block (f1 floordiv (F1/B)) * (C1/B) + c1.
//
// A depthwise convolution (one filter per channel) is the generic over
//   (n, c1, o_1..o_N, c0 | k_1..k_N)
// with
//   input  [B, C1, I_1..I_N, c]  at (n, c1, o_i * s_i + k_i * d_i..., c0)
//   filter [C1, K_1..K_N, c]     at (c1, k_1..k_N, c0)
//   output [B, C1, O_1..O_N, c]  at (n, c1, o_1..o_N, c0)
// tagged with the second attribute.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H
#define KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"

#include <optional>

namespace kiln {

inline constexpr llvm::StringLiteral kBlockedConvAttr = "kiln.conv_nchwc";
inline constexpr llvm::StringLiteral kBlockedDepthwiseAttr =
    "kiln.depthwise_nchwc";

/// The input, filter and output maps of the blocked convolution with
/// `blockGroups` block groups of `outBlocks` output blocks each.
inline llvm::SmallVector<mlir::AffineMap>
blockedConvMaps(mlir::MLIRContext *ctx, int64_t spatial,
                llvm::ArrayRef<int64_t> strides,
                llvm::ArrayRef<int64_t> dilations, int64_t blockGroups = 1,
                int64_t outBlocks = 0, int64_t inBlocks = 0) {
  // Loops: n, f1, o_1..o_N, f0, c1, k_1..k_N, c0.
  auto d = [&](int64_t i) { return mlir::getAffineDimExpr(i, ctx); };
  int64_t outLane = 2 + spatial, inBlock = 3 + spatial,
          inLane = 4 + 2 * spatial, n = 5 + 2 * spatial;
  assert((blockGroups == 1 || (outBlocks > 0 && inBlocks > 0)) &&
         "block groups need their output and input blocks");
  mlir::AffineExpr block = d(inBlock);
  if (blockGroups > 1)
    block = d(1).floorDiv(outBlocks) * inBlocks + block;
  llvm::SmallVector<mlir::AffineExpr> input{d(0), block},
      filter{d(1), d(inBlock)}, output{d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    input.push_back(d(2 + i) * strides[i] + d(inBlock + 1 + i) * dilations[i]);
    filter.push_back(d(inBlock + 1 + i));
    output.push_back(d(2 + i));
  }
  input.push_back(d(inLane));
  filter.push_back(d(inLane));
  filter.push_back(d(outLane));
  output.push_back(d(outLane));
  return {mlir::AffineMap::get(n, 0, input, ctx),
          mlir::AffineMap::get(n, 0, filter, ctx),
          mlir::AffineMap::get(n, 0, output, ctx)};
}

/// The input, filter and output maps of the blocked depthwise convolution.
inline llvm::SmallVector<mlir::AffineMap>
blockedDepthwiseMaps(mlir::MLIRContext *ctx, int64_t spatial,
                     llvm::ArrayRef<int64_t> strides,
                     llvm::ArrayRef<int64_t> dilations) {
  // Loops: n, c1, o_1..o_N, c0, k_1..k_N.
  auto d = [&](int64_t i) { return mlir::getAffineDimExpr(i, ctx); };
  int64_t lane = 2 + spatial, n = 3 + 2 * spatial;
  llvm::SmallVector<mlir::AffineExpr> input{d(0), d(1)}, filter{d(1)},
      output{d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    input.push_back(d(2 + i) * strides[i] + d(lane + 1 + i) * dilations[i]);
    filter.push_back(d(lane + 1 + i));
    output.push_back(d(2 + i));
  }
  input.push_back(d(lane));
  filter.push_back(d(lane));
  output.push_back(d(lane));
  return {mlir::AffineMap::get(n, 0, input, ctx),
          mlir::AffineMap::get(n, 0, filter, ctx),
          mlir::AffineMap::get(n, 0, output, ctx)};
}

/// The constant filter of the blocked convolution `op` (either form) when
/// its operands are all static f32 tensors, as the per-algorithm kernel
/// passes take it; none otherwise.
inline std::optional<mlir::DenseElementsAttr>
staticF32Filter(mlir::linalg::GenericOp op) {
  mlir::DenseElementsAttr filter;
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      !mlir::matchPattern(op.getDpsInputs()[1], mlir::m_Constant(&filter)))
    return std::nullopt;
  for (mlir::Value v : op->getOperands()) {
    auto type = llvm::dyn_cast<mlir::RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
  }
  return filter;
}

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H
