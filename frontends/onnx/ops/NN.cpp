//===- NN.cpp - Import of ONNX convolution, pooling, normalization --------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

struct WindowAttrs {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// Reads kernel_shape, strides, pads, dilations and auto_pad for `spatial`
/// axes of `inputShape` (N, C, spatial...), resolving auto_pad to pads.
FailureOr<WindowAttrs> readWindow(NodeImporter &n, ArrayRef<int64_t> inputShape,
                                  ArrayRef<int64_t> kernel) {
  int64_t spatial = inputShape.size() - 2;
  WindowAttrs w;
  w.kernel.assign(kernel.begin(), kernel.end());
  if (static_cast<int64_t>(w.kernel.size()) != spatial)
    return n.error("attribute 'kernel_shape'",
                           "expected " + Twine(spatial) + " values, got " +
                               Twine(w.kernel.size()));
  auto strides = n.intsAttrOfSize("strides", spatial, 1);
  auto dilations = n.intsAttrOfSize("dilations", spatial, 1);
  auto pads = n.intsAttrOfSize("pads", 2 * spatial, 0);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  w.strides = *strides;
  w.dilations = *dilations;
  w.pads = *pads;
  std::string autoPad = n.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inputShape[i + 2];
      int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + span - in);
      int64_t small = total / 2;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : total - small;
      w.pads[i + spatial] = total - w.pads[i];
    }
  } else if (autoPad != "NOTSET") {
    return n.error("attribute 'auto_pad'",
                           "unknown value '" + autoPad + "'");
  }
  return w;
}

