//===- Normalization.cpp - Import of ONNX normalizations by decomposition -===//
//
// LayerNormalization, InstanceNormalization and MeanVarianceNormalization
// are mean/variance computations over a set of axes: they decompose into
// nn.reduce and elementwise ops, which later fuse.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/ops/Compose.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

struct Normalized {
  Value centered, mean, invStdDev, result;
};

/// (x - mean) / sqrt(var + epsilon) over `axes` (kept as size-1 dims).
FailureOr<Normalized> normalize(NodeImporter &n, Value x,
                                ArrayRef<int64_t> axes, double epsilon) {
  Builder &b = n.builder();
  Type elementType = cast<RankedTensorType>(x.getType()).getElementType();
  auto meanOf = [&](Value v) {
    return n.create<ReduceOp>(
        v, ReduceKindAttr::get(b.getContext(), ReduceKind::Mean),
        b.getDenseI64ArrayAttr(axes), b.getBoolAttr(true));
  };
  Normalized r;
  auto mean = meanOf(x);
  if (failed(mean))
    return failure();
  r.mean = *mean;
  auto centered = n.create<SubOp>(x, r.mean);
  if (failed(centered))
    return failure();
  r.centered = *centered;
  auto squared = n.create<MulOp>(r.centered, r.centered);
  if (failed(squared))
    return failure();
  auto variance = meanOf(*squared);
  if (failed(variance))
    return failure();
  auto shifted = n.create<AddOp>(*variance, n.scalar(epsilon, elementType));
  if (failed(shifted))
    return failure();
  auto stdDev = n.createTyped<SqrtOp>(shifted->getType(), *shifted);
  if (failed(stdDev))
    return failure();
  auto inv = n.createTyped<ReciprocalOp>(stdDev->getType(), *stdDev);
  if (failed(inv))
    return failure();
  r.invStdDev = *inv;
  auto result = n.create<MulOp>(r.centered, r.invStdDev);
  if (failed(result))
    return failure();
  r.result = *result;
  return r;
}

/// result * scale + bias, scale and bias broadcasting as given.
FailureOr<Value> affine(NodeImporter &n, Value v, Value scale, Value bias) {
  if (scale) {
    auto scaled = n.create<MulOp>(v, scale);
    if (failed(scaled))
      return failure();
    v = *scaled;
  }
  if (bias) {
    auto shifted = n.create<AddOp>(v, bias);
    if (failed(shifted))
      return failure();
    v = *shifted;
  }
  return v;
}

LogicalResult importLayerNorm(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  auto axis = n.normalizeAxis(n.intAttr("axis", -1), rank, "attribute 'axis'");
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  auto norm = normalize(n, *x, axes, n.floatAttr("epsilon", 1e-5f));
  if (failed(norm))
    return failure();
  auto y = affine(n, norm->result, *scale, n.input(2));
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  n.setOutput(1, norm->mean);
  n.setOutput(2, norm->invStdDev);
  return success();
}

LogicalResult importInstanceNorm(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1),
       bias = n.requiredInput(2);
  if (failed(x) || failed(scale) || failed(bias))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 3)
    return n.error("input 0", "must have rank >= 3");
  SmallVector<int64_t> axes, channelShape{type.getDimSize(1)};
  for (int64_t d = 2; d < rank; ++d) {
    axes.push_back(d);
    channelShape.push_back(1);
  }
  auto norm = normalize(n, *x, axes, n.floatAttr("epsilon", 1e-5f));
  if (failed(norm))
    return failure();
  auto s = n.reshape(*scale, channelShape), b = n.reshape(*bias, channelShape);
  if (failed(s) || failed(b))
    return failure();
  auto y = affine(n, norm->result, *s, *b);
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  return success();
}

LogicalResult importMVN(NodeImporter &n) {
  auto x = n.requiredInput(0);
  if (failed(x))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  SmallVector<int64_t> axes;
  for (int64_t axis : n.optionalIntsAttr("axes").value_or(
           SmallVector<int64_t>{0, 2, 3})) {
    auto a = n.normalizeAxis(axis, rank, "attribute 'axes'");
    if (failed(a))
      return failure();
    axes.push_back(*a);
  }
  llvm::sort(axes);
  auto norm = normalize(n, *x, axes, 1e-9);
  if (failed(norm))
    return failure();
  n.setOutput(0, norm->result);
  return success();
}

/// The type stage one of a normalization computes in (stash_type): f32 by
/// default.
FailureOr<Type> stashType(NodeImporter &n) {
  int64_t stash = n.intAttr("stash_type", 1);
  Type t = elementTypeOf(stash, n.context());
  if (!t || !isa<FloatType>(t))
    return static_cast<LogicalResult>(n.error(
        "attribute 'stash_type'",
        "must be a floating-point data type, got " + Twine(stash)));
  return t;
}

