//===- ModelInterface.cpp - What a compiled model exposes -----------------===//
#include "backends/ModelInterface.h"

#include "kiln/runtime.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace kiln {

namespace {
std::optional<int32_t> elemTypeCode(Type type) {
  if (type.isF32()) return KILN_FLOAT;
  if (type.isF64()) return KILN_DOUBLE;
  if (type.isF16()) return KILN_FLOAT16;
  if (type.isBF16()) return KILN_BFLOAT16;
  if (type.isInteger(1)) return KILN_BOOL;
  if (isa<Float8E4M3FNType>(type)) return KILN_FLOAT8E4M3FN;
  if (isa<Float8E4M3FNUZType>(type)) return KILN_FLOAT8E4M3FNUZ;
  if (isa<Float8E5M2Type>(type)) return KILN_FLOAT8E5M2;
  if (isa<Float8E5M2FNUZType>(type)) return KILN_FLOAT8E5M2FNUZ;
  if (isa<Float4E2M1FNType>(type)) return KILN_FLOAT4E2M1;
  if (isa<Float8E8M0FNUType>(type)) return KILN_FLOAT8E8M0;
  if (auto i = dyn_cast<IntegerType>(type)) {
    bool u = i.isUnsigned();
    switch (i.getWidth()) {
    case 2: return u ? KILN_UINT2 : KILN_INT2;
    case 4: return u ? KILN_UINT4 : KILN_INT4;
    case 8: return u ? KILN_UINT8 : KILN_INT8;
    case 16: return u ? KILN_UINT16 : KILN_INT16;
    case 32: return u ? KILN_UINT32 : KILN_INT32;
    case 64: return u ? KILN_UINT64 : KILN_INT64;
    default: break;
    }
  }
  return std::nullopt;
}

FailureOr<TensorDesc> describe(Type type, StringAttr name, Location loc,
                               const Twine &fallbackName) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return static_cast<LogicalResult>(emitError(loc) << "graph value " << fallbackName
                                  << " must be a statically shaped tensor");
  auto code = elemTypeCode(tensor.getElementType());
  if (!code)
    return static_cast<LogicalResult>(emitError(loc) << "graph value " << fallbackName
                                  << " has unsupported element type "
                                  << tensor.getElementType());
  return TensorDesc{name ? name.str() : fallbackName.str(), *code,
                    std::vector<int64_t>(tensor.getShape().begin(),
                                         tensor.getShape().end())};
}
} // namespace

std::string toCIdentifier(StringRef name) {
  std::string id;
  for (char c : name)
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
    id = "m_" + id;
  return id;
}

FailureOr<ModelInterface> describeGraph(func::FuncOp graph,
                                        StringRef modelName) {
  ModelInterface model;
  model.name = modelName.str();
  model.prefix = toCIdentifier(modelName);
  FunctionType type = graph.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto desc = describe(type.getInput(i),
                         graph.getArgAttrOfType<StringAttr>(i, "kiln.name"),
                         graph.getLoc(), "input_" + Twine(i));
    if (failed(desc))
      return failure();
    model.inputs.push_back(*desc);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto desc = describe(type.getResult(i),
                         graph.getResultAttrOfType<StringAttr>(i, "kiln.name"),
                         graph.getLoc(), "output_" + Twine(i));
    if (failed(desc))
      return failure();
    model.outputs.push_back(*desc);
  }
  return model;
}

} // namespace kiln
