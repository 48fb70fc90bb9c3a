//===- NodeImporter.cpp - Importing one ONNX node -------------------------===//
#include "frontends/onnx/NodeImporter.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace kiln::onnx_frontend {

Type elementTypeOf(int32_t dataType, MLIRContext *ctx) {
  using TP = onnx::TensorProto;
  auto unsignedInt = [&](unsigned w) {
    return IntegerType::get(ctx, w, IntegerType::Unsigned);
  };
  switch (dataType) {
  case TP::FLOAT: return Float32Type::get(ctx);
  case TP::DOUBLE: return Float64Type::get(ctx);
  case TP::FLOAT16: return Float16Type::get(ctx);
  case TP::BFLOAT16: return BFloat16Type::get(ctx);
  case TP::INT8: return IntegerType::get(ctx, 8);
  case TP::INT16: return IntegerType::get(ctx, 16);
  case TP::INT32: return IntegerType::get(ctx, 32);
  case TP::INT64: return IntegerType::get(ctx, 64);
  case TP::UINT8: return unsignedInt(8);
  case TP::UINT16: return unsignedInt(16);
  case TP::UINT32: return unsignedInt(32);
  case TP::UINT64: return unsignedInt(64);
  case TP::BOOL: return IntegerType::get(ctx, 1);
  // Types newer than libonnx-dev's onnx.proto (1.12), by number.
  case 17: return Float8E4M3FNType::get(ctx);   // FLOAT8E4M3FN
  case 18: return Float8E4M3FNUZType::get(ctx); // FLOAT8E4M3FNUZ
  case 19: return Float8E5M2Type::get(ctx);     // FLOAT8E5M2
  case 20: return Float8E5M2FNUZType::get(ctx); // FLOAT8E5M2FNUZ
  case 21: return unsignedInt(4);               // UINT4
  case 22: return IntegerType::get(ctx, 4);     // INT4
  case 23: return Float4E2M1FNType::get(ctx);   // FLOAT4E2M1
  case 24: return Float8E8M0FNUType::get(ctx);  // FLOAT8E8M0
  case 25: return unsignedInt(2);               // UINT2
  case 26: return IntegerType::get(ctx, 2);     // INT2
  default: return {};
  }
}

namespace {

/// Copies typed repeated-field values into little-endian raw bytes of the
/// element type.
template <typename T, typename Field>
void appendAs(const Field &field, std::vector<char> &bytes) {
  for (auto v : field) {
    T value = static_cast<T>(v);
    const char *p = reinterpret_cast<const char *>(&value);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
}

/// Maps the external data (location, offset, length) of `tensor`, confined
/// to `modelDir`. The mapping is read in place: the attribute made from it
/// is the only copy of the weights.
FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
mapExternalData(const onnx::TensorProto &tensor, StringRef modelDir,
                std::string &error) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    StringRef value = entry.value();
    bool bad = false;
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      bad = value.getAsInteger(10, offset) || offset < 0;
    else if (entry.key() == "length")
      bad = value.getAsInteger(10, length) || length < 0;
    if (bad) {
      error = "external data " + entry.key() + " '" + entry.value() +
              "' is not a non-negative integer";
      return failure();
    }
  }
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      StringRef(location).contains("..")) {
    error = "external data location '" + location +
            "' must be a relative path inside the model's folder";
    return failure();
  }
  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  uint64_t size = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(path, size)) {
    error = "cannot read external data '" + std::string(path) +
            "': " + ec.message();
    return failure();
  }
  if (length < 0)
    length = static_cast<int64_t>(size) - offset;
  if (offset + length > static_cast<int64_t>(size) || length < 0) {
    error = "external data '" + std::string(path) + "' is shorter than offset " +
            std::to_string(offset) + " + length " + std::to_string(length);
    return failure();
  }
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, length, offset,
                                                 /*IsVolatile=*/false);
  if (!buffer) {
    error = "cannot read external data '" + std::string(path) +
            "': " + buffer.getError().message();
    return failure();
  }
  return std::move(*buffer);
}

/// The attribute of a sub-byte type (INT4, UINT4, FLOAT4E2M1, INT2, UINT2),
/// whose elements the file packs, the first in the lowest bits.
FailureOr<DenseElementsAttr> subByteAttr(RankedTensorType type,
                                         ArrayRef<char> bytes, int64_t count,
                                         std::string &error) {
  Type elementType = type.getElementType();
  unsigned bits = elementType.getIntOrFloatBitWidth();
  int64_t perByte = 8 / bits;
  int64_t expected = (count + perByte - 1) / perByte;
  if (static_cast<int64_t>(bytes.size()) != expected) {
    error = "holds " + std::to_string(bytes.size()) +
            " bytes of packed data, " + std::to_string(expected) +
            " expected for dims";
    return failure();
  }
  auto code = [&](int64_t i) {
    return APInt(bits, (static_cast<unsigned char>(bytes[i / perByte]) >>
                        (bits * (i % perByte))) &
                           ((1u << bits) - 1));
  };
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(APFloat(floatType.getFloatSemantics(), code(i)));
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back(code(i));
  return DenseElementsAttr::get(type, values);
}

} // namespace

