//===- Shape.cpp - Import of ONNX shape and data-movement ops -------------===//
//
// Shape-valued inputs (Reshape's shape, Slice's bounds, ...) must be
// constants after folding: kiln compiles static graphs.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

LogicalResult setResult(NodeImporter &n, FailureOr<Value> value) {
  if (failed(value))
    return failure();
  n.setOutput(0, *value);
  return success();
}

LogicalResult importReshape(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> shape;
  if (n.opsetVersion() < 5 || n.hasAttribute("shape")) {
    shape = n.intsAttr("shape");
  } else {
    auto values = n.constantInts(1, "shape");
    if (failed(values))
      return failure();
    shape = *values;
  }
  auto inShape = n.inputType(0).getShape();
  bool allowZero = n.intAttr("allowzero", 0) != 0;
  int64_t inferIndex = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 0 && !allowZero) {
      if (i >= inShape.size())
        return n.error("input 1 (shape)", "0 copies a dimension the input "
                                          "does not have");
      d = inShape[i];
    }
    if (d == -1) {
      if (inferIndex >= 0)
        return n.error("input 1 (shape)", "more than one -1");
      inferIndex = i;
      continue;
    }
    if (d < 0)
      return n.error("input 1 (shape)", "negative dimension " + Twine(d));
    known *= d;
  }
  int64_t total = numElements(inShape);
  if (inferIndex >= 0) {
    if (known == 0 || total % known != 0)
      return n.error("input 1 (shape)", "cannot infer -1: " + Twine(total) +
                                            " elements do not divide by " +
                                            Twine(known));
    shape[inferIndex] = total / known;
  }
  if (numElements(shape) != total)
    return n.error("input 1 (shape)",
                   "reshaping " + Twine(total) + " elements into " +
                       Twine(numElements(shape)));
  return setResult(n, n.reshape(*input, shape));
}

LogicalResult importFlatten(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  int64_t rank = shape.size();
  int64_t axis = n.intAttr("axis", 1);
  if (axis < -rank || axis > rank)
    return n.error("attribute 'axis'", "out of range for rank " + Twine(rank));
  if (axis < 0)
    axis += rank;
  return setResult(n, n.reshape(*input, {numElements(shape.take_front(axis)),
                                         numElements(shape.drop_front(axis))}));
}

/// Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input after.
FailureOr<std::optional<SmallVector<int64_t>>> readAxes(NodeImporter &n,
                                                        int64_t inputOpset) {
  if (n.opsetVersion() < inputOpset)
    return n.optionalIntsAttr("axes");
  if (!n.input(1))
    return std::optional<SmallVector<int64_t>>();
  auto axes = n.constantInts(1, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

LogicalResult importSqueeze(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  auto axes = readAxes(n, 13);
  if (failed(axes))
    return failure();
  SmallVector<bool> drop(shape.size(), false);
  if (!*axes) {
    for (auto [i, d] : llvm::enumerate(shape))
      drop[i] = d == 1;
  } else {
    for (int64_t axis : **axes) {
      auto a = n.normalizeAxis(axis, shape.size(), "axes");
      if (failed(a))
        return failure();
      if (shape[*a] != 1)
        return n.error("axes", "dimension " + Twine(*a) + " has size " +
                                   Twine(shape[*a]) + ", not 1");
      drop[*a] = true;
    }
  }
  SmallVector<int64_t> result;
  for (auto [i, d] : llvm::enumerate(shape))
    if (!drop[i])
      result.push_back(d);
  return setResult(n, n.reshape(*input, result));
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  auto axes = readAxes(n, 13);
  if (failed(axes))
    return failure();
  if (!*axes)
    return n.error("axes", "is required");
  int64_t rank = shape.size() + (*axes)->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : **axes) {
    auto a = n.normalizeAxis(axis, rank, "axes");
    if (failed(a))
      return failure();
    if (inserted[*a])
      return n.error("axes", "repeats axis " + Twine(*a));
    inserted[*a] = true;
  }
  SmallVector<int64_t> result;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    result.push_back(inserted[i] ? 1 : shape[next++]);
  return setResult(n, n.reshape(*input, result));
}

LogicalResult importTranspose(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  auto perm = n.optionalIntsAttr("perm");
  SmallVector<int64_t> p;
  if (perm)
    p = *perm;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      p.push_back(i);
  return setResult(n, n.create<TransposeOp>(*input,
                                            n.builder().getDenseI64ArrayAttr(p)));
}

LogicalResult importConcat(NodeImporter &n) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i) {
    auto v = n.requiredInput(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return n.error("inputs", "at least one is required");
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), n.inputType(0).getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  return setResult(n, n.create<ConcatOp>(inputs,
                                         n.builder().getI64IntegerAttr(*axis)));
}

