//===- HostTensor.h - A tensor held in host memory --------------*- C++ -*-===//
//
// The in-memory form that kiln-run reads input files into, hands to the
// compiled model and writes outputs from. Bytes are dense, row-major and
// little-endian, exactly as kiln_run expects them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TOOLS_HOSTTENSOR_H
#define KILN_RUNTIME_TOOLS_HOSTTENSOR_H

#include "kiln/runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct HostTensor {
  std::string name;     // The ONNX value name; may be empty (.npy has none).
  int32_t elemType = 0; // A kiln_elem_type.
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  /// The number of elements the shape describes (1 for a scalar).
  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }
};

/// "[1, 3, 224, 224]"; "[]" for a scalar.
inline std::string formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

/// "float [1, 1000]", the form every type or shape error uses.
inline std::string formatType(int32_t elemType,
                              const std::vector<int64_t> &shape) {
  return std::string(kiln_elem_type_name(elemType)) + " " + formatShape(shape);
}

/// The element count of a shape read from a file, or -1 when a dimension is
/// negative or the count overflows: file headers are untrusted.
inline int64_t checkedElementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return -1;
    if (dim != 0 && count > INT64_MAX / dim)
      return -1;
    count *= dim;
  }
  return count;
}

} // namespace kiln

#endif // KILN_RUNTIME_TOOLS_HOSTTENSOR_H