FailureOr<DenseElementsAttr> tensorProtoToAttr(const onnx::TensorProto &tensor,
                                               MLIRContext *ctx,
                                               StringRef modelDir,
                                               std::string &error) {
  using TP = onnx::TensorProto;
  Type elementType = elementTypeOf(tensor.data_type(), ctx);
  if (!elementType) {
    error = "unsupported data_type " + std::to_string(tensor.data_type());
    return failure();
  }
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
    error = "negative dimension in dims";
    return failure();
  }
  size_t width = elementType.isInteger(1)
                     ? 1
                     : (elementType.getIntOrFloatBitWidth() + 7) / 8;
  // Element counts that overflow (or exceed what memory could hold) are
  // rejected before anything is allocated.
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > (int64_t(1) << 46) / d) {
      error = "dims describe more than 2^46 elements";
      return failure();
    }
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elementType);

  // The tensor's bytes, viewed where they are (the external file's mapping,
  // the proto's raw_data) or, for typed fields, converted into `converted`.
  ArrayRef<char> bytes;
  std::unique_ptr<llvm::MemoryBuffer> mapped;
  std::vector<char> converted;
  if (tensor.data_location() == TP::EXTERNAL) {
    auto buffer = mapExternalData(tensor, modelDir, error);
    if (failed(buffer))
      return failure();
    mapped = std::move(*buffer);
    bytes = ArrayRef<char>(mapped->getBufferStart(), mapped->getBufferSize());
  } else if (tensor.has_raw_data()) {
    bytes = ArrayRef<char>(tensor.raw_data().data(), tensor.raw_data().size());
  } else {
    switch (tensor.data_type()) {
    case TP::FLOAT: appendAs<float>(tensor.float_data(), converted); break;
    case TP::DOUBLE: appendAs<double>(tensor.double_data(), converted); break;
    case TP::INT64: appendAs<int64_t>(tensor.int64_data(), converted); break;
    case TP::UINT32: appendAs<uint32_t>(tensor.uint64_data(), converted); break;
    case TP::UINT64: appendAs<uint64_t>(tensor.uint64_data(), converted); break;
    case TP::INT32: appendAs<int32_t>(tensor.int32_data(), converted); break;
    case TP::INT16: appendAs<int16_t>(tensor.int32_data(), converted); break;
    case TP::UINT16:
    case TP::FLOAT16:
    case TP::BFLOAT16: appendAs<uint16_t>(tensor.int32_data(), converted); break;
    case TP::INT8: appendAs<int8_t>(tensor.int32_data(), converted); break;
    case TP::UINT8:
    case TP::BOOL: appendAs<uint8_t>(tensor.int32_data(), converted); break;
    default:
      // The 8-bit floats, one per value; sub-byte types, one packed byte
      // per value.
      if (width == 1)
        appendAs<uint8_t>(tensor.int32_data(), converted);
      break;
    }
    bytes = converted;
  }
  unsigned bits = elementType.getIntOrFloatBitWidth();
  if (bits < 8 && !elementType.isInteger(1))
    return subByteAttr(type, bytes, count, error);
  if (bytes.size() != count * width) {
    error = "holds " + std::to_string(bytes.size()) + " bytes of data, " +
            std::to_string(count * width) + " expected for dims";
    return failure();
  }
  if (elementType.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  if (count == 0)
    return DenseElementsAttr::get(type, ArrayRef<Attribute>{});
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

FailureOr<Value> NodeImporter::requiredInput(size_t i) {
  if (!input(i))
    return error("input " + Twine(i), "is required but missing");
  return input(i);
}

DenseElementsAttr NodeImporter::constantInput(size_t i) const {
  DenseElementsAttr attr;
  if (input(i) && matchPattern(input(i), m_Constant(&attr)))
    return attr;
  return {};
}

FailureOr<SmallVector<int64_t>> NodeImporter::constantInts(size_t i,
                                                           StringRef what) {
  DenseElementsAttr attr = constantInput(i);
  if (!attr || !isa<IntegerType>(attr.getElementType()))
    return error("input " + Twine(i) + " (" + what + ")",
                         "must be a constant integer tensor (kiln compiles "
                         "static graphs)");
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

FailureOr<double> NodeImporter::constantScalar(size_t i, StringRef what) {
  DenseElementsAttr attr = constantInput(i);
  if (!attr || attr.getNumElements() != 1)
    return error("input " + Twine(i) + " (" + what + ")",
                         "must be a constant scalar");
  if (isa<FloatType>(attr.getElementType()))
    return (*attr.getValues<APFloat>().begin()).convertToDouble();
  APInt v = *attr.getValues<APInt>().begin();
  return attr.getElementType().isUnsignedInteger()
             ? static_cast<double>(v.getZExtValue())
             : static_cast<double>(v.getSExtValue());
}

const onnx::AttributeProto *NodeImporter::attribute(StringRef name) const {
  for (const auto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

bool NodeImporter::hasType(const onnx::AttributeProto *attr,
                           onnx::AttributeProto::AttributeType type) const {
  if (!attr)
    return false;
  // Old exporters leave `type` unset; then the value field decides.
  if (attr->type() == type ||
      attr->type() == onnx::AttributeProto::UNDEFINED)
    return true;
  emitError(loc) << node.op_type() << " attribute '" << attr->name()
                 << "': expected type "
                 << onnx::AttributeProto::AttributeType_Name(type) << ", got "
                 << onnx::AttributeProto::AttributeType_Name(attr->type());
  attributeError = true;
  return false;
}

int64_t NodeImporter::intAttr(StringRef name, int64_t defaultValue) const {
  auto *attr = attribute(name);
  return hasType(attr, onnx::AttributeProto::INT) ? attr->i() : defaultValue;
}

double NodeImporter::floatAttr(StringRef name, double defaultValue) const {
  auto *attr = attribute(name);
  return hasType(attr, onnx::AttributeProto::FLOAT) ? attr->f() : defaultValue;
}

std::string NodeImporter::stringAttr(StringRef name,
                                     StringRef defaultValue) const {
  auto *attr = attribute(name);
  return hasType(attr, onnx::AttributeProto::STRING) ? attr->s()
                                                     : defaultValue.str();
}

SmallVector<int64_t> NodeImporter::intsAttr(StringRef name) const {
  auto *attr = attribute(name);
  if (!hasType(attr, onnx::AttributeProto::INTS))
    return {};
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<int64_t>>
NodeImporter::optionalIntsAttr(StringRef name) const {
  if (!attribute(name))
    return std::nullopt;
  return intsAttr(name);
}

SmallVector<float> NodeImporter::floatsAttr(StringRef name) const {
  auto *attr = attribute(name);
  if (!hasType(attr, onnx::AttributeProto::FLOATS))
    return {};
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

FailureOr<SmallVector<int64_t>>
NodeImporter::intsAttrOfSize(StringRef name, int64_t count, int64_t fill) {
  auto values = optionalIntsAttr(name).value_or(SmallVector<int64_t>(count, fill));
  if (static_cast<int64_t>(values.size()) != count)
    return error("attribute '" + name + "'", "expected " + Twine(count) +
                                                 " values, got " +
                                                 Twine(values.size()));
  return values;
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               StringRef field) {
  if (axis < -rank || axis >= rank)
    return error(field, "axis " + Twine(axis) +
                                    " out of range for rank " + Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

void NodeImporter::setOutput(size_t i, Value value) {
  if (results.size() <= i)
    results.resize(i + 1);
  results[i] = value;
}

LogicalResult NodeImporter::error(const Twine &field, const Twine &message) {
  return emitError(loc) << node.op_type() << " " << field << ": " << message;
}

Value NodeImporter::constantInts(ArrayRef<int64_t> values,
                                 ArrayRef<int64_t> shape, Type elementType) {
  auto type = RankedTensorType::get(shape, elementType);
  SmallVector<APInt> ints;
  for (int64_t v : values)
    ints.push_back(APInt(elementType.getIntOrFloatBitWidth(), v,
                         /*isSigned=*/true));
  return constant(DenseElementsAttr::get(type, ints));
}

Value NodeImporter::constant(DenseElementsAttr value) {
  return nn::ConstantOp::create(b, loc, value);
}

Value NodeImporter::scalar(double value, Type elementType) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return constant(DenseElementsAttr::get(
        type, FloatAttr::get(elementType, value).getValue()));
  return constant(DenseElementsAttr::get(
      type, APInt(elementType.getIntOrFloatBitWidth(),
                  static_cast<int64_t>(value), /*isSigned=*/true)));
}

FailureOr<Value> NodeImporter::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return createTyped<nn::ReshapeOp>(
      RankedTensorType::get(shape, type.getElementType()), value);
}

FailureOr<Value> NodeImporter::finish(Operation *op) {
  SmallVector<Value> folded;
  if (succeeded(b.tryFold(op, folded)) && !folded.empty()) {
    if (folded.front().getDefiningOp() != op)
      op->erase();
    return folded.front();
  }
  return op->getResult(0);
}

} // namespace kiln::onnx_frontend