/// RMSNormalization: X / sqrt(mean(X^2 over axis..) + epsilon) in the
/// stash type, cast back, times scale.
LogicalResult importRMSNorm(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  int64_t rank = type.getRank();
  auto axis = n.normalizeAxis(n.intAttr("axis", -1), rank, "attribute 'axis'");
  auto stash = stashType(n);
  if (failed(axis) || failed(stash))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  Composer c(n);
  Value xs = c.cast(*x, *stash);
  Value meanSquare = c.reduce(c.mul(xs, xs), ReduceKind::Mean, axes);
  Value rms = c.unary<SqrtOp>(
      c.add(meanSquare, c.scalar(n.floatAttr("epsilon", 1e-5f), *stash)));
  Value normalized = c.cast(c.div(xs, rms), type.getElementType());
  Value y = c.mul(normalized, *scale);
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// LpNormalization: x / ||x||_p along axis (p 1 or 2), 0 where the norm is 0.
LogicalResult importLpNorm(NodeImporter &n) {
  auto x = n.requiredInput(0);
  if (failed(x))
    return failure();
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (input)", "must be a floating-point tensor");
  auto axis = n.normalizeAxis(n.intAttr("axis", -1), type.getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  int64_t p = n.intAttr("p", 2);
  if (p != 1 && p != 2)
    return n.error("attribute 'p'", "must be 1 or 2, got " + Twine(p));
  Composer c(n);
  Type t = type.getElementType();
  Value norm = c.reduce(*x, p == 1 ? ReduceKind::L1 : ReduceKind::L2, {*axis});
  Value zero = c.scalar(0, t);
  Value y = c.where(c.eq(norm, zero), zero, c.div(*x, norm));
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// GroupNormalization: the channels split into num_groups groups,
/// normalized over each group and the spatial axes, then scaled and shifted
/// per channel (opset 21; per group before).
LogicalResult importGroupNorm(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1),
       bias = n.requiredInput(2);
  if (failed(x) || failed(scale) || failed(bias))
    return failure();
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  int64_t rank = type.getRank();
  if (rank < 3)
    return n.error("input 0 (X)", "must have rank >= 3 (N, C, spatial)");
  if (!n.hasAttribute("num_groups"))
    return n.error("attribute 'num_groups'", "is required");
  int64_t groups = n.intAttr("num_groups", 1);
  auto shape = type.getShape();
  int64_t channels = shape[1];
  if (groups < 1 || channels % groups != 0)
    return n.error("attribute 'num_groups'",
                   Twine(groups) + " does not divide the " + Twine(channels) +
                       " channels");
  bool perChannel = n.opsetVersion() >= 21;
  int64_t paramSize = perChannel ? channels : groups;
  for (int i : {1, 2})
    if (n.inputType(i).getNumElements() != paramSize)
      return n.error(Twine("input ") + Twine(i) + (i == 1 ? " (scale)" : " (bias)"),
                     "must hold " + Twine(paramSize) + " values");
  auto stash = stashType(n);
  if (failed(stash))
    return failure();
  Composer c(n);
  Type t = type.getElementType();
  // [N, G, C/G * spatial...]
  int64_t inner = numElements(shape.drop_front(1)) / groups;
  Value grouped = c.reshape(c.cast(*x, *stash), {shape[0], groups, inner});
  if (!c.ok())
    return failure();
  auto norm = normalize(n, grouped, {2}, n.floatAttr("epsilon", 1e-5f));
  if (failed(norm))
    return failure();
  Value y;
  if (perChannel) {
    Value normalized = c.cast(c.reshape(norm->result, shape), t);
    SmallVector<int64_t> channelShape{channels};
    channelShape.append(rank - 2, 1);
    y = c.add(c.mul(normalized, c.reshape(*scale, channelShape)),
              c.reshape(*bias, channelShape));
  } else {
    Value normalized = c.cast(norm->result, t);
    y = c.add(c.mul(normalized, c.reshape(*scale, {groups, 1})),
              c.reshape(*bias, {groups, 1}));
    y = c.reshape(y, shape);
  }
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

} // namespace

void registerNormalizationImporters(OpImporterTable &t) {
  t["LayerNormalization"] = importLayerNorm;
  t["InstanceNormalization"] = importInstanceNorm;
  t["MeanVarianceNormalization"] = importMVN;
  t["RMSNormalization"] = importRMSNorm;
  t["LpNormalization"] = importLpNorm;
  t["GroupNormalization"] = importGroupNorm;
}

} // namespace kiln::onnx_frontend
