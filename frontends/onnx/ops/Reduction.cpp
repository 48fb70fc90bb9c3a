//===- Reduction.cpp - Import of ONNX reductions and ArgMax/ArgMin --------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

/// ReduceX: axes are an attribute until the op's version that made them an
/// input (13 for ReduceSum, 18 for the others).
LogicalResult importReduce(NodeImporter &n, ReduceKind kind,
                           int64_t axesInputOpset) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  if (!isa<FloatType>(n.inputType(0).getElementType()) &&
      (kind == ReduceKind::Mean || kind == ReduceKind::L2 ||
       kind == ReduceKind::LogSum || kind == ReduceKind::LogSumExp))
    return n.error("input 0 (data)", "integer inputs are not supported by " +
                                         n.proto().op_type() + " yet");
  std::optional<SmallVector<int64_t>> axes;
  if (n.opsetVersion() < axesInputOpset) {
    axes = n.optionalIntsAttr("axes");
  } else if (n.input(1)) {
    auto values = n.constantInts(1, "axes");
    if (failed(values))
      return failure();
    axes = *values;
  }
  bool keepdims = n.intAttr("keepdims", 1) != 0;
  if (!axes || axes->empty()) {
    if (n.intAttr("noop_with_empty_axes", 0) != 0) {
      n.setOutput(0, *input);
      return success();
    }
    axes = SmallVector<int64_t>();
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  }
  SmallVector<int64_t> normalized;
  for (int64_t axis : *axes) {
    auto a = n.normalizeAxis(axis, rank, "axes");
    if (failed(a))
      return failure();
    normalized.push_back(*a);
  }
  llvm::sort(normalized);
  normalized.erase(std::unique(normalized.begin(), normalized.end()),
                   normalized.end());
  Builder &b = n.builder();
  auto result = n.create<ReduceOp>(
      *input, ReduceKindAttr::get(b.getContext(), kind),
      b.getDenseI64ArrayAttr(normalized), b.getBoolAttr(keepdims));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importArgReduce(NodeImporter &n, ArgReduceKind kind) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), n.inputType(0).getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  Builder &b = n.builder();
  auto result = n.create<ArgReduceOp>(
      *input, ArgReduceKindAttr::get(b.getContext(), kind),
      b.getI64IntegerAttr(*axis), b.getBoolAttr(n.intAttr("keepdims", 1) != 0),
      b.getBoolAttr(n.intAttr("select_last_index", 0) != 0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

template <typename OpTy>
LogicalResult importCumulative(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto axisValue = n.constantInts(1, "axis");
  if (failed(axisValue))
    return failure();
  auto axis = n.normalizeAxis(axisValue->front(), n.inputType(0).getRank(),
                              "input 1 (axis)");
  if (failed(axis))
    return failure();
  Builder &b = n.builder();
  auto result = n.createTyped<OpTy>(
      input->getType(), *input, b.getI64IntegerAttr(*axis),
      b.getBoolAttr(n.intAttr("exclusive", 0) != 0),
      b.getBoolAttr(n.intAttr("reverse", 0) != 0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// TopK: k from the attribute (opset < 10) or the constant input K.
LogicalResult importTopK(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  int64_t k;
  if (n.opsetVersion() < 10) {
    if (!n.hasAttribute("k"))
      return n.error("attribute 'k'", "is required");
    k = n.intAttr("k", 0);
  } else {
    auto values = n.constantInts(1, "K");
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return n.error("input 1 (K)", "must hold one value");
    k = values->front();
  }
  if (type.getRank() < 1)
    return n.error("input 0 (X)", "must have rank >= 1");
  auto axis = n.normalizeAxis(n.intAttr("axis", -1), type.getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  if (k < 0 || k > type.getDimSize(*axis))
    return n.error(n.opsetVersion() < 10 ? "attribute 'k'" : "input 1 (K)",
                   "k = " + Twine(k) + " is not in [0, " +
                       Twine(type.getDimSize(*axis)) + "]");
  if (k == 0)
    return n.error(n.opsetVersion() < 10 ? "attribute 'k'" : "input 1 (K)",
                   "k = 0 gives empty tensors, which kiln does not support");
  Builder &b = n.builder();
  auto result = n.create<TopKOp>(*input, b.getI64IntegerAttr(*axis),
                                 b.getI64IntegerAttr(k),
                                 b.getBoolAttr(n.intAttr("largest", 1) != 0),
                                 b.getBoolAttr(n.intAttr("sorted", 1) != 0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  n.setOutput(1, result->getDefiningOp()->getResult(1));
  return success();
}

} // namespace

void registerReductionImporters(OpImporterTable &t) {
  t["ReduceSum"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::Sum, 13);
  };
  t["ReduceMean"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::Mean, 18);
  };
  t["ReduceMax"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::Max, 18);
  };
  t["ReduceMin"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::Min, 18);
  };
  t["ReduceProd"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::Prod, 18);
  };
  t["ReduceL1"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::L1, 18);
  };
  t["ReduceL2"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::L2, 18);
  };
  t["ReduceLogSum"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::LogSum, 18);
  };
  t["ReduceLogSumExp"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::LogSumExp, 18);
  };
  t["ReduceSumSquare"] = [](NodeImporter &n) {
    return importReduce(n, ReduceKind::SumSquare, 18);
  };
  t["CumSum"] = importCumulative<CumSumOp>;
  t["CumProd"] = importCumulative<CumProdOp>;
  t["TopK"] = importTopK;
  t["ArgMax"] = [](NodeImporter &n) {
    return importArgReduce(n, ArgReduceKind::Max);
  };
  t["ArgMin"] = [](NodeImporter &n) {
    return importArgReduce(n, ArgReduceKind::Min);
  };
}

} // namespace kiln::onnx_frontend
