//===- StructuredBuilders.cpp - linalg building blocks --------------------===//
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

namespace kiln {

AffineMap broadcastMap(MLIRContext *context, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> resultShape) {
  int64_t offset = resultShape.size() - shape.size();
  SmallVector<AffineExpr> exprs;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBodyFn body) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(
        context, cast<RankedTensorType>(input.getType()).getShape(),
        resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  Value value) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::FillOp::create(b, loc, value, init).getResult(0);
}

Value buildReshape(OpBuilder &b, Location loc, Value value,
                   RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  auto flatType = RankedTensorType::get({sourceType.getNumElements()},
                                        sourceType.getElementType());
  Value flat = value;
  if (sourceType.getRank() == 0) {
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, value,
                                         ArrayRef<ReassociationIndices>{});
  } else if (sourceType.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < sourceType.getRank(); ++i)
      all.push_back(i);
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

Value buildPadded(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                  Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    shape.push_back(type.getDimSize(i) + low[i] + high[i]);
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    lowSizes.push_back(b.getIndexAttr(low[i]));
    highSizes.push_back(b.getIndexAttr(high[i]));
  }
  return tensor::PadOp::create(b, loc, paddedType, value, lowSizes, highSizes,
                               padValue, /*nofold=*/false);
}

Value buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
    Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(axes, d)) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    shape.push_back(type.getDimSize(d));
    outExprs.push_back(getAffineDimExpr(d, ctx));
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value acc = buildFilled(b, loc, resultType, init);
  SmallVector<AffineMap> maps{
      b.getMultiDimIdentityMap(type.getRank()),
      AffineMap::get(type.getRank(), 0, outExprs, ctx)};
  return linalg::GenericOp::create(
             b, loc, resultType, input, acc, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[1], args[0]));
             })
      .getResult(0);
}

namespace {

/// `source` broadcast into `accType`, its dimensions read by the loops
/// `dims` of the result.
Value buildBroadcastInit(OpBuilder &b, Location loc, Value source,
                         RankedTensorType accType, ArrayRef<unsigned> dims) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = accType.getRank();
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  auto sourceMap = AffineMap::get(rank, 0, exprs, ctx);
  Value init = tensor::EmptyOp::create(b, loc, accType.getShape(),
                                       accType.getElementType());
  return linalg::GenericOp::create(
             b, loc, accType, source, init,
             ArrayRef<AffineMap>{sourceMap, b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

} // namespace

Value buildBiasInit(OpBuilder &b, Location loc, Value bias,
                    RankedTensorType accType, Value zero) {
  if (!bias)
    return buildFilled(b, loc, accType, zero);
  return buildBroadcastInit(b, loc, bias, accType, {1});
}

Value buildGroupedBiasInit(OpBuilder &b, Location loc, Value bias,
                           RankedTensorType accType, Value zero) {
  if (!bias)
    return buildFilled(b, loc, accType, zero);
  Value grouped = buildReshape(
      b, loc, bias,
      RankedTensorType::get({accType.getDimSize(1), accType.getDimSize(2)},
                            accType.getElementType()));
  return buildBroadcastInit(b, loc, grouped, accType, {1, 2});
}

Value normalizedIndex(OpBuilder &b, Location l, Value raw, bool isUnsigned,
                      int64_t extent) {
  Value index =
      isUnsigned
          ? (Value)arith::IndexCastUIOp::create(b, l, b.getIndexType(), raw)
          : (Value)arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
  Value extentValue = arith::ConstantIndexOp::create(b, l, extent);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value negative =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, index, zero);
  index = arith::SelectOp::create(
      b, l, negative, arith::AddIOp::create(b, l, index, extentValue), index);
  return arith::MinSIOp::create(
      b, l, arith::MaxSIOp::create(b, l, index, zero),
      arith::ConstantIndexOp::create(b, l, extent - 1));
}

RankedTensorType convertedType(const TypeConverter &converter, Type nnType) {
  return cast<RankedTensorType>(converter.convertType(nnType));
}

} // namespace kiln
