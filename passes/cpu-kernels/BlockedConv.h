//===- BlockedConv.h - The channel-blocked convolution form --------------===//
//
// CpuBlockConvolutions produces, and CpuConvKernels lowers, a 2-D
// convolution in NCHWc layout as a linalg.generic over the loops
// (n, f1, oh, ow, f0 | c1, kh, kw, c0) with
//   input  [N, C1, Hp, Wp, c']  at (n, c1, oh*sh + kh*dh, ow*sw + kw*dw, c0)
//   filter [F1, C1, KH, KW, c', c] at (f1, c1, kh, kw, c0, f0)
//   output [N, F1, OH, OW, c]   at (n, f1, oh, ow, f0)
// and the body acc = fma(input, filter, acc). The attribute below, on that
// generic, holds [sh, sw, dh, dw].
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H
#define KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H

#include "llvm/ADT/StringRef.h"

namespace kiln {

inline constexpr llvm::StringLiteral kBlockedConvAttr = "kiln.conv2d_nchwc";

} // namespace kiln

#endif // KILN_PASSES_CPU_KERNELS_BLOCKEDCONV_H
