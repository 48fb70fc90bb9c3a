//===- ShapeInference.cpp - Shape rules shared by nn ops ------------------===//
#include "compiler/ir/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace kiln::nn {

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    result[i] = da == 1 ? db : da;
  }
  return result;
}

LogicalResult inferBroadcastType(std::optional<Location> loc, Type lhs,
                                 Type rhs, bool boolResult,
                                 SmallVectorImpl<Type> &inferred) {
  auto lhsType = dyn_cast<RankedTensorType>(lhs);
  auto rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return emitOptionalError(loc, "operands must be ranked tensors");
  auto shape = broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (!shape)
    return emitOptionalError(loc, "shapes ", lhsType, " and ", rhsType,
                             " do not broadcast");
  Type elementType = boolResult ? IntegerType::get(lhs.getContext(), 1)
                                : lhsType.getElementType();
  inferred.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

int64_t slidingWindowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                                int64_t padBegin, int64_t padEnd,
                                int64_t dilation, bool ceilMode) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t room = input + padBegin + padEnd - span;
  if (room < 0)
    return 0;
  int64_t out = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1;
  // With ceil_mode, a last window that starts inside the end padding is
  // dropped (the PyTorch and ONNX Runtime convention).
  if (ceilMode && (out - 1) * stride >= input + padBegin)
    --out;
  return out;
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

} // namespace kiln::nn