/// A slice of whole extent on every axis but `axis`.
FailureOr<Value> sliceAxis(NodeImporter &n, Value input, int64_t axis,
                           int64_t start, int64_t size) {
  auto shape = cast<RankedTensorType>(input.getType()).getShape();
  SmallVector<int64_t> starts(shape.size(), 0), sizes(shape), steps(shape.size(), 1);
  starts[axis] = start;
  sizes[axis] = size;
  Builder &b = n.builder();
  return n.create<SliceOp>(input, b.getDenseI64ArrayAttr(starts),
                           b.getDenseI64ArrayAttr(sizes),
                           b.getDenseI64ArrayAttr(steps));
}

LogicalResult importSplit(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), shape.size(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes;
  if (n.opsetVersion() >= 13 && n.input(1)) {
    auto split = n.constantInts(1, "split");
    if (failed(split))
      return failure();
    sizes = *split;
  } else if (n.hasAttribute("split")) {
    sizes = n.intsAttr("split");
  } else {
    int64_t parts = n.hasAttribute("num_outputs") ? n.intAttr("num_outputs", 1)
                                                  : n.numOutputs();
    if (parts < 1)
      return n.error("outputs", "at least one is required");
    int64_t chunk = (shape[*axis] + parts - 1) / parts;
    for (int64_t i = 0, left = shape[*axis]; i < parts; ++i) {
      sizes.push_back(std::min(chunk, left));
      left -= sizes.back();
    }
  }
  int64_t total = 0;
  for (int64_t s : sizes)
    total += s;
  if (total != shape[*axis] || sizes.size() != n.numOutputs())
    return n.error("split", "sizes must add up to the axis (" +
                                Twine(shape[*axis]) +
                                ") with one per output");
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    auto part = sliceAxis(n, *input, *axis, offset, size);
    if (failed(part))
      return failure();
    n.setOutput(i, *part);
    offset += size;
  }
  return success();
}