LogicalResult importConv(NodeImporter &n) {
  auto input = n.requiredInput(0), filter = n.requiredInput(1);
  if (failed(input) || failed(filter))
    return failure();
  auto inputType = n.inputType(0);
  auto filterType = n.inputType(1);
  if (inputType.getRank() < 3 || filterType.getRank() != inputType.getRank())
    return n.error("input 1 (W)", "must have the rank of X, at least 3");
  if (filterType.getDimSize(1) * n.intAttr("group", 1) !=
      inputType.getDimSize(1))
    return n.error("input 1 (W)",
                   "expects " +
                       Twine(filterType.getDimSize(1) * n.intAttr("group", 1)) +
                       " input channels (" + Twine(filterType.getDimSize(1)) +
                       " per group), X has " + Twine(inputType.getDimSize(1)) +
                       " channels");
  SmallVector<int64_t> filterKernel(filterType.getShape().drop_front(2));
  auto kernel = n.optionalIntsAttr("kernel_shape").value_or(filterKernel);
  if (kernel != filterKernel)
    return n.error("attribute 'kernel_shape'",
                   "differs from the spatial dimensions of W");
  auto window = readWindow(n, inputType.getShape(), kernel);
  if (failed(window))
    return failure();
  Builder &b = n.builder();
  auto result = n.create<ConvOp>(
      *input, *filter, n.input(2), b.getDenseI64ArrayAttr(window->strides),
      b.getDenseI64ArrayAttr(window->pads),
      b.getDenseI64ArrayAttr(window->dilations),
      b.getI64IntegerAttr(n.intAttr("group", 1)));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

template <typename OpTy>
LogicalResult importPool(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto inputType = n.inputType(0);
  if (inputType.getRank() < 3)
    return n.error("input 0 (X)", "must have rank >= 3 (N, C, spatial...)");
  if (!n.hasAttribute("kernel_shape"))
    return n.error("attribute 'kernel_shape'", "is required");
  if (std::is_same_v<OpTy, AvgPoolOp> &&
      !isa<FloatType>(inputType.getElementType()))
    return n.error("input 0 (X)", "AveragePool takes floating-point tensors");
  bool ceilMode = n.intAttr("ceil_mode", 0) != 0;
  auto window = readWindow(n, inputType.getShape(), n.intsAttr("kernel_shape"));
  if (failed(window))
    return failure();
  Builder &b = n.builder();
  FailureOr<Value> result;
  if (std::is_same_v<OpTy, MaxPoolOp> && n.wantsOutput(1)) {
    // MaxPool's Indices: storage_order orders the spatial offset.
    int64_t storageOrder = n.intAttr("storage_order", 0);
    if (storageOrder != 0 && storageOrder != 1)
      return n.error("attribute 'storage_order'", "must be 0 or 1");
    result = n.create<MaxPoolWithIndicesOp>(
        *input, b.getDenseI64ArrayAttr(window->kernel),
        b.getDenseI64ArrayAttr(window->strides),
        b.getDenseI64ArrayAttr(window->pads),
        b.getDenseI64ArrayAttr(window->dilations), b.getBoolAttr(ceilMode),
        b.getI64IntegerAttr(storageOrder));
    if (failed(result))
      return failure();
    n.setOutput(0, *result);
    n.setOutput(1, result->getDefiningOp()->getResult(1));
    return success();
  }
  if constexpr (std::is_same_v<OpTy, AvgPoolOp>)
    result = n.create<AvgPoolOp>(
        *input, b.getDenseI64ArrayAttr(window->kernel),
        b.getDenseI64ArrayAttr(window->strides),
        b.getDenseI64ArrayAttr(window->pads),
        b.getDenseI64ArrayAttr(window->dilations), b.getBoolAttr(ceilMode),
        b.getBoolAttr(n.intAttr("count_include_pad", 0) != 0));
  else
    result = n.create<MaxPoolOp>(*input, b.getDenseI64ArrayAttr(window->kernel),
                                 b.getDenseI64ArrayAttr(window->strides),
                                 b.getDenseI64ArrayAttr(window->pads),
                                 b.getDenseI64ArrayAttr(window->dilations),
                                 b.getBoolAttr(ceilMode));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// GlobalAveragePool and GlobalMaxPool: a reduction over the spatial axes.
LogicalResult importGlobalPool(NodeImporter &n, StringRef kind) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  if (rank < 3)
    return n.error("input 0 (X)", "must have rank >= 3");
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  Builder &b = n.builder();
  auto result = n.create<ReduceOp>(*input, b.getStringAttr(kind),
                                   b.getDenseI64ArrayAttr(axes),
                                   b.getBoolAttr(true));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importBatchNorm(NodeImporter &n) {
  SmallVector<Value> operands;
  for (size_t i = 0; i < 5; ++i) {
    auto v = n.requiredInput(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  for (size_t i = 1; i < n.numOutputs(); ++i)
    if (n.wantsOutput(i))
      return n.error("output " + Twine(i),
                     "training-mode statistics are not supported");
  if (n.intAttr("training_mode", 0) != 0)
    return n.error("attribute 'training_mode'", "must be 0 (inference)");
  auto result = n.create<BatchNormOp>(
      operands[0], operands[1], operands[2], operands[3], operands[4],
      n.builder().getF64FloatAttr(n.floatAttr("epsilon", 1e-5f)));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importLRN(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  if (!n.hasAttribute("size"))
    return n.error("attribute 'size'", "is required");
  Builder &b = n.builder();
  auto result = n.create<LRNOp>(*input, b.getI64IntegerAttr(n.intAttr("size", 1)),
                                b.getF64FloatAttr(n.floatAttr("alpha", 1e-4f)),
                                b.getF64FloatAttr(n.floatAttr("beta", 0.75f)),
                                b.getF64FloatAttr(n.floatAttr("bias", 1.0f)));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at
/// `axis` and normalized over the flattened trailing part.
LogicalResult importSoftmax(NodeImporter &n, bool log) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  bool coerce = n.opsetVersion() < 13;
  auto axis = n.normalizeAxis(n.intAttr("axis", coerce ? 1 : -1), std::max<int64_t>(rank, 1),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  Builder &b = n.builder();
  Value x = *input;
  if (coerce) {
    int64_t outer = numElements(type.getShape().take_front(*axis));
    int64_t inner = numElements(type.getShape().drop_front(*axis));
    auto flat = n.reshape(x, {outer, inner});
    if (failed(flat))
      return failure();
    auto result = n.create<SoftmaxOp>(*flat, b.getI64IntegerAttr(1),
                                      b.getBoolAttr(log));
    if (failed(result))
      return failure();
    auto back = n.reshape(*result, type.getShape());
    if (failed(back))
      return failure();
    n.setOutput(0, *back);
    return success();
  }
  auto result =
      n.create<SoftmaxOp>(x, b.getI64IntegerAttr(*axis), b.getBoolAttr(log));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Hardmax: 1 where the first maximum along the axis is, else 0; as
/// cast(arg_max(x) == iota). Before opset 13 the input is coerced to 2-D.
LogicalResult importHardmax(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  bool coerce = n.opsetVersion() < 13;
  auto axis = n.normalizeAxis(n.intAttr("axis", coerce ? 1 : -1),
                              std::max<int64_t>(rank, 1), "attribute 'axis'");
  if (failed(axis))
    return failure();
  Value x = *input;
  int64_t reduceAxis = *axis;
  if (coerce) {
    auto flat = n.reshape(x, {numElements(type.getShape().take_front(*axis)),
                              numElements(type.getShape().drop_front(*axis))});
    if (failed(flat))
      return failure();
    x = *flat;
    reduceAxis = 1;
  }
  auto xType = cast<RankedTensorType>(x.getType());
  Builder &b = n.builder();
  auto index = n.create<ArgReduceOp>(x, b.getStringAttr("max"),
                                     b.getI64IntegerAttr(reduceAxis),
                                     b.getBoolAttr(true), b.getBoolAttr(false));
  if (failed(index))
    return failure();
  int64_t extent = xType.getDimSize(reduceAxis);
  SmallVector<int64_t> iotaShape(xType.getRank(), 1), iota;
  iotaShape[reduceAxis] = extent;
  for (int64_t i = 0; i < extent; ++i)
    iota.push_back(i);
  auto hit = n.create<EqualOp>(*index,
                               n.constantInts(iota, iotaShape, b.getI64Type()));
  if (failed(hit))
    return failure();
  auto result = n.createTyped<CastOp>(xType, *hit);
  if (failed(result))
    return failure();
  auto out = n.reshape(*result, type.getShape());
  if (failed(out))
    return failure();
  n.setOutput(0, *out);
  return success();
}

LogicalResult importGemm(NodeImporter &n) {
  auto a = n.requiredInput(0), bIn = n.requiredInput(1);
  if (failed(a) || failed(bIn))
    return failure();
  Builder &b = n.builder();
  auto result = n.create<GemmOp>(
      *a, *bIn, n.input(2), b.getF64FloatAttr(n.floatAttr("alpha", 1.0)),
      b.getF64FloatAttr(n.floatAttr("beta", 1.0)),
      b.getBoolAttr(n.intAttr("transA", 0) != 0),
      b.getBoolAttr(n.intAttr("transB", 0) != 0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// MatMul with NumPy semantics: 1-D operands get a unit dimension that is
/// dropped from the result.
LogicalResult importMatMul(NodeImporter &n) {
  auto lhs = n.requiredInput(0), rhs = n.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  auto lhsShape = n.inputType(0).getShape();
  auto rhsShape = n.inputType(1).getShape();
  if (lhsShape.empty() || rhsShape.empty())
    return n.error("inputs", "MatMul operands must have rank >= 1");
  Value l = *lhs, r = *rhs;
  if (lhsShape.size() == 1) {
    auto v = n.reshape(l, {1, lhsShape[0]});
    if (failed(v))
      return failure();
    l = *v;
  }
  if (rhsShape.size() == 1) {
    auto v = n.reshape(r, {rhsShape[0], 1});
    if (failed(v))
      return failure();
    r = *v;
  }
  auto result = n.create<MatMulOp>(l, r);
  if (failed(result))
    return failure();
  SmallVector<int64_t> shape(
      cast<RankedTensorType>(result->getType()).getShape());
  if (rhsShape.size() == 1)
    shape.pop_back();
  if (lhsShape.size() == 1)
    shape.erase(shape.end() - (rhsShape.size() == 1 ? 1 : 2));
  auto out = n.reshape(*result, shape);
  if (failed(out))
    return failure();
  n.setOutput(0, *out);
  return success();
}

} // namespace

void registerNNImporters(OpImporterTable &t) {
  t["Conv"] = importConv;
  t["MaxPool"] = importPool<MaxPoolOp>;
  t["AveragePool"] = importPool<AvgPoolOp>;
  t["GlobalAveragePool"] = [](NodeImporter &n) {
    return importGlobalPool(n, "mean");
  };
  t["GlobalMaxPool"] = [](NodeImporter &n) {
    return importGlobalPool(n, "max");
  };
  t["BatchNormalization"] = importBatchNorm;
  t["LRN"] = importLRN;
  t["Softmax"] = [](NodeImporter &n) { return importSoftmax(n, false); };
  t["LogSoftmax"] = [](NodeImporter &n) { return importSoftmax(n, true); };
  t["Gemm"] = importGemm;
  t["Hardmax"] = importHardmax;
  t["MatMul"] = importMatMul;
}

} // namespace kiln::onnx_frontend
