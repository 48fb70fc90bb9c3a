//===- Normalization.cpp - Import of ONNX normalizations by decomposition -===//
//
// LayerNormalization, InstanceNormalization and MeanVarianceNormalization
// are mean/variance computations over a set of axes: they decompose into
// nn.reduce and elementwise ops, which later fuse.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

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
    return n.create<ReduceOp>(v, b.getStringAttr("mean"),
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

} // namespace

void registerNormalizationImporters(OpImporterTable &t) {
  t["LayerNormalization"] = importLayerNorm;
  t["InstanceNormalization"] = importInstanceNorm;
  t["MeanVarianceNormalization"] = importMVN;
}

} // namespace kiln::onnx_frontend