LogicalResult importSlice(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (n.opsetVersion() < 10) {
    starts = n.intsAttr("starts");
    ends = n.intsAttr("ends");
    axes = n.intsAttr("axes");
  } else {
    auto s = n.constantInts(1, "starts"), e = n.constantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (n.input(3)) {
      auto a = n.constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (n.input(4)) {
      auto st = n.constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.error("starts/ends/axes/steps", "must have the same length");
  SmallVector<int64_t> outStarts(rank, 0), outSizes(shape), outSteps(rank, 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    auto axis = n.normalizeAxis(axes[i], rank, "axes");
    if (failed(axis))
      return failure();
    int64_t dim = shape[*axis], step = steps[i];
    if (step == 0)
      return n.error("steps", "must not be 0");
    // Clamp as numpy does: to [0, dim] forward, to [-1, dim-1] backward.
    auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v += dim;
      return std::min(std::max(v, lo), hi);
    };
    int64_t start, end;
    if (step > 0) {
      start = clamp(starts[i], 0, dim);
      end = clamp(ends[i], 0, dim);
    } else {
      start = clamp(starts[i], -1, dim - 1);
      end = clamp(ends[i], -1, dim - 1);
    }
    int64_t size = step > 0 ? (end - start + step - 1) / step
                            : (start - end + (-step) - 1) / (-step);
    size = std::max<int64_t>(size, 0);
    outStarts[*axis] = size > 0 ? start : 0;
    outSizes[*axis] = size;
    outSteps[*axis] = step;
  }
  Builder &b = n.builder();
  return setResult(n, n.create<SliceOp>(*input, b.getDenseI64ArrayAttr(outStarts),
                                        b.getDenseI64ArrayAttr(outSizes),
                                        b.getDenseI64ArrayAttr(outSteps)));
}

LogicalResult importPad(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  SmallVector<int64_t> pads;
  double value = 0;
  if (n.opsetVersion() < 11) {
    pads = n.intsAttr("pads");
    value = n.floatAttr("value", 0);
  } else {
    auto p = n.constantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.input(2)) {
      auto v = n.constantScalar(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
    if (n.input(3)) {
      auto axes = n.constantInts(3, "axes");
      if (failed(axes))
        return failure();
      if (pads.size() != 2 * axes->size())
        return n.error("input 1 (pads)", "needs two values per axis");
      SmallVector<int64_t> full(2 * rank, 0);
      for (auto [i, axis] : llvm::enumerate(*axes)) {
        auto a = n.normalizeAxis(axis, rank, "axes");
        if (failed(a))
          return failure();
        full[*a] = pads[i];
        full[*a + rank] = pads[i + axes->size()];
      }
      pads = full;
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return n.error("pads", "expected " + Twine(2 * rank) + " values, got " +
                               Twine(pads.size()));
  std::string mode = n.stringAttr("mode", "constant");
  if (mode == "wrap") {
    // Wrap (opset 19): per padded axis, a gather of indices (j - begin)
    // mod extent; negative pads crop.
    Value x = *input;
    auto shape = n.inputType(0).getShape();
    for (int64_t d = 0; d < rank; ++d) {
      int64_t begin = pads[d], end = pads[d + rank], dim = shape[d];
      if (begin == 0 && end == 0)
        continue;
      int64_t size = dim + begin + end;
      if (size < 0 || (dim == 0 && size > 0))
        return n.error("pads", "leave a negative size on axis " + Twine(d));
      SmallVector<int64_t> indices;
      for (int64_t j = 0; j < size; ++j)
        indices.push_back((((j - begin) % dim) + dim) % dim);
      auto gathered = n.create<GatherOp>(
          x, n.constantInts(indices, {size}, n.builder().getI64Type()),
          n.builder().getI64IntegerAttr(d));
      if (failed(gathered))
        return failure();
      x = *gathered;
    }
    n.setOutput(0, x);
    return success();
  }
  std::optional<PadMode> padMode = symbolizePadMode(mode);
  if (!padMode)
    return n.error("attribute 'mode'", "unsupported mode '" + mode + "'");
  Builder &b = n.builder();
  return setResult(n,
                   n.create<PadOp>(*input, b.getDenseI64ArrayAttr(pads),
                                   PadModeAttr::get(b.getContext(), *padMode),
                                   b.getF64FloatAttr(value)));
}

LogicalResult importShape(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.inputType(0).getShape();
  int64_t rank = shape.size();
  int64_t start = n.intAttr("start", 0), end = n.intAttr("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  SmallVector<int64_t> dims(shape.begin() + start, shape.begin() + end);
  n.setOutput(0, n.constantInts(dims, {static_cast<int64_t>(dims.size())},
                                n.builder().getI64Type()));
  return success();
}

LogicalResult importSize(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  n.setOutput(0, n.constantInts({numElements(n.inputType(0).getShape())}, {},
                                n.builder().getI64Type()));
  return success();
}

LogicalResult importGather(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), n.inputType(0).getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  return setResult(n, n.create<GatherOp>(*input, *indices,
                                         n.builder().getI64IntegerAttr(*axis)));
}

LogicalResult importGatherElements(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), n.inputType(0).getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  return setResult(n, n.create<GatherElementsOp>(
                          *input, *indices, n.builder().getI64IntegerAttr(*axis)));
}

LogicalResult importExpand(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.constantInts(1, "shape");
  if (failed(shape))
    return failure();
  auto type = n.inputType(0);
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return n.error("input 1 (shape)", "must not be negative");
  auto result = broadcastShapes(type.getShape(), *shape);
  if (!result)
    return n.error("input 1 (shape)", "does not broadcast with the input");
  return setResult(n, n.createTyped<BroadcastOp>(type.clone(*result), *input));
}

/// Tile as broadcast: [d0, d1] -> [1, d0, 1, d1] -> [r0, d0, r1, d1] ->
/// [r0*d0, r1*d1].
LogicalResult importTile(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto repeats = n.constantInts(1, "repeats");
  if (failed(repeats))
    return failure();
  auto type = n.inputType(0);
  if (repeats->size() != static_cast<size_t>(type.getRank()))
    return n.error("input 1 (repeats)", "needs one value per axis");
  if (llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
    return n.error("input 1 (repeats)", "must not be negative");
  SmallVector<int64_t> interleaved, broadcast, result;
  for (auto [d, r] : llvm::zip(type.getShape(), *repeats)) {
    interleaved.append({1, d});
    broadcast.append({r, d});
    result.push_back(r * d);
  }
  auto expanded = n.reshape(*input, interleaved);
  if (failed(expanded))
    return failure();
  auto tiled = n.createTyped<BroadcastOp>(type.clone(broadcast), *expanded);
  if (failed(tiled))
    return failure();
  return setResult(n, n.reshape(*tiled, result));
}

LogicalResult importConstant(NodeImporter &n) {
  MLIRContext *ctx = n.context();
  Builder &b = n.builder();
  if (auto *attr = n.attribute("value")) {
    std::string error;
    auto value = tensorProtoToAttr(attr->t(), ctx, "", error);
    if (failed(value))
      return n.error("attribute 'value'", error);
    n.setOutput(0, n.constant(*value));
    return success();
  }
  if (n.hasAttribute("value_float")) {
    n.setOutput(0, n.constant(DenseElementsAttr::get(
                       RankedTensorType::get({}, b.getF32Type()),
                       static_cast<float>(n.floatAttr("value_float", 0)))));
    return success();
  }
  if (n.hasAttribute("value_floats")) {
    auto values = n.floatsAttr("value_floats");
    n.setOutput(0, n.constant(DenseElementsAttr::get(
                       RankedTensorType::get({(int64_t)values.size()}, b.getF32Type()),
                       ArrayRef<float>(values))));
    return success();
  }
  if (n.hasAttribute("value_int")) {
    n.setOutput(0, n.constantInts({n.intAttr("value_int", 0)}, {}, b.getI64Type()));
    return success();
  }
  if (n.hasAttribute("value_ints")) {
    auto values = n.intsAttr("value_ints");
    n.setOutput(0, n.constantInts(values, {(int64_t)values.size()}, b.getI64Type()));
    return success();
  }
  return n.error("attributes", "needs value, value_float(s) or value_int(s) "
                               "(sparse and string constants are not "
                               "supported)");
}

LogicalResult importConstantOfShape(NodeImporter &n) {
  auto shape = n.constantInts(0, "input");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return n.error("input 0 (input)", "the shape must not be negative");
  DenseElementsAttr value = DenseElementsAttr::get(
      RankedTensorType::get({1}, n.builder().getF32Type()), 0.0f);
  if (auto *attr = n.attribute("value")) {
    std::string error;
    auto v = tensorProtoToAttr(attr->t(), n.context(), "", error);
    if (failed(v))
      return n.error("attribute 'value'", error);
    value = *v;
  }
  if (value.getNumElements() != 1)
    return n.error("attribute 'value'", "must hold one element");
  auto type = RankedTensorType::get(*shape, value.getElementType());
  n.setOutput(0, n.constant(DenseElementsAttr::get(
                     type, value.getValues<Attribute>()[0])));
  return success();
}

/// Range with constant start, limit and delta folds to a constant.
LogicalResult importRange(NodeImporter &n) {
  DenseElementsAttr start = n.constantInput(0), limit = n.constantInput(1),
                    delta = n.constantInput(2);
  if (!start || !limit || !delta)
    return n.error("inputs", "start, limit and delta must be constants");
  Type elementType = start.getElementType();
  auto scalar = [](DenseElementsAttr a) -> double {
    if (isa<FloatType>(a.getElementType()))
      return (*a.getValues<APFloat>().begin()).convertToDouble();
    return (*a.getValues<APInt>().begin()).getSExtValue();
  };
  double s = scalar(start), l = scalar(limit), d = scalar(delta);
  if (d == 0)
    return n.error("input 2 (delta)", "must not be 0");
  double steps = std::ceil((l - s) / d);
  // The result is a constant; a huge one is a mistake, not a model.
  constexpr double kMaxRangeElements = 1 << 24;
  if (steps > kMaxRangeElements)
    return n.error("inputs", "Range of " + Twine(static_cast<int64_t>(steps)) +
                                 " elements is larger than kiln folds (" +
                                 Twine(static_cast<int64_t>(kMaxRangeElements)) +
                                 ")");
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(steps));
  auto type = RankedTensorType::get({count}, elementType);
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    SmallVector<Attribute> values;
    // Accumulate in the element type, as the reference does.
    APFloat v = *start.getValues<APFloat>().begin();
    APFloat step = *delta.getValues<APFloat>().begin();
    for (int64_t i = 0; i < count; ++i) {
      values.push_back(FloatAttr::get(floatType, v));
      v.add(step, APFloat::rmNearestTiesToEven);
    }
    n.setOutput(0, n.constant(DenseElementsAttr::get(type, values)));
    return success();
  }
  SmallVector<int64_t> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back(static_cast<int64_t>(s + i * d));
  n.setOutput(0, n.constantInts(values, {count}, elementType));
  return success();
}

/// reshape -> transpose -> reshape, the shape of DepthToSpace/SpaceToDepth.
LogicalResult importBlockShuffle(NodeImporter &n, ArrayRef<int64_t> split,
                                 ArrayRef<int64_t> perm,
                                 ArrayRef<int64_t> result) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto expanded = n.reshape(*input, split);
  if (failed(expanded))
    return failure();
  auto shuffled = n.create<TransposeOp>(*expanded,
                                        n.builder().getDenseI64ArrayAttr(perm));
  if (failed(shuffled))
    return failure();
  return setResult(n, n.reshape(*shuffled, result));
}

LogicalResult importDepthToSpace(NodeImporter &n) {
  auto type = n.inputType(0);
  int64_t b = n.intAttr("blocksize", 0);
  if (type.getRank() != 4)
    return n.error("input 0", "must be 4-D");
  auto s = type.getShape();
  if (b < 1 || s[1] % (b * b) != 0)
    return n.error("attribute 'blocksize'",
                   "must divide the channels by its square");
  int64_t c = s[1] / (b * b);
  SmallVector<int64_t> result{s[0], c, s[2] * b, s[3] * b};
  if (n.stringAttr("mode", "DCR") == "CRD")
    return importBlockShuffle(n, {s[0], c, b, b, s[2], s[3]}, {0, 1, 4, 2, 5, 3},
                              result);
  return importBlockShuffle(n, {s[0], b, b, c, s[2], s[3]}, {0, 3, 4, 1, 5, 2},
                            result);
}

LogicalResult importSpaceToDepth(NodeImporter &n) {
  auto type = n.inputType(0);
  int64_t b = n.intAttr("blocksize", 0);
  if (type.getRank() != 4)
    return n.error("input 0", "must be 4-D");
  auto s = type.getShape();
  if (b < 1 || s[2] % b != 0 || s[3] % b != 0)
    return n.error("attribute 'blocksize'", "must divide height and width");
  std::string mode = n.stringAttr("mode", "DCR");
  if (mode != "DCR" && mode != "CRD")
    return n.error("attribute 'mode'", "must be DCR or CRD, got '" + mode + "'");
  // CRD (opset 25) keeps each channel's block together.
  return importBlockShuffle(n, {s[0], s[1], s[2] / b, b, s[3] / b, b},
                            mode == "CRD" ? ArrayRef<int64_t>{0, 1, 3, 5, 2, 4}
                                          : ArrayRef<int64_t>{0, 3, 5, 1, 2, 4},
                            {s[0], s[1] * b * b, s[2] / b, s[3] / b});
}

/// Trilu: where(mask, x, 0) with the triangle mask a constant.
LogicalResult importTrilu(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() < 2)
    return n.error("input 0", "must have rank >= 2");
  int64_t k = 0;
  if (n.input(1)) {
    auto kValue = n.constantInts(1, "k");
    if (failed(kValue))
      return failure();
    k = kValue->front();
  }
  bool upper = n.intAttr("upper", 1) != 0;
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value maskValue = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({rows, cols}, n.builder().getI1Type()), mask));
  return setResult(n, n.create<WhereOp>(maskValue, *input,
                                        n.scalar(0, type.getElementType())));
}

