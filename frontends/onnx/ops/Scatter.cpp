//===- Scatter.cpp - Import of ONNX scatter ops ---------------------------===//
//
// ScatterElements (and its predecessor Scatter, opset 9-10, the same op
// without a reduction) become nn.scatter_elements; ScatterND becomes
// nn.scatter_nd and GatherND, its inverse, nn.gather_nd.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

/// The `reduction` attribute of ScatterElements and ScatterND.
FailureOr<ScatterReductionAttr> scatterReduction(NodeImporter &n) {
  std::string name = n.stringAttr("reduction", "none");
  std::optional<ScatterReduction> reduction = symbolizeScatterReduction(name);
  if (!reduction)
    return n.error("attribute 'reduction'", "unknown value '" + name + "'");
  return ScatterReductionAttr::get(n.context(), *reduction);
}

LogicalResult importScatterElements(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1),
       updates = n.requiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  auto axis = n.normalizeAxis(n.intAttr("axis", 0), n.inputType(0).getRank(),
                              "attribute 'axis'");
  if (failed(axis))
    return failure();
  auto reduction = scatterReduction(n);
  if (failed(reduction))
    return failure();
  auto result = n.create<ScatterElementsOp>(
      *input, *indices, *updates, n.builder().getI64IntegerAttr(*axis),
      *reduction);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importScatterND(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1),
       updates = n.requiredInput(2);
  if (failed(input) || failed(indices) || failed(updates))
    return failure();
  auto reduction = scatterReduction(n);
  if (failed(reduction))
    return failure();
  auto result = n.create<ScatterNDOp>(*input, *indices, *updates, *reduction);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importGatherND(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  int64_t batch = n.intAttr("batch_dims", 0);
  if (batch < 0 || batch >= n.inputType(1).getRank() ||
      batch >= n.inputType(0).getRank())
    return n.error("attribute 'batch_dims'", "out of range");
  auto result = n.create<GatherNDOp>(*input, *indices,
                                     n.builder().getI64IntegerAttr(batch));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

} // namespace

void registerScatterImporters(OpImporterTable &t) {
  t["ScatterElements"] = importScatterElements;
  t["Scatter"] = importScatterElements;
  t["ScatterND"] = importScatterND;
  t["GatherND"] = importGatherND;
}

} // namespace kiln::onnx_frontend
