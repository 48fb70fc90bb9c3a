//===- ProtoIO.h - Reading and writing ONNX TensorProto files ---*- C++ -*-===//
//
// The input_K.pb / output_K.pb files of an ONNX test_data_set: one serialized
// onnx.TensorProto each. Data may be in raw_data or in the typed repeated
// fields (float_data, int32_data, int64_data, double_data, uint64_data).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TOOLS_PROTOIO_H
#define KILN_RUNTIME_TOOLS_PROTOIO_H

#include "HostTensor.h"

#include <string>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace kiln {

/// Converts a parsed TensorProto; \p path only names the file in errors,
/// which read "PATH: WHAT IS WRONG".
bool fromTensorProto(const std::string &path, const onnx::TensorProto &proto,
                     HostTensor &tensor, std::string &error);

/// Reads a serialized TensorProto file into \p tensor.
bool readTensorProto(const std::string &path, HostTensor &tensor,
                     std::string &error);

/// Writes \p tensor as a TensorProto with name, dims, data_type and raw_data.
bool writeTensorProto(const std::string &path, const HostTensor &tensor,
                      std::string &error);

} // namespace kiln

#endif // KILN_RUNTIME_TOOLS_PROTOIO_H
