//===- ProtoIO.cpp - Reading and writing ONNX TensorProto files -----------===//

#include "ProtoIO.h"

#include "FileBytes.h"

#include <onnx/onnx_pb.h>

#include <cstring>

using namespace kiln;

namespace {

std::string dataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

/// Narrows the values of a typed repeated field into \p out as T; ONNX keeps
/// every type up to 32 bits (float16 and bfloat16 as their bit patterns) in
/// int32_data, and uint32 in uint64_data.
template <typename T, typename Field>
void narrowInto(const Field &values, std::vector<uint8_t> &out) {
  out.resize(values.size() * sizeof(T));
  uint8_t *dst = out.data();
  for (auto value : values) {
    T narrowed = static_cast<T>(value);
    std::memcpy(dst, &narrowed, sizeof(T));
    dst += sizeof(T);
  }
}

/// Elements per byte in ONNX files: sub-byte types are packed, the first
/// element in the lowest bits.
int packedPerByte(int32_t elemType) {
  switch (elemType) {
  case KILN_UINT4:
  case KILN_INT4:
  case KILN_FLOAT4E2M1:
    return 2;
  case KILN_UINT2:
  case KILN_INT2:
    return 4;
  default:
    return 1;
  }
}

/// One byte per element from packed bytes: integers sign- or
/// zero-extended, FLOAT4E2M1 codes in the low bits.
std::vector<uint8_t> unpack(const std::vector<uint8_t> &packed, int64_t count,
                            int32_t elemType) {
  int per = packedPerByte(elemType);
  int bits = 8 / per;
  bool isSigned = elemType == KILN_INT4 || elemType == KILN_INT2;
  std::vector<uint8_t> out(count);
  for (int64_t i = 0; i < count; ++i) {
    unsigned v = (packed[i / per] >> (bits * (i % per))) & ((1u << bits) - 1);
    if (isSigned && (v >> (bits - 1)))
      v |= ~0u << bits;
    out[i] = uint8_t(v);
  }
  return out;
}

std::vector<uint8_t> pack(const std::vector<uint8_t> &bytes, int32_t elemType) {
  int per = packedPerByte(elemType);
  int bits = 8 / per;
  std::vector<uint8_t> out((bytes.size() + per - 1) / per, 0);
  for (size_t i = 0; i < bytes.size(); ++i)
    out[i / per] |= uint8_t((bytes[i] & ((1u << bits) - 1)) << (bits * (i % per)));
  return out;
}

} // namespace

