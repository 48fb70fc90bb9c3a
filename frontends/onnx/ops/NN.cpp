//===- NN.cpp - Import of ONNX convolution, pooling, normalization --------===//
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/ops/Compose.h"

#include "llvm/ADT/StringExtras.h"

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
LogicalResult importGlobalPool(NodeImporter &n, ReduceKind kind) {
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
  auto result =
      n.create<ReduceOp>(*input, ReduceKindAttr::get(b.getContext(), kind),
                         b.getDenseI64ArrayAttr(axes), b.getBoolAttr(true));
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
  auto index = n.create<ArgReduceOp>(
      x, ArgReduceKindAttr::get(b.getContext(), ArgReduceKind::Max),
      b.getI64IntegerAttr(reduceAxis), b.getBoolAttr(true),
      b.getBoolAttr(false));
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

/// LpPool: (sum over the window of |x|^p)^(1/p), padding counting as 0:
/// an average pool of |x|^p that counts the padding, times the window size.
LogicalResult importLpPool(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() < 3)
    return n.error("input 0 (X)", "must have rank >= 3 (N, C, spatial...)");
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  if (!n.hasAttribute("kernel_shape"))
    return n.error("attribute 'kernel_shape'", "is required");
  auto window = readWindow(n, type.getShape(), n.intsAttr("kernel_shape"));
  if (failed(window))
    return failure();
  double p = n.intAttr("p", 2);
  if (p < 1)
    return n.error("attribute 'p'", "must be at least 1");
  Composer c(n);
  Builder &b = n.builder();
  Type t = type.getElementType();
  Value powered = c.unary<AbsOp>(*input);
  if (p != 1)
    powered = c.pow(powered, c.scalar(p, t));
  Value avg = c.make<AvgPoolOp>(
      powered, b.getDenseI64ArrayAttr(window->kernel),
      b.getDenseI64ArrayAttr(window->strides),
      b.getDenseI64ArrayAttr(window->pads),
      b.getDenseI64ArrayAttr(window->dilations),
      b.getBoolAttr(n.intAttr("ceil_mode", 0) != 0), b.getBoolAttr(true));
  Value sum = c.mul(avg, c.scalar(numElements(window->kernel), t));
  Value y = p == 1 ? sum : c.pow(sum, c.scalar(1.0 / p, t));
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// GlobalLpPool: (sum over the spatial axes of |x|^p)^(1/p).
LogicalResult importGlobalLpPool(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() < 3)
    return n.error("input 0 (X)", "must have rank >= 3");
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  double p = n.intAttr("p", 2);
  if (p < 1)
    return n.error("attribute 'p'", "must be at least 1");
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  Composer c(n);
  Type t = type.getElementType();
  Value powered = c.unary<AbsOp>(*input);
  if (p != 1)
    powered = c.pow(powered, c.scalar(p, t));
  Value sum = c.reduce(powered, ReduceKind::Sum, axes);
  Value y = p == 1 ? sum : c.pow(sum, c.scalar(1.0 / p, t));
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// CausalConvWithState: a depthwise convolution over [past_state (or zeros),
/// input] along the length axis, optionally with SiLU; present_state is the
/// last k - 1 positions of that concatenation.
LogicalResult importCausalConvWithState(NodeImporter &n) {
  auto input = n.requiredInput(0), weight = n.requiredInput(1);
  if (failed(input) || failed(weight))
    return failure();
  auto type = n.inputType(0), wType = n.inputType(1);
  if (type.getRank() != 3)
    return n.error("input 0 (input)", "must be 3-D (batch, channels, length)");
  int64_t channels = type.getDimSize(1);
  if (wType.getRank() != 3 || wType.getDimSize(0) != channels ||
      wType.getDimSize(1) != 1)
    return n.error("input 1 (weight)", "must be (channels, 1, k)");
  std::string activation = n.stringAttr("activation", "none");
  if (activation != "none" && activation != "silu" && activation != "swish")
    return n.error("attribute 'activation'",
                   "must be 'none', 'silu' or 'swish', got '" + activation +
                       "'");
  int64_t k = wType.getDimSize(2), batch = type.getDimSize(0);
  Composer c(n);
  Builder &b = n.builder();
  Type t = type.getElementType();
  Value past = n.input(3);
  if (past) {
    auto pType = cast<RankedTensorType>(past.getType());
    if (pType.getShape() != ArrayRef<int64_t>{batch, channels, k - 1})
      return n.error("input 3 (past_state)", "must be (batch, channels, k - 1)");
  } else if (k > 1) {
    past = n.constant(DenseElementsAttr::get(
        RankedTensorType::get({batch, channels, k - 1}, t),
        FloatAttr::get(t, 0.0).getValue()));
  }
  Value padded = k > 1 ? c.concat({past, *input}, 2) : *input;
  Value conv = c.make<ConvOp>(padded, *weight, n.input(2),
                              b.getDenseI64ArrayAttr({1}),
                              b.getDenseI64ArrayAttr({0, 0}),
                              b.getDenseI64ArrayAttr({1}),
                              b.getI64IntegerAttr(channels));
  Value y = conv;
  if (activation != "none" && c.ok()) {
    Type f32 = b.getF32Type();
    Value wide = c.cast(conv, f32);
    y = c.cast(c.mul(wide, c.unary<SigmoidOp>(wide)), t);
  }
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  if (n.wantsOutput(1)) {
    int64_t total = Composer::typeOf(padded).getDimSize(2);
    Value state = c.sliceAxis(padded, 2, total - (k - 1), k - 1);
    if (!c.ok())
      return failure();
    n.setOutput(1, state);
  }
  return success();
}

/// Col2Im: the sum of sliding blocks back into an image, which is a
/// transposed convolution with a filter that routes input channel
/// c * prod(block) + k to output channel c at kernel offset k.
LogicalResult importCol2Im(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto image = n.constantInts(1, "image_shape");
  auto block = n.constantInts(2, "block_shape");
  if (failed(image) || failed(block))
    return failure();
  auto type = n.inputType(0);
  int64_t spatial = image->size();
  if (type.getRank() != 3)
    return n.error("input 0 (input)", "must be 3-D (N, C * prod(block), L)");
  if (static_cast<int64_t>(block->size()) != spatial || spatial < 1)
    return n.error("input 2 (block_shape)",
                   "must have one entry per image axis");
  auto strides = n.intsAttrOfSize("strides", spatial, 1);
  auto dilations = n.intsAttrOfSize("dilations", spatial, 1);
  auto pads = n.intsAttrOfSize("pads", 2 * spatial, 0);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  int64_t blockSize = numElements(*block);
  if (blockSize < 1 || type.getDimSize(1) % blockSize != 0)
    return n.error("input 2 (block_shape)",
                   "its product must divide dimension 1 of the input");
  int64_t channels = type.getDimSize(1) / blockSize;
  SmallVector<int64_t> blocks;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t count = ((*image)[i] + (*pads)[i] + (*pads)[i + spatial] -
                     (*dilations)[i] * ((*block)[i] - 1) - 1) /
                        (*strides)[i] +
                    1;
    if (count < 1)
      return n.error("input 1 (image_shape)", "leaves no sliding block");
    blocks.push_back(count);
  }
  if (numElements(blocks) != type.getDimSize(2))
    return n.error("input 0 (input)",
                   "dimension 2 must be the number of sliding blocks (" +
                       Twine(numElements(blocks)) + ")");
  Composer c(n);
  Builder &b = n.builder();
  Type t = type.getElementType();
  // Filter [C * B, 1, block...]: one 1 per input channel.
  SmallVector<int64_t> filterShape{channels * blockSize, 1};
  filterShape.append(block->begin(), block->end());
  SmallVector<Attribute> values(channels * blockSize * blockSize,
                                FloatAttr::get(t, 0.0));
  for (int64_t ch = 0; ch < channels; ++ch)
    for (int64_t kk = 0; kk < blockSize; ++kk)
      values[(ch * blockSize + kk) * blockSize + kk] = FloatAttr::get(t, 1.0);
  Value filter = n.constant(DenseElementsAttr::get(
      RankedTensorType::get(filterShape, t), values));
  SmallVector<int64_t> inShape{type.getDimSize(0), channels * blockSize};
  inShape.append(blocks.begin(), blocks.end());
  Value x = c.reshape(*input, inShape);
  Value y = c.make<ConvTransposeOp>(
      x, filter, Value(), b.getDenseI64ArrayAttr(*strides),
      b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(*dilations),
      b.getDenseI64ArrayAttr(SmallVector<int64_t>(spatial, 0)),
      b.getI64IntegerAttr(channels));
  if (!c.ok())
    return failure();
  // The transposed convolution may stop short of the image (strides that do
  // not reach its end): pad with zeros.
  auto yShape = Composer::typeOf(y).getShape();
  SmallVector<int64_t> padding(2 * (spatial + 2), 0);
  bool needPad = false;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t missing = (*image)[i] - yShape[i + 2];
    if (missing < 0)
      return n.error("input 1 (image_shape)", "is inconsistent with the blocks");
    padding[spatial + 2 + i + 2] = missing;
    needPad |= missing > 0;
  }
  if (needPad)
    y = c.make<PadOp>(y, b.getDenseI64ArrayAttr(padding),
                      PadModeAttr::get(b.getContext(), PadMode::Constant),
                      b.getF64FloatAttr(0.0));
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// Einsum: the equation made explicit (implicit outputs are the letters
/// that occur once, in alphabetical order) with each "..." replaced by
/// fresh letters, right-aligned across the operands so that they broadcast.
LogicalResult importEinsum(NodeImporter &n) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i) {
    auto v = n.requiredInput(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return n.error("inputs", "at least one is required");
  std::string equation;
  for (char ch : n.stringAttr("equation", ""))
    if (ch != ' ')
      equation.push_back(ch);
  if (equation.empty())
    return n.error("attribute 'equation'", "is required");
  StringRef eq(equation);
  auto [lhs, rhs] = eq.split("->");
  bool explicitOut = lhs.size() != eq.size();
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != inputs.size())
    return n.error("attribute 'equation'",
                   "has " + Twine(terms.size()) + " terms for " +
                       Twine(inputs.size()) + " inputs");
  auto badChar = [](StringRef term) {
    return llvm::any_of(term, [](char ch) {
      return !llvm::isAlpha(ch) && ch != '.';
    });
  };
  if (llvm::any_of(terms, badChar) || badChar(rhs))
    return n.error("attribute 'equation'",
                   "'" + equation + "' holds characters other than letters, "
                   "',', '->' and '...'");
  // Fresh letters for ellipsis axes.
  std::string fresh;
  for (char ch = 'A'; ch <= 'Z'; ++ch)
    if (!eq.contains(ch))
      fresh.push_back(ch);
  for (char ch = 'a'; ch <= 'z'; ++ch)
    if (!eq.contains(ch))
      fresh.push_back(ch);
  int64_t ellipsisRank = 0;
  SmallVector<std::string> expanded;
  for (auto [term, value] : llvm::zip(terms, inputs)) {
    int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
    size_t dots = term.find("...");
    if (dots == StringRef::npos) {
      if (term.contains('.'))
        return n.error("attribute 'equation'", "stray '.' in '" + term + "'");
      expanded.push_back(term.str());
      continue;
    }
    int64_t named = static_cast<int64_t>(term.size()) - 3;
    int64_t e = rank - named;
    if (e < 0)
      return n.error("attribute 'equation'",
                     "term '" + term + "' has more letters than its operand's "
                     "rank " + Twine(rank));
    ellipsisRank = std::max(ellipsisRank, e);
    expanded.push_back(""); // filled below, once the ellipsis rank is known
  }
  if (ellipsisRank > static_cast<int64_t>(fresh.size()))
    return n.error("attribute 'equation'", "too many ellipsis axes");
  std::string ellipsisLetters = fresh.substr(0, ellipsisRank);
  for (auto [i, term] : llvm::enumerate(terms)) {
    size_t dots = term.find("...");
    if (dots == StringRef::npos)
      continue;
    int64_t rank = cast<RankedTensorType>(inputs[i].getType()).getRank();
    int64_t e = rank - (static_cast<int64_t>(term.size()) - 3);
    expanded[i] = term.substr(0, dots).str() +
                  ellipsisLetters.substr(ellipsisRank - e) +
                  term.substr(dots + 3).str();
  }
  std::string out;
  if (explicitOut) {
    size_t dots = rhs.find("...");
    out = dots == StringRef::npos
              ? rhs.str()
              : rhs.substr(0, dots).str() + ellipsisLetters +
                    rhs.substr(dots + 3).str();
  } else {
    std::string once;
    for (char ch = 'A'; ch <= 'z'; ++ch) {
      if (!llvm::isAlpha(ch) || ellipsisLetters.find(ch) != std::string::npos)
        continue;
      int count = 0;
      for (const std::string &t : expanded)
        count += llvm::count(t, ch);
      if (count == 1)
        once.push_back(ch);
    }
    out = ellipsisLetters + once;
  }
  std::string normalized;
  for (auto [i, t] : llvm::enumerate(expanded))
    normalized += (i ? "," : "") + t;
  normalized += "->" + out;
  auto result = n.create<EinsumOp>(inputs, n.builder().getStringAttr(normalized));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// ConvInteger and QLinearConv: a convolution in i32 of the operands minus
/// their zero points (the weight's per output channel when it has one per
/// filter); QLinearConv then requantizes with its scales.
LogicalResult importQuantizedConv(NodeImporter &n, bool qlinear) {
  // Operand positions: ConvInteger (x, w, x_zp, w_zp); QLinearConv (x,
  // x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B).
  size_t xi = 0, wi = qlinear ? 3 : 1, xzi = qlinear ? 2 : 2,
         wzi = qlinear ? 5 : 3;
  auto x = n.requiredInput(xi), w = n.requiredInput(wi);
  if (failed(x) || failed(w))
    return failure();
  auto xType = n.inputType(xi), wType = n.inputType(wi);
  if (xType.getRank() < 3 || wType.getRank() != xType.getRank())
    return n.error("input " + Twine(wi) + " (w)",
                   "must have the rank of x, at least 3");
  int64_t group = n.intAttr("group", 1);
  SmallVector<int64_t> filterKernel(wType.getShape().drop_front(2));
  auto kernel = n.optionalIntsAttr("kernel_shape").value_or(filterKernel);
  if (kernel != filterKernel)
    return n.error("attribute 'kernel_shape'",
                   "differs from the spatial dimensions of w");
  auto window = readWindow(n, xType.getShape(), kernel);
  if (failed(window))
    return failure();
  Composer c(n);
  Builder &b = n.builder();
  Value xs = minusZeroPoint(c, *x, n.input(xzi));
  Value wzp = n.input(wzi);
  if (wzp && cast<RankedTensorType>(wzp.getType()).getNumElements() > 1) {
    SmallVector<int64_t> s(wType.getRank(), 1);
    s[0] = cast<RankedTensorType>(wzp.getType()).getNumElements();
    wzp = c.reshape(wzp, s);
  }
  Value ws = minusZeroPoint(c, *w, wzp);
  Value bias = qlinear ? n.input(8) : Value();
  if (bias)
    bias = c.cast(bias, b.getI32Type());
  Value acc = c.make<ConvOp>(xs, ws, bias, b.getDenseI64ArrayAttr(window->strides),
                             b.getDenseI64ArrayAttr(window->pads),
                             b.getDenseI64ArrayAttr(window->dilations),
                             b.getI64IntegerAttr(group));
  Value y = acc;
  if (qlinear) {
    for (size_t i : {1, 4, 6, 7})
      if (!n.input(i))
        return n.error("input " + Twine(i), "is required but missing");
    Value wScale = n.input(4);
    if (cast<RankedTensorType>(wScale.getType()).getNumElements() > 1) {
      SmallVector<int64_t> s(xType.getRank(), 1);
      s[1] = cast<RankedTensorType>(wScale.getType()).getNumElements();
      wScale = c.reshape(wScale, s);
    }
    y = requantize(c, acc, n.input(1), wScale, n.input(6), n.input(7),
                   cast<RankedTensorType>(n.input(7).getType()).getElementType());
  }
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

LogicalResult importDet(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto result = n.create<DetOp>(*input);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

} // namespace

void registerNNImporters(OpImporterTable &t) {
  t["Conv"] = importConv;
  t["MaxPool"] = importPool<MaxPoolOp>;
  t["AveragePool"] = importPool<AvgPoolOp>;
  t["GlobalAveragePool"] = [](NodeImporter &n) {
    return importGlobalPool(n, ReduceKind::Mean);
  };
  t["GlobalMaxPool"] = [](NodeImporter &n) {
    return importGlobalPool(n, ReduceKind::Max);
  };
  t["BatchNormalization"] = importBatchNorm;
  t["LRN"] = importLRN;
  t["Softmax"] = [](NodeImporter &n) { return importSoftmax(n, false); };
  t["LogSoftmax"] = [](NodeImporter &n) { return importSoftmax(n, true); };
  t["Gemm"] = importGemm;
  t["Hardmax"] = importHardmax;
  t["MatMul"] = importMatMul;
  t["LpPool"] = importLpPool;
  t["GlobalLpPool"] = importGlobalLpPool;
  t["CausalConvWithState"] = importCausalConvWithState;
  t["Col2Im"] = importCol2Im;
  t["Einsum"] = importEinsum;
  t["Det"] = importDet;
  t["ConvInteger"] = [](NodeImporter &n) { return importQuantizedConv(n, false); };
  t["QLinearConv"] = [](NodeImporter &n) { return importQuantizedConv(n, true); };
  registerQuantizationImporters(t);
  registerAttentionImporters(t);
  registerActivationImporters(t);
  registerMiscImporters(t);
}

} // namespace kiln::onnx_frontend
