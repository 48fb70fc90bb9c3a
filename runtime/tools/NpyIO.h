//===- NpyIO.h - Reading and writing NumPy .npy files -----------*- C++ -*-===//
//
// Supports format versions 1.0, 2.0 and 3.0, C order, little-endian (or
// byte-order free) dtypes f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1: the files that
// numpy.save writes for the tensors a compiled model takes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TOOLS_NPYIO_H
#define KILN_RUNTIME_TOOLS_NPYIO_H

#include "HostTensor.h"

#include <string>

namespace kiln {

/// Parses an in-memory .npy image; \p path only names the file in errors,
/// which read "PATH: WHAT IS WRONG".
bool parseNpy(const std::string &path, const std::string &contents,
              HostTensor &tensor, std::string &error);

/// Reads a .npy file into \p tensor (whose name is left empty).
bool readNpy(const std::string &path, HostTensor &tensor, std::string &error);

/// Writes \p tensor as a version 1.0 .npy file (2.0 if the header needs it).
/// bfloat16 has no NumPy dtype and is refused.
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

} // namespace kiln

#endif // KILN_RUNTIME_TOOLS_NPYIO_H