bool kiln::fromTensorProto(const std::string &path,
                           const onnx::TensorProto &proto, HostTensor &tensor,
                           std::string &error) {
  auto fail = [&](const std::string &what) {
    error = path + ": " + what;
    return false;
  };
  std::string label =
      proto.name().empty() ? "tensor" : "tensor '" + proto.name() + "'";
  int32_t elemType = proto.data_type();
  size_t elemSize = kiln_elem_size(elemType);
  if (elemType == onnx::TensorProto::UNDEFINED)
    return fail(label + " has no data_type (not a TensorProto?)");
  if (elemSize == 0)
    return fail(label + " has unsupported element type " +
                dataTypeName(elemType));
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return fail(label + " keeps its data in an external file; not supported");
  if (proto.has_segment())
    // Also what a SequenceProto or OptionalProto (the data of ONNX's sequence
    // and optional tests) looks like when parsed as a TensorProto.
    return fail(label + " has a segment field: a segment of a larger tensor, "
                        "or a SequenceProto or OptionalProto rather than a "
                        "TensorProto; not supported");

  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  int64_t count = checkedElementCount(shape);
  if (count < 0 || uint64_t(count) > SIZE_MAX / elemSize)
    return fail(label + " has invalid dims " + formatShape(shape) +
                " (not a TensorProto?)");
  size_t expectedBytes = size_t(count) * elemSize;
  std::string type = formatType(elemType, shape);

  std::vector<uint8_t> bytes;
  int per = packedPerByte(elemType);
  if (per > 1) {
    // Packed sub-byte elements: raw_data, or one packed byte per int32_data
    // value.
    size_t packedBytes = (size_t(count) + per - 1) / per;
    std::vector<uint8_t> packed;
    if (proto.has_raw_data() || !proto.raw_data().empty())
      packed.assign(proto.raw_data().begin(), proto.raw_data().end());
    else
      narrowInto<uint8_t>(proto.int32_data(), packed);
    if (packed.size() != packedBytes)
      return fail(label + " (" + type + ") has " +
                  std::to_string(packed.size()) + " bytes of packed data, " +
                  "expected " + std::to_string(packedBytes));
    bytes = unpack(packed, count, elemType);
  } else if (proto.has_raw_data() || !proto.raw_data().empty()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != expectedBytes)
      return fail(label + " (" + type + ") has " + std::to_string(raw.size()) +
                  " bytes of raw_data, expected " +
                  std::to_string(expectedBytes));
    bytes.assign(raw.begin(), raw.end());
  } else {
    const char *field;
    int64_t found;
    switch (elemType) {
    case KILN_FLOAT:
      field = "float_data";
      found = proto.float_data_size();
      if (found == count)
        narrowInto<float>(proto.float_data(), bytes);
      break;
    case KILN_DOUBLE:
      field = "double_data";
      found = proto.double_data_size();
      if (found == count)
        narrowInto<double>(proto.double_data(), bytes);
      break;
    case KILN_INT64:
      field = "int64_data";
      found = proto.int64_data_size();
      if (found == count)
        narrowInto<int64_t>(proto.int64_data(), bytes);
      break;
    case KILN_UINT32:
    case KILN_UINT64:
      field = "uint64_data";
      found = proto.uint64_data_size();
      if (found == count) {
        if (elemType == KILN_UINT32)
          narrowInto<uint32_t>(proto.uint64_data(), bytes);
        else
          narrowInto<uint64_t>(proto.uint64_data(), bytes);
      }
      break;
    default:
      field = "int32_data";
      found = proto.int32_data_size();
      if (found != count)
        break;
      switch (elemSize) {
      case 1:
        narrowInto<uint8_t>(proto.int32_data(), bytes);
        break;
      case 2:
        narrowInto<uint16_t>(proto.int32_data(), bytes);
        break;
      default:
        narrowInto<int32_t>(proto.int32_data(), bytes);
        break;
      }
      if (elemType == KILN_BOOL)
        for (uint8_t &b : bytes)
          b = b != 0;
      break;
    }
    if (found != count) {
      if (found == 0)
        return fail(label + " (" + type + ") has no data (neither raw_data " +
                    "nor " + field + ")");
      return fail(label + " (" + type + ") has " + std::to_string(found) +
                  " values in " + field + ", expected " +
                  std::to_string(count));
    }
  }
  tensor.name = proto.name();
  tensor.elemType = elemType;
  tensor.shape = std::move(shape);
  tensor.bytes = std::move(bytes);
  return true;
}

bool kiln::readTensorProto(const std::string &path, HostTensor &tensor,
                           std::string &error) {
  std::string contents;
  if (!readFileBytes(path, contents, error))
    return false;
  onnx::TensorProto proto;
  if (!proto.ParseFromString(contents)) {
    error = path + ": not a valid ONNX TensorProto (protobuf parse failed)";
    return false;
  }
  return fromTensorProto(path, proto, tensor, error);
}

bool kiln::writeTensorProto(const std::string &path, const HostTensor &tensor,
                            std::string &error) {
  onnx::TensorProto proto;
  proto.set_name(tensor.name);
  proto.set_data_type(tensor.elemType);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  if (packedPerByte(tensor.elemType) > 1) {
    std::vector<uint8_t> packed = pack(tensor.bytes, tensor.elemType);
    proto.set_raw_data(packed.data(), packed.size());
  } else {
    proto.set_raw_data(tensor.bytes.data(), tensor.bytes.size());
  }
  std::string contents;
  if (!proto.SerializeToString(&contents)) {
    error = path + ": cannot serialize tensor '" + tensor.name + "'";
    return false;
  }
  return writeFileBytes(path, contents.data(), contents.size(), error);
}
