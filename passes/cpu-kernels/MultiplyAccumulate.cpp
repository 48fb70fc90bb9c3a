//===- MultiplyAccumulate.cpp - The structured ops the CPU kernels take --===//
#include "passes/cpu-kernels/MultiplyAccumulate.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace kiln {

linalg::GenericOp
buildMultiplyAccumulate(OpBuilder &b, Location loc, ValueRange inputs,
                        Value init, ArrayRef<AffineMap> maps,
                        ArrayRef<utils::IteratorType> iterators) {
  return linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [](OpBuilder &nested, Location l, ValueRange args) {
        linalg::YieldOp::create(
            nested, l,
            math::FmaOp::create(nested, l, args[0], args[1], args[2])
                .getResult());
      });
}

Value buildMatrixProduct(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t batch = lhsType.getRank() - 2;
  MLIRContext *ctx = b.getContext();
  // Loops ((batch,) m, n | k).
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> a, w, c;
  if (batch) {
    a.push_back(d(0));
    w.push_back(d(0));
    c.push_back(d(0));
  }
  a.append({d(batch), d(batch + 2)});
  w.append({d(batch + 2), d(batch + 1)});
  c.append({d(batch), d(batch + 1)});
  int64_t loops = batch + 3;
  SmallVector<AffineMap> maps{AffineMap::get(loops, 0, a, ctx),
                              AffineMap::get(loops, 0, w, ctx),
                              AffineMap::get(loops, 0, c, ctx)};
  SmallVector<utils::IteratorType> iterators(loops - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  SmallVector<int64_t> shape(lhsType.getShape().drop_back());
  shape.push_back(rhsType.getShape().back());
  Value empty =
      tensor::EmptyOp::create(b, loc, shape, lhsType.getElementType());
  Value zero = arith::ConstantOp::create(
      b, loc, b.getZeroAttr(lhsType.getElementType()));
  Value fill = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  return buildMultiplyAccumulate(b, loc, ValueRange{lhs, rhs}, fill, maps,
                                 iterators)
      .getResult(0);
}

} // namespace kiln