LogicalResult importEyeLike(NodeImporter &n) {
  auto type = n.inputType(0);
  if (type.getRank() != 2)
    return n.error("input 0", "must be 2-D");
  Type elementType = type.getElementType();
  if (n.hasAttribute("dtype")) {
    elementType = elementTypeOf(n.intAttr("dtype", 1), n.context());
    if (!elementType)
      return n.error("attribute 'dtype'", "unsupported data type");
  }
  int64_t k = n.intAttr("k", 0);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  SmallVector<Attribute> values;
  Builder &b = n.builder();
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      bool one = j - i == k;
      if (isa<FloatType>(elementType))
        values.push_back(b.getFloatAttr(elementType, one ? 1.0 : 0.0));
      else
        values.push_back(b.getIntegerAttr(elementType, one ? 1 : 0));
    }
  n.setOutput(0, n.constant(DenseElementsAttr::get(
                     RankedTensorType::get({rows, cols}, elementType), values)));
  return success();
}

} // namespace

void registerShapeImporters(OpImporterTable &t) {
  t["DepthToSpace"] = importDepthToSpace;
  t["SpaceToDepth"] = importSpaceToDepth;
  t["Trilu"] = importTrilu;
  t["EyeLike"] = importEyeLike;
  t["Reshape"] = importReshape;
  t["Flatten"] = importFlatten;
  t["Squeeze"] = importSqueeze;
  t["Unsqueeze"] = importUnsqueeze;
  t["Transpose"] = importTranspose;
  t["Concat"] = importConcat;
  t["Split"] = importSplit;
  t["Slice"] = importSlice;
  t["Pad"] = importPad;
  t["Shape"] = importShape;
  t["Size"] = importSize;
  t["Gather"] = importGather;
  t["GatherElements"] = importGatherElements;
  t["Expand"] = importExpand;
  t["Tile"] = importTile;
  t["Constant"] = importConstant;
  t["ConstantOfShape"] = importConstantOfShape;
  t["Range"] = importRange;
}

} // namespace kiln::onnx_frontend
