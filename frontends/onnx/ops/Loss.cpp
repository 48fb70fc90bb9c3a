//===- Loss.cpp - Import of ONNX loss functions by decomposition ----------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss become gathers,
// masks and reductions over nn ops.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

/// The NLL loss of log-probabilities `input` [N, C, d...] at integer
/// `target` [N, d...], with optional per-class `weight` [C].
FailureOr<Value> buildNLLLoss(NodeImporter &n, Value input, Value target,
                              Value weight) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  Type elementType = inputType.getElementType();
  Builder &b = n.builder();
  Type i64 = b.getI64Type();
  if (inputType.getRank() < 2 || targetType.getRank() != inputType.getRank() - 1)
    return n.error("inputs", "expect input [N, C, d...] and target [N, d...]");
  std::string reduction = n.stringAttr("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return n.error("attribute 'reduction'", "unknown value '" + reduction + "'");
  auto t = n.createTyped<CastOp>(targetType.clone(i64), target);
  if (failed(t))
    return failure();
  Value labels = *t;

  // Ignored targets read class 0 and weigh 0.
  Value mask;
  if (n.hasAttribute("ignore_index")) {
    auto ignored =
        n.create<EqualOp>(labels, n.scalar(n.intAttr("ignore_index", 0), i64));
    if (failed(ignored))
      return failure();
    auto kept = n.createTyped<NotOp>(ignored->getType(), *ignored);
    if (failed(kept))
      return failure();
    mask = *kept;
    auto safe = n.create<WhereOp>(mask, labels, n.scalar(0, i64));
    if (failed(safe))
      return failure();
    labels = *safe;
  }

  SmallVector<int64_t> indexShape(targetType.getShape());
  indexShape.insert(indexShape.begin() + 1, 1);
  auto index = n.reshape(labels, indexShape);
  if (failed(index))
    return failure();
  auto picked = n.create<GatherElementsOp>(input, *index,
                                           b.getI64IntegerAttr(1));
  if (failed(picked))
    return failure();
  auto logProb = n.reshape(*picked, targetType.getShape());
  if (failed(logProb))
    return failure();

  // Per-element weights, broadcast to the target's shape.
  Value weights = n.scalar(1, elementType);
  if (weight) {
    auto w = n.create<GatherOp>(weight, labels, b.getI64IntegerAttr(0));
    if (failed(w))
      return failure();
    weights = *w;
  }
  if (mask) {
    auto w = n.create<WhereOp>(mask, weights, n.scalar(0, elementType));
    if (failed(w))
      return failure();
    weights = *w;
  }
  auto weighted = n.create<MulOp>(*logProb, weights);
  if (failed(weighted))
    return failure();
  auto loss = n.createTyped<NegOp>(weighted->getType(), *weighted);
  if (failed(loss))
    return failure();
  if (reduction == "none")
    return loss;

  auto sumAll = [&](Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> axes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      axes.push_back(d);
    return n.create<ReduceOp>(
        v, ReduceKindAttr::get(b.getContext(), ReduceKind::Sum),
        b.getDenseI64ArrayAttr(axes), b.getBoolAttr(false));
  };
  auto total = sumAll(*loss);
  if (failed(total) || reduction == "sum")
    return total;
  // mean: divided by the total weight of the counted elements.
  auto fullWeights = n.create<MulOp>(weights, n.scalar(1, elementType));
  if (failed(fullWeights))
    return failure();
  Value denominator;
  if (cast<RankedTensorType>(fullWeights->getType()).getRank() == 0) {
    denominator = n.scalar(numElements(targetType.getShape()), elementType);
  } else {
    auto w = sumAll(*fullWeights);
    if (failed(w))
      return failure();
    denominator = *w;
  }
  return n.create<DivOp>(*total, denominator);
}

LogicalResult importNLLLoss(NodeImporter &n) {
  auto input = n.requiredInput(0), target = n.requiredInput(1);
  if (failed(input) || failed(target))
    return failure();
  auto loss = buildNLLLoss(n, *input, *target, n.input(2));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  return success();
}

LogicalResult importSoftmaxCrossEntropyLoss(NodeImporter &n) {
  auto scores = n.requiredInput(0), labels = n.requiredInput(1);
  if (failed(scores) || failed(labels))
    return failure();
  Builder &b = n.builder();
  auto logProb = n.create<SoftmaxOp>(*scores, b.getI64IntegerAttr(1),
                                     b.getBoolAttr(true));
  if (failed(logProb))
    return failure();
  auto loss = buildNLLLoss(n, *logProb, *labels, n.input(2));
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  n.setOutput(1, *logProb);
  return success();
}

} // namespace

void registerLossImporters(OpImporterTable &t) {
  t["NegativeLogLikelihoodLoss"] = importNLLLoss;
  t["SoftmaxCrossEntropyLoss"] = importSoftmaxCrossEntropyLoss;
}

} // namespace kiln::onnx_frontend
